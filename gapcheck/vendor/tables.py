"""Tables: the sheets of an .xlsx workbook, or one CSV file, as rows of raw cell values.

A CSV file may be UTF-8 (with or without BOM) or Shift_JIS/CP932, one of
them throughout: a byte that is not text of the file's encoding is
``csv-encoding``, UTF-8 Japanese inside a CP932 file ``csv-mixed-encoding``
(both with the first such line).  A file that cannot be read is a
:class:`~gapcheck.errors.Problem` (``file-missing``, ``xlsx-not-a-workbook``,
``xlsx-encrypted``, ``csv-encoding``), never an exception.  A formula cell
with no computed value reads as :class:`~gapcheck.vendor.cells.Formula`.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gapcheck.core.errors import Problem
from gapcheck.core.paths import display_path
from gapcheck.vendor.cells import Formula, formula_cells, workbook_kind


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
    from_xlsx: bool = False
    """Read from a workbook (whose reader cuts text at Excel's cell limit), not a CSV file."""

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
    kind = workbook_kind(path)
    if kind == "encrypted":
        return [], [encrypted_problem(shown)]
    if suffix in (".xlsx", ".xlsm") or head.startswith(b"PK"):
        return _read_xlsx(path, shown, head)
    if kind == "xls":
        return [], [Problem(shown, 0, 0, "xlsx-not-a-workbook", "$", "an old Excel 97-2003 (.xls) file; save it as .xlsx first",
                            "an .xlsx workbook or a CSV file", "an .xls file")]
    return _read_csv(path, shown, ",")


def encrypted_problem(shown: str) -> Problem:
    return Problem(shown, 0, 0, "xlsx-encrypted", "$", "the workbook is encrypted (password-protected): gapcheck cannot "
                   "read it; save a copy without a password", "a workbook without a password", "an encrypted workbook")


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
    formulas = formula_cells(path, wb)
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        for (sheet, r, c), formula in formulas.items():
            if sheet == ws.title:
                rows[r - 1][c - 1] = Formula(formula)
        merged: dict[tuple[int, int], Any] = {}
        for rng in ws.merged_cells.ranges:
            if rng.max_row > rng.min_row:
                top = ws.cell(rng.min_row, rng.min_col).value
                for r in range(rng.min_row + 1, rng.max_row + 1):
                    merged[(r, rng.min_col)] = top
        tables.append(Table(shown, ws.title, rows, merged, from_xlsx=True))
    wb.close()
    return tables, []


def _decode(raw: bytes) -> str:
    raw = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp932")


_UTF8_JAPANESE = re.compile(rb"(?:\xe3[\x80-\x83][\x80-\xbf]|[\xe4-\xe9][\x80-\xbf]{2}|\xef[\xbc-\xbf][\x80-\xbf]){2,}")
"""Two or more Japanese letters in UTF-8 (kana, kanji, full-width forms): in a file that reads as CP932 they are
text pasted from elsewhere, and would import as mojibake (UTF-8 介護保険 reads as CP932 莉玖ｭｷ菫晞匱 without error)."""


def csv_encoding_problem(raw: bytes, shown: str) -> Problem | None:
    """Why the bytes of a CSV file are not all text of one encoding (UTF-8, or Shift_JIS/CP932), or None."""
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        body.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        utf8_bad = exc.start
    try:
        body.decode("cp932")
    except UnicodeDecodeError as exc:
        pos, enc = (exc.start, "Shift_JIS/CP932") if exc.start > utf8_bad else (utf8_bad, "UTF-8")
        line = body[:pos].count(b"\n") + 1
        return Problem(shown, line, 0, "csv-encoding", "$",
                       f"cannot decode the CSV file as UTF-8 or Shift_JIS/CP932 (it reads as {enc} up to line {line})",
                       "UTF-8 (with or without BOM) or Shift_JIS/CP932 text",
                       f"byte 0x{body[pos]:02x} on line {line}")
    mixed = _UTF8_JAPANESE.search(body)
    if mixed is None:
        return None
    line = body[: mixed.start()].count(b"\n") + 1
    return Problem(shown, line, 0, "csv-mixed-encoding", "$",
                   f"the file is Shift_JIS/CP932 but line {line} holds UTF-8 text "
                   f"({mixed.group(0).decode('utf-8')[:10]!r}), which would import as mojibake "
                   f"({mixed.group(0).decode('cp932', 'replace')[:10]!r}); save the whole file in one encoding",
                   "text in one encoding", f"UTF-8 bytes on line {line}")


def _read_csv(path: Path, shown: str, delimiter: str) -> tuple[list[Table], list[Problem]]:
    raw = path.read_bytes()
    problem = csv_encoding_problem(raw, shown)
    if problem is not None:
        return [], [problem]
    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)  # a field of any size is read (and reported if it is over Excel's limit)
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(_decode(raw), newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        return [], [Problem(shown, 0, 0, "csv-syntax", "$", f"not a readable CSV file: {exc}", "CSV text", "a CSV error")]
    finally:
        csv.field_size_limit(limit)
    return [Table(shown, path.stem, rows)], []
