"""The roll-up as an Excel workbook for staff (XlsxWriter, streamed: :class:`gapcheck.render.xlsx.Book`).

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

from gapcheck.readiness.status import STATUS_LABELS, WORST_FIRST
from gapcheck.render import rollup_view as view
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
from gapcheck.render.xlsx import (
    GREEN,
    GREY,
    ORANGE,
    RED,
    STATUS_FILLS,
    Book,
    _text_width,
    text_cell,
)

HEAT_FILLS = {GREEN: [view.SHORT_STATUS["migrated"], view.SHORT_STATUS["on-track"]], ORANGE: [view.SHORT_STATUS["at-risk"]],
              RED: [view.SHORT_STATUS["overdue"]], "BDD7EE": [view.SHORT_STATUS["extended"]],
              GREY: [view.SHORT_STATUS["not-applicable"]]}


def render(result: Any, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
    """The workbook as .xlsx bytes."""
    newest = result.dates[-1][0] if result.dates else dt.date(2000, 1, 1)
    book = Book(dt.datetime.combine(newest, dt.time()), "標準化 移行状況の集計")
    _overview(book, result)
    _sheet(book, f"{view.BY_TITLES[result.by]}の状況", result.groups, view.group_columns(result.by))
    _sheet(book, "団体一覧", result.municipalities, view.MUNICIPALITY_COLUMNS, colour=True)
    _heat_sheet(book, result)
    _sheet(book, "要件", result.requirements, view.requirement_columns(result.by))
    _sheet(book, "特定移行支援", result.extensions, view.EXTENSION_COLUMNS)
    _problem_sheet(book, result)
    return book.close()


def _value(v: Any, kind: str) -> Any:
    """A cell value: numbers stay numbers (rates with a % format), codes become labels, text is neutralised."""
    if v is None:
        return "（未定）" if kind == "vendor" else None
    if kind in ("int", "days"):
        return int(v)
    if kind == "pct":
        return float(v)
    return text_cell(view.display(v, kind))


def _sheet(book: Book, title: str, df: Any, columns: list[view.Column], colour: bool = False) -> int:
    """One table: a styled, frozen header with an autofilter, then its rows; returns the row count."""
    ws = book.sheet(title)
    headers = [h for h, _, _ in columns]
    values = [[_value(v, kind) for v in df[field].tolist()] for _, field, kind in columns]
    rows = list(zip(*values, strict=True)) if values else []
    widths = [max([_text_width(h)] + [_text_width(str(v)) for v in col if v is not None])
              for h, col in zip(headers, values, strict=True)]
    last = max(len(rows), 1)
    if colour:
        book.colour_rows(ws, 1, last, len(headers) - 1, [f for _, f, _ in columns].index("worst_status"), STATUS_FILLS)
    book.table_head(ws, 0, headers, widths, last)
    kinds = [kind for _, _, kind in columns]
    for n, row in enumerate(rows, 1):
        for i, (v, kind) in enumerate(zip(row, kinds, strict=True)):
            book.cell(ws, n, i, v, book.percent if kind == "pct" else None)
    return len(rows)


def _overview(book: Book, result: Any) -> None:
    ws = book.sheet("概要")
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 80)
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
        ws.write_string(n, 0, text_cell(k), book.font(True, 14 if n == 0 else 11))
        book.cell(ws, n, 1, None if v == "" else v)


def _heat_sheet(book: Book, result: Any) -> None:
    """団体 x operation: one short status label per cell, coloured by conditional formatting."""
    ws = book.sheet("ヒートマップ")
    ops = list(result.operations)
    headers = ["団体コード", "団体名"] + [name for _, name in ops]
    statuses = result.statuses
    last = max(len(result.municipalities), 1)
    for colour, labels in HEAT_FILLS.items():
        formula = f'C2="{labels[0]}"' if len(labels) == 1 else "OR(" + ",".join(f'C2="{x}"' for x in labels) + ")"
        book.formula_fill(ws, 1, 2, last, len(headers) - 1, formula, colour)
    widths = [12, 22] + [min(14, _text_width(h)) for h in headers[2:]]  # 14 and 24 wide, the statuses at most 16
    book.table_head(ws, 0, headers, widths, last)
    ws.freeze_panes(1, 2)
    for n, (code, name) in enumerate(zip(result.municipalities["code"], result.municipalities["name"], strict=True), 1):
        own = statuses.get(code, {})
        ws.write_string(n, 0, text_cell(str(code)))
        ws.write_string(n, 1, text_cell(str(name)))
        for i, (op, _) in enumerate(ops, 2):
            label = view.SHORT_STATUS.get(own.get(op, ""))
            if label is not None:
                ws.write_string(n, i, label)


def _problem_sheet(book: Book, result: Any) -> None:
    ws = book.sheet("除外・注意")
    headers = ["ファイル", "行", "重大度", "コード", "内容"]
    for n, width in enumerate((50, 6, 8, 30, 100)):
        ws.set_column(n, n, width)
    ws.freeze_panes(1, 0)
    ws.write_row(0, 0, headers, book.header)
    for n, p in enumerate(result.problems, 1):
        detail = p.message + (f"（期待: {p.expected}）" if p.expected else "") + (f"（実際: {p.found}）" if p.found else "")
        ws.write_string(n, 0, text_cell(p.file))
        ws.write_number(n, 1, p.line)
        ws.write_string(n, 2, "エラー" if p.severity == "error" else "注意")
        ws.write_string(n, 3, p.code)
        ws.write_string(n, 4, text_cell(detail))
