"""Tables: the sheets of an .xlsx workbook, or one CSV file, as rows of raw cell values, and their header rows.

A CSV file may be UTF-8 (with or without BOM) or Shift_JIS/CP932, one of
them throughout: a byte that is not text of the file's encoding is
``csv-encoding``, UTF-8 Japanese inside a CP932 file ``csv-mixed-encoding``
(both with the first such line).  A file that cannot be read is a
:class:`~gapcheck.errors.Problem` (``file-missing``, ``xlsx-not-a-workbook``,
``xlsx-encrypted``, ``csv-encoding``), never an exception.  A formula cell
with no computed value reads as :class:`~gapcheck.vendor.cells.Formula`.  The
header row of a table is *found* under any title block, also when it is split
over two rows (a group header merged above the column names: :func:`find_header_row`).
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
from gapcheck.core.messages import Msg
from gapcheck.core.paths import display_path
from gapcheck.loading.files import read_head, read_input
from gapcheck.vendor.cells import Formula, cell_text, formula_cells, header_key, workbook_kind

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
    from_xlsx: bool = False
    """Read from a workbook (whose reader cuts text at Excel's cell limit), not a CSV file."""

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
    kind = workbook_kind(path)
    if kind == "encrypted":
        return [], [encrypted_problem(shown)]
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path, shown, "\t" if suffix == ".tsv" else ",")
    if suffix in (".xlsx", ".xlsm") or head.startswith(b"PK"):
        return _read_xlsx(path, shown, head)
    if kind == "xls":
        return [], [Problem(shown, 0, 0, "xlsx-not-a-workbook", "$", Msg("xls-save-as-xlsx"),
                            Msg("xlsx-or-csv"), Msg("an-xls-file"))]
    return _read_csv(path, shown, ",")


def encrypted_problem(shown: str) -> Problem:
    return Problem(shown, 0, 0, "xlsx-encrypted", "$", Msg("xlsx-encrypted"), Msg("a-workbook-without-password"),
                   Msg("an-encrypted-workbook"))


def _read_xlsx(path: Path, shown: str, head: bytes) -> tuple[list[Table], list[Problem]]:
    import openpyxl

    if head.startswith(b"\xd0\xcf\x11\xe0"):
        found: Msg | str = Msg("found-xls")
    elif not head.startswith(b"PK"):
        found = Msg("not-a-zip")
    else:
        found = ""
    if not found:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wb = openpyxl.load_workbook(path, data_only=True)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            found = Msg("damaged-zip", why=str(exc))
        except (KeyError, ValueError, TypeError, OSError, IndexError, AttributeError) as exc:
            found = Msg("zip-not-workbook", why=f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # openpyxl raises many types on broken XML  # noqa: BLE001
            found = Msg("unreadable-workbook", why=f"{type(exc).__name__}: {exc}")
    if found:
        return [], [Problem(shown, 0, 0, "xlsx-not-a-workbook", "$", Msg("xlsx-not-a-workbook"),
                            Msg("an-xlsx-workbook"), found)]
    tables = []
    formulas = formula_cells(path, wb)
    for ws in wb.worksheets:
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        for (sheet, r, c), formula in formulas.items():
            if sheet == ws.title:
                rows[r - 1][c - 1] = Formula(formula)
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
        tables.append(Table(shown, ws.title, rows, merged, spans, from_xlsx=True))
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
    """Why the bytes of a CSV file are not all text of one encoding (UTF-8, or Shift_JIS/CP932), or None.

    When neither decodes, the line given is where the file's own encoding (the one that reads further) meets a
    byte that is not text of it, not where the other fails at the first Japanese letter.
    """
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
        why = Msg("reads-as-up-to", enc=enc, line=line)
        try:
            body.decode("euc_jp")
            why = Msg("looks-like-euc")
        except UnicodeDecodeError:
            pass
        return Problem(shown, line, 0, "csv-encoding", "$", Msg("csv-encoding", why=why), Msg("csv-encodings"),
                       Msg("byte-on-line", byte=f"0x{body[pos]:02x}", line=line))
    mixed = _UTF8_JAPANESE.search(body)
    if mixed is None:
        return None
    line = body[: mixed.start()].count(b"\n") + 1
    meant, shown_as = mixed.group(0).decode()[:10], mixed.group(0).decode("cp932", "replace")[:10]
    return Problem(shown, line, 0, "csv-mixed-encoding", "$",
                   Msg("csv-mixed-encoding", line=line, meant=repr(meant), shown=repr(shown_as)), Msg("one-encoding"),
                   Msg("utf8-on-line", line=line))


def _read_csv(path: Path, shown: str, delimiter: str) -> tuple[list[Table], list[Problem]]:
    raw, problems = read_input(path, shown)
    if raw is None:
        return [], problems
    problem = csv_encoding_problem(raw, shown)
    if problem is not None:
        return [], [problem]
    limit = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)  # a field of any size is read (and reported if it is over Excel's limit)
    try:  # the reader is not strict: past the field limit (inputs stop at 200 MB), nothing raises
        rows = [list(r) for r in csv.reader(io.StringIO(_decode(raw), newline=""), delimiter=delimiter)]
    finally:
        csv.field_size_limit(limit)
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
            return Msg("first-row", words=", ".join(repr(w[:20]) for w in words[:4]))
    return Msg("an-empty-sheet")


def sheet_list(tables: Sequence[Table]) -> str:
    """``'機能要件', '帳票要件'`` (or ``none``)."""
    return ", ".join(repr(t.name) for t in tables) or "none"
