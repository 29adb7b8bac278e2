"""Import the ministries' requirement lists (別紙 機能・帳票要件) into a spec catalogue.

The official lists arrive as Excel workbooks (one sheet of function
requirements, one of form requirements), sometimes as CSV.  Real sheets are
untidy, and this module copes with what they contain:

* a title block above the header row: the header row is *found* (the first row,
  among the first ``header_search_rows``, holding the ID header and the title
  or class header);
* merged cells (category path, function name, class): a vertical merge gives
  its value to every row it spans; category cells left blank carry the value
  from above, and a new upper level resets the lower ones;
* blank rows, category-only rows and note rows (``※...``) are skipped;
* full-width digits and spaces, line breaks inside cells;
* IDs stored as numbers, which lost their leading zeros (``230265`` is
  ``0230265`` again);
* spellings of the implementation class (``実装必須機能`` / ``実装必須`` ...),
  from a table the user's column map can extend.

Every row that cannot be read becomes a :class:`~gapcheck.errors.Problem`
naming the file, the row and the column, with ``sheet!cell`` as its path.
Nothing is returned (and so nothing written) while any error remains:
:func:`import_spec` raises :class:`~gapcheck.errors.InvalidInput`.

Files are read into tables by :mod:`gapcheck.tables`; the headers and class
spellings come from the column map (:mod:`gapcheck.columnmap`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gapcheck.core.errors import InvalidInput, Problem
from gapcheck.core.ids import (  # one definition of what an ID is
    ID_EXPECTED,
    normalise_id,
)
from gapcheck.core.model import Operation
from gapcheck.core.output import write_atomic
from gapcheck.core.paths import display_path
from gapcheck.vendor.cells import cell_id, cell_problem, cell_ref, cell_text, header_key
from gapcheck.vendor.columnmap import DEFAULT_COLUMNS, FIELDS, ColumnMap, TableMap
from gapcheck.vendor.tables import (
    NOTE_ROW,
    Table,
    find_header_row,
    first_words,
    header_columns,
    read_all_tables,
    sheet_list,
)
from gapcheck.vendor.yamldump import dump_checked

SEVEN = re.compile(r"[0-9]{7}\Z")
"""Seven digits: an ID cell that is a requirement ID, not the start of a note row."""


# -- finding the table ------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """The header row of a table and the column of each field (1-based; None when absent)."""

    row: int
    columns: dict[str, int | None]
    category: tuple[int | None, ...]


def find_header(table: Table, spec: TableMap, search_rows: int) -> Header | None:
    """The first row holding the ID header and the title or class header."""
    found = find_header_row(table, {f: spec.columns.get(f, ()) for f in FIELDS}, search_rows,
                            lambda c: c["id"] is not None and (c["title"] is not None or c["class"] is not None))
    if found is None:
        return None
    r, cols = found
    if cols["summary"] == cols["title"]:
        cols["summary"] = None
    levels = header_columns(table.rows[r - 1], dict(enumerate(spec.category)))
    return Header(r, cols, tuple(levels.values()))


def locate_tables(tables: Sequence[Table], cmap: ColumnMap) -> tuple[dict[str, tuple[Table, Header]], list[Problem]]:
    """The sheet and header row of each table kind; problems for required ones not found."""
    found: dict[str, tuple[Table, Header]] = {}
    problems: list[Problem] = []
    pending: list[TableMap] = []
    for spec in cmap.tables:
        if spec.sheet is not None:
            table = next((t for t in tables if t.name == spec.sheet), None)
            if table is None:
                file = tables[0].file if tables else ""
                problems.append(Problem(file, 0, 0, "xlsx-sheet-missing", "$", f"no sheet named '{spec.sheet}' ({spec.label})",
                                        f"a sheet '{spec.sheet}'", "sheets " + sheet_list(tables)))
                continue
            header = find_header(table, spec, cmap.header_search_rows)
            if header is None:
                problems.append(_no_header(table, spec, cmap))
                continue
            found[spec.kind] = (table, header)
            continue
        hits = [(t, h) for t in tables if (h := find_header(t, spec, cmap.header_search_rows)) is not None]
        hits.sort(key=lambda th: spec.sheet_hint not in th[0].name)
        if hits:
            found[spec.kind] = hits[0]
        else:
            pending.append(spec)
    used = {id(t) for t, _ in found.values()}
    for spec in pending:
        named = [t for t in tables if spec.sheet_hint and spec.sheet_hint in t.name and id(t) not in used]
        if named:  # a sheet that looks meant for this table, even an optional one: never skip it silently
            problems.append(_no_header(named[0], spec, cmap))
        elif not spec.required or not tables:
            continue
        elif found:
            ids = "/".join(spec.columns["id"])
            problems.append(Problem(tables[0].file, 0, 0, "xlsx-sheet-missing", "$",
                                    f"no {spec.label} sheet: no sheet has a header row with {ids}",
                                    f"a {spec.label} sheet", "sheets " + sheet_list(tables)))
        else:
            problems.append(_no_header(tables[0], spec, cmap))
    return found, problems


def _no_header(table: Table, spec: TableMap, cmap: ColumnMap) -> Problem:
    ids = "/".join(spec.columns["id"])
    others = "/".join(spec.columns["title"] + spec.columns["class"])
    return Problem(table.file, 1, 1, "xlsx-no-header", cell_ref(table.name, 1, 1),
                   f"no header row in the first {cmap.header_search_rows} rows of sheet '{table.name}' ({spec.label})",
                   f"a row with the headers {ids} and {others}", first_words(table))


# -- reading rows --------------------------------------------------------------------------


@dataclass
class _Reader:
    """Turns the rows under one header into requirement dicts."""

    table: Table
    header: Header
    spec: TableMap
    cmap: ColumnMap
    operation: Operation
    seen: dict[str, str]
    """ID -> where it was first defined (``sheet row N``), across all tables of the import."""
    problems: list[Problem] = field(default_factory=list)
    category: list[str] = field(default_factory=list)

    def problem(self, row: int, col: int | None, code: str, message: str, expected: str | None, found: str | None) -> None:
        c = col or 1
        self.problems.append(Problem(self.table.file, row, c, code, cell_ref(self.table.name, row, c), message, expected, found))

    def text(self, row: int, fld: str, one_line: bool = False) -> str:
        return cell_text(self.table.value(row, self.header.columns.get(fld)), one_line)

    def rows(self) -> Iterable[dict[str, Any]]:
        self.category = [""] * len(self.header.category)
        for r in range(self.header.row + 1, len(self.table.rows) + 1):
            req = self.row(r)
            if req is not None:
                yield req

    def row(self, r: int) -> dict[str, Any] | None:
        cols = self.header.columns
        raw_id = self.table.value(r, cols["id"], fill_merged=False)
        values = {f: self.text(r, f, f in ("title",)) for f in FIELDS if f != "id"}
        cats = [cell_text(self.table.value(r, c), True) for c in self.header.category]
        first = next((cell_text(c, True) for c in self.table.rows[r - 1] if cell_text(c, True)), "")
        if not first:
            return None  # blank row
        if NOTE_ROW.match(unicodedata.normalize("NFKC", first)) and not SEVEN.match(cell_id(raw_id)):
            return None  # note row (※..., 注1...), wherever its text starts
        if cell_text(raw_id) == "":
            own = [cell_text(self.table.value(r, cols[f], fill_merged=False)) for f in ("title", "summary", "class")]
            if not any(own):
                self.carry(cats)
                return None  # category heading row
            self.problem(r, cols["id"], "missing-id", f"row {r} has requirement text but no ID",
                         ID_EXPECTED, "an empty cell")
            return None
        if self.unusable_cells(r):
            return None
        self.carry(cats)
        rid = self.requirement_id(r, raw_id)
        klass = self.klass(r, values["class"])
        if not values["title"] and cols["title"] is not None:  # a missing column is reported once, at the header
            self.problem(r, cols["title"], "missing-value", f"requirement {rid or cell_text(raw_id)} has no title",
                         "/".join(self.spec.columns["title"]), "an empty cell")
        if rid is None or klass is None or not values["title"]:
            return None
        req: dict[str, Any] = {"id": rid, "kind": self.spec.kind, "class": klass, "title": values["title"]}
        category = list(self.category)
        while category and not category[-1]:
            category.pop()
        if category:
            req["category"] = category
        for fld in ("summary", "reason", "note"):
            if values[fld]:
                req[fld] = values[fld]
        return req

    def unusable_cells(self, r: int) -> bool:
        """Report every cell of row ``r`` that gapcheck reads and cannot import (:func:`cell_problem`)."""
        found = False
        used = sorted({c for c in (*self.header.columns.values(), *self.header.category) if c is not None})
        for c in used:
            problem = cell_problem(self.table.value(r, c), self.table.from_xlsx)
            if problem is not None:
                self.problem(r, c, *problem)
                found = True
        return found

    def carry(self, cats: list[str]) -> None:
        """Category levels: a blank cell keeps the value above; a new upper value resets the lower ones."""
        for i, value in enumerate(cats):
            if value and value != self.category[i]:
                self.category[i] = value
                for j in range(i + 1, len(cats)):
                    if not cats[j]:
                        self.category[j] = ""

    def requirement_id(self, r: int, raw: Any) -> str | None:
        col = self.header.columns["id"]
        shown = repr(raw) if not isinstance(raw, str) else repr(cell_text(raw))
        prefix = self.operation.prefix
        norm = normalise_id(cell_id(raw), prefix)  # the loader's own rules: 7 digits, legacy sections, 4-digit serials
        if norm.needs_prefix:
            self.problem(r, col, "id-prefix-unknown",
                         f"a 4-digit serial needs the spec number of {self.operation.name}, which the registry does not know",
                         "a 7-digit ID", shown)
            return None
        if norm.value is None:
            self.problem(r, col, "invalid-id", "not a requirement ID after normalisation", ID_EXPECTED, shown)
            return None
        rid = norm.value
        if prefix and norm.style == "seven" and not rid.startswith(prefix):
            self.problem(r, col, "id-prefix-mismatch", f"IDs of {self.operation.name} start with its spec number {prefix}",
                         f"an ID starting {prefix}", shown)
            return None
        where = f"sheet '{self.table.name}' row {r}"
        if rid in self.seen:
            self.problem(r, col, "duplicate-id", f"requirement ID {rid} is already used on {self.seen[rid]}", "unique IDs", shown)
            return None
        self.seen[rid] = where
        return rid

    def klass(self, r: int, text: str) -> str | None:
        col = self.header.columns["class"]
        if col is None:  # no 実装区分 column: reported once at the header row, not again on every row
            return None
        if not text:
            self.problem(r, col, "missing-value", "no implementation class (実装区分)",
                         "実装必須, 標準オプション or 実装不可", "an empty cell")
            return None
        klass = self.cmap.classes.get(header_key(text))
        if klass is None:
            self.problem(r, col, "unknown-class", "unknown spelling of the implementation class (実装区分); "
                         "add it to the 'classes' table of a --columns file if it is one",
                         "実装必須, 標準オプション or 実装不可 (or a spelling from the column map)", repr(text))
        return klass


# -- the import -------------------------------------------------------------------------


@dataclass(frozen=True)
class SpecImport:
    """The outcome of an import: the catalogue to write and any warnings."""

    catalogue: dict[str, Any]
    """The catalogue document (valid for ``catalogue.schema.json``)."""
    sheets: tuple[tuple[str, str, int], ...]
    """(kind, sheet name, header row) of each table read."""
    warnings: tuple[Problem, ...] = ()


def import_spec(files: Sequence[Path], operation: Operation, version: str, *, published: str | None = None,
                columns: ColumnMap = DEFAULT_COLUMNS, title: str | None = None) -> SpecImport:
    """Read requirement tables from workbooks and CSV files into one catalogue.

    Raises :class:`~gapcheck.errors.InvalidInput` with every problem found
    when any file, sheet or row cannot be read.
    """
    tables = read_all_tables(files)
    located, problems = locate_tables(tables, columns)
    if problems:
        raise InvalidInput(problems)
    requirements: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for spec in columns.tables:
        if spec.kind not in located:
            continue
        table, header = located[spec.kind]
        missing = _missing_columns(table, header, spec)
        problems.extend(missing)
        reader = _Reader(table, header, spec, columns, operation, seen)
        rows = list(reader.rows())
        problems.extend(reader.problems)
        if not rows and not reader.problems and not any(p.severity == "error" for p in missing):
            problems.append(Problem(table.file, header.row, 1, "no-requirements", cell_ref(table.name, header.row, 1),
                                    f"no requirement rows under the header row of sheet '{table.name}'",
                                    "at least one requirement row", "none"))
        requirements.extend(rows)
    if any(p.severity == "error" for p in problems):
        raise InvalidInput(problems)
    doc: dict[str, Any] = {"gapcheck": "catalogue/1", "operation": operation.code, "version": version,
                           "title": title or operation.spec_title or operation.name}
    if published:
        doc["published"] = published
    if operation.prefix:
        doc["prefix"] = operation.prefix
    names = ", ".join(sorted({Path(p).name for p in files}))
    doc["source"] = f"{names} を gapcheck spec import で読み込み（加工して作成）"
    doc["requirements"] = requirements
    sheets = tuple((k, located[k][0].name, located[k][1].row) for k in ("function", "form") if k in located)
    return SpecImport(doc, sheets, tuple(problems))


def _missing_columns(table: Table, header: Header, spec: TableMap) -> list[Problem]:
    out = []
    for fld in ("title", "class"):
        if header.columns[fld] is None:
            spellings = "/".join(spec.columns[fld])
            out.append(Problem(table.file, header.row, 1, "xlsx-missing-column", cell_ref(table.name, header.row, 1),
                               f"the header row of sheet '{table.name}' has no {spellings} column",
                               f"a header cell {spellings}", first_words(Table(table.file, table.name, [table.rows[header.row - 1]]))))
    if header.columns["summary"] is None:  # importable, but a later version with text would look re-worded everywhere
        spellings = "/".join(spec.columns["summary"])
        out.append(Problem(table.file, header.row, 1, "xlsx-missing-column", cell_ref(table.name, header.row, 1),
                           f"the header row of sheet '{table.name}' has no {spellings} column: requirements are imported "
                           "without their text, and a later version with text will show every one as re-worded",
                           f"a header cell {spellings}", "none", severity="warning"))
    return out


# -- writing ------------------------------------------------------------------------------------


def catalogue_path(specs: Path, operation: str, version: str) -> Path:
    """Where the catalogue of ``operation`` at ``version`` lives: ``specs/<code>/<version>.yaml``."""
    return specs / operation / f"{version}.yaml"


def write_catalogue(result: SpecImport, path: Path, force: bool = False) -> bool:
    """Write the imported catalogue; an existing file with other content needs ``force``.

    Returns False when the file already held exactly this catalogue.
    Raises :class:`~gapcheck.errors.OutputExists` otherwise without ``force``,
    and :class:`~gapcheck.errors.InvalidInput` (writing nothing) if the YAML
    would not pass ``gapcheck validate`` (:func:`~gapcheck.vendor.yamldump.dump_checked`).
    """
    header = "# Imported by `gapcheck spec import`; edit the workbook and import again rather than this file.\n"
    return write_atomic(path, dump_checked(result.catalogue, "catalogue", display_path(path), header), overwrite=force)
