"""Tables: the sheets of an .xlsx workbook, or one CSV file, as rows of raw cell values, and their header rows.

A CSV file may be UTF-8 (with or without BOM) or Shift_JIS/CP932.  A file
that cannot be read is a :class:`~gapcheck.errors.Problem` (``file-missing``,
``xlsx-not-a-workbook``, ``csv-encoding``), never an exception.  The header
row of a table is *found* under any title block, also when it is split over
two rows (a group header merged above the column names: :func:`find_header_row`).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gapcheck.core.errors import InvalidInput, Problem
from gapcheck.core.paths import display_path
from gapcheck.loading.files import read_head, read_input
from gapcheck.vendor.cells import cell_text, header_key

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
    head, refused = read_head(path, shown, 8)  # a regular file within the input limit, or nothing is read
    if head is None:
        return [], [refused] if refused is not None else []
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


def read_all_tables(files: Sequence[Path]) -> list[Table]:
    """The tables of every file, in order; :class:`~gapcheck.core.errors.InvalidInput` listing every file that cannot be read."""
    tables: list[Table] = []
    problems: list[Problem] = []
    for path in files:
        t, p = read_tables(Path(path))
        tables.extend(t)
        problems.extend(p)
    if problems:
        raise InvalidInput(problems)
    return tables


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
    raw, problems = read_input(path, shown)
    if raw is None:
        return [], problems
    text, (byte, line) = decode_csv(raw)
    if text is None:
        return [], [Problem(shown, line, 0, "csv-encoding", "$", "cannot decode the CSV file as UTF-8 or Shift_JIS/CP932",
                            "UTF-8 (with or without BOM) or Shift_JIS/CP932 text", f"byte 0x{byte:02x} on line {line}")]
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return [Table(shown, path.stem, rows)], []


NOTE_ROW = re.compile(r"(※|\*|注\s*[0-9:)]|\(注)")
"""How a note row under a table starts (after NFKC): ※, *, 注1, 注:, (注)."""


def row_words(table: Table, row: int) -> list[str]:
    """The non-empty cell texts of a row (one line each), left to right."""
    return [w for w in (cell_text(c, True) for c in table.rows[row - 1]) if w]


# -- header rows --------------------------------------------------------------------------------


def header_columns(cells: Sequence[Any], spellings: Mapping[Any, Iterable[str]]) -> dict[Any, int | None]:
    """Field -> the 1-based column of the first cell spelt as one of its headers (compared by :func:`header_key`), or None."""
    keys = [header_key(c) for c in cells]
    out: dict[Any, int | None] = {}
    for fld, names in spellings.items():
        wanted = {header_key(s) for s in names}
        out[fld] = next((i + 1 for i, k in enumerate(keys) if k and k in wanted), None)
    return out


def header_keys(table: Table, r: int) -> list[tuple[str, ...]]:
    """Per column, the spellings its header may have in row ``r`` (:func:`header_key` form): its own text, and,
    under a group header merged across columns in the row above, the two together (``機能`` + ``ID`` = 機能ID);
    an empty cell under a header takes the header above (a name merged down, or standing alone above)."""
    width = max(len(table.rows[r - 1]), len(table.rows[r - 2]) if r > 1 else 0)
    out: list[tuple[str, ...]] = []
    for c in range(1, width + 1):
        own = header_key(table.value(r, c))
        up = header_key(table.spanned(r - 1, c)) if r > 1 else ""
        out.append((own, up + own) if own and up else (own,) if own else (up,) if up else ())
    return out


def header_columns_at(table: Table, r: int, spellings: Mapping[Any, Iterable[str]]) -> dict[Any, int | None]:
    """:func:`header_columns` of row ``r`` read as the last row of a header that may span two rows (:func:`header_keys`)."""
    keys = header_keys(table, r)
    out: dict[Any, int | None] = {}
    for fld, names in spellings.items():
        wanted = {header_key(s) for s in names}
        out[fld] = next((i + 1 for i, ks in enumerate(keys) if any(k and k in wanted for k in ks)), None)
    return out


def find_header_row(table: Table, spellings: Mapping[str, Iterable[str]], search_rows: int,
                    accept: Callable[[dict[str, int | None]], bool]) -> tuple[int, dict[str, int | None]] | None:
    """The first row among the first ``search_rows`` whose columns (:func:`header_columns_at`) ``accept`` takes, with them.

    A header split over two rows is read as one: a group header merged across columns above the names, or
    names merged down over both rows.  When the headers found are merged down into the next row, the header
    goes on there and that row is returned (the data starts under it).
    """
    for r in range(1, min(search_rows, len(table.rows)) + 1):
        cols = header_columns_at(table, r, spellings)
        if not accept(cols):
            continue
        below = r + 1
        if below <= len(table.rows) and any(c is not None and (below, c) in table.merged
                                            and table.value(below, c, fill_merged=False) is None for c in cols.values()):
            second = header_columns_at(table, below, spellings)
            if accept(second):
                return below, second
        return r, cols
    return None


def first_words(table: Table) -> str:
    """The first words of a table, to show what a sheet holds when its header is not found."""
    for cells in table.rows[:5]:
        words = [cell_text(c, True) for c in cells if cell_text(c, True)]
        if words:
            return "first row " + ", ".join(repr(w[:20]) for w in words[:4])
    return "an empty sheet"


def sheet_list(tables: Sequence[Table]) -> str:
    """``'機能要件', '帳票要件'`` (or ``none``)."""
    return ", ".join(repr(t.name) for t in tables) or "none"
