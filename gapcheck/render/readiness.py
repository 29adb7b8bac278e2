"""Readiness for people: a terminal table (bars and 和暦 when wide) with the reasons under it, and Markdown."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from gapcheck.core.dates import DATE_MAX, deadline_label
from gapcheck.readiness.status import STATUS_LABELS, OperationReadiness, Readiness
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
from gapcheck.render.markdown import cell, percent
from gapcheck.render.markdown import table as markdown_table

if TYPE_CHECKING:  # rich is imported only when a terminal view is rendered
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

STATUS_STYLES = {"migrated": "green", "on-track": "green", "at-risk": "yellow", "overdue": "bold red",
                 "extended": "cyan", "not-applicable": "dim", "preparing": "magenta"}


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


BEYOND = f"予測期間外（{DATE_MAX.year}年より後）"
"""A forecast date past the horizon (the trend is too slow to reach the target within it)."""


def forecast_text(o: OperationReadiness) -> str:
    fc = o.forecast
    if o.status in ("migrated", "not-applicable", "preparing"):
        return ""
    if fc is None or not fc.enough_history:
        return f"履歴不足（{fc.snapshots if fc else 0}/3）"
    gaps = fc.gaps_zero_on.isoformat() if fc.gaps_zero_on else BEYOND if fc.gaps_beyond_horizon else "見込みなし"
    steps = fc.steps_complete_on.isoformat() if fc.steps_complete_on else BEYOND if fc.steps_beyond_horizon else "見込みなし"
    mark = "期限内" if fc.before_deadline else "期限後"
    return f"ギャップ0: {gaps} / 手順100%: {steps}（{mark}）"


def deadline_text(d: dt.date | None) -> str:
    return f"{deadline_label(d)}（{d.isoformat()}）" if d else "—"


def _row(o: OperationReadiness, narrow: bool) -> list[Text]:
    """One operation's cells: narrow, ISO deadline over days left and plain rates; wide, 和暦 and bars."""
    from rich.text import Text

    from gapcheck.render.terminal import label, stacked, t

    status = label(STATUS_LABELS[o.status], STATUS_STYLES[o.status], narrow)
    counts = [t(o.open_gaps, "red" if o.open_gaps else ""), t(o.violations, "bold red" if o.violations else ""),
              t(o.undecided, "yellow" if o.undecided else "")]
    if narrow:
        deadline = stacked(t(o.deadline.isoformat()), t(days_text(o.days_left))) if o.deadline else t("—")
        return [t(f"{o.name} ({o.operation})"), status, deadline,
                stacked(t(percent(o.completion_rate)), t(percent(o.mandatory_fit_rate))), counts[0],
                stacked(*counts[1:])]
    return [t(f"{o.name} ({o.operation})"), status, t(deadline_text(o.deadline)), t(days_text(o.days_left)),
            Text(bar(o.completion_rate)), Text(bar(o.mandatory_fit_rate)), *counts]


def readiness_table(result: Readiness, narrow: bool = False) -> Table:
    """The readiness table (a rich ``Table``), one row per operation."""
    from rich.table import Table

    from gapcheck.render.terminal import free, whole

    tbl = Table()
    free(tbl, "業務")
    whole(tbl, "状態")
    if narrow:
        whole(tbl, "期限\n残日数")
        whole(tbl, "完了率\n適合率", "right")
        whole(tbl, "ギャップ", "right")
        whole(tbl, "違反\n未決定", "right")
    else:
        for h in ("期限", "残日数", "完了率", "必須適合率"):
            whole(tbl, h)
        for h in ("ギャップ", "違反", "未決定"):
            whole(tbl, h, "right")
    for o in result.operations:
        tbl.add_row(*_row(o, narrow))
    return tbl


def reasons_grid(result: Readiness, narrow: bool = False) -> Table | None:
    """Why each operation not yet migrated stands where it does, and its forecast (a rich grid); None when none."""
    from rich.table import Table
    from rich.text import Text

    from gapcheck.render.terminal import free, label, t

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    free(grid)
    for o in result.operations:
        forecast = forecast_text(o)  # empty for migrated and not-applicable operations
        lines = [f"・{r}" for r in o.reasons] + ([f"・予測 {forecast}"] if forecast else [])
        if o.status == "migrated" or not lines:
            continue
        body = Text("\n").join([t(f"{o.name} ({o.operation})", "bold"), *(t(line) for line in lines)])
        grid.add_row(label(STATUS_LABELS[o.status], STATUS_STYLES[o.status], narrow), body)
    return grid if grid.row_count else None


def terminal(result: Readiness, console: Console) -> None:
    """The readiness table, laid out narrow when the wide one does not fit, then the reasons and forecasts."""
    from rich.text import Text

    from gapcheck.render.terminal import fits, t

    console.print(t(f"{result.municipality}  {result.as_of.isoformat()} 時点", "bold"))
    calm = result.verdict.startswith(("順調", "全 ", "対象業務がありません"))  # only good news is green
    console.print(t(result.verdict, "bold green" if calm else "bold yellow"))
    tbl = readiness_table(result)
    narrow = not fits(tbl, console)
    console.print(readiness_table(result, narrow=True) if narrow else tbl)
    why = reasons_grid(result, narrow)
    if why is not None:
        console.print(Text("理由と予測（移行済みを除く）", style="bold"))
        console.print(why)


def markdown(result: Readiness) -> str:
    rows = [[f"{o.name} ({o.operation})", STATUS_LABELS[o.status], deadline_text(o.deadline), days_text(o.days_left),
             percent(o.completion_rate), percent(o.in_progress_rate), percent(o.not_started_rate),
             percent(o.mandatory_fit_rate), o.open_gaps, o.violations, o.undecided, forecast_text(o),
             " / ".join(o.reasons)]
            for o in result.operations]
    head = f"# 移行準備状況: {cell(result.municipality)}（{result.as_of.isoformat()} 時点）\n\n**{cell(result.verdict)}**\n\n"
    return head + markdown_table(["業務", "状態", "期限", "残日数", "完了率", "作業中率", "未着手率", "必須適合率",
                                  "未解消ギャップ", "違反", "未決定の独自機能", "予測", "理由"], rows)


def render_text(result: Readiness, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The terminal view of a readiness assessment (:func:`terminal`) as text."""
    from gapcheck.render.terminal import text_console

    console = text_console(options)
    terminal(result, console)
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]  # the StringIO of text_console


def render_markdown(result: Readiness, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The readiness table in Markdown (:func:`markdown`)."""
    return markdown(result)
