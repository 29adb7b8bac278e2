"""Readiness for people: a terminal table with bars, and Markdown."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..dates import deadline_label
from ..readiness import STATUS_LABELS, Readiness
from .markdown import cell, percent, table

STATUS_STYLES = {"migrated": "green", "on-track": "green", "at-risk": "yellow", "overdue": "bold red",
                 "extended": "cyan", "not-applicable": "dim"}


def bar(rate: float | None, width: int = 10) -> str:
    """``0.45`` -> ``████▌░░░░░  45%``; a dash when unknown."""
    if rate is None:
        return "—"
    eighths = round(max(0.0, min(1.0, rate)) * width * 2)
    full, half = divmod(eighths, 2)
    return "█" * full + ("▌" if half else "") + "░" * (width - full - half) + f" {rate * 100:3.0f}%"


def days_text(days: int | None) -> str:
    if days is None:
        return "—"
    return f"残り {days} 日" if days >= 0 else f"{-days} 日超過"


def forecast_text(o: Any) -> str:
    fc = o.forecast
    if o.status in ("migrated", "not-applicable"):
        return ""
    if fc is None or not fc.enough_history:
        return f"履歴不足（{fc.snapshots if fc else 0}/3）"
    gaps = fc.gaps_zero_on.isoformat() if fc.gaps_zero_on else "見込みなし"
    steps = fc.steps_complete_on.isoformat() if fc.steps_complete_on else "見込みなし"
    mark = "期限内" if fc.before_deadline else "期限後"
    return f"ギャップ0: {gaps} / 手順100%: {steps}（{mark}）"


def deadline_text(d: dt.date | None) -> str:
    return f"{deadline_label(d)}（{d.isoformat()}）" if d else "—"


def terminal(result: Readiness, console: Any) -> None:
    from rich.table import Table
    from rich.text import Text

    console.print(Text(f"{result.municipality}  {result.as_of.isoformat()} 時点", style="bold"))
    console.print(Text(result.verdict, style="bold yellow" if "期限超過" in result.verdict or "要注意" in result.verdict else "bold green"))
    tbl = Table()
    for h in ("業務", "状態", "期限", "残日数", "完了率", "必須適合率", "ギャップ", "違反", "予測"):
        tbl.add_column(h)
    for o in result.operations:
        tbl.add_row(Text(f"{o.name} ({o.operation})"), Text(STATUS_LABELS[o.status], style=STATUS_STYLES[o.status]),
                    Text(deadline_text(o.deadline)), Text(days_text(o.days_left)), Text(bar(o.completion_rate)),
                    Text(bar(o.mandatory_fit_rate)), Text(str(o.open_gaps)), Text(str(o.violations)), Text(forecast_text(o)))
    console.print(tbl)


def markdown(result: Readiness) -> str:
    rows = [[f"{o.name} ({o.operation})", STATUS_LABELS[o.status], deadline_text(o.deadline), days_text(o.days_left),
             percent(o.completion_rate), percent(o.in_progress_rate), percent(o.not_started_rate),
             percent(o.mandatory_fit_rate), o.open_gaps, o.violations, o.undecided, forecast_text(o)]
            for o in result.operations]
    head = f"# 移行準備状況: {cell(result.municipality)}（{result.as_of.isoformat()} 時点）\n\n**{cell(result.verdict)}**\n\n"
    return head + table(["業務", "状態", "期限", "残日数", "完了率", "作業中率", "未着手率", "必須適合率", "未解消ギャップ",
                         "違反", "未決定の独自機能", "予測"], rows)
