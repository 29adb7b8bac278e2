"""The roll-up's tables for people: which columns, under which Japanese header, shown how.

One column list per table, shared by the HTML page, the Excel workbook and
the terminal, so the three always agree.  A column is (header, field of the
result's frame, kind): ``int``, ``pct`` (a 0-1 rate), ``text``, ``status``
(a readiness status code; ``short`` with a short label), ``days``, ``date``, ``bool`` or ``vendor``.  The roll-up arrives
finished (:class:`gapcheck.rollup.result.Rollup`); nothing is computed here
beyond labels and number formats.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gapcheck.core.labels import CLASS_LABELS, KIND_LABELS
from gapcheck.readiness.status import STATUS_LABELS, WORST_FIRST

Column = tuple[str, str, str]

SHORT_STATUS = {"migrated": "移行済み", "on-track": "順調", "at-risk": "遅延リスク", "overdue": "期限超過",
                "extended": "特定移行支援", "not-applicable": "対象外", "preparing": "準備中"}
"""Status labels short enough for a column header."""
MARKS = {"migrated": "済", "on-track": "順", "at-risk": "危", "overdue": "超", "extended": "特", "not-applicable": "－",
         "preparing": "準"}
"""One character per status, for the heat map's cells (the colour says the same)."""
ENTITY_KINDS = {"municipality": "市区町村", "prefecture": "都道府県"}
GROUP_TITLES = {"operation": "業務", "prefecture": "都道府県", "vendor": "ベンダー / 製品"}
BY_TITLES = {"operation": "業務別", "prefecture": "都道府県別", "vendor": "ベンダー・製品別"}

_STATUS_COLUMNS: list[Column] = [(SHORT_STATUS[s], s, "int") for s in WORST_FIRST]
_QUARTILES: list[Column] = [(f"{what} {q}", f"{col}_{key}", "pct") for what, col in (("完了率", "completion"),
                                                                                  ("必須適合率", "fit"))
                            for q, key in (("Q1", "q1"), ("中央値", "median"), ("Q3", "q3"))]
GROUP_COLUMNS: list[Column] = [
    ("団体", "municipalities", "int"), ("うちサンプル", "sample", "int"), ("対象システム", "systems", "int"),
    *_STATUS_COLUMNS, *_QUARTILES, ("未解消ギャップ", "open_gaps", "int"), ("違反", "violations", "int"),
    ("未決定の独自", "undecided", "int"), ("経過措置期限切れ", "expired_deferrals", "int"),
    ("特定移行支援", "special", "int"),
]
"""The summary table's measures (after its key and name)."""
MUNICIPALITY_COLUMNS: list[Column] = [
    ("団体コード", "code", "text"), ("団体名", "name", "text"), ("都道府県", "prefecture_name", "text"),
    ("区分", "kind", "kind"), ("基準日", "as_of", "date"), ("サンプル", "sample", "bool"),
    ("判定", "worst_status", "status"), ("最も遅れている業務", "worst_operation_name", "text"),
    ("期限までの日数", "days_to_deadline", "days"), ("対象業務", "systems", "int"), *_STATUS_COLUMNS,
    ("未解消ギャップ", "open_gaps", "int"), ("違反", "violations", "int"), ("未決定の独自", "undecided", "int"),
    ("特定移行支援", "special", "int"), ("団体の判定", "verdict", "text"), ("結果ファイル", "file", "text"),
]
REQUIREMENT_COLUMNS: list[Column] = [
    ("業務", "operation_name", "text"), ("種別", "kind", "reqkind"), ("要件ID", "requirement_id", "text"),
    ("版", "spec_version", "text"), ("実装区分", "class", "class"), ("ギャップ・違反の団体", "open", "int"),
    ("ギャップ ×", "gap", "int"), ("部分適合 △", "partial", "int"), ("要再確認", "stale", "int"),
    ("実装不可違反", "violation", "int"), ("経過措置", "deferred", "int"), ("この要件のある団体", "municipalities", "int"),
    ("うちサンプル", "sample", "int"),
]
VENDOR_COLUMNS: list[Column] = [("ベンダー", "vendor", "vendor"), ("製品", "product", "vendor")]
EXTENSION_COLUMNS: list[Column] = [
    ("理由", "label", "text"), ("システム", "systems", "int"), ("団体", "municipalities", "int"),
    ("うち移行済み", "migrated", "int"), ("未承認（期限は令和7年度末のまま）", "pending", "int"), ("うちサンプル団体", "sample", "int"),
]


def group_columns(by: str) -> list[Column]:
    """The summary table's columns for ``--by``: its key (and name), then the measures."""
    if by == "operation":
        key: list[Column] = [("業務", "name", "text"), ("コード", "key", "text")]
    elif by == "prefecture":
        key = [("都道府県", "name", "text"), ("コード", "key", "text")]
    else:
        key = VENDOR_COLUMNS
    return key + GROUP_COLUMNS


def requirement_columns(by: str) -> list[Column]:
    return (VENDOR_COLUMNS if by == "vendor" else []) + REQUIREMENT_COLUMNS


def percent(value: Any) -> str:
    return "—" if value is None else f"{float(value) * 100:.1f}%"


def days(value: Any) -> str:
    if value is None:
        return "—"
    return f"残り {value} 日" if value >= 0 else f"{-value} 日超過"


def display(value: Any, kind: str) -> str:
    """A cell as text for people."""
    if kind == "pct":
        return percent(value)
    if kind == "days":
        return days(value)
    if value is None:
        return "（未定）" if kind == "vendor" else ""
    labels = {"status": STATUS_LABELS, "short": SHORT_STATUS, "kind": ENTITY_KINDS, "class": CLASS_LABELS,
              "reqkind": KIND_LABELS}.get(kind)
    if labels is not None:
        return labels.get(value, str(value))
    if kind == "bool":
        return "サンプル" if value else ""
    if kind == "vendor":
        return str(value) or "（未定）"
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    if kind == "int":
        return f"{int(value):,}"
    return str(value)


def rows(df: Any, columns: list[Column]) -> list[list[str]]:
    """The frame's rows as display text, in the columns' order."""
    values = [df[field].tolist() for _, field, _ in columns]
    kinds = [kind for _, _, kind in columns]
    return [[display(v, k) for v, k in zip(row, kinds, strict=True)] for row in zip(*values, strict=True)]


def dates_text(result: Any) -> str:
    """``2026-06-30（3 団体）、2026-05-31（1 団体）``: each as-of date of the results used."""
    return "、".join(f"{d.isoformat()}（{n:,} 団体）" for d, n in reversed(result.dates))


PROBLEM_HEADERS = ("ファイル", "行", "列", "重大度", "コード", "JSONパス", "内容", "期待", "実際")


def table_columns(name: str, by: str) -> list[Column]:
    """The columns of one roll-up table by its name (``groups``, ``municipalities``, ``requirements``, ``extensions``)."""
    return {"groups": group_columns(by), "municipalities": MUNICIPALITY_COLUMNS, "requirements": requirement_columns(by),
            "extensions": EXTENSION_COLUMNS}[name]


def cells(values: list[Any], kind: str) -> list[Any]:
    """Values for a spreadsheet or CSV: counts and rates stay numbers (rates 0-1), codes become labels, missing stays empty."""
    if kind in ("int", "days"):
        return [None if v is None else int(v) for v in values]
    if kind == "pct":
        return [None if v is None else float(v) for v in values]
    return [None if v is None and kind != "vendor" else display(v, kind) for v in values]
