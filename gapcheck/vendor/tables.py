"""Tables: the sheets of an .xlsx workbook, or one CSV file, as rows of raw cell values.

A CSV file may be UTF-8 (with or without BOM) or Shift_JIS/CP932.  A file
that cannot be read is a :class:`~gapcheck.errors.Problem` (``file-missing``,
``xlsx-not-a-workbook``, ``csv-encoding``), never an exception.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gapcheck.core.errors import Problem
from gapcheck.core.paths import display_path

SPAN_ROWS = 64
"""Rows of a merge recorded as spans: group headers sit at the top of a sheet, not in its data."""


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
    spans: dict[tuple[int, int], Any] = field(default_factory=dict)
    """(row, column) -> value of any merge covering that cell (not its top-left one): a group header over columns."""

    def spanned(self, row: int, col: int) -> Any:
        """The cell's value, or that of the merge covering it (a group header merged across columns)."""
        v = self.value(row, col, fill_merged=False)
        return self.spans.get((row, col)) if v is None else v

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
        spans: dict[tuple[int, int], Any] = {}
        width = max((len(r) for r in rows), default=0)
        for rng in ws.merged_cells.ranges:  # bounded by the data: a merge over a whole sheet costs nothing
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row + 1, min(rng.max_row, len(rows)) + 1):
                merged[(r, rng.min_col)] = top
            for r in range(rng.min_row, min(rng.max_row, rng.min_row + SPAN_ROWS, len(rows)) + 1):
                for c in range(rng.min_col, min(rng.max_col, width) + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        spans[(r, c)] = top
        tables.append(Table(shown, ws.title, rows, merged, spans))
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
