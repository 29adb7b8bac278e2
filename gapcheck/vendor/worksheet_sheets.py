"""A filled worksheet's workbook and sheets as the import reads them.

Opening the workbook (refusing an encrypted, old-format or damaged file with
a problem), each sheet's rows with the column of each known header, and every
cell read checked on the way (:func:`~gapcheck.vendor.cells.cell_problem`:
a formula with no computed value, a control character, more text than Excel
holds), so that nothing the import writes could fail ``gapcheck validate``.
Free text (notes) is read exactly as written; other cells as
:func:`~gapcheck.vendor.cells.cell_text` cleans them.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gapcheck.core.errors import Problem
from gapcheck.vendor.cells import (
    Formula,
    cell_problem,
    cell_ref,
    cell_text,
    formula_cells,
    header_key,
    workbook_kind,
)
from gapcheck.vendor.worksheet_layout import unneutralise


def open_workbook(path: Path, shown: str) -> tuple[Any, list[Problem]]:
    """The workbook at ``path`` (values as last computed), or None and the problem that keeps it closed."""
    import openpyxl

    try:
        head = path.read_bytes()[:4]
    except OSError:
        return None, [Problem(shown, 0, 0, "file-missing", "$", "file does not exist", "a readable file", "nothing")]
    if workbook_kind(path) == "encrypted":
        return None, [Problem(shown, 0, 0, "xlsx-encrypted", "$", "the workbook is encrypted (password-protected): "
                              "gapcheck cannot read it; save a copy without a password",
                              "a workbook without a password", "an encrypted workbook")]
    if not head.startswith(b"PK"):
        return None, [Problem(shown, 0, 0, "xlsx-not-a-workbook", "$", "not a readable Excel workbook", "an .xlsx workbook",
                              "not a zip archive")]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=True), []
    except Exception as exc:  # noqa: BLE001 - zip and XML errors of every kind
        return None, [Problem(shown, 0, 0, "xlsx-not-a-workbook", "$", "not a readable Excel workbook", "an .xlsx workbook",
                              f"a damaged or truncated file ({type(exc).__name__})")]


@dataclass
class Sheet:
    """A worksheet's cells with the column of each known header; the problems of the cells read so far."""

    file: str
    name: str
    rows: list[list[Any]]
    columns: dict[str, int]
    problems: list[Problem] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)
    """Rows with a cell that cannot be imported: read no further (no second problem for the same cell)."""
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
        """The cell's text (see :func:`~gapcheck.vendor.cells.cell_text`); ``exact``: as written, leading spaces and
        line breaks (CR and LF) kept, for notes; a cell of white space only is empty either way."""
        value = self.get(row, key)
        if exact and isinstance(value, str):
            return unneutralise(value) if value.strip() else ""
        return unneutralise(cell_text(value))

    def ref(self, row: int, key: str) -> tuple[int, str]:
        col = self.columns.get(key, 1)
        return col, cell_ref(self.name, row, col)


def read_sheet(wb: Any, file: str, name: str, columns: Sequence[tuple[str, str, int]],
               formulas: dict[tuple[str, int, int], str]) -> Sheet | None:
    """Sheet ``name`` of ``wb`` (None if there is none); formula cells without a value become
    :class:`~gapcheck.vendor.cells.Formula`."""
    if name not in wb.sheetnames:
        return None
    rows = [list(r) for r in wb[name].iter_rows(values_only=True)]
    for (sheet, r, c), formula in formulas.items():
        if sheet == name:
            rows[r - 1][c - 1] = Formula(formula)
    headers = [header_key(c) for c in (rows[0] if rows else [])]
    cols = {}
    for key, header, _ in columns:
        if header_key(header) in headers:
            cols[key] = headers.index(header_key(header)) + 1
    return Sheet(file, name, rows, cols)


def read_sheets(path: Path, wb: Any, file: str, layouts: dict[str, Sequence[tuple[str, str, int]]]) -> dict[str, Sheet | None]:
    """Every sheet of ``layouts`` (name -> columns) from the workbook ``wb`` read from ``path``."""
    formulas = formula_cells(path, wb)
    return {name: read_sheet(wb, file, name, cols, formulas) for name, cols in layouts.items()}
