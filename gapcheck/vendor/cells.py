"""The text of a spreadsheet cell: as written, as an ID, as a number, as a header to compare, and its ``sheet!cell`` name.

Shared by the spec import (:mod:`gapcheck.vendor.specimport`), the inventory
import and the workbooks gapcheck hands out (:mod:`gapcheck.vendor.workbook`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any


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
