"""The workbooks gapcheck hands to people to fill in, and reading them back.

Shared by the Fit & Gap worksheet (:mod:`gapcheck.vendor.worksheet_template`,
:mod:`gapcheck.vendor.worksheet_import`), the inventory template and the plan
workbook.  Writing: one header row of known columns, rows of values (dates as
real Excel dates, text neutralised so that it cannot run as a formula),
drop-downs, and bytes that depend on the content only.  Reading: the sheet's
cells by header, text as written (free text exactly, leading spaces and line
breaks kept), dates in the forms people type, and every cell read checked on
the way (:func:`~gapcheck.vendor.cells.cell_problem`: a formula with no
computed value, a control character, more text than Excel holds); an
encrypted workbook is refused as such.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gapcheck.core.dates import is_real_date
from gapcheck.core.errors import Problem
from gapcheck.core.messages import Msg
from gapcheck.core.output import FORMULA, neutralise_cell
from gapcheck.loading.files import read_head
from gapcheck.vendor.cells import Formula, cell_problem, cell_ref, cell_text, formula_cells, header_key, workbook_kind

FIXED_TIME = "2000-01-01T00:00:00Z"
"""Timestamp written into every workbook, so that the same content gives the same bytes."""

Column = tuple[str, str, int]
"""(key, header text, width; 0 leaves Excel's width) of one column."""

INPUT_FILL = "FFF2CC"
"""Fill of the header cells of the columns people fill in."""

_FORMULA = re.compile(FORMULA)

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters a worksheet cannot hold (dropped when writing)."""


def cell_value(value: Any) -> Any:
    """What goes into a cell: no formula (:func:`~gapcheck.output.neutralise_cell`), no illegal control character.

    Text that already starts with an apostrophe gets one more, so that
    :func:`unneutralise` gives back exactly the text written.
    """
    if not isinstance(value, str):
        return value
    value = _ILLEGAL.sub("", value)
    return "'" + value if value.startswith("'") else neutralise_cell(value)


def unneutralise(text: str) -> str:
    """Undo :func:`cell_value`: ``'=x`` is ``=x`` again, ``'\\r=x`` is ``\\r=x``, ``''x`` is ``'x``."""
    if text.startswith("'") and (text[1:2] == "'" or _FORMULA.match(text, 1)):
        return text[1:]
    return text


# -- writing ----------------------------------------------------------------------------------


def write_sheet(ws: Any, columns: Sequence[Column], rows: Iterable[dict[str, Any]],
                date_keys: frozenset[str] | set[str] = frozenset()) -> None:
    """Header row 1 from ``columns``, then one row per dict (keyed like the columns); empty values stay empty cells."""
    from openpyxl.utils import get_column_letter

    for c, (_, header, width) in enumerate(columns, 1):
        ws.cell(1, c, header)
        if width:
            ws.column_dimensions[get_column_letter(c)].width = width
    for r, row in enumerate(rows, 2):
        for c, (key, _, _) in enumerate(columns, 1):
            value = row.get(key, "")
            if value in ("", None):
                continue
            if key in date_keys and isinstance(value, str) and is_real_date(value):
                cell = ws.cell(r, c, dt.date.fromisoformat(value))
                cell.number_format = "yyyy-mm-dd"
            else:
                ws.cell(r, c, cell_value(value))


def style_header(ws: Any, columns: Sequence[Column], inputs: Iterable[str], autofilter: bool = False) -> None:
    """Bold, wrapped header cells, the input columns' headers filled, the header row frozen (and an autofilter)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    fill = PatternFill("solid", fgColor=INPUT_FILL)
    wanted = set(inputs)
    for c, (key, _, _) in enumerate(columns, 1):
        cell = ws.cell(1, c)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if key in wanted:
            cell.fill = fill
    ws.freeze_panes = "A2"
    if autofilter:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(ws.max_row, 2)}"


def protect(ws: Any, columns: Sequence[Column], inputs: Iterable[str]) -> None:
    """Lock every cell but those of the input columns (their filled rows, and by the column's style every row below).

    Sheet protection without a password (校閲 > シート保護の解除 lifts it) that
    still allows filtering, sorting, inserting and deleting rows and resizing
    columns: read-only columns (IDs, requirement text) cannot be overwritten by mistake.
    """
    from openpyxl.styles import Protection
    from openpyxl.utils import get_column_letter

    unlocked = Protection(locked=False)
    wanted = set(inputs)
    for c, (key, _, _) in enumerate(columns, 1):
        if key in wanted:
            ws.column_dimensions[get_column_letter(c)].protection = unlocked  # rows a person adds later
            for r in range(2, ws.max_row + 1):
                ws.cell(r, c).protection = unlocked
    p = ws.protection
    p.sheet = True
    p.autoFilter = p.sort = p.insertRows = p.deleteRows = p.formatColumns = p.formatRows = False


def guide_sheet(wb: Any, title: str, lines: Sequence[str]) -> None:
    """A sheet of instructions, one line per row, wide enough to read."""
    ws = wb.create_sheet(title)
    ws.column_dimensions["A"].width = 110
    for line in lines:
        ws.append([line])


def column_letters(columns: Sequence[Column]) -> dict[str, str]:
    """Column key -> its letter (``A``, ``B``, ...)."""
    from openpyxl.utils import get_column_letter

    return {key: get_column_letter(i) for i, (key, _, _) in enumerate(columns, 1)}


def drop_down(ws: Any, cells: str, choices: Sequence[str] | str, title: str = "", error: str = "",
              strict: bool = True) -> None:
    """A list drop-down over ``cells`` (``D2:D201``): the given choices, or a range formula such as ``'シート'!$A$2:$A$9``.

    ``strict`` makes Excel refuse other values (with ``error`` as its message).
    """
    from openpyxl.worksheet.datavalidation import DataValidation

    formula = choices if isinstance(choices, str) else '"' + ",".join(choices) + '"'
    rule = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=strict,
                          errorTitle=title or None, error=error or None)
    rule.add(cells)
    ws.add_data_validation(rule)


def number_check(ws: Any, cells: str, whole: bool, title: str = "") -> None:
    """Excel refuses anything but a number 0 or more (a whole one with ``whole``) in ``cells``."""
    from openpyxl.worksheet.datavalidation import DataValidation

    rule = DataValidation(type="whole" if whole else "decimal", operator="greaterThanOrEqual", formula1="0",
                          allow_blank=True, showErrorMessage=True, errorTitle=title or None,
                          error="0 以上の整数を入力してください。" if whole else "0 以上の数値を入力してください。")
    rule.add(cells)
    ws.add_data_validation(rule)


def stable_bytes(wb: Any) -> bytes:
    """Save a workbook with fixed timestamps (document properties and zip entries)."""
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_TIME.encode(), data)
            entry = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()


def too_long(shown: str, sheet: str, columns: Sequence[Column], rows: Iterable[dict[str, Any]],
             what: Sequence[str] = ("requirement", "item")) -> list[Problem]:
    """A ``cell-too-long`` problem (``shown``, ``sheet!cell``) for each value longer than an Excel cell holds:
    Excel would cut it without a word.  ``what``: the keys that name a row (its ID) in the message."""
    from gapcheck.vendor.cells import EXCEL_CELL_LIMIT

    problems = []
    for r, row in enumerate(rows, 2):
        for c, (key, header, _) in enumerate(columns, 1):
            value = row.get(key)
            if isinstance(value, str) and len(cell_value(value)) > EXCEL_CELL_LIMIT:
                name = next((str(row[k]) for k in what if row.get(k)), Msg("row-n", row=r))
                problems.append(Problem(shown, r, c, "cell-too-long", cell_ref(sheet, r, c),
                                        Msg("cell-too-long-yaml", header=header, name=name, n=len(value), limit=EXCEL_CELL_LIMIT),
                                        Msg("at-most-chars", n=EXCEL_CELL_LIMIT), Msg("n-chars", n=len(value))))
    return problems


# -- reading ----------------------------------------------------------------------------------


def open_workbook(path: Path, shown: str) -> tuple[Any, list[Problem]]:
    """The workbook at ``path`` (values, not formulas), or None and the problem why it cannot be read."""
    import openpyxl

    head, refused = read_head(path, shown, 4)  # a regular file within the input limit, or nothing is read
    if head is None:
        return None, [refused] if refused is not None else []
    if workbook_kind(path) == "encrypted":
        return None, [Problem(shown, 0, 0, "xlsx-encrypted", "$", Msg("xlsx-encrypted"), Msg("a-workbook-without-password"),
                              Msg("an-encrypted-workbook"))]
    if not head.startswith(b"PK"):
        return None, [Problem(shown, 0, 0, "xlsx-not-a-workbook", "$", Msg("xlsx-not-a-workbook"), Msg("an-xlsx-workbook"),
                              Msg("not-a-zip"))]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=True), []
    except Exception as exc:  # noqa: BLE001 - zip and XML errors of every kind
        return None, [Problem(shown, 0, 0, "xlsx-not-a-workbook", "$", Msg("xlsx-not-a-workbook"), Msg("an-xlsx-workbook"),
                              Msg("damaged-file", why=type(exc).__name__))]


@dataclass
class Sheet:
    """A worksheet's cells with the column of each known header; the problems of the cells read so far."""

    file: str
    name: str
    rows: list[list[Any]]
    columns: dict[str, int]
    problems: list[Problem] = field(default_factory=list)
    """A problem for each cell read that cannot be imported (:func:`~gapcheck.vendor.cells.cell_problem`)."""
    bad_rows: set[int] = field(default_factory=set)
    """Rows with such a cell: an importer reads them no further (no second problem for the same cell)."""
    _checked: set[tuple[int, int]] = field(default_factory=set)

    def get(self, row: int, key: str) -> Any:
        col = self.columns.get(key)
        if col is None:
            return None
        cells = self.rows[row - 1]
        value = cells[col - 1] if col <= len(cells) else None
        if (row, col) not in self._checked:
            self._checked.add((row, col))
            problem = cell_problem(value, from_xlsx=True)
            if problem is not None:
                self.problems.append(Problem(self.file, row, col, problem[0], cell_ref(self.name, row, col), *problem[1:]))
                self.bad_rows.add(row)
        return value

    def text(self, row: int, key: str, exact: bool = False) -> str:
        """The cell's text (:func:`~gapcheck.vendor.cells.cell_text`); ``exact``: as written, leading spaces and
        line breaks (CR and LF) kept, for notes; a cell of white space only is empty either way."""
        value = self.get(row, key)
        if exact and isinstance(value, str):
            return unneutralise(value) if value.strip() else ""
        return unneutralise(cell_text(value))

    def ref(self, row: int, key: str) -> tuple[int, str]:
        col = self.columns.get(key, 1)
        return col, cell_ref(self.name, row, col)

    def problem(self, row: int, key: str, code: str, message: str, expected: str | None, found: str | None) -> Problem:
        """A problem at the cell of column ``key`` in ``row`` (``sheet!cell``)."""
        col, ref = self.ref(row, key)
        return Problem(self.file, row, col, code, ref, message, expected, found)

    def missing_columns(self, columns: Sequence[Column], required: Iterable[str]) -> list[Problem]:
        """An ``xlsx-missing-column`` problem for each required column whose header is not in row 1."""
        headers = {key: header for key, header, _ in columns}
        return [Problem(self.file, 1, 1, "xlsx-missing-column", cell_ref(self.name, 1, 1),
                        Msg("sheet-no-column", sheet=self.name, header=headers[key]), Msg("a-header-cell-quoted", header=headers[key]),
                        Msg("found-none"))
                for key in required if key not in self.columns]


def read_sheet(wb: Any, file: str, name: str, columns: Sequence[Column],
               formulas: dict[tuple[str, int, int], str] | None = None) -> Sheet | None:
    """The sheet ``name`` with the column of each header of ``columns`` found in row 1; None when there is no such sheet.

    ``formulas`` (:func:`read_sheets` finds them) are the formula cells without a computed value: they read as
    :class:`~gapcheck.vendor.cells.Formula`.
    """
    if name not in wb.sheetnames:
        return None
    rows = [list(r) for r in wb[name].iter_rows(values_only=True)]
    for (sheet, r, c), formula in (formulas or {}).items():
        if sheet == name:
            rows[r - 1][c - 1] = Formula(formula)
    headers = [header_key(c) for c in (rows[0] if rows else [])]
    cols = {}
    for key, header, _ in columns:
        if header_key(header) in headers:
            cols[key] = headers.index(header_key(header)) + 1
    return Sheet(file, name, rows, cols)


def read_sheets(path: Path, wb: Any, file: str, layouts: dict[str, Sequence[Column]]) -> dict[str, Sheet | None]:
    """Every sheet of ``layouts`` (name -> columns) of the workbook ``wb`` read from ``path``, formula cells without
    a computed value marked."""
    formulas = formula_cells(path, wb)
    return {name: read_sheet(wb, file, name, cols, formulas) for name, cols in layouts.items()}


def sheet_problems(sheets: dict[str, Sheet | None]) -> list[Problem]:
    """The problems of the cells read in ``sheets``."""
    return [p for sheet in sheets.values() if sheet is not None for p in sheet.problems]


def cell_date(value: Any) -> tuple[str | None, str | None]:
    """(ISO date, None) of a date cell, (None, None) when empty, (None, the text) when it is not a real date.

    Excel dates, ``2026-03-31``, ``2026/3/31`` and ``2026.3.31`` (full-width digits too) are dates.
    """
    if value in (None, ""):
        return None, None
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10], None
    text = unicodedata.normalize("NFKC", cell_text(value))
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    iso = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else text
    if not m or not is_real_date(iso):
        return None, text
    return iso, None
