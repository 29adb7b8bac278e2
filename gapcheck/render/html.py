"""HTML dashboard: one self-contained Japanese page (no network at view time).

Layout (template ``gapcheck/templates/report.html.j2``, Jinja2 with
autoescaping on, so every value from the inputs is HTML-escaped): the
verdict and the days to the deadline; a chart of every operation's readiness
(mandatory fit rate and step progress); the burndown of open gaps across
the snapshot history with the deadlines marked; a summary table; then one
section per operation with its fit, gap, violation and custom tables, which
the page can filter and sort.

The stylesheet, the script and the charts (matplotlib SVG, as ``data:``
images) are inline.  A Content-Security-Policy allows no network access at
all and runs only the page's own script (by its SHA-256), so even markup
that slipped through could neither load anything nor run.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from gapcheck.analysis.result import TABLE_NAMES
from gapcheck.core.dates import DEADLINE, deadline_label
from gapcheck.core.escape import each_at_once
from gapcheck.core.labels import (
    CLASS_LABELS,
    DISPOSITION_LABELS,
    KIND_LABELS,
    STATE_LABELS,
    ref_labels,
)
from gapcheck.readiness.status import STATUS_LABELS
from gapcheck.render import charts
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
from gapcheck.render.markdown import TABLE_TITLES, percent
from gapcheck.render.readiness import days_text, deadline_text, forecast_text

if TYPE_CHECKING:  # pandas and Jinja2 are imported only when a report is rendered
    import numpy as np
    import numpy.typing as npt
    import pandas as pd
    from jinja2 import Environment

    from gapcheck.analysis.result import Analysis, Summary
    from gapcheck.readiness.bundle import Report
    from gapcheck.readiness.status import OperationReadiness, Readiness

    _Columns = tuple[pd.Index, list[npt.NDArray[np.object_]]]
    """A table as display text: its index and one object array per column (:func:`_frame`)."""
    _Lines = tuple[pd.Index, npt.NDArray[np.object_]]
    """A table as HTML rows: its index and one row (markup, escaped) per record (:func:`_lines`)."""

REQ_HEADERS = ("ID", "種別", "区分", "名称", "状態", "現行機能", "経過措置期限", "備考")
ITEM_HEADERS = ("現行ID", "種別", "名称", "担当", "処置", "代替要件", "備考")
OPEN_TABLES = ("gap", "violation", "custom")
"""Tables shown unfolded; the (long) fit table starts folded."""


@cache
def template_env() -> Environment:
    """The Jinja2 environment of the packaged templates: autoescaping on, undefined names an error (shared by the pages)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(loader=PackageLoader("gapcheck", "templates"), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


@cache
def asset(name: str) -> str:
    """A packaged stylesheet or script (``gapcheck/templates/<name>``), inlined into a page."""
    return resources.files("gapcheck").joinpath("templates", name).read_text("utf-8")


def script_hash(text: str) -> str:
    """The base64 SHA-256 of a page's script, as its Content-Security-Policy names it."""
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The whole report as one HTML document."""
    return render_with_charts(report, chart_uris(report), options)


def chart_uris(report: Report) -> tuple[str, str]:
    """The page's two charts (readiness, burndown) as data URIs: drawn with matplotlib, the longest part of the
    page, so that :class:`gapcheck.report.writer.Renderer` may have them drawn in its worker meanwhile."""
    return _data_uri(readiness_svg(report)), _data_uri(burndown_svg(report))


def render_with_charts(report: Report, charts: tuple[str, str], options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The whole report as one HTML document, with ``charts`` (:func:`chart_uris`) as its charts."""
    script = asset("report.js")
    r = report.readiness
    context = {
        "title": f"標準化 Fit & Gap・移行準備レポート: {report.municipality}",
        "municipality": report.municipality, "sample": report.sample, "as_of": r.as_of.isoformat(),
        "verdict": r.verdict, "verdict_class": _verdict_class(r), "days": days_text(r.days_to_deadline),
        "deadline": deadline_text(report.deadlines[0]) if report.deadlines else "",
        "counts": [(STATUS_LABELS[s], n, s) for s, n in r.counts().items() if n],
        "readiness_chart": charts[0], "burndown_chart": charts[1],
        "overview": overview_rows(report), "operations": _operations(report),
        "style": asset("report.css"), "script": script, "script_hash": script_hash(script),
        "table_titles": TABLE_TITLES, "req_headers": REQ_HEADERS, "item_headers": ITEM_HEADERS,
    }
    return template_env().get_template("report.html.j2").render(**context)


def _operations(report: Report) -> list[dict[str, Any]]:
    display = _Display(report.analysis)
    return [operation_view(report, s, display) for s in report.analysis.summaries]


def _verdict_class(r: Readiness) -> str:
    counts = r.counts()
    if counts["overdue"]:
        return "overdue"
    if counts["at-risk"] or counts["preparing"]:
        return "at-risk"
    return "on-track"


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _in_scope(report: Report) -> list[OperationReadiness]:
    return [o for o in report.readiness.operations if o.status != "not-applicable"]


def readiness_svg(report: Report) -> str:
    ops = _in_scope(report)
    ja = charts.japanese()
    labels = [o.name if ja else o.operation for o in ops]
    notes = [_status_note(o, ja) for o in ops]
    return charts.readiness_chart(labels, [o.mandatory_fit_rate for o in ops], [o.completion_rate for o in ops],
                                  [o.in_progress_rate for o in ops], notes)


def _status_note(o: OperationReadiness, ja: bool) -> str:
    if not ja:
        days = "" if o.days_left is None else (f" {-o.days_left}d late" if o.days_left < 0 else f" {o.days_left}d left")
        return o.status + days
    if o.days_left is None:
        return STATUS_LABELS[o.status]
    if o.days_left < 0:
        return f"{STATUS_LABELS[o.status]} {-o.days_left} 日"
    return f"{STATUS_LABELS[o.status]} 残り {o.days_left} 日"


def burndown_svg(report: Report) -> str:
    """The burndown: the total, one line per operation not yet migrated, each deadline labelled with its operations."""
    points = report.burndown
    ja = charts.japanese()
    owners: dict[dt.date, list[str]] = {}
    for line in report.operation_burndown:
        if line.deadline is not None:
            owners.setdefault(line.deadline, []).append(line.name if ja else line.operation)
    deadlines = [(d, f"{deadline_label(d)}（{_few(owners.get(d, []), ja)}）" if ja
                  else f"{d.isoformat()} ({_few(owners.get(d, []), ja)})")
                 for d in sorted(set(report.deadlines) | {DEADLINE}) if owners.get(d) or d == DEADLINE]
    lines = [charts.GapLine(line.name if ja else line.operation, [p.date for p in line.points],
                            [p.open_gaps for p in line.points], line.gaps_zero_on) for line in report.operation_burndown]
    return charts.burndown_chart([p.date for p in points], [p.open_gaps for p in points],
                                 [p.recorded for p in points], deadlines, lines)


def _few(names: list[str], ja: bool) -> str:
    """At most three names, then how many more."""
    if not names:
        return "移行済み" if ja else "migrated"
    more = len(names) - 3
    shown = "、".join(names[:3]) if ja else ", ".join(names[:3])
    return shown + ((f" ほか {more}" if ja else f" +{more}") if more > 0 else "")


def overview_rows(report: Report) -> list[dict[str, Any]]:
    """One row per operation (not-applicable ones included) for the summary table."""
    summaries = {s.operation: s for s in report.analysis.summaries}
    rows = []
    for o in report.readiness.operations:
        s = summaries.get(o.operation)
        rows.append({
            "code": o.operation, "name": o.name, "linked": s is not None, "status": o.status,
            "status_label": STATUS_LABELS[o.status], "deadline": deadline_text(o.deadline), "days": days_text(o.days_left),
            "fit": percent(o.mandatory_fit_rate), "done": percent(o.completion_rate),
            "gaps": o.open_gaps if s is not None else "—", "violations": s.violations if s is not None else "—",
            "undecided": s.undecided if s is not None else "—", "forecast": forecast_text(o),
        })
    return rows


def operation_view(report: Report, s: Summary, display: _Display) -> dict[str, Any]:
    """Everything one operation's section shows."""
    o = report.operation(s.operation)
    tables = report.analysis.operation_tables(s.operation)
    views = []
    for name in TABLE_NAMES:
        frame = display.items if name == "custom" else display.requirements
        rows = display.rows(frame, tables[name].index)
        views.append({"name": name, "title": TABLE_TITLES[name], "rows": rows, "open": name in OPEN_TABLES,
                      "custom": name == "custom"})
    return {
        "code": s.operation, "name": s.name, "version": s.spec_version,
        "status": o.status if o else "", "status_label": STATUS_LABELS[o.status] if o else "",
        "facts": [
            ("期限", deadline_text(o.deadline) if o else "—"), ("残日数", days_text(o.days_left) if o else "—"),
            ("必須要件 適合率", percent(o.mandatory_fit_rate) if o else "—"),
            ("工程 完了率", percent(o.completion_rate) if o else "—"),
            ("未解消ギャップ", o.open_gaps if o else s.states["gap"]), ("実装不可違反", s.violations),
            ("独自（未決定）", f"{s.custom}（{s.undecided}）"),
        ] + ([("予測", forecast_text(o))] if o is not None and o.forecast is not None and forecast_text(o) else []),
        "reasons": list(o.reasons) if o else [], "tables": views,
        "reasons_ok": bool(o and o.status in ("migrated", "on-track", "extended") and not o.open_work),
    }


class _Display:
    """The requirement and item tables as display text (labels, no missing values), built once for all operations.

    Row order and membership of each operation's tables come from
    :meth:`~gapcheck.analysis.Analysis.operation_tables`; these frames only
    supply the text, looked up by the same index.
    """

    def __init__(self, analysis: Analysis) -> None:
        req, items = analysis.requirements, analysis.items
        self.requirements = _lines("s", _frame(req, [
            ("state", None), ("id", None), ("kind", KIND_LABELS), ("class", CLASS_LABELS), ("title", None),
            ("state", STATE_LABELS), ("items", None), ("deferred_until", None), ("note", None)]))
        """A line per requirement: its state code as the row's class, then ID, kind, class, title, state label,
        items, deferred until, note."""
        self.items = _lines("d", _frame(items, [
            ("disposition", None), ("id", None), ("kind", KIND_LABELS), ("name", None), ("department", None),
            ("disposition", DISPOSITION_LABELS), ("replacement", ref_labels), ("note", None)]))
        """A line per item: its disposition code as the row's class, then ID, kind, name, department, disposition
        label, replacement, note."""

    @staticmethod
    def rows(frame: _Lines, index: pd.Index) -> list[str]:
        """The HTML table rows of the records at ``index`` (labels of the analysis frame), in that order."""
        if not len(index):
            return []
        return list(frame[1][frame[0].get_indexer(index)])


def _lines(prefix: str, table: _Columns) -> _Lines:
    """Every record of ``table`` as one HTML table row (``<tr class="PREFIX-CODE"><td>…``, the first column as the
    code), each value escaped as Jinja's autoescape escapes it, vectorised: each column is escaped in one pass."""
    import numpy as np
    from markupsafe import Markup

    index, columns = table
    escaped = [_escape_column(c) for c in columns]
    lines = np.full(len(index), f'<tr class="{prefix}-', dtype=object) + escaped[0] + '">'
    for column in escaped[1:]:
        lines = lines + "<td>" + column
    return index, np.array([Markup(line + "\n") for line in lines], dtype=object)


_SEP = "\x00"
"""Joins a column's values for one escaping pass: a character markupsafe leaves as it is (and inputs cannot hold)."""


def _escape_column(values: Any) -> Any:
    """markupsafe's escape of every value (as text) of an object array, in one pass
    (:func:`~gapcheck.core.escape.each_at_once`)."""
    import numpy as np
    from markupsafe import escape

    texts = [v if isinstance(v, str) else str(v) for v in values]
    return np.array(each_at_once(texts, lambda t: str(escape(t)), _SEP), dtype=object)


def _frame(df: pd.DataFrame, columns: list[tuple[str, Any]]) -> _Columns:
    """(index, one object array per column) of display text; missing values become empty text.

    A column's labels are a dict (code -> label) or a function of the column (e.g. :func:`ref_labels`).
    """
    out = []
    for col, labels in columns:
        s = df[col]
        if callable(labels):
            s = labels(s)
        elif labels is not None:
            s = s.map(labels).where(s.notna(), s)
        out.append(s.astype(object).where(s.notna(), "").to_numpy(dtype=object))
    return df.index, out
