"""The text of a spreadsheet cell: as written, as an ID, as a number, as a header to compare, and its ``sheet!cell`` name.

Shared by the spec import (:mod:`gapcheck.vendor.specimport`), the inventory
import, the Fit & Gap worksheets and the workbooks gapcheck hands out
(:mod:`gapcheck.vendor.workbook`), with what makes a cell unusable whatever
column it is in (:func:`cell_problem`): a formula with no computed value, a
control character, more text than Excel holds.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from gapcheck.core.messages import Msg

EXCEL_CELL_LIMIT = 32767
"""The most characters an Excel cell holds; longer text is cut when Excel opens the file."""

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters no gapcheck YAML file may hold (tab, line feed and carriage return are text)."""


class Formula(str):
    """A formula cell whose workbook holds no computed value (saved by a program that does not calculate):
    empty text to every reader, and :func:`cell_problem` names it."""

    formula: str

    def __new__(cls, formula: str) -> Formula:  # noqa: PYI034 - a Formula, whatever subclass asks
        self = super().__new__(cls, "")
        self.formula = formula
        return self


def cell_problem(value: Any, from_xlsx: bool = False) -> tuple[str, Msg, Msg | str, Msg | str] | None:
    """Why a cell's value cannot be imported: (code, message, expected, found), or None when it can.

    ``from_xlsx``: the value was read by openpyxl, which cuts text at Excel's
    limit without a word, so a cell of exactly that length was probably cut.
    """
    if isinstance(value, Formula):
        shown = value.formula if len(value.formula) <= 40 else value.formula[:37] + "..."
        code = "xlsx-formula"
        return (code, Msg("xlsx-formula"), Msg("a-value"), Msg("the-formula", formula=repr(shown)))
    if not isinstance(value, str):
        return None
    if from_xlsx and len(value) == EXCEL_CELL_LIMIT:
        code = "cell-too-long"
        return (code, Msg("cell-at-limit", limit=EXCEL_CELL_LIMIT), Msg("fewer-than-chars", n=EXCEL_CELL_LIMIT),
                Msg("n-chars", n=len(value)))
    if len(value) > EXCEL_CELL_LIMIT:
        code = "cell-too-long"
        return (code, Msg("cell-over-limit", n=len(value), limit=EXCEL_CELL_LIMIT), Msg("at-most-chars", n=EXCEL_CELL_LIMIT),
                Msg("n-chars", n=len(value)))
    control = CONTROL.search(value)
    if control is not None:
        char = f"U+{ord(control.group(0)):04X}"
        code = "control-character"
        return (code, Msg("control-character-cell", char=char), Msg("printable-text"), char)
    return None


def workbook_kind(path: Path) -> str | None:
    """What an OLE compound file is, from its bytes: ``"encrypted"`` (a password-protected .xlsx is stored
    that way) or ``"xls"`` (Excel 97-2003); None for anything else."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            if head != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
                return None
            data = fh.read(4 * 1024 * 1024)
    except OSError:
        return None
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return "encrypted"
    return "xls"


def formula_cells(path: Path, workbook: Any) -> dict[tuple[str, int, int], str]:
    """(sheet, row, column) -> formula of every formula cell without a computed value in ``workbook``
    (loaded with ``data_only=True`` from ``path``); only read again when the file holds formulas at all."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            if not any(re.search(rb"<(?:\w+:)?f[\s>/]", z.read(n)) for n in sheets):
                return {}
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return {}
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        formulas = openpyxl.load_workbook(path, data_only=False)
    found: dict[tuple[str, int, int], str] = {}
    for ws in formulas.worksheets:
        values = workbook[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                r, c = int(cell.row or 0), int(cell.column or 0)  # always set on a cell of a loaded sheet
                if cell.data_type == "f" and values.cell(r, c).value is None:
                    found[(ws.title, r, c)] = str(cell.value)
    formulas.close()
    return found


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
        return str(value.isoformat())[:10]
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
    The result is not checked: see :data:`~gapcheck.specimport.SEVEN`.
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell_text(value)))
    if text.isascii() and text.isdigit() and len(text) in (5, 6) and not text.startswith("0"):
        text = text.zfill(7)
    return text


def local_id(value: Any) -> str:
    """The text of a local ID cell (an inventory item's 管理番号): a number as written (``101``, not ``101.0``),
    full-width characters folded (NFKC), spaces removed; not padded, not checked."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell_text(value)))


NONE_MARKS = {"-", "ー", "―", "—", "－", "なし"}
"""Cells that say "none" in a number column (after NFKC)."""


def cell_number(value: Any, whole: bool) -> tuple[int | float | None, str | None]:
    """(number, None) of a number cell, (None, None) when empty or a dash, (None, the text) when it is not a number 0 or more.

    Numbers stored as text are read with full-width digits, thousands
    separators and a unit (``1,200件``, ``８０時間``); ``whole`` refuses fractions.
    """
    if isinstance(value, bool):
        return None, str(value)
    if isinstance(value, (int, float)):
        number: float = value
    else:
        text = re.sub(r"[\s,]", "", unicodedata.normalize("NFKC", cell_text(value)))
        if not text or text in NONE_MARKS:
            return None, None
        m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)(?:件|時間|h|時)?", text)
        if m is None:
            return None, cell_text(value)
        number = float(m.group(1))
    if number < 0 or number != number or (whole and not float(number).is_integer()):
        return None, cell_text(value)
    return (int(number) if float(number).is_integer() else float(number)), None


def cell_ref(sheet: str, row: int, col: int) -> str:
    """``機能要件!C12``; sheet names with spaces or symbols are quoted as Excel does."""
    from openpyxl.utils import get_column_letter

    name = sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{get_column_letter(col)}{row}"
