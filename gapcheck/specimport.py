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
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Sequence

import yaml

from .errors import InvalidInput, Problem
from .loader import display_path
from .model import Operation
from .output import write_atomic

FIELDS = ("id", "title", "summary", "class", "reason", "note")
"""The columns of a requirement table besides the category levels."""

CLASS_JA = {"mandatory": "実装必須", "optional": "標準オプション", "forbidden": "実装不可"}

DEFAULT_CLASSES: dict[str, str] = {
    "実装必須": "実装必須", "実装必須機能": "実装必須", "実装必須帳票": "実装必須", "必須": "実装必須",
    "標準オプション": "標準オプション", "標準オプション機能": "標準オプション", "標準オプション帳票": "標準オプション",
    "オプション": "標準オプション",
    "実装不可": "実装不可", "実装不可機能": "実装不可", "実装不可帳票": "実装不可",
    "mandatory": "実装必須", "optional": "標準オプション", "forbidden": "実装不可",
}
"""Spellings of 実装区分 seen in the lists, keyed by their :func:`header_key` form."""

NOTE_ROW = re.compile(r"(※|\*|注\s*[0-9:)]|\(注)")
"""How a note row under a table starts (after NFKC): ※, *, 注1, 注:, (注)."""
from .ids import ID_EXPECTED, normalise_id  # noqa: E402  (one definition of what an ID is)
SEVEN = re.compile(r"[0-9]{7}\Z")


@dataclass(frozen=True)
class TableMap:
    """Where one requirement table (functions or forms) is and how its columns are headed."""

    kind: str
    """``function`` (機能要件) or ``form`` (帳票要件)."""
    label: str
    """How people call the table, e.g. 機能要件."""
    columns: dict[str, tuple[str, ...]]
    """Field (``id``, ``title``, ``summary``, ``class``, ``reason``, ``note``) -> accepted header spellings."""
    category: tuple[tuple[str, ...], ...]
    """Header spellings of the category levels (大項目, 中項目, 小項目), top level first."""
    sheet: str | None = None
    """Exact sheet name; None: the sheet whose header row holds the ID header."""
    sheet_hint: str = ""
    """A word in the sheet name that tells which sheet was meant when no header is found."""
    required: bool = True
    """Whether an import without this table is an error."""


@dataclass(frozen=True)
class ColumnMap:
    """The column map: the two tables and the class spellings."""

    functions: TableMap
    forms: TableMap
    classes: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CLASSES))
    """Spelling (in :func:`header_key` form) -> 実装必須, 標準オプション or 実装不可."""
    header_search_rows: int = 30
    """How many rows from the top are searched for the header row."""

    @property
    def tables(self) -> tuple[TableMap, TableMap]:
        return (self.functions, self.forms)


DEFAULT_COLUMNS = ColumnMap(
    functions=TableMap(
        "function", "機能要件",
        {"id": ("機能ID", "機能要件ID"), "title": ("機能名称", "機能名"), "summary": ("機能要件", "要件"),
         "class": ("実装区分",), "reason": ("要件の考え方・理由", "考え方・理由"), "note": ("備考",)},
        (("大項目",), ("中項目",), ("小項目",)), sheet_hint="機能", required=True),
    forms=TableMap(
        "form", "帳票要件",
        {"id": ("帳票ID", "帳票要件ID"), "title": ("帳票名称", "帳票名"), "summary": ("帳票の要件", "帳票要件", "概要"),
         "class": ("実装区分",), "reason": ("要件の考え方・理由", "考え方・理由"), "note": ("備考",)},
        (("大項目",), ("中項目",), ("小項目",)), sheet_hint="帳票", required=False),
)
"""The headers of DOMAIN.md; a user's ``--columns`` file overrides any part of it."""


# -- text -----------------------------------------------------------------------------


def header_key(text: Any) -> str:
    """The comparison form of a header or class cell: NFKC, no white space, case-folded."""
    if text is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).casefold()


def cell_text(value: Any, one_line: bool = False) -> str:
    """A cell's text: numbers as written, line breaks kept (or joined), outer spaces gone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    lines = [ln.strip() for ln in text.split("\n")]
    if one_line:
        return "".join(lines)
    return "\n".join(lines).strip("\n")


def cell_id(value: Any) -> str:
    """The normalised requirement ID in a cell.

    Full-width digits and spaces are folded; a number that lost its leading
    zeros (5 or 6 digits not starting with 0, as Excel stores ``0230265``)
    is padded to 7 digits.
    The result is not checked: see :data:`SEVEN`.
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell_text(value)))
    if text.isascii() and text.isdigit() and len(text) in (5, 6) and not text.startswith("0"):
        text = text.zfill(7)
    return text


def cell_ref(sheet: str, row: int, col: int) -> str:
    """``機能要件!C12``; sheet names with spaces or symbols are quoted as Excel does."""
    from openpyxl.utils import get_column_letter

    name = sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{get_column_letter(col)}{row}"


# -- reading files --------------------------------------------------------------------


@dataclass
class Table:
    """One sheet (or CSV file) as rows of raw values, 1-based like a spreadsheet."""

    file: str
    """The file as shown in problems."""
    name: str
    """Sheet name (for a CSV: the file name without extension, as Excel shows it)."""
    rows: list[list[Any]]
    merged: dict[tuple[int, int], Any] = field(default_factory=dict)
    """(row, column) -> value of the vertical merge covering that cell (not its top cell)."""

    def value(self, row: int, col: int | None, fill_merged: bool = True) -> Any:
        if col is None:
            return None
        cells = self.rows[row - 1]
        v = cells[col - 1] if col <= len(cells) else None
        if v is None and fill_merged:
            v = self.merged.get((row, col))
        return v


def read_tables(path: Path) -> tuple[list[Table], list[Problem]]:
    """The sheets of a workbook, or the one table of a CSV file."""
    shown = display_path(path)
    try:
        head = path.read_bytes()[:8]
    except FileNotFoundError:
        return [], [Problem(shown, 0, 0, "file-missing", "$", "file does not exist", "a readable file", "nothing")]
    except IsADirectoryError:
        return [], [Problem(shown, 0, 0, "file-missing", "$", "is a directory, not a file", "a readable file", "a directory")]
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path, shown, "\t" if suffix == ".tsv" else ",")
    if suffix in (".xlsx", ".xlsm") or head.startswith(b"PK"):
        return _read_xlsx(path, shown, head)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return [], [Problem(shown, 0, 0, "xlsx-not-a-workbook", "$", "an old Excel 97-2003 (.xls) file; save it as .xlsx first",
                            "an .xlsx workbook or a CSV file", "an .xls file")]
    return _read_csv(path, shown, ",")


def _read_xlsx(path: Path, shown: str, head: bytes) -> tuple[list[Table], list[Problem]]:
    import openpyxl

    if head.startswith(b"\xd0\xcf\x11\xe0"):
        found = "an old Excel 97-2003 (.xls) file; save it as .xlsx"
    elif not head.startswith(b"PK"):
        found = "not a zip archive"
    else:
        found = ""
    if not found:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wb = openpyxl.load_workbook(path, data_only=True)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            found = f"a damaged or truncated zip archive ({exc})"
        except (KeyError, ValueError, TypeError, OSError, IndexError, AttributeError) as exc:
            found = f"a zip archive that is not an Excel workbook ({type(exc).__name__}: {exc})"
        except Exception as exc:  # openpyxl raises many types on broken XML  # noqa: BLE001
            found = f"an unreadable workbook ({type(exc).__name__}: {exc})"
    if found:
        return [], [Problem(shown, 0, 0, "xlsx-not-a-workbook", "$", "not a readable Excel workbook",
                            "an .xlsx workbook", found)]
    tables = []
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        merged: dict[tuple[int, int], Any] = {}
        for rng in ws.merged_cells.ranges:
            if rng.max_row > rng.min_row:
                top = ws.cell(rng.min_row, rng.min_col).value
                for r in range(rng.min_row + 1, rng.max_row + 1):
                    merged[(r, rng.min_col)] = top
        tables.append(Table(shown, ws.title, rows, merged))
    wb.close()
    return tables, []


def decode_csv(raw: bytes) -> tuple[str | None, tuple[int, int]]:
    """CSV text from UTF-8 (with or without BOM) or Shift_JIS/CP932.

    Returns (text, (0, 0)), or (None, (first bad byte, its line)) when neither decodes.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), (0, 0)
    except UnicodeDecodeError as exc:
        pos = exc.start
    try:
        return raw.decode("cp932"), (0, 0)
    except UnicodeDecodeError:
        pass
    return None, (raw[pos], raw[:pos].count(b"\n") + 1)


def _read_csv(path: Path, shown: str, delimiter: str) -> tuple[list[Table], list[Problem]]:
    text, (byte, line) = decode_csv(path.read_bytes())
    if text is None:
        return [], [Problem(shown, line, 0, "csv-encoding", "$", "cannot decode the CSV file as UTF-8 or Shift_JIS/CP932",
                            "UTF-8 (with or without BOM) or Shift_JIS/CP932 text", f"byte 0x{byte:02x} on line {line}")]
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return [Table(shown, path.stem, rows)], []


# -- finding the table ------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """The header row of a table and the column of each field (1-based; None when absent)."""

    row: int
    columns: dict[str, int | None]
    category: tuple[int | None, ...]


def find_header(table: Table, spec: TableMap, search_rows: int) -> Header | None:
    """The first row holding the ID header and the title or class header."""
    wanted = {f: {header_key(s) for s in spec.columns.get(f, ())} for f in FIELDS}
    levels = [{header_key(s) for s in spellings} for spellings in spec.category]
    for r, cells in enumerate(table.rows[:search_rows], 1):
        keys = [header_key(c) for c in cells]
        cols = {f: next((i + 1 for i, k in enumerate(keys) if k and k in wanted[f]), None) for f in FIELDS}
        if cols["id"] is None or (cols["title"] is None and cols["class"] is None):
            continue
        if cols["summary"] == cols["title"]:
            cols["summary"] = None
        cat = tuple(next((i + 1 for i, k in enumerate(keys) if k and k in lv), None) for lv in levels)
        return Header(r, cols, cat)
    return None


def _sheet_list(tables: Sequence[Table]) -> str:
    return ", ".join(repr(t.name) for t in tables) or "none"


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
                                        f"a sheet '{spec.sheet}'", "sheets " + _sheet_list(tables)))
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
                                    f"a {spec.label} sheet", "sheets " + _sheet_list(tables)))
        else:
            problems.append(_no_header(tables[0], spec, cmap))
    return found, problems


def _no_header(table: Table, spec: TableMap, cmap: ColumnMap) -> Problem:
    ids = "/".join(spec.columns["id"])
    others = "/".join(spec.columns["title"] + spec.columns["class"])
    return Problem(table.file, 1, 1, "xlsx-no-header", cell_ref(table.name, 1, 1),
                   f"no header row in the first {cmap.header_search_rows} rows of sheet '{table.name}' ({spec.label})",
                   f"a row with the headers {ids} and {others}", _first_words(table))


def _first_words(table: Table) -> str:
    for cells in table.rows[:5]:
        words = [cell_text(c, True) for c in cells if cell_text(c, True)]
        if words:
            return "first row " + ", ".join(repr(w[:20]) for w in words[:4])
    return "an empty sheet"


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
        self.carry(cats)
        rid = self.requirement_id(r, raw_id)
        klass = self.klass(r, values["class"])
        if not values["title"]:
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
    problems: list[Problem] = []
    tables: list[Table] = []
    for path in files:
        t, p = read_tables(Path(path))
        tables.extend(t)
        problems.extend(p)
    if problems:
        raise InvalidInput(problems)
    located, problems = locate_tables(tables, columns)
    if problems:
        raise InvalidInput(problems)
    requirements: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for spec in columns.tables:
        if spec.kind not in located:
            continue
        table, header = located[spec.kind]
        problems.extend(_missing_columns(table, header, spec))
        reader = _Reader(table, header, spec, columns, operation, seen)
        rows = list(reader.rows())
        problems.extend(reader.problems)
        if not rows and not reader.problems:
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
                               f"a header cell {spellings}", _first_words(Table(table.file, table.name, [table.rows[header.row - 1]]))))
    if header.columns["summary"] is None:  # importable, but a later version with text would look re-worded everywhere
        spellings = "/".join(spec.columns["summary"])
        out.append(Problem(table.file, header.row, 1, "xlsx-missing-column", cell_ref(table.name, header.row, 1),
                           f"the header row of sheet '{table.name}' has no {spellings} column: requirements are imported "
                           "without their text, and a later version with text will show every one as re-worded",
                           f"a header cell {spellings}", "none", severity="warning"))
    return out


# -- the column map file ----------------------------------------------------------------------

_SPELLINGS = {"oneOf": [{"type": "string", "minLength": 1},
                        {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}],
              "x-expected": "a header text or a list of header texts"}
_TABLE_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "sheet": {"type": "string", "minLength": 1},
        "sheet_hint": {"type": "string"},
        "required": {"type": "boolean"},
        "columns": {"type": "object", "additionalProperties": False,
                    "properties": {**{f: _SPELLINGS for f in FIELDS},
                                   "category": {"type": "array", "maxItems": 3, "items": _SPELLINGS,
                                                "x-expected": "up to three headers [大項目, 中項目, 小項目]"}}},
    },
}
COLUMNS_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "additionalProperties": False,
    "properties": {
        "gapcheck": {"const": "columns/1", "x-expected": "'columns/1'"},
        "functions": _TABLE_SCHEMA,
        "forms": _TABLE_SCHEMA,
        "classes": {"type": "object",
                    "additionalProperties": {"enum": ["実装必須", "標準オプション", "実装不可", "mandatory", "optional", "forbidden"],
                                             "x-expected": "実装必須, 標準オプション or 実装不可"}},
        "header_search_rows": {"type": "integer", "minimum": 1},
    },
}


def load_column_map(path: Path) -> ColumnMap:
    """The default column map overridden by the YAML file at ``path``.

    Raises :class:`~gapcheck.errors.InvalidInput` for a file that cannot be
    read or does not follow :data:`COLUMNS_SCHEMA`.
    """
    import jsonschema

    from . import schema, yamlio

    doc, problems = yamlio.load(path, display_path(path))
    if doc is not None:
        for error in jsonschema.Draft202012Validator(COLUMNS_SCHEMA).iter_errors(doc.data):
            problems.extend(schema._problems(doc, error))
    if doc is None or any(p.severity == "error" for p in problems):
        raise InvalidInput(problems)
    return merge_column_map(DEFAULT_COLUMNS, doc.data)


def _spellings(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def merge_column_map(base: ColumnMap, data: dict[str, Any]) -> ColumnMap:
    """``base`` with the parts given in ``data`` (a column map document) replaced."""
    tables = {}
    for key in ("functions", "forms"):
        spec: TableMap = getattr(base, key)
        over = data.get(key) or {}
        cols = dict(spec.columns)
        category = spec.category
        for fld, value in (over.get("columns") or {}).items():
            if fld == "category":
                category = tuple(_spellings(v) for v in value)
            else:
                cols[fld] = _spellings(value)
        tables[key] = replace(spec, columns=cols, category=category, sheet=over.get("sheet", spec.sheet),
                              sheet_hint=over.get("sheet_hint", spec.sheet_hint), required=over.get("required", spec.required))
    classes = dict(base.classes)
    for spelling, klass in (data.get("classes") or {}).items():
        classes[header_key(spelling)] = CLASS_JA.get(klass, klass)
    return ColumnMap(tables["functions"], tables["forms"], classes,
                     data.get("header_search_rows", base.header_search_rows))


# -- writing ------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block-style YAML that quotes every ID, version and date and keeps line breaks readable."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if re.fullmatch(r"[0-9][0-9.:\-]*", value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Any, header: str = "") -> str:
    """A gapcheck YAML document: IDs, versions and dates quoted, Japanese as is."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
    return header + body


def catalogue_path(specs: Path, operation: str, version: str) -> Path:
    """Where the catalogue of ``operation`` at ``version`` lives: ``specs/<code>/<version>.yaml``."""
    return specs / operation / f"{version}.yaml"


def write_catalogue(result: SpecImport, path: Path, force: bool = False) -> bool:
    """Write the imported catalogue; an existing file with other content needs ``force``.

    Returns False when the file already held exactly this catalogue.
    Raises :class:`~gapcheck.errors.OutputExists` otherwise without ``force``.
    """
    header = "# Imported by `gapcheck spec import`; edit the workbook and import again rather than this file.\n"
    return write_atomic(path, dump_yaml(result.catalogue, header), overwrite=force)
