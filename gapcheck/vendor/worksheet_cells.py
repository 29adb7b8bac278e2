"""The cells of a filled Fit & Gap worksheet: the workbook opened safely, each sheet with its columns by header.

Used by :mod:`gapcheck.vendor.worksheet_import`; a cell is named ``sheet!cell`` in problems.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from gapcheck.core.errors import Problem
from gapcheck.vendor.cells import cell_ref, cell_text, header_key
from gapcheck.vendor.worksheet_layout import unneutralise


def open_workbook(path: Path, shown: str) -> tuple[Any, list[Problem]]:
    import openpyxl

    try:
        head = path.read_bytes()[:4]
    except OSError:
        return None, [Problem(shown, 0, 0, "file-missing", "$", "file does not exist", "a readable file", "nothing")]
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
    """A worksheet's cells with the column of each known header."""

    file: str
    name: str
    rows: list[list[Any]]
    columns: dict[str, int]

    def get(self, row: int, key: str) -> Any:
        col = self.columns.get(key)
        if col is None:
            return None
        cells = self.rows[row - 1]
        return cells[col - 1] if col <= len(cells) else None

    def text(self, row: int, key: str) -> str:
        return unneutralise(cell_text(self.get(row, key)))

    def ref(self, row: int, key: str) -> tuple[int, str]:
        col = self.columns.get(key, 1)
        return col, cell_ref(self.name, row, col)


def read_sheet(wb: Any, file: str, name: str, columns: Sequence[tuple[str, str, int]]) -> Sheet | None:
    if name not in wb.sheetnames:
        return None
    rows = [list(r) for r in wb[name].iter_rows(values_only=True)]
    headers = [header_key(c) for c in (rows[0] if rows else [])]
    cols = {}
    for key, header, _ in columns:
        if header_key(header) in headers:
            cols[key] = headers.index(header_key(header)) + 1
    return Sheet(file, name, rows, cols)
