"""``gapcheck inventory template``: an empty 機能・帳票一覧 workbook for one operation, to fill in Excel.

Its headers are ones :mod:`gapcheck.vendor.inventory_sheet` recognises, so
the filled workbook imports as it is (``gapcheck inventory import``); 種別
and the numbers have drop-downs and checks, 所管課 is free text.  A second
sheet says how to fill it in.  The same operation always gives the same bytes.
"""

from __future__ import annotations

from typing import Any

from gapcheck.core.config import Config
from gapcheck.core.labels import KIND_LABELS
from gapcheck.core.model import Operation
from gapcheck.vendor.workbook import (
    Column,
    column_letters,
    drop_down,
    number_check,
    stable_bytes,
    style_header,
    write_sheet,
)

LIST = "機能・帳票一覧"
GUIDE = "記入方法"
COLUMNS: tuple[Column, ...] = (
    ("id", "管理番号", 12), ("kind", "種別", 8), ("name", "名称", 32), ("description", "概要", 50),
    ("department", "所管課", 16), ("cases", "年間件数", 10), ("hours", "年間時間", 10),
)
"""The list's columns; every header is one of the default inventory columns."""
ROWS = 1000
"""Rows prepared with drop-downs and checks."""


def inventory_template(operation: Operation) -> bytes:
    """The empty list for ``operation`` as .xlsx bytes."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws: Any = wb.active
    ws.title = LIST
    write_sheet(ws, COLUMNS, ())
    style_header(ws, COLUMNS, [key for key, _, _ in COLUMNS])
    letter = column_letters(COLUMNS)
    last = ROWS + 1
    drop_down(ws, f"{letter['kind']}2:{letter['kind']}{last}", tuple(KIND_LABELS.values()), "種別", "機能 または 帳票 を選んでください。")
    number_check(ws, f"{letter['cases']}2:{letter['cases']}{last}", whole=True, title="年間件数")
    number_check(ws, f"{letter['hours']}2:{letter['hours']}{last}", whole=False, title="年間時間")
    guide = wb.create_sheet(GUIDE)
    guide.column_dimensions["A"].width = 100
    for line in _guide(operation):
        guide.append([line])
    return stable_bytes(wb)


def _guide(operation: Operation) -> list[str]:
    return [
        f"{operation.name}（{operation.code}）の現行システムの機能・帳票一覧",
        f"シート「{LIST}」に、現行システムの機能と帳票を 1 行に 1 件ずつ記入してください。",
        "管理番号: 現行システムでの番号（英数字と - _ .）。空欄のままにすると、業務・種別・名称から固定の番号を作ります"
        "（行を挿入しても変わりません。名称を変えると変わります）。",
        "種別: 機能 または 帳票 を一覧から選びます。",
        "名称: 機能名または帳票名（必須）。概要・所管課は自由記入です。",
        "年間件数・年間時間: 年間の処理件数と作業時間（任意、0 以上の数値）。",
        f"記入後: gapcheck inventory import このファイル.xlsx --operation {operation.code}",
    ]


def inventory_workbook(config: Config, operation: str) -> bytes:
    """The empty list of ``operation`` (a code of the project's registry); UsageError for an unknown code."""
    from gapcheck.validation.project import registry_operation

    return inventory_template(registry_operation(config.registry, operation))
