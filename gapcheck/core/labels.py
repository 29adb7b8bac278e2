"""Japanese labels for people; the ASCII codes stay the machine vocabulary."""

from __future__ import annotations

import re
from typing import Any

REQUIREMENT_STATES = (
    "fit", "partial", "gap", "deferred", "stale",
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


REF_KIND = re.compile(r"(?<![\w-])(function|form):")
"""The kind in a requirement ref (``form:0230010``), written only where a function and a form share the ID."""


def ref_label(ref: str) -> str:
    """A ref (or a comma-separated list of refs) for people: ``form:0230010`` -> ``帳票 0230010``; a bare ID stays."""
    return REF_KIND.sub(lambda m: KIND_LABELS[m.group(1)] + " ", ref)


def ref_labels(refs: Any) -> Any:
    """:func:`ref_label` over a pandas Series of refs (missing values stay missing), vectorised."""
    return refs.where(refs.isna(), refs.astype(object).str.replace(REF_KIND, lambda m: KIND_LABELS[m.group(1)] + " ",
                                                                     regex=True))
