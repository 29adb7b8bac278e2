"""Suggested links in the Fit & Gap worksheet (``mapping template --suggest``), and back.

With ``--suggest`` the template gets, for every current item with no link and
no decided disposition, its best requirements
(:func:`gapcheck.analysis.suggest.suggest_items`):

* a read-only 候補（参考） column on the 独自機能 sheet: the top 3 IDs with
  their titles, and
* a 候補 sheet listing every suggestion with an empty 判定 column (○/△/× as a
  drop-down) and a 備考 column.

A suggestion is never a judgement.  ``mapping import`` ignores the 候補（参考）
column; a row of the 候補 sheet becomes a link only when a person has filled in
its 判定 (with the item and requirement of that row).  A judged suggestion of
共通機能 cannot be a link of this operation's mapping: it is refused with
``requirement-other-operation`` (record it in the 共通機能 mapping).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gapcheck.analysis.suggest import Suggestion, common_catalogue, suggest_items
from gapcheck.core.labels import CLASS_LABELS, JUDGEMENT_LABELS, KIND_LABELS
from gapcheck.core.messages import Msg
from gapcheck.core.model import Catalogue, InventoryItem, Project
from gapcheck.vendor.cells import cell_id, cell_text, header_key
from gapcheck.vendor.kinds import KIND_TEXT
from gapcheck.vendor.worksheet_layout import JUDGEMENT_TEXT, REQS

SUGGEST = "候補"
"""The sheet of suggested links."""
TEMPLATE_TOP = 3
"""Suggestions per item in the worksheet."""
CANDIDATES_COLUMN = ("candidates", "候補（参考）", 48)
"""The read-only column of the 独自機能 sheet with the top suggestions of an item."""
SUGGEST_COLUMNS = (
    ("item", "現行機能ID", 13), ("item_name", "現行機能名（参考）", 24), ("rank", "順位", 6),
    ("requirement", "要件ID", 11), ("operation", "業務", 10), ("kind", "種別", 6), ("class", "実装区分", 13),
    ("title", "名称", 30), ("score", "スコア（参考）", 10), ("matched", "一致した語（参考）", 24),
    ("judgement", "判定（○/△/×）", 12), ("note", "備考", 30),
)
SUGGEST_INPUT_COLUMNS = ("judgement", "note")
"""The columns of the 候補 sheet a person fills in; the others are read-only context."""


def open_items(items: Sequence[InventoryItem], mapping: dict[str, Any] | None) -> list[InventoryItem]:
    """The items the worksheet's mapping gives no link and no decided disposition."""
    m = mapping or {}
    linked = {ln["item"] for ln in m.get("links", [])}
    decided = {c["item"] for c in m.get("custom", []) if c.get("disposition", "undecided") != "undecided"}
    return [i for i in items if i.id not in linked and i.id not in decided]


def worksheet_suggestions(project: Project, catalogue: Catalogue, items: Sequence[InventoryItem],
                          mapping: dict[str, Any] | None, top: int = TEMPLATE_TOP) -> dict[str, tuple[Suggestion, ...]]:
    """Item ID -> its ``top`` suggestions, for the open items of the worksheet (:func:`open_items`)."""
    common = common_catalogue(project, catalogue.operation)
    return suggest_items(catalogue, common, open_items(items, mapping), top, items)


def candidates_text(suggestions: Sequence[Suggestion], operation: str) -> str:
    """The 候補（参考） cell: ``0230205 認定調査の依頼管理 / 0230215 …`` (共通機能 ones marked)."""
    return " / ".join(f"{s.requirement}{'' if s.operation == operation else f'［{s.operation}］'} {s.title}"
                      for s in suggestions)


def suggestion_rows(suggestions: dict[str, tuple[Suggestion, ...]], items: Sequence[InventoryItem]) -> list[dict[str, Any]]:
    """Rows of the 候補 sheet, in inventory order, best suggestion first; 判定 and 備考 empty."""
    rows = []
    for item in items:
        for n, s in enumerate(suggestions.get(item.id, ()), 1):
            rows.append({"item": item.id, "item_name": item.name, "rank": n, "requirement": s.requirement,
                         "operation": s.operation, "kind": KIND_LABELS.get(s.kind, s.kind),
                         "class": CLASS_LABELS.get(s.klass, s.klass), "title": s.title, "score": round(s.score, 2),
                         "matched": "、".join(s.matched), "judgement": "", "note": ""})
    return rows


def add_validation(ws: Any, n_rows: int) -> None:
    """The ○/△/× drop-down on the 判定 column of the 候補 sheet."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(next(n for n, (key, _, _) in enumerate(SUGGEST_COLUMNS, 1) if key == "judgement"))
    judge = DataValidation(type="list", formula1='"' + ",".join(JUDGEMENT_LABELS.values()) + '"', allow_blank=True,
                           showErrorMessage=True, errorTitle="判定", error="○、△、× のいずれかを選んでください。")
    judge.add(f"{letter}2:{letter}{n_rows + 1}")
    ws.add_data_validation(judge)


def read_judged(imp: Any, sheet: Any, catalogue: Catalogue, items: Sequence[InventoryItem] | None,
                links: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The links of the 候補 sheet (none when ``sheet`` is None): only rows whose 判定 a person filled in.

    ``imp`` and ``sheet`` are the importer and the read sheet of
    :mod:`gapcheck.vendor.worksheet_import` (which calls this).

    ``items`` are the inventory items of the operation (None: no inventory
    loaded, item IDs are not checked); ``links`` those of the 要件一覧 sheet:
    the same link judged again here is a ``link-duplicate`` problem.
    """
    if sheet is None:  # a worksheet made without --suggest
        return []
    reqs = {r.id for r in catalogue.requirements}
    item_ids = {i.id for i in items} if items is not None else None
    seen = {(ln["item"], ln["requirement"]) for ln in links}
    judged: list[dict[str, Any]] = []
    mine: dict[tuple[str, str], int] = {}
    for r in range(2, len(sheet.rows) + 1):
        judgement, note = sheet.text(r, "judgement"), sheet.text(r, "note", exact=True)
        if r in sheet.bad_rows:
            continue
        if not judgement:
            if note:
                imp.problem(sheet, r, "judgement", "worksheet-missing-value", Msg("note-no-judgement"),
                            Msg("judgement-marks-or-no-note"), Msg("an-empty-cell"))
            continue
        link = _judged_link(imp, sheet, r, catalogue, reqs, item_ids, judgement, note)
        if link is None:
            continue
        pair = (link["item"], link["requirement"])
        if pair in seen or pair in mine:
            where = Msg("sheet-name", sheet=REQS) if pair in seen else Msg("row-n", row=mine[pair])
            imp.problem(sheet, r, "judgement", "link-duplicate", Msg("link-duplicate-where", item=pair[0], rid=pair[1], where=where),
                        Msg("each-link-once"), repr(judgement))
            continue
        mine[pair] = r
        judged.append(link)
    return judged


def _judged_link(imp: Any, sheet: Any, r: int, catalogue: Catalogue, reqs: set[str], item_ids: set[str] | None,
                 judgement: str, note: str) -> dict[str, Any] | None:
    item, rid = sheet.text(r, "item"), cell_id(sheet.get(r, "requirement"))
    operation = sheet.text(r, "operation") or catalogue.operation
    code = JUDGEMENT_TEXT.get(header_key(judgement)) or JUDGEMENT_TEXT.get(judgement)
    if code is None:
        imp.problem(sheet, r, "judgement", "worksheet-invalid-value", Msg("not-a-judgement"), Msg("judgement-marks"), repr(judgement))
    elif not item or not rid:
        imp.problem(sheet, r, "item" if not item else "requirement", "missing-id",
                    Msg("judged-no-item-id" if not item else "judged-no-requirement-id", row=r),
                    Msg("suggestion-ids"), Msg("an-empty-cell"))
    elif item_ids is not None and item not in item_ids:
        imp.problem(sheet, r, "item", "unknown-item", Msg("no-such-item"), Msg("an-item-id-of-items-sheet"), repr(item))
    elif operation != catalogue.operation:
        imp.problem(sheet, r, "requirement", "requirement-other-operation",
                    Msg("suggestion-other-operation", rid=rid, operation=operation, own=catalogue.operation),
                    Msg("a-requirement-of-op", operation=catalogue.operation),
                    repr(cell_text(sheet.get(r, "requirement"))))
    elif rid not in reqs:
        imp.problem(sheet, r, "requirement", "unknown-requirement",
                    Msg("unknown-requirement", rid=rid, operation=catalogue.operation, version=catalogue.version),
                    Msg("a-requirement-id-of", file=catalogue.file), repr(rid))
    else:
        link = {k: v for k, v in (("item", item), ("requirement", rid), ("judgement", code), ("note", note)) if v}
        kind = KIND_TEXT.get(header_key(sheet.text(r, "kind")))  # suggestions are of the item's kind: kind: only if not
        return imp.rule.canonical(link, kind, True) if kind is not None else link
    return None
