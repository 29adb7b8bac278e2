"""Markdown: a summary fit for a pull-request comment, full tables inside <details>.

Text from inputs is escaped: ``|`` cannot break a table, ``<``/``>``/``&``
cannot open HTML, ``[``/``]`` cannot make a link or an image, a URL is shown
as inline code (never a link), line breaks are folded and control characters
are escapes.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import TYPE_CHECKING

from gapcheck.analysis.result import TABLE_NAMES
from gapcheck.core.escape import INVISIBLE, each_at_once, visible
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

ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "\\|", "\r": " ", "\n": " ", "\t": " ",
                        "*": "\\*", "_": "\\_", "`": "\\`", "[": "\\[", "]": "\\]",
                        "@": "&#64;", "#": "&#35;", "~": "\\~", "\\": "\\\\",
                        **{chr(c): visible(chr(c)).replace("\\", "\\\\") for c in (*range(0x20), *range(0x7f, 0xa0))
                           if chr(c) not in "\t\n\r"}})
"""Markdown escaping of input text: no table break, no HTML, no emphasis, links or images, no @mention or #issue
reference when the text is posted as a pull-request comment, and no raw control character (shown as ``\\x1b``)."""

URL = re.compile(r"(?i)(?:\b[a-z][a-z0-9+.-]*:/{1,3}|\bwww\.|\bmailto:)\S*")
"""Where a URL starts in input text (a scheme, ``www.``, ``mailto:``) and runs to the next white space."""

_NEEDS_CARE = re.compile(URL.pattern + "|" + INVISIBLE.pattern)
_CARE_STARTS = re.compile(URL.pattern.removesuffix(r"\S*") + "|" + INVISIBLE.pattern)
"""Where :data:`_NEEDS_CARE` can match, without the URL's tail: within a value even when values are joined."""


def cell(value: object) -> str:
    """One Markdown table cell, escaped (:data:`ESCAPE`).

    A URL from the inputs becomes inline code (shown, never a link: GitHub
    would otherwise link a bare ``https://...`` or ``www.`` by itself), and
    invisible characters (bidirectional overrides, zero-width) are escapes.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    if not _NEEDS_CARE.search(text):
        return text.translate(ESCAPE)
    out, last = [], 0
    for m in URL.finditer(text):
        out.append(visible(text[last:m.start()].translate(ESCAPE)))
        out.append(_code(m.group(0)))
        last = m.end()
    out.append(visible(text[last:].translate(ESCAPE)))
    return "".join(out)


def _code(text: str) -> str:
    """``text`` as an inline code span that keeps a table whole (``|`` escaped, as GFM tables read it)."""
    text = visible(text).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_SEP = "\uffff"
"""Joins a column's values for one :data:`ESCAPE` pass: a noncharacter, which the table leaves as it is."""


def escape_column(s: pd.Series) -> pd.Series:
    """:func:`cell` over a string Series, vectorised: the values are translated in one pass
    (:func:`~gapcheck.core.escape.each_at_once`; pandas' ``str.translate`` calls Python once per value), and only
    the few with a URL or an invisible character go one by one."""
    import pandas as pd

    values = s.tolist()
    escaped = each_at_once(values, lambda t: t.translate(ESCAPE), _SEP)
    joined = _SEP.join(values)
    found = [m.start() for m in _CARE_STARTS.finditer(joined)]
    if found:  # the values where a URL starts or an invisible character stands go through cell()
        starts = list(accumulate((len(v) + len(_SEP) for v in values[:-1]), initial=0))
        for n in {bisect_right(starts, at) - 1 for at in found}:
            escaped[n] = cell(values[n])
    return pd.Series(escaped, index=s.index, dtype=object)


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
