"""Markdown report: a summary fit for a pull-request comment, the full tables folded in <details>.

On top the verdict and the days to the deadline, one row per operation, and
the worst open findings; then, per operation, its fit, gap, violation and
custom tables inside ``<details>``, as many as fit in :data:`MAX_CHARS`
(a pull-request comment holds 65,536): once the limit is reached, a line says
where the full tables are (``--full`` gives them all).  Every value from the inputs goes
through :func:`gapcheck.render.markdown.cell` (escaped).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gapcheck.analysis.result import TABLE_NAMES
from gapcheck.core.labels import (
    CLASS_LABELS,
    DISPOSITION_LABELS,
    JUDGEMENT_LABELS,
    KIND_LABELS,
    STATE_LABELS,
    ref_label,
    ref_labels,
)
from gapcheck.readiness.status import STATUS_LABELS
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
from gapcheck.render.markdown import (
    ITEM_HEADERS,
    REQ_HEADERS,
    TABLE_TITLES,
    cell,
    escape_column,
    percent,
    table,
)
from gapcheck.render.readiness import days_text, deadline_text

if TYPE_CHECKING:
    import pandas as pd

    from gapcheck.analysis.result import Summary
    from gapcheck.readiness.bundle import Report

REQ_COLUMNS = [("id", None), ("kind", KIND_LABELS), ("class", CLASS_LABELS), ("title", None), ("state", STATE_LABELS),
               ("judgement", JUDGEMENT_LABELS), ("items", None), ("deferred_until", None), ("note", None)]
ITEM_COLUMNS = [("id", None), ("kind", KIND_LABELS), ("name", None), ("department", None),
                ("disposition", DISPOSITION_LABELS), ("replacement", ref_labels), ("note", None)]

WORST = 10
"""Rows of the "worst gaps" table."""
MAX_CHARS = 60_000
"""The report's length without ``full``: below GitHub's 65,536 characters for a comment."""
CUT_NOTE = ("> 文字数の上限（{limit:,} 字）のため、以降の業務の表は省略しました（{left} 業務）。"
            "全件は report.html・report.json（CI の成果物）を参照するか、"
            "`gapcheck report --format markdown --full` で出力してください。\n")

OPERATION_HEADERS = ["業務", "状態", "期限", "残日数", "必須 適合率", "工程 完了率", "未解消ギャップ", "うち部分適合",
                     "要再確認", "経過措置", "うち期限切れ", "違反", "未決定の独自"]


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The whole report as Markdown."""
    r = report.readiness
    a = report.analysis
    lines = {"requirements": _lines(a.requirements, REQ_COLUMNS), "items": _lines(a.items, ITEM_COLUMNS)}
    parts = [f"# 標準化 Fit & Gap・移行準備レポート: {cell(report.municipality)}\n\n"]
    if report.sample:
        parts.append("> サンプルデータによる結果です（公式の標準仕様書ではありません）。\n\n")
    parts.append(f"**{cell(r.verdict)}**\n\n")
    parts.append(f"- 基準日: {r.as_of.isoformat()}\n")
    if report.deadlines:
        parts.append(f"- 移行期限 {deadline_text(report.deadlines[0])}: {days_text(r.days_to_deadline)}\n")
    parts.append("\n")
    parts.append(operations_table(report) + "\n")
    parts.append(worst_table(report))
    size = sum(len(p) for p in parts)
    summaries = list(report.analysis.summaries)
    for n, s in enumerate(summaries):
        details = operation_details(report, s, lines)
        note = CUT_NOTE.format(limit=MAX_CHARS, left=len(summaries) - n)
        if not options.full and size + len(details) + len(note) > MAX_CHARS - len(note):
            parts.append(note)
            break
        parts.append(details)
        size += len(details)
    return "".join(parts)


def operations_table(report: Report) -> str:
    """One row per operation: readiness and Fit & Gap counts."""
    summaries = {s.operation: s for s in report.analysis.summaries}
    rows: list[list[object]] = []
    for o in report.readiness.operations:
        s = summaries.get(o.operation)
        st = s.states if s is not None else {}
        rows.append([f"{o.name} ({o.operation})", STATUS_LABELS[o.status], deadline_text(o.deadline),
                     days_text(o.days_left), percent(o.mandatory_fit_rate), percent(o.completion_rate),
                     o.open_gaps if s is not None else "—", st.get("partial", "—"), st.get("stale", "—"),
                     st.get("deferred", 0) + st.get("deferral-expired", 0) if s is not None else "—",
                     st.get("deferral-expired", "—"),
                     s.violations if s else "—", s.undecided if s else "—"])
    return table(OPERATION_HEADERS, rows)


def worst_table(report: Report) -> str:
    worst = report.worst_gaps(WORST)
    if not len(worst):
        return "## 主なギャップ\n\n未解消のギャップ・違反はありません。\n\n"
    rows = [[f"{w['name']} ({w['operation']})", ref_label(w["ref"]), w["title"], STATE_LABELS.get(w["state"], w["state"]),
             w["items"], w["note"]] for w in worst.to_dict("records")]
    return (f"## 主なギャップ（上位 {len(worst)} 件）\n\n"
            + table(["業務", "ID", "名称", "状態", "現行機能", "備考"], rows) + "\n")


def operation_details(report: Report, s: Summary, lines: dict[str, pd.Series]) -> str:
    """One operation's four tables, folded in <details>."""
    tables = report.analysis.operation_tables(s.operation)
    counts = "・".join(f"{TABLE_TITLES[n].split('（')[0]} {len(tables[n])}" for n in TABLE_NAMES)
    out = [f"<details><summary>{cell(s.name)} ({s.operation}) 第{cell(s.spec_version)}版: {counts}</summary>\n\n"]
    for name in TABLE_NAMES:
        index = tables[name].index
        out.append(f"#### {TABLE_TITLES[name]}: {len(index)} 件\n\n")
        if len(index):
            custom = name == "custom"
            out.append(table(ITEM_HEADERS if custom else REQ_HEADERS, []))
            out.append("".join(lines["items" if custom else "requirements"].loc[index]))
        else:
            out.append("（なし）\n")
        out.append("\n")
    out.append("</details>\n\n")
    return "".join(out)


def _lines(df: pd.DataFrame, columns: list[tuple[str, Any]]) -> pd.Series:
    """Every row of ``df`` as one escaped Markdown table line (a Series on the same index), vectorised."""
    import pandas as pd

    if not len(df):
        return pd.Series([], index=df.index, dtype=object)
    cells = []
    for col, labels in columns:
        s = df[col]
        if callable(labels):  # a function of the column (refs), else a dict of labels
            s = labels(s)
        elif labels is not None:
            s = s.map(labels).where(s.notna(), s)
        cells.append(escape_column(s.astype(object).where(s.notna(), "").astype(str)))
    joined = cells[0].str.cat(cells[1:], sep=" | ")  # type: ignore[arg-type]  # a list of Series, as pandas documents
    return "| " + joined + " |\n"
