"""The layout of a Fit & Gap worksheet, shared by the template and the import.

Its sheets and their columns, the marks written into cells (不使用,
要再確認), and how text goes into a cell and comes back: text that Excel
would take for a formula is written neutralised and read back as it was.
"""

from __future__ import annotations

import re
from typing import Any

from gapcheck.core.labels import DISPOSITION_LABELS, JUDGEMENT_LABELS
from gapcheck.vendor.cells import header_key
from gapcheck.vendor.workbook import cell_value, unneutralise  # noqa: F401  (how text goes into a cell and back: shared)

TAG = "mapping-worksheet/1"
INFO, REQS, CUSTOM, ITEMS = "情報", "要件一覧", "独自機能", "現行機能"

INFO_ROWS = (
    ("gapcheck", "様式"), ("operation", "業務コード"), ("operation_name", "業務名（参考）"),
    ("spec_version", "仕様書の版"), ("vendor", "ベンダー"), ("product", "製品"), ("date", "回答日"),
    ("sample", "サンプル"), ("source", "出典"), ("note", "備考"),
)
"""Rows of the 情報 sheet: key (column A), label (B); the value is in column C."""

REQ_COLUMNS = (
    ("requirement", "要件ID", 11), ("kind", "種別", 6), ("class", "実装区分", 13), ("title", "名称", 30),
    ("summary", "要件の概要", 50), ("item", "現行機能ID", 13), ("item_name", "現行機能名（参考）", 24),
    ("judgement", "判定（○/△/×）", 12), ("note", "備考", 30), ("date", "判定日", 12),
    ("unused", "オプション不使用", 14), ("unused_note", "不使用の理由", 24),
    ("until", "経過措置の期限", 14), ("deferral_note", "経過措置の備考", 24), ("review", "改定による再確認（参考）", 30),
)
CUSTOM_COLUMNS = (
    ("item", "現行機能ID", 13), ("kind", "種別", 6), ("name", "名称", 30), ("disposition", "対応方針", 24),
    ("requirement", "代替する要件ID", 14), ("note", "備考", 30),
    ("requirement_kind", "代替要件の種別", 10),
)
ITEM_COLUMNS = (("item", "現行機能ID", 13), ("kind", "種別", 6), ("name", "名称", 30), ("description", "説明", 50))
INPUT_COLUMNS = ("item", "judgement", "note", "date", "unused", "unused_note", "until", "deferral_note")
"""The columns of 要件一覧 a vendor fills in; the others are read-only context."""
FREE_TEXT = frozenset({"note", "unused_note", "deferral_note"})
"""Columns of free text, read back exactly as written (leading spaces, CR and LF kept)."""

UNUSED_MARK = "不使用"
REVIEW_MARK = "要再確認"
"""Starts the 改定による再確認 cell of a carried-over link whose judgement must be made again."""
REVIEW_CELL = re.compile(r"要再確認: 旧版 (?P<version>\S+) で (?P<judgement>\S+) \((?P<item>[^,)]+)")
"""What :func:`review_mark` writes, read back by the import."""

def review_mark(link: dict[str, Any]) -> str:
    """The 改定による再確認 text of a stale carried-over link, e.g. ``要再確認: 旧版 5.0 で ○ (KG-F014)``.

    The old judgement date, if any, follows the item: ``(KG-F014, 2025-06-30)``.
    """
    old = link["review"]
    judged = JUDGEMENT_LABELS.get(old["judgement"], old["judgement"])
    detail = ", ".join([link["item"], *([old["date"]] if old.get("date") else [])])
    return f"{REVIEW_MARK}: 旧版 {old['version']} で {judged} ({detail})"


JUDGEMENT_TEXT = {
    "○": "fit", "◯": "fit", "〇": "fit", "fit": "fit", "適合": "fit",
    "△": "partial", "▲": "partial", "partial": "partial", "部分適合": "partial",
    "×": "gap", "✕": "gap", "✖": "gap", "x": "gap", "gap": "gap", "ギャップ": "gap",
}
"""Judgements as a vendor may write them (in :func:`~gapcheck.cells.header_key` form, or as written) -> code."""


UNUSED_TEXT = {"不使用", "○", "◯", "〇", "true", "yes", "1"}
"""Marks of the オプション不使用 column that mean: this optional requirement is left unused."""


DISPOSITION_TEXT = {
    **{header_key(label): code for code, label in DISPOSITION_LABELS.items()},
    **{code: code for code in DISPOSITION_LABELS},
    "未決定": "undecided", "業務見直し": "abolish", "廃止": "abolish", "代替": "replace",
    "euc": "euc", "外部": "external", "独自施策": "external",
}
"""Dispositions of the 独自機能 sheet as a vendor may write them (in :func:`~gapcheck.cells.header_key` form) -> code."""
