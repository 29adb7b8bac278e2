"""The roll-up as an Excel workbook for staff (openpyxl, streamed).

Sheets: ``概要`` (the verdict, dates, sample note, totals), the summary by
``--by``, ``団体一覧`` (one row per 団体, coloured by its standing),
``ヒートマップ`` (団体 x operation, each cell coloured by status), ``要件``
(gaps and violations in the most 団体), ``特定移行支援`` and ``除外・注意``
(every problem).  Headers, colours and widths as in the municipality
workbook; every text cell is neutralised (no formulas) and identical input
gives identical bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gapcheck.core.output import neutralise_cell
from gapcheck.readiness.status import STATUS_LABELS, WORST_FIRST
from gapcheck.render import rollup_view as view
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
from gapcheck.render.xlsx import (
    GREEN,
    GREY,
    MAX_WIDTH,
    MIN_WIDTH,
    ORANGE,
    RED,
    STATUS_FILLS,
    _col,
    _colour_rows,
    _header,
    _save,
    _sheet_name,
    _text_width,
)

HEAT_FILLS = {GREEN: [view.SHORT_STATUS["migrated"], view.SHORT_STATUS["on-track"]], ORANGE: [view.SHORT_STATUS["at-risk"]],
              RED: [view.SHORT_STATUS["overdue"]], "BDD7EE": [view.SHORT_STATUS["extended"]],
              GREY: [view.SHORT_STATUS["not-applicable"]]}


def render(result: Any, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
    """The workbook as .xlsx bytes."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    newest = result.dates[-1][0] if result.dates else dt.date(2000, 1, 1)
    wb.properties.creator = "gapcheck"
    wb.properties.created = wb.properties.modified = dt.datetime.combine(newest, dt.time())
    wb.properties.title = "標準化 移行状況の集計"
    names: set[str] = set()
    _overview(wb, result, _sheet_name("概要", names))
    _sheet(wb, _sheet_name(f"{view.BY_TITLES[result.by]}の状況", names), result.groups, view.group_columns(result.by))
    _sheet(wb, _sheet_name("団体一覧", names), result.municipalities, view.MUNICIPALITY_COLUMNS, colour=True)
    _heat_sheet(wb, _sheet_name("ヒートマップ", names), result)
    _sheet(wb, _sheet_name("要件", names), result.requirements, view.requirement_columns(result.by))
    _sheet(wb, _sheet_name("特定移行支援", names), result.extensions, view.EXTENSION_COLUMNS)
    _problem_sheet(wb, _sheet_name("除外・注意", names), result)
    return _save(wb)


def _value(v: Any, kind: str) -> Any:
    """A cell value: numbers stay numbers (rates with a % format), codes become labels, text is neutralised."""
    if v is None:
        return "（未定）" if kind == "vendor" else None
    if kind in ("int", "days"):
        return int(v)
    if kind == "pct":
        return float(v)
    return _text(view.display(v, kind))


def _text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return str(neutralise_cell(ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)))


def _sheet(wb: Any, title: str, df: Any, columns: list[view.Column], colour: bool = False) -> int:
    """One table: a styled, frozen header with an autofilter, then its rows; returns the row count."""
    from openpyxl.cell import WriteOnlyCell

    ws = wb.create_sheet(title)
    headers = [h for h, _, _ in columns]
    values = [[_value(v, kind) for v in df[field].tolist()] for _, field, kind in columns]
    rows = list(zip(*values, strict=True)) if values else []
    for n, (h, col) in enumerate(zip(headers, values, strict=True), 1):
        width = max([_text_width(h)] + [_text_width(str(v)) for v in col if v is not None])
        ws.column_dimensions[_col(n)].width = max(MIN_WIDTH, min(MAX_WIDTH, width + 2))
    last = max(len(rows) + 1, 2)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{_col(len(headers))}{last}"
    if colour:
        status_col = _col(1 + [f for _, f, _ in columns].index("worst_status"))
        _colour_rows(ws, f"A2:{_col(len(headers))}{last}", status_col, STATUS_FILLS)
    ws.append(_header(ws, headers))
    kinds = [kind for _, _, kind in columns]
    for row in rows:
        cells = []
        for v, kind in zip(row, kinds, strict=True):
            c = WriteOnlyCell(ws, value=v)
            if kind == "pct" and v is not None:
                c.number_format = "0.0%"
            cells.append(c)
        ws.append(cells)
    return len(rows)


def _overview(wb: Any, result: Any, title: str) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    ws = wb.create_sheet(title)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 80
    t = result.totals
    lines: list[tuple[str, Any]] = [
        ("標準化 移行状況の集計", ""), ("判定", result.verdict), ("結果の基準日", view.dates_text(result)),
        ("サンプル", f"サンプルデータによる結果を含みます（{result.sample} 団体）。公式の数値ではありません。"
                     if result.sample else "なし"),
        ("団体", t["municipalities"]), ("うち市区町村", t["cities"]), ("うち都道府県", t["prefectures"]),
        ("対象システム", t["systems"]), *((f"業務の状態: {STATUS_LABELS[s]}", t["statuses"][s]) for s in WORST_FIRST),
        ("未解消ギャップ", t["open_gaps"]), ("実装不可違反", t["violations"]), ("未決定の独自機能・帳票", t["undecided"]),
        ("特定移行支援システム", t["special_systems"]), ("特定移行支援のある団体", t["special_municipalities"]),
        ("除外した結果ファイル（エラー）", sum(p.severity == "error" for p in result.problems)),
    ]
    for n, (k, v) in enumerate(lines):
        key = WriteOnlyCell(ws, value=_text(k))
        key.font = Font(bold=True, size=14 if n == 0 else 11)
        ws.append([key, _text(v) if isinstance(v, str) else v])


def _heat_sheet(wb: Any, title: str, result: Any) -> None:
    """団体 x operation: one short status label per cell, coloured by conditional formatting."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill

    ws = wb.create_sheet(title)
    ops = list(result.operations)
    headers = ["団体コード", "団体名"] + [name for _, name in ops]
    statuses = result.statuses
    for n, h in enumerate(headers, 1):
        ws.column_dimensions[_col(n)].width = max(MIN_WIDTH, min(16, _text_width(h) + 2)) if n > 2 else 14 if n == 1 else 24
    last = max(len(result.municipalities) + 1, 2)
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{_col(len(headers))}{last}"
    grid = f"C2:{_col(len(headers))}{last}"
    for colour, labels in HEAT_FILLS.items():
        ws.conditional_formatting.add(grid, FormulaRule(formula=[f'C2="{labels[0]}"' if len(labels) == 1 else
                                                                 "OR(" + ",".join(f'C2="{x}"' for x in labels) + ")"],
                                                        fill=PatternFill("solid", bgColor=colour)))
    ws.append(_header(ws, headers))
    for code, name in zip(result.municipalities["code"], result.municipalities["name"], strict=True):
        own = statuses.get(code, {})
        ws.append([code, _text(str(name))] + [view.SHORT_STATUS.get(own.get(op, ""), None) for op, _ in ops])


def _problem_sheet(wb: Any, title: str, result: Any) -> None:
    ws = wb.create_sheet(title)
    headers = ["ファイル", "行", "重大度", "コード", "内容"]
    for n, w in enumerate((50, 6, 8, 30, 100), 1):
        ws.column_dimensions[_col(n)].width = w
    ws.freeze_panes = "A2"
    ws.append(_header(ws, headers))
    for p in result.problems:
        detail = p.message + (f"（期待: {p.expected}）" if p.expected else "") + (f"（実際: {p.found}）" if p.found else "")
        ws.append([_text(p.file), p.line, "エラー" if p.severity == "error" else "注意", p.code, _text(detail)])
