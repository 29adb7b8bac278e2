"""Japanese labels for people; the ASCII codes stay the machine vocabulary."""

from __future__ import annotations

import re
from typing import Any

REQUIREMENT_STATES = (
    "fit", "partial", "gap", "deferred", "deferral-expired", "stale",
    "optional-used", "optional-unused", "violation", "forbidden-absent",
)
"""Every state a standard requirement can be in, in report order."""

ITEM_STATES = ("linked", "custom")
"""Every state a current inventory item can be in."""

STATE_LABELS = {
    "fit": "適合 ○",
    "partial": "部分適合 △",
    "gap": "ギャップ ×",
    "deferred": "経過措置",
    "deferral-expired": "経過措置期限切れ",
    "stale": "要再確認（版改定）",
    "optional-used": "オプション利用",
    "optional-unused": "オプション不使用",
    "violation": "実装不可違反",
    "forbidden-absent": "実装不可・該当なし",
    "linked": "標準に対応",
    "custom": "独自（カスタマイズ）",
}

CLASS_LABELS = {"mandatory": "実装必須", "optional": "標準オプション", "forbidden": "実装不可"}
KIND_LABELS = {"function": "機能", "form": "帳票"}
KIND_NAMES = {"function": "機能要件", "form": "帳票要件"}
JUDGEMENT_LABELS = {"fit": "○", "partial": "△", "gap": "×"}
DISPOSITION_LABELS = {
    "undecided": "未決定",
    "abolish": "業務見直しで廃止",
    "replace": "標準・オプション機能で代替",
    "euc": "EUC で対応",
    "external": "標準外で疎結合に構築",
}

COLUMN_LABELS = {
    "operation": "業務", "spec_version": "版", "id": "ID", "kind": "種別", "class": "実装区分", "title": "名称",
    "category": "分類", "summary": "要件", "state": "状態", "judgement": "判定", "items": "現行機能",
    "deferred_until": "経過措置期限", "note": "備考", "name": "名称", "department": "担当", "disposition": "処置",
    "requirements": "対応要件", "replacement": "代替要件", "broken": "切れた対応", "cases": "件数/年",
    "hours": "時間/年",
}
"""Column headers of the analysis tables for people (CSV and workbooks); ``--codes`` keeps the ASCII names."""
VALUE_LABELS = {"kind": KIND_LABELS, "class": CLASS_LABELS, "state": STATE_LABELS, "judgement": JUDGEMENT_LABELS,
                "disposition": DISPOSITION_LABELS}
"""Per column, the Japanese label of each code value."""

REF_KIND = re.compile(r"(?<![\w-])(function|form):")
"""The kind in a requirement ref (``form:0230010``), written only where a function and a form share the ID."""


def ref_label(ref: str) -> str:
    """A ref (or a comma-separated list of refs) for people: ``form:0230010`` -> ``帳票 0230010``; a bare ID stays."""
    return REF_KIND.sub(lambda m: KIND_LABELS[m.group(1)] + " ", ref)


def ref_labels(refs: Any) -> Any:
    """:func:`ref_label` over a pandas Series of refs (missing values stay missing), vectorised."""
    return refs.where(refs.isna(), refs.astype(object).str.replace(REF_KIND, lambda m: KIND_LABELS[m.group(1)] + " ",
                                                                     regex=True))
