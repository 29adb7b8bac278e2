"""Reading a current system's function and form lists (機能一覧 / 帳票一覧) into inventory items.

The lists come from the current vendor or from a survey sheet of
現行システムの概要調査, as .xlsx or CSV (UTF-8, with or without BOM, or
Shift_JIS/CP932), and are as untidy as the official requirement lists; the
same readers cope (:mod:`gapcheck.vendor.tables`):

* the header row is *found* under any title block: the first row holding a
  name header (機能名, 帳票名, 名称 ...) and at least one other known header;
* every sheet with such a header row is read; other sheets are skipped and
  named in the result, except one whose name says it is a list (機能, 帳票,
  一覧), which is an error;
* vertically merged cells (所管課, 種別 over several rows) give their value to
  every row they span; blank rows, note rows (※ ...) and heading rows (a
  heading mark such as 【 or ■ alone in the name column, or text with no name)
  are skipped; line breaks inside a name are joined;
* IDs typed as numbers stay as written (``101``, not ``101.0``), full-width
  characters are folded; counts and hours written as text (``1,200件``,
  ``８０時間``) are read as numbers;
* the kind of a row is its 種別 cell (機能 / 帳票), else what the sheet's name
  or its headers say (帳票一覧, 帳票名).

Items keep the row's own ID.  A list without IDs gets stable generated ones,
made from the operation, the kind and the normalised name, never from the row
position, so inserting a row in Excel moves no link (:func:`generated_id`);
a warning says so once per sheet.  Every row that cannot be read is a
:class:`~gapcheck.core.errors.Problem` at its ``sheet!cell``; nothing is
returned while any error remains.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gapcheck.core.errors import InvalidInput, Problem
from gapcheck.core.labels import KIND_LABELS
from gapcheck.core.messages import Msg
from gapcheck.vendor.cells import cell_number, cell_ref, cell_text, header_key, local_id
from gapcheck.vendor.columnmap import (
    DEFAULT_INVENTORY_COLUMNS,
    INVENTORY_FIELDS,
    InventoryColumns,
)
from gapcheck.vendor.tables import (
    NOTE_ROW,
    Table,
    find_header_row,
    first_words,
    read_all_tables,
    row_words,
    sheet_list,
)
from gapcheck.vendor.yamldump import Flow

LIST_HINTS = ("機能", "帳票", "一覧")
"""Words in a sheet name that say the sheet is meant to be a list: never skipped silently."""
OWN_ID = "ID column"
"""How a sheet's items got their IDs: from its own ID column, or :data:`GENERATED`."""
GENERATED = "generated"


def generated_id(operation: str, kind: str, name: str) -> str:
    """The stable ID of an item whose list has no IDs: ``kaigo-F-1a2b3c4d5e`` (F functions, R forms).

    Made from the operation, the kind and the name in :func:`header_key` form
    (full-width folded, spaces removed, case-folded), so that a row can move
    or be inserted without changing any ID; renaming an item changes its ID.
    """
    digest = hashlib.sha256(f"{operation}\x1f{kind}\x1f{header_key(name)}".encode()).hexdigest()
    return f"{operation}-{'F' if kind == 'function' else 'R'}-{digest[:10]}"


@dataclass(frozen=True)
class ItemRow:
    """One inventory item and where it came from."""

    item: dict[str, Any]
    """The item as the inventory file holds it (``id``, ``kind``, ``name``, optional fields)."""
    file: str
    sheet: str
    row: int
    cells: dict[str, int]
    """Field of the item (``id``, ``name``, ``workload.cases`` ...) -> its column, for positions."""


@dataclass(frozen=True)
class InventoryRows:
    """The items read from the lists, in sheet and row order."""

    rows: tuple[ItemRow, ...]
    sheets: tuple[tuple[str, str, int, str], ...]
    """(file, sheet, header row, :data:`OWN_ID` or :data:`GENERATED`) of each sheet read."""
    skipped: tuple[tuple[str, str], ...] = ()
    """(file, sheet) of each sheet without a header row that was passed over."""
    warnings: tuple[Problem, ...] = ()


def read_inventory_rows(files: Sequence[Path], operation: str, columns: InventoryColumns = DEFAULT_INVENTORY_COLUMNS,
                        sheet: str | None = None) -> InventoryRows:
    """Read the function and form lists of ``operation`` from workbooks and CSV files.

    ``sheet`` reads only the sheet of that name (a CSV file's sheet is its
    file name without extension).  Raises
    :class:`~gapcheck.core.errors.InvalidInput` with every problem found.
    """
    tables = read_all_tables(files)
    if sheet is not None:
        chosen = [t for t in tables if t.name == sheet]
        if not chosen:
            raise InvalidInput([Problem(tables[0].file if tables else "", 0, 0, "xlsx-sheet-missing", "$",
                                        Msg("no-sheet-named", sheet=sheet), Msg("a-sheet", sheet=sheet),
                                        Msg("sheets", names=sheet_list(tables)))])
        tables = chosen
    reader = _Reader(operation, columns)
    skipped = []
    for table in tables:
        if not reader.read(table, must=sheet is not None or len(tables) == 1 or any(h in table.name for h in LIST_HINTS)):
            skipped.append((table.file, table.name))
    if not reader.sheets and not reader.problems and tables:
        reader.problems.append(_no_header(tables[0], columns))
    errors = [p for p in reader.problems if p.severity == "error"]
    if errors:
        raise InvalidInput(reader.problems)
    return InventoryRows(tuple(reader.rows), tuple(reader.sheets), tuple(skipped),
                         tuple(p for p in reader.problems if p.severity == "warning"))


def _no_header(table: Table, columns: InventoryColumns) -> Problem:
    names = "/".join(columns.columns["name"])
    others = "/".join(columns.columns["id"] + columns.columns["kind"])
    return Problem(table.file, 1, 1, "xlsx-no-header", cell_ref(table.name, 1, 1),
                   Msg("xlsx-no-header", rows=columns.header_search_rows, sheet=table.name),
                   Msg("a-row-with-name-header", names=names, others=others), first_words(table))


def _accept(cols: dict[str, int | None]) -> bool:
    """A header row: a name column and one more known column."""
    return cols["name"] is not None and any(cols[f] is not None and cols[f] != cols["name"] for f in INVENTORY_FIELDS if f != "name")


@dataclass
class _Reader:
    """Turns the rows under each sheet's header into items, checking IDs across all sheets of the import."""

    operation: str
    columns: InventoryColumns
    rows: list[ItemRow] = field(default_factory=list)
    sheets: list[tuple[str, str, int, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seen: dict[str, str] = field(default_factory=dict)
    """Item ID -> where it was first read (``sheet '機能一覧' row 5``)."""
    kinds: dict[str, str] = field(default_factory=dict)
    """Item ID -> the kind of the item first read with it."""

    def problem(self, table: Table, row: int, col: int | None, code: str, message: str, expected: str | None,
                found: str | None, severity: str = "error") -> None:
        c = col or 1
        self.problems.append(Problem(table.file, row, c, code, cell_ref(table.name, row, c), message, expected, found,
                                     severity))  # type: ignore[arg-type]

    def read(self, table: Table, must: bool) -> bool:
        """Read one table; False when it has no header row (and that is not an error)."""
        found = find_header_row(table, self.columns.columns, self.columns.header_search_rows, _accept)
        if found is None:
            if must:
                self.problems.append(_no_header(table, self.columns))
            return must
        head, cols = found
        kind = self.sheet_kind(table, head, cols)
        if cols["kind"] is None and kind is None:
            self.problem(table, head, 1, "xlsx-missing-column",
                         Msg("no-kind-column", sheet=table.name, spellings='/'.join(self.columns.columns['kind'])),
                         Msg("a-kind-column"),
                         first_words(Table(table.file, table.name, [table.rows[head - 1]])))
            return True
        body = range(head + 1, len(table.rows) + 1)
        own = cols["id"] is not None and any(local_id(table.value(r, cols["id"], False)) for r in body)
        before, troubles = len(self.rows), len(self.problems)
        for r in body:
            self.row(table, r, cols, kind, own)
        if own:
            self.zeros_lost(table, body, cols["id"])
        self.sheets.append((table.file, table.name, head, OWN_ID if own else GENERATED))
        made = len(self.rows) - before
        if not own and made:
            self.problem(table, head, cols["id"] or cols["name"], "item-id-generated",
                         Msg("item-id-generated", sheet=table.name, n=made), Msg("an-id-column"), Msg("found-none"),
                         severity="warning")
        if not made and len(self.problems) == troubles:
            self.problem(table, head, 1, "no-items", Msg("no-items", sheet=table.name),
                         Msg("one-function-or-form"), Msg("found-none"))
        return True

    def zeros_lost(self, table: Table, body: range, col: int | None) -> None:
        """Warn once per sheet when number cells of the ID column are shorter than its zero-padded text IDs.

        Excel drops the leading zeros of 0103 typed into a cell formatted as a number: the item becomes 103
        while the list's other IDs read 0101, 0102, and a mapping naming 0103 no longer finds it.
        """
        cells = [(r, table.value(r, col, False)) for r in body]
        width = max((len(t) for _, v in cells if isinstance(v, str) and ZERO_PADDED.fullmatch(t := local_id(v))), default=0)
        short = [(r, local_id(v)) for r, v in cells
                 if isinstance(v, int | float) and not isinstance(v, bool) and len(local_id(v)) < width]
        if short:
            r, iid = short[0]
            self.problem(table, r, col, "id-leading-zero-lost",
                         Msg("id-leading-zero-lost", sheet=table.name, n=len(short), width=width, padded=iid.zfill(width)),
                         Msg("id-as-text", width=width), repr(iid), severity="warning")

    def sheet_kind(self, table: Table, head: int, cols: dict[str, int | None]) -> str | None:
        """The kind the sheet's headers (帳票名, 機能ID) or else its name say, or None when they do not tell."""
        said = {k for c in (cols["name"], cols["id"]) if c is not None for k in _kinds_in(cell_text(table.value(head, c)))}
        if len(said) == 1:
            return said.pop()
        named = _kinds_in(table.name)
        return named.pop() if len(named) == 1 else None

    def row(self, table: Table, r: int, cols: dict[str, int | None], kind: str | None, own_ids: bool) -> None:
        words = row_words(table, r)
        if not words:
            return  # blank row
        mine = {f: cell_text(table.value(r, cols[f], False), True) for f in INVENTORY_FIELDS if cols[f] is not None}
        name = cell_text(table.value(r, cols["name"]), True)
        if NOTE_ROW.match(unicodedata.normalize("NFKC", words[0])) and (not mine.get("name") or len(words) == 1):
            return  # note row (※..., 注1...)
        if not mine.get("name"):
            looks_like_item = any(mine.get(f) for f in ("description", "cases", "hours")) or (
                own_ids and _plain_id(local_id(table.value(r, cols["id"], False))))
            if looks_like_item:
                self.problem(table, r, cols["name"], "missing-value", Msg("row-no-name", row=r),
                             "/".join(self.columns.columns["name"]), Msg("an-empty-cell"))
            return  # otherwise a heading row (【資格管理】 ...)
        if _heading(name) and not any(v for f, v in mine.items() if f != "name"):
            return  # a heading row written in the name column (【賦課】, ■ 資格管理)
        item_kind = self.kind(table, r, cols, kind)
        item_id = self.item_id(table, r, cols, item_kind, name, own_ids)
        item: dict[str, Any] = {"id": item_id, "kind": item_kind, "name": name}
        for fld, one_line in (("description", False), ("department", True)):
            text = cell_text(table.value(r, cols[fld]), one_line) if cols[fld] is not None else ""
            if text:
                item[fld] = text
        workload = self.workload(table, r, cols)
        if workload:
            item["workload"] = workload
        if item_id is None or item_kind is None or workload is None:
            return
        at = {f: c for f, c in cols.items() if c is not None}
        at["id"], at["kind"] = at.get("id", at["name"]), at.get("kind", at["name"])
        at |= {f"workload.{f}": at[f] for f in ("cases", "hours") if f in at}
        self.rows.append(ItemRow(item, table.file, table.name, r, at))

    def kind(self, table: Table, r: int, cols: dict[str, int | None], sheet_kind: str | None) -> str | None:
        text = cell_text(table.value(r, cols["kind"]), True) if cols["kind"] is not None else ""
        if not text:
            if sheet_kind is None:
                self.problem(table, r, cols["kind"], "missing-value", Msg("no-kind"), Msg("kinou-or-chouhyou"),
                             Msg("an-empty-cell"))
            return sheet_kind
        kind = self.columns.kinds.get(header_key(text))
        if kind is None:
            self.problem(table, r, cols["kind"], "unknown-kind", Msg("unknown-kind"), Msg("kinou-or-chouhyou"), repr(text))
        return kind

    def item_id(self, table: Table, r: int, cols: dict[str, int | None], kind: str | None, name: str,
                own_ids: bool) -> str | None:
        if own_ids:
            iid = local_id(table.value(r, cols["id"], False))
            col = cols["id"]
            if iid and kind is not None:
                iid = self.columns.id_prefix.get(kind, "") + iid
            if not iid:
                self.problem(table, r, col, "missing-id", Msg("row-no-item-id", row=r, name=name),
                             Msg("an-item-id-or-none"), Msg("an-empty-cell"))
                return None
        elif kind is None:
            return None
        else:
            iid, col = generated_id(self.operation, kind, name), cols["id"] or cols["name"]
        where = Msg("sheet-row", sheet=table.name, row=r)
        if iid in self.seen:
            why = "" if own_ids else Msg("generated-id-twice")
            if own_ids and kind is not None and self.kinds.get(iid, kind) != kind:
                why = Msg("same-number-both-kinds")
            self.problem(table, r, col, "duplicate-item", Msg("duplicate-item-cell", item=iid, where=self.seen[iid], why=why),
                         Msg("unique-item-ids-both"), repr(iid))
            return None
        self.seen[iid] = where
        if kind is not None:
            self.kinds[iid] = kind
        return iid

    def workload(self, table: Table, r: int, cols: dict[str, int | None]) -> Flow | None:
        """The item's annual cases and hours (a Flow mapping, empty when none); None when a cell is not a number."""
        out, ok = Flow(), True
        for fld, whole, what in (("cases", True, Msg("cases-expected")), ("hours", False, Msg("hours-expected"))):
            col = cols[fld]
            if col is None:
                continue
            number, bad = cell_number(table.value(r, col), whole)
            if bad is not None:
                self.problem(table, r, col, "invalid-value", Msg("not-a-number", what='/'.join(self.columns.columns[fld])),
                             what, repr(bad))
                ok = False
            elif number is not None:
                out[fld] = number
        return out if ok else None


ZERO_PADDED = re.compile(r"0[0-9]+")
"""An item ID of digits with a leading zero (``0101``): the list numbers its items to a fixed width."""


def _kinds_in(text: str) -> set[str]:
    """The kinds a header or sheet name speaks of: 機能 -> function, 帳票 -> form."""
    norm = unicodedata.normalize("NFKC", text)
    return {kind for kind, label in KIND_LABELS.items() if label in norm}


HEADING_MARKS = tuple("【■□●○◆◇▼▽▲△［[＜<〈《")
"""How a heading row's text starts (【賦課】, ■ 資格管理): such a row alone in the name column is no item."""


def _heading(name: str) -> bool:
    return name.startswith(HEADING_MARKS)


def _plain_id(text: str) -> bool:
    """True for text that reads as an item ID (ASCII letters and digits), not a heading such as 【資格管理】."""
    return bool(text) and text.isascii() and text[0].isalnum()
