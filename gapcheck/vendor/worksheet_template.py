"""The Fit & Gap worksheet template: its content, filled in from a mapping, written as .xlsx or as mapping YAML.

The template lists every requirement of one spec version with columns to
fill (the current item, the judgement ○/△/× as a drop-down, a note, a date,
and the 標準オプション / 経過措置 decisions) and a sheet of the current items
with no standard counterpart, each with a disposition drop-down.  Links are
written in catalogue order (one row per link, one empty row for a requirement
with none); custom items in inventory order.  The same template always gives
the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from gapcheck.core.labels import (
    CLASS_LABELS,
    DISPOSITION_LABELS,
    JUDGEMENT_LABELS,
    KIND_LABELS,
)
from gapcheck.core.model import Catalogue, InventoryItem, Mapping
from gapcheck.vendor.kinds import KindRule, item_cell
from gapcheck.vendor.workbook import (
    FIXED_TIME,
    column_letters,
    drop_down,
    guide_sheet,
    protect,
    stable_bytes,
    style_header,
    too_long,
    write_sheet,
)
from gapcheck.vendor.worksheet_layout import (
    CUSTOM,
    CUSTOM_COLUMNS,
    INFO,
    INFO_ROWS,
    INPUT_COLUMNS,
    ITEM_COLUMNS,
    ITEMS,
    REQ_COLUMNS,
    REQS,
    REVIEW_MARK,
    TAG,
    UNUSED_MARK,
    review_mark,
)
from gapcheck.vendor.worksheet_suggest import (
    CANDIDATES_COLUMN,
    SUGGEST,
    SUGGEST_COLUMNS,
    SUGGEST_INPUT_COLUMNS,
    add_validation,
    candidates_text,
    suggestion_rows,
)
from gapcheck.vendor.yamldump import Dumper, dump_yaml

__all__ = ["FIXED_TIME", "Template", "build_template", "mapping_document", "template_xlsx", "template_yaml"]

if TYPE_CHECKING:
    from gapcheck.analysis.suggest import Suggestion


# -- template content --------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """The content of a worksheet, sheet by sheet, before it becomes Excel or YAML."""

    info: tuple[tuple[str, str, Any], ...]
    """(key, label, value) rows of the 情報 sheet."""
    requirements: tuple[dict[str, Any], ...]
    """Rows of 要件一覧 keyed by :data:`REQ_COLUMNS`."""
    custom: tuple[dict[str, Any], ...]
    """Rows of 独自機能 keyed by :data:`CUSTOM_COLUMNS`."""
    items: tuple[dict[str, Any], ...]
    """Rows of 現行機能 keyed by :data:`ITEM_COLUMNS`."""
    changes: dict[tuple[str, str], str] = field(default_factory=dict)
    """(kind, requirement ID) -> what the revision changed (the ``review`` argument of :func:`build_template`)."""
    suggestions: tuple[dict[str, Any], ...] | None = None
    """Rows of the 候補 sheet keyed by :data:`SUGGEST_COLUMNS` (None: made without ``--suggest``)."""


def mapping_document(mapping: Mapping, raw: dict[str, Any] | None = None, rule: KindRule | None = None) -> dict[str, Any]:
    """A loaded mapping as the YAML document it stands for (normalised values).

    ``raw`` is the file's own data, for the fields the model does not keep
    (``source``, ``note``).  ``rule`` (:func:`~gapcheck.vendor.kinds.kind_rule`
    of the mapping's catalogue) says where ``kind:`` is needed; without it
    every entry says its kind.
    """
    rule = rule or KindRule(None)
    doc: dict[str, Any] = {"gapcheck": "mapping/1", "operation": mapping.operation, "spec_version": mapping.spec_version}
    for key in ("vendor", "product", "date"):
        if getattr(mapping, key):
            doc[key] = getattr(mapping, key)
    if mapping.sample:
        doc["sample"] = True
    for key in ("source", "note"):
        if raw and isinstance(raw.get(key), str) and raw[key]:
            doc[key] = raw[key]
    parts = {
        "links": [rule.canonical(_drop_empty({"item": ln.item, "item_operation": ln.item_operation, "requirement": ln.requirement,
                                              "judgement": ln.judgement, "note": ln.note, "date": ln.date}), ln.kind, True)
                  for ln in mapping.links],
        "custom": [rule.canonical(_drop_empty({"item": c.item, "disposition": c.disposition, "requirement": c.requirement,
                                               "note": c.note}), c.kind, False) for c in mapping.custom],
        "optional_unused": [rule.canonical(_drop_empty({"requirement": d.requirement, "note": d.note}), d.kind, False)
                            for d in mapping.optional_unused],
        "deferrals": [rule.canonical(_drop_empty({"requirement": d.requirement, "until": d.until, "note": d.note}), d.kind, False)
                      for d in mapping.deferrals],
    }
    doc.update({k: v for k, v in parts.items() if v})
    return doc


def _drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v not in (None, "", [], False)}


def build_template(catalogue: Catalogue, items: Sequence[InventoryItem], mapping: dict[str, Any] | None = None,
                   operation_name: str = "", review: dict[tuple[str, str], str] | None = None,
                   suggestions: dict[str, tuple[Suggestion, ...]] | None = None) -> Template:
    """The worksheet content for ``catalogue``, filled in from a mapping document if given.

    ``items`` are the operation's own (then, for a shared scope, every other
    operation's: :func:`~gapcheck.vendor.kinds.template_items`).  ``review``
    ((kind, ID) -> text) fills the read-only 改定による再確認 column, e.g. from
    :func:`~gapcheck.carryover.carry_over`.  A link with a ``review`` entry (a
    stale link of a carry-over) gets an empty judgement and date, and its old
    judgement in that column (:func:`review_mark`).  ``suggestions`` (item ID
    -> suggested links, from
    :func:`~gapcheck.vendor.worksheet_suggest.worksheet_suggestions`) fills
    the 候補（参考） column of 独自機能 and the 候補 sheet.
    """
    m = mapping or {}
    op = catalogue.operation
    rule = KindRule(catalogue, items)
    names = {item_cell(i.id, i.operation, op): i.name for i in items}
    links: dict[tuple[str | None, str], list[dict[str, Any]]] = {}
    for ln in m.get("links", []):
        links.setdefault((rule.kind(ln, True), ln["requirement"]), []).append(ln)
    unused = {(rule.kind(d, False), d["requirement"]): d for d in m.get("optional_unused", [])}
    deferred = {(rule.kind(d, False), d["requirement"]): d for d in m.get("deferrals", [])}
    known = {(r.kind, r.id) for r in catalogue.requirements}
    extra = [key for key in dict.fromkeys([*links, *unused, *deferred]) if key not in known]
    rows: list[dict[str, Any]] = []
    for r in catalogue.requirements:
        own_key: tuple[str | None, str] = (r.kind, r.id)
        context = {"requirement": r.id, "kind": KIND_LABELS.get(r.kind, r.kind), "class": CLASS_LABELS.get(r.klass, r.klass),
                   "title": r.title, "summary": r.summary, "review": (review or {}).get((r.kind, r.id), "")}
        rows.extend(_requirement_rows(context, links.get(own_key, []), unused.get(own_key), deferred.get(own_key), names, op))
    for key in extra:  # links and decisions naming what the catalogue does not hold
        context = {"requirement": key[1], "kind": KIND_LABELS.get(key[0] or "", "")}
        rows.extend(_requirement_rows(context, links.get(key, []), unused.get(key), deferred.get(key), names, op))
    item_rows = tuple({"item": item_cell(i.id, i.operation, op), "kind": KIND_LABELS.get(i.kind, i.kind), "name": i.name,
                       "description": i.description} for i in items)
    own = [i for i in items if i.operation == op]
    candidates = tuple(suggestion_rows(suggestions, own)) if suggestions is not None else None
    return Template(_info(catalogue, m, operation_name), tuple(rows), _custom_rows(m, own, rule, suggestions, op), item_rows,
                    dict(review or {}), candidates)


def _info(catalogue: Catalogue, m: dict[str, Any], operation_name: str) -> tuple[tuple[str, str, Any], ...]:
    """The rows of the 情報 sheet."""
    info = (("gapcheck", "", TAG), ("operation", "", catalogue.operation), ("operation_name", "", operation_name),
            ("spec_version", "", catalogue.version), ("vendor", "", m.get("vendor", "")), ("product", "", m.get("product", "")),
            ("date", "", m.get("date", "")), ("sample", "", "true" if m.get("sample") else ""),
            ("source", "", m.get("source", "")), ("note", "", m.get("note", "")))
    labels = dict(INFO_ROWS)
    return tuple((k, labels[k], v) for k, _, v in info)


def _custom_rows(m: dict[str, Any], items: list[InventoryItem], rule: KindRule,
                 suggestions: dict[str, tuple[Suggestion, ...]] | None, operation: str) -> tuple[dict[str, Any], ...]:
    """Rows of 独自機能: the operation's own items no link names, and every item with a disposition."""
    linked = {ln["item"] for ln in m.get("links", []) if not ln.get("item_operation")}
    custom = {c["item"]: c for c in m.get("custom", [])}
    by_id = {i.id: i for i in items}
    rows = []
    for iid in [i.id for i in items if i.id not in linked] + [c for c in custom if c not in by_id]:
        c = custom.get(iid, {})
        item = by_id.get(iid)
        kind = rule.kind(c, False) if c.get("requirement") else None
        rows.append({"item": iid, "kind": KIND_LABELS.get(item.kind, item.kind) if item else "",
                     "name": item.name if item else "",
                     "disposition": DISPOSITION_LABELS.get(c.get("disposition", ""), ""),
                     "requirement": c.get("requirement", ""), "requirement_kind": KIND_LABELS.get(kind or "", ""),
                     "note": c.get("note", "")}
                    | ({"candidates": candidates_text(suggestions.get(iid, ()), operation)} if suggestions is not None else {}))
    return tuple(rows)


def _requirement_rows(context: dict[str, Any], links: list[dict[str, Any]], unused: dict[str, Any] | None,
                      deferral: dict[str, Any] | None, names: dict[str, str], operation: str) -> list[dict[str, Any]]:
    rows = []
    for ln in links or [{}]:
        row = {key: "" for key, _, _ in REQ_COLUMNS} | context
        cell = item_cell(ln["item"], ln.get("item_operation"), operation) if ln else ""
        if ln.get("review"):
            # stale: the item stays for context, the judgement is to be made again
            row.update(item=cell, item_name=names.get(cell, ""), note=ln.get("note", ""),
                       review="。".join(t for t in (review_mark(ln), context.get("review", "")) if t))
        elif ln:
            row.update(item=cell, item_name=names.get(cell, ""),
                       judgement=JUDGEMENT_LABELS.get(ln["judgement"], ln["judgement"]), note=ln.get("note", ""),
                       date=ln.get("date", ""))
        rows.append(row)
    if unused is not None:
        rows[0].update(unused=UNUSED_MARK, unused_note=unused.get("note", ""))
    if deferral is not None:
        rows[0].update(until=deferral["until"], deferral_note=deferral.get("note", ""))
    return rows


# -- writing Excel ---------------------------------------------------------------------------


def template_xlsx(template: Template, shown: str = "<mapping template>") -> bytes:
    """The worksheet as .xlsx bytes: the same template always gives the same bytes.

    Raises :class:`~gapcheck.core.errors.InvalidInput` (``cell-too-long``,
    named ``shown`` and ``sheet!cell``) for text longer than an Excel cell
    holds: Excel would cut it without a word.
    """
    import openpyxl
    from openpyxl.styles import PatternFill

    from gapcheck.core.errors import InvalidInput

    long = [p for name, cols, rows in ((REQS, REQ_COLUMNS, template.requirements), (CUSTOM, CUSTOM_COLUMNS, template.custom),
                                       (ITEMS, ITEM_COLUMNS, template.items), (SUGGEST, SUGGEST_COLUMNS, template.suggestions or ()))
            for p in too_long(shown, name, cols, rows)]
    if long:
        raise InvalidInput(long)
    wb = openpyxl.Workbook()
    info = wb.worksheets[0]  # the new workbook's one sheet (wb.active, to the type checker, may be None)
    info.title = INFO
    info_columns = (("key", "項目キー", 16), ("label", "項目", 18), ("value", "値", 40))
    write_sheet(info, info_columns, [{"key": k, "label": label, "value": v} for k, label, v in template.info], date_keys={"value"})
    reqs = wb.create_sheet(REQS)
    write_sheet(reqs, REQ_COLUMNS, template.requirements, date_keys={"date", "until"})
    custom = wb.create_sheet(CUSTOM)
    custom_columns = CUSTOM_COLUMNS + ((CANDIDATES_COLUMN,) if template.suggestions is not None else ())
    write_sheet(custom, custom_columns, template.custom)
    styled = [(reqs, REQ_COLUMNS, INPUT_COLUMNS), (custom, custom_columns, ("disposition", "requirement", "note", "requirement_kind")),
              (info, info_columns, ("value",))]
    if template.suggestions is not None:
        judged = wb.create_sheet(SUGGEST)
        write_sheet(judged, SUGGEST_COLUMNS, template.suggestions)
        add_validation(judged, len(template.suggestions) + 200)
        styled.append((judged, SUGGEST_COLUMNS, SUGGEST_INPUT_COLUMNS))
    items = wb.create_sheet(ITEMS)
    write_sheet(items, ITEM_COLUMNS, template.items)
    _validations(reqs, custom, len(template.requirements), len(template.custom), len(template.items))
    for ws, cols, keys in (*styled, (items, ITEM_COLUMNS, ())):
        style_header(ws, cols, keys, autofilter=ws is not info)
        protect(ws, cols, keys)
    guide_sheet(wb, GUIDE, _guide(template))
    attention = PatternFill("solid", fgColor="F8CBAD")
    col = {key: i for i, (key, _, _) in enumerate(REQ_COLUMNS, 1)}
    for r, row in enumerate(template.requirements, 2):
        if str(row.get("review", "")).startswith(REVIEW_MARK + ":"):
            reqs.cell(r, col["judgement"]).fill = attention
            reqs.cell(r, col["review"]).fill = attention
    return stable_bytes(wb)


def _validations(reqs: Any, custom: Any, n_reqs: int, n_custom: int, n_items: int) -> None:
    last = n_reqs + 200
    letter = column_letters(REQ_COLUMNS)
    drop_down(reqs, f"{letter['judgement']}2:{letter['judgement']}{last}", ("○", "△", "×"), "判定", "○、△、× のいずれかを選んでください。")
    drop_down(reqs, f"{letter['unused']}2:{letter['unused']}{last}", (UNUSED_MARK,))
    if n_items:
        drop_down(reqs, f"{letter['item']}2:{letter['item']}{last}", f"'{ITEMS}'!$A$2:$A${n_items + 1}", strict=False)
    drop_down(custom, f"D2:D{n_custom + 200}", tuple(DISPOSITION_LABELS.values()), "対応方針", "一覧から選んでください。")


# -- writing YAML ------------------------------------------------------------------------------


def template_yaml(template: Template, catalogue: Catalogue, mapping: dict[str, Any] | None = None,
                  items: Sequence[InventoryItem] = ()) -> str:
    """The worksheet as a mapping YAML file: filled links active, the rest as comments to fill in."""
    m = mapping or {}
    rule = KindRule(catalogue, items)
    head = [f"# gapcheck mapping template: {catalogue.operation} {catalogue.title} 第{catalogue.version}版, "
            f"{len(catalogue.requirements)} requirement(s).",
            "# Uncomment a link per requirement, fill in the current item and the judgement (fit ○ / partial △ / gap ×),",
            "# then run `gapcheck validate`."]
    stale = [ln for ln in m.get("links", []) if ln.get("review")]
    if stale:
        head.append(f"# {len(stale)} link(s) marked {REVIEW_MARK} were made against an older version and the requirement changed "
                    "since: they are not links yet. Judge each again and uncomment it, or leave it out.")
    doc: dict[str, Any] = {k: m[k] for k in ("gapcheck", "operation", "spec_version", "vendor", "product", "date", "sample",
                                             "source", "note") if k in m}
    doc = {"gapcheck": "mapping/1", "operation": catalogue.operation, "spec_version": catalogue.version} | doc
    lines = ["\n".join(head), dump_yaml(doc).rstrip("\n")]
    lines.append("links:" if len(m.get("links", [])) > len(stale) else "links: []")
    links: dict[tuple[str | None, str], list[dict[str, Any]]] = {}
    for ln in m.get("links", []):
        links.setdefault((rule.kind(ln, True), ln["requirement"]), []).append(ln)
    for r in catalogue.requirements:
        both = len(rule.kinds.get(r.id, ())) > 1  # a function and a form share the ID: say which
        lines.append(f"  # {KIND_LABELS[r.kind] + ' ' if both else ''}{r.id} [{CLASS_LABELS.get(r.klass, r.klass)}] {r.title}")
        mine = links.pop((r.kind, r.id), [])
        if template.changes.get((r.kind, r.id)):
            lines.append(f"  #   改定による再確認: {template.changes[(r.kind, r.id)]}")
        for ln in mine:
            if ln.get("review"):
                lines.append(f"  # {review_mark(ln)}: judge it again")
                again = {k: ln[k] for k in ("item", "item_operation", "requirement", "kind") if k in ln} | {"judgement": ""} \
                    | ({"note": ln["note"]} if ln.get("note") else {})
                lines.append("  # - " + _flow(again))
            else:
                lines.append("  - " + _flow(ln))
        if not mine:
            lines.append("  # - " + _flow({"item": "", "requirement": r.id} | ({"kind": r.kind} if both else {}) | {"judgement": ""}))
    for rest in links.values():
        lines.extend("  - " + _flow(ln) for ln in rest if not ln.get("review"))
    lines.append("custom:" if m.get("custom") else "custom: []")
    lines.extend("  - " + _flow(c) for c in m.get("custom", []))
    for row in template.custom:
        if not row["disposition"]:
            lines.append(f"  # {row['item']} {row['name']}: no standard counterpart; undecided, abolish, replace, euc or external")
            if row.get("candidates"):
                lines.append(f"  #   {CANDIDATES_COLUMN[1]}: {row['candidates']}")
            lines.append("  # - " + _flow({"item": row["item"], "disposition": "undecided"}))
    for key in ("optional_unused", "deferrals"):
        if m.get(key):
            lines.append(dump_yaml({key: m[key]}).rstrip("\n"))
    return "\n".join(lines) + "\n"


def _flow(d: dict[str, Any]) -> str:
    return yaml.dump(d, Dumper=Dumper, allow_unicode=True, sort_keys=False, default_flow_style=True, width=10000).strip()


GUIDE = "記入方法"
"""The worksheet's sheet of instructions (read by people only; the import ignores it)."""


def _guide(template: Template) -> list[str]:
    """How to fill the worksheet in, in Japanese."""
    return [
        "Fit & Gap 比較分析ワークシートの記入方法",
        f"シート「{REQS}」: 標準仕様書の要件ごとに、現行機能（または標準準拠製品）が満たすかを判定します。",
        "  判定: ○ 適合 / △ 部分適合（運用で対応を含む） / × ギャップ。一覧から選びます。"
        "現行ID に対応する現行機能・帳票の ID を書きます（1 行に 1 件。複数あれば行を挿入）。",
        "  種別（機能/帳票）: 同じ番号の機能要件と帳票要件は別の要件です。どちらの行かを種別で見分けます。",
        "  標準オプション: 使わない場合は「オプション不使用」列に印を付けます。",
        "  実装必須の要件を移行後に実装する（経過措置）場合は、その期限を YYYY-MM-DD で書きます。",
        "  色の付いた行は版の改定で要件が変わったもの: 前の判定は参考として表示しています。判定し直してください。",
        f"シート「{CUSTOM}」: 標準に対応する要件がない現行機能・帳票（独自）の処置を選びます"
        "（業務見直し / 標準機能で代替（要件ID。同じ番号の機能と帳票があるときは「代替要件の種別」も）/ EUC / 標準外・疎結合、未決定）。",
        "候補 シート（--suggest のとき）: 対応しそうな要件の候補です。判定を記入した行だけが対応付けになります。",
        "入力する列（見出しが色付き）以外は保護されています（パスワードなし: 校閲 > シート保護の解除）。"
        "絞り込み・並べ替え・行の挿入はそのままできます。",
        *(["共通機能: 他業務のシステムの現行機能も「業務コード/ID」（例 juki/JK-F062）で現行ID に書けます（シート「現行機能」に一覧）。"]
          if any("/" in str(i["item"]) for i in template.items) else []),
        "記入後: gapcheck mapping import このファイル.xlsx --output mappings/<業務コード>.yaml",
        "※ ○/△/× は実務上の慣例であり、公式の尺度ではありません。",
    ]
