"""Markdown: a summary fit for a pull-request comment, full tables inside <details>.

Text from inputs is escaped: ``|`` cannot break a table, ``<``/``>``/``&``
cannot open HTML, and line breaks are folded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from gapcheck.analysis.result import TABLE_NAMES
from gapcheck.core.labels import (
    CLASS_LABELS,
    DISPOSITION_LABELS,
    KIND_LABELS,
    STATE_LABELS,
    ref_label,
)
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions

if TYPE_CHECKING:
    import pandas as pd

    from gapcheck.analysis.result import Analysis

ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "\\|", "\r": " ", "\n": " ",
                        "*": "\\*", "_": "\\_", "`": "\\`", "[": "\\[", "]": "\\]",
                        "@": "&#64;", "#": "&#35;"})
"""Markdown escaping of input text: no table break, no HTML, no emphasis or links, and no @mention or #issue
reference when the text is posted as a pull-request comment."""


def cell(value: object) -> str:
    """One Markdown table cell, escaped (:data:`ESCAPE`)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).translate(ESCAPE)


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def summary_table(analysis: Analysis) -> str:
    headers = ["業務", "版", "必須 機能 適合率", "必須 帳票 適合率", "適合", "部分", "ギャップ", "経過措置", "経過措置期限切れ",
               "要再確認", "違反", "独自", "未決定"]
    rows: list[list[object]] = []
    for s in list(analysis.summaries) + [analysis.overall]:
        st = s.states
        rows.append([f"{s.name} ({s.operation})" if s.operation != "*" else "**合計**", s.spec_version,
                     percent(s.fit_rate_functions), percent(s.fit_rate_forms), st["fit"], st["partial"], st["gap"],
                     st["deferred"], st["deferral-expired"], st["stale"], s.violations, s.custom, s.undecided])
    text = table(headers, rows)
    return text.replace("\\*\\*合計\\*\\*", "**合計**")


REQ_HEADERS = ["ID", "種別", "実装区分", "名称", "状態", "判定", "現行機能", "経過措置期限", "備考"]
ITEM_HEADERS = ["現行ID", "種別", "名称", "担当", "処置", "代替要件", "備考"]


def requirement_rows(df: pd.DataFrame) -> list[list[object]]:
    return [[r["id"], KIND_LABELS.get(r["kind"], r["kind"]), CLASS_LABELS.get(r["class"], r["class"]), r["title"],
             STATE_LABELS.get(r["state"], r["state"]), r["judgement"], r["items"], r["deferred_until"], r["note"]]
            for r in df.to_dict("records")]


def item_rows(df: pd.DataFrame) -> list[list[object]]:
    return [[r["id"], KIND_LABELS.get(r["kind"], r["kind"]), r["name"], r["department"],
             DISPOSITION_LABELS.get(r["disposition"], r["disposition"]),
             ref_label(r["replacement"]) if isinstance(r["replacement"], str) else r["replacement"], r["note"]]
            for r in df.to_dict("records")]


def operation_table(analysis: Analysis, operation: str, name: str) -> str:
    df = analysis.operation_tables(operation)[name]
    if name == "custom":
        return table(ITEM_HEADERS, item_rows(df))
    return table(REQ_HEADERS, requirement_rows(df))


TABLE_TITLES = {"fit": "適合（○・オプション利用）", "gap": "ギャップ（×・△・経過措置・要再確認）",
                "violation": "実装不可違反", "custom": "独自機能・帳票（標準に対応なし）"}


def render(analysis: Analysis, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The whole analysis as Markdown."""
    head = f"# Fit & Gap 分析: {cell(analysis.municipality)}\n\n"
    if analysis.sample:
        head += "> サンプルデータによる結果です（公式の標準仕様書ではありません）。\n\n"
    parts = [head, summary_table(analysis), "\n"]
    for s in analysis.summaries:
        parts.append(f"## {cell(s.name)} ({s.operation}) 第{s.spec_version}版\n\n")
        for name in TABLE_NAMES:
            n = len(analysis.operation_tables(s.operation)[name])
            parts.append(f"<details><summary>{TABLE_TITLES[name]}: {n} 件</summary>\n\n")
            parts.append(operation_table(analysis, s.operation, name) if n else "（なし）\n")
            parts.append("\n</details>\n\n")
    return "".join(parts)
