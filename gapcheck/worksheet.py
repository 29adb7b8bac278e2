"""Fit & Gap worksheets for vendors: a mapping as an Excel workbook, and back.

Vendors and staff judge requirements in Excel, not YAML.  The template lists
every requirement of one spec version with columns to fill (the current item,
the judgement ○/△/× as a drop-down, a note, a date, and the 標準オプション /
経過措置 decisions) and a sheet of the current items with no standard
counterpart, each with a disposition drop-down.  An existing mapping fills the
template in, so that

* template -> import with no edits -> template gives the same workbook, and
* a filled worksheet imports to exactly the mapping it came from.

A mapping made against an older spec version is carried over (:func:`carry_over`).
A link to a requirement whose title or text changed since is *stale*: its
judgement is not carried over as one.  Its row keeps the current item (and
note) with the judgement cell left empty, and the read-only 改定による再確認
column says ``要再確認: 旧版 5.0 で ○ (KG-F014)``.  Importing such a row
unedited is a ``worksheet-needs-review`` problem: a judgement that needs
review never becomes a judgement on the newer version without a person making
it (judging again, or clearing the item).

Links are written in catalogue order (one row per link, one empty row for a
requirement with none); custom items in inventory order.  Bad cells are
:class:`~gapcheck.errors.Problem` objects whose path is ``sheet!cell``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from .errors import InvalidInput, Problem
from .ids import nearest_ids, normalise_version
from .labels import CLASS_LABELS, DISPOSITION_LABELS, JUDGEMENT_LABELS, KIND_LABELS
from .loader import display_path, is_real_date
from .model import Catalogue, InventoryItem, Mapping, Project
from .output import FORMULA_START, neutralise_cell
from .specimport import cell_id, cell_ref, cell_text, dump_yaml, header_key

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
)
ITEM_COLUMNS = (("item", "現行機能ID", 13), ("kind", "種別", 6), ("name", "名称", 30), ("description", "説明", 50))
INPUT_COLUMNS = ("item", "judgement", "note", "date", "unused", "unused_note", "until", "deferral_note")
"""The columns of 要件一覧 a vendor fills in; the others are read-only context."""

UNUSED_MARK = "不使用"
REVIEW_MARK = "要再確認"
"""Starts the 改定による再確認 cell of a carried-over link whose judgement must be made again."""
_REVIEW_CELL = re.compile(r"要再確認: 旧版 (?P<version>\S+) で (?P<judgement>\S+) \((?P<item>[^,)]+)")
"""What :func:`review_mark` writes, read back by the import."""
JUDGEMENT_TEXT = {
    "○": "fit", "◯": "fit", "〇": "fit", "fit": "fit", "適合": "fit",
    "△": "partial", "▲": "partial", "partial": "partial", "部分適合": "partial",
    "×": "gap", "✕": "gap", "✖": "gap", "x": "gap", "gap": "gap", "ギャップ": "gap",
}
UNUSED_TEXT = {"不使用", "○", "◯", "〇", "true", "yes", "1"}
DISPOSITION_TEXT = {
    **{header_key(label): code for code, label in DISPOSITION_LABELS.items()},
    **{code: code for code in DISPOSITION_LABELS},
    "未決定": "undecided", "業務見直し": "abolish", "廃止": "abolish", "代替": "replace",
    "euc": "euc", "外部": "external", "独自施策": "external",
}
FIXED_TIME = "2000-01-01T00:00:00Z"
"""Timestamp written into every workbook, so that the same content gives the same bytes."""
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters a worksheet cannot hold (dropped when writing)."""


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
    changes: dict[str, str] = field(default_factory=dict)
    """Requirement ID -> what the revision changed (the ``review`` argument of :func:`build_template`)."""


def mapping_document(mapping: Mapping, raw: dict[str, Any] | None = None) -> dict[str, Any]:
    """A loaded mapping as the YAML document it stands for (normalised values).

    ``raw`` is the file's own data, for the fields the model does not keep
    (``source``, ``note``).
    """
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
        "links": [_drop_empty({"item": ln.item, "requirement": ln.requirement, "judgement": ln.judgement,
                               "note": ln.note, "date": ln.date}) for ln in mapping.links],
        "custom": [_drop_empty({"item": c.item, "disposition": c.disposition, "requirement": c.requirement, "note": c.note})
                   for c in mapping.custom],
        "optional_unused": [_drop_empty({"requirement": d.requirement, "note": d.note}) for d in mapping.optional_unused],
        "deferrals": [_drop_empty({"requirement": d.requirement, "until": d.until, "note": d.note}) for d in mapping.deferrals],
    }
    doc.update({k: v for k, v in parts.items() if v})
    return doc


def _drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v not in (None, "", [], False)}


def build_template(catalogue: Catalogue, items: Sequence[InventoryItem], mapping: dict[str, Any] | None = None,
                   operation_name: str = "", review: dict[str, str] | None = None) -> Template:
    """The worksheet content for ``catalogue``, filled in from a mapping document if given.

    ``review`` (requirement ID -> text) fills the read-only 改定による再確認
    column, e.g. from :func:`carry_over`.  A link with a ``review`` entry (a
    stale link of :func:`carry_over`) gets an empty judgement and date, and its
    old judgement in that column (:func:`review_mark`).
    """
    m = mapping or {}
    info = (("gapcheck", "", TAG), ("operation", "", catalogue.operation), ("operation_name", "", operation_name),
            ("spec_version", "", catalogue.version), ("vendor", "", m.get("vendor", "")), ("product", "", m.get("product", "")),
            ("date", "", m.get("date", "")), ("sample", "", "true" if m.get("sample") else ""),
            ("source", "", m.get("source", "")), ("note", "", m.get("note", "")))
    labels = dict(INFO_ROWS)
    info = tuple((k, labels[k], v) for k, _, v in info)
    names = {i.id: i.name for i in items}
    links: dict[str, list[dict[str, Any]]] = {}
    for ln in m.get("links", []):
        links.setdefault(ln["requirement"], []).append(ln)
    unused = {d["requirement"]: d for d in m.get("optional_unused", [])}
    deferred = {d["requirement"]: d for d in m.get("deferrals", [])}
    known = {r.id for r in catalogue.requirements}
    extra = [rid for rid in dict.fromkeys([*links, *unused, *deferred]) if rid not in known]
    rows: list[dict[str, Any]] = []
    for r in catalogue.requirements:
        context = {"requirement": r.id, "kind": KIND_LABELS.get(r.kind, r.kind), "class": CLASS_LABELS.get(r.klass, r.klass),
                   "title": r.title, "summary": r.summary, "review": (review or {}).get(r.id, "")}
        rows.extend(_requirement_rows(context, links.get(r.id, []), unused.get(r.id), deferred.get(r.id), names))
    for rid in extra:
        rows.extend(_requirement_rows({"requirement": rid}, links.get(rid, []), unused.get(rid), deferred.get(rid), names))
    linked = {ln["item"] for ln in m.get("links", [])}
    custom = {c["item"]: c for c in m.get("custom", [])}
    by_id = {i.id: i for i in items}
    custom_ids = [i.id for i in items if i.id not in linked] + [c for c in custom if c not in by_id]
    custom_rows = []
    for iid in custom_ids:
        c = custom.get(iid, {})
        item = by_id.get(iid)
        custom_rows.append({"item": iid, "kind": KIND_LABELS.get(item.kind, item.kind) if item else "",
                            "name": item.name if item else "",
                            "disposition": DISPOSITION_LABELS.get(c.get("disposition", ""), ""),
                            "requirement": c.get("requirement", ""), "note": c.get("note", "")})
    item_rows = tuple({"item": i.id, "kind": KIND_LABELS.get(i.kind, i.kind), "name": i.name, "description": i.description}
                      for i in items)
    return Template(info, tuple(rows), tuple(custom_rows), item_rows, dict(review or {}))


def _requirement_rows(context: dict[str, Any], links: list[dict[str, Any]], unused: dict[str, Any] | None,
                      deferral: dict[str, Any] | None, names: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for ln in links or [{}]:
        row = {key: "" for key, _, _ in REQ_COLUMNS} | context
        if ln.get("review"):
            # stale: the item stays for context, the judgement is to be made again
            row.update(item=ln["item"], item_name=names.get(ln["item"], ""), note=ln.get("note", ""),
                       review="。".join(t for t in (review_mark(ln), context.get("review", "")) if t))
        elif ln:
            row.update(item=ln["item"], item_name=names.get(ln["item"], ""), judgement=JUDGEMENT_LABELS.get(ln["judgement"], ln["judgement"]),
                       note=ln.get("note", ""), date=ln.get("date", ""))
        rows.append(row)
    if unused is not None:
        rows[0].update(unused=UNUSED_MARK, unused_note=unused.get("note", ""))
    if deferral is not None:
        rows[0].update(until=deferral["until"], deferral_note=deferral.get("note", ""))
    return rows


def review_mark(link: dict[str, Any]) -> str:
    """The 改定による再確認 text of a stale carried-over link, e.g. ``要再確認: 旧版 5.0 で ○ (KG-F014)``.

    The old judgement date, if any, follows the item: ``(KG-F014, 2025-06-30)``.
    """
    old = link["review"]
    judged = JUDGEMENT_LABELS.get(old["judgement"], old["judgement"])
    detail = ", ".join([link["item"], *([old["date"]] if old.get("date") else [])])
    return f"{REVIEW_MARK}: 旧版 {old['version']} で {judged} ({detail})"


@dataclass(frozen=True)
class CarryOver:
    """A mapping made against an older spec version, moved onto a newer one for review."""

    mapping: dict[str, Any]
    """The mapping document on the newer version: what still applies.

    A stale link (its requirement was re-worded or re-titled) has no
    ``judgement``: the old one is under ``review`` (``judgement``, ``version``
    and ``date`` if any), for a person to judge again.  The document is a
    template's content, not a mapping to write as it is.
    """
    review: dict[str, str]
    """Requirement ID -> what changed (for the 改定による再確認 column)."""
    dropped: tuple[str, ...]
    """One line per link or decision left out, and why."""

    @property
    def needs_review(self) -> tuple[dict[str, Any], ...]:
        """The stale links: kept with their item, their judgement to be made again."""
        return tuple(ln for ln in self.mapping.get("links", []) if ln.get("review"))


def carry_over(doc: dict[str, Any], old: Catalogue, new: Catalogue) -> CarryOver:
    """Move a mapping document from ``old`` onto ``new``: nobody retypes the rows that still apply.

    Links to removed requirements are dropped.  Links to re-worded or
    re-titled requirements (stale, as in :mod:`gapcheck.specdiff`) keep their
    item and note but lose their judgement and date, kept under ``review``
    for a person to judge again; a change of class alone keeps the judgement
    (flagged in ``review`` all the same).  不使用 and 経過措置 decisions are
    kept only while the requirement is still optional / mandatory.
    """
    from .specdiff import requirement_changes

    was = {r.id: r for r in old.requirements}
    now = {r.id: r for r in new.requirements}
    words = {"reworded": "要件文変更", "retitled": "名称変更", "reclassified": "実装区分変更"}
    review: dict[str, str] = {}
    for rid, r in now.items():
        if rid not in was:
            review[rid] = f"第{new.version}版で追加"
        elif changes := requirement_changes(was[rid], r):
            review[rid] = f"第{old.version}版から" + "・".join(
                words[c.change] + (f"（{CLASS_LABELS[c.before]}→{CLASS_LABELS[c.after]}）" if c.change == "reclassified" else "")
                for c in changes)
    out = {k: v for k, v in doc.items() if k not in ("links", "custom", "optional_unused", "deferrals")}
    out["spec_version"] = new.version
    dropped: list[str] = []
    gone = f"removed in {new.version}"
    links = [_carried_link(ln, was.get(ln["requirement"]), now[ln["requirement"]], old.version)
             for ln in doc.get("links", []) if ln["requirement"] in now]
    dropped += [f"link {ln['item']} -> {ln['requirement']} ({gone})" for ln in doc.get("links", []) if ln["requirement"] not in now]
    custom = []
    for c in doc.get("custom", []):
        if c.get("requirement") and c["requirement"] not in now:
            dropped.append(f"custom {c['item']}: replacing requirement {c['requirement']} ({gone}); disposition reset to undecided")
            c = {"item": c["item"], "disposition": "undecided"} | ({"note": c["note"]} if c.get("note") else {})
        custom.append(c)
    kept = {"optional_unused": "optional", "deferrals": "mandatory"}
    parts: dict[str, list[dict[str, Any]]] = {"links": links, "custom": custom}
    for key, klass in kept.items():
        parts[key] = [d for d in doc.get(key, []) if d["requirement"] in now and now[d["requirement"]].klass == klass]
        dropped += [f"{key} {d['requirement']} (no longer {CLASS_LABELS[klass]} in {new.version})"
                    for d in doc.get(key, []) if d not in parts[key]]
    out.update({k: v for k, v in parts.items() if v})
    return CarryOver(out, review, tuple(dropped))


def _carried_link(link: dict[str, Any], old: Any, new: Any, version: str) -> dict[str, Any]:
    """A link moved onto the newer version: as it is, or (stale) without its judgement."""
    from .specdiff import requirement_changes

    if old is None or not [c for c in requirement_changes(old, new) if c.change != "reclassified"]:
        return link
    was = {"judgement": link["judgement"], "version": version} | ({"date": link["date"]} if link.get("date") else {})
    return {"item": link["item"], "requirement": link["requirement"]} | ({"note": link["note"]} if link.get("note") else {}) | {"review": was}


# -- writing Excel ---------------------------------------------------------------------------


def template_xlsx(template: Template) -> bytes:
    """The worksheet as .xlsx bytes: the same template always gives the same bytes."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = openpyxl.Workbook()
    info = wb.active
    info.title = INFO
    _sheet(info, (("key", "項目キー", 16), ("label", "項目", 18), ("value", "値", 40)),
           [{"key": k, "label": label, "value": v} for k, label, v in template.info], date_keys={"value"})
    reqs = wb.create_sheet(REQS)
    _sheet(reqs, REQ_COLUMNS, template.requirements, date_keys={"date", "until"})
    custom = wb.create_sheet(CUSTOM)
    _sheet(custom, CUSTOM_COLUMNS, template.custom)
    items = wb.create_sheet(ITEMS)
    _sheet(items, ITEM_COLUMNS, template.items)
    _validations(reqs, custom, len(template.requirements), len(template.custom), len(template.items))
    fill = PatternFill("solid", fgColor="FFF2CC")
    for ws, cols, keys in ((reqs, REQ_COLUMNS, INPUT_COLUMNS), (custom, CUSTOM_COLUMNS, ("disposition", "requirement", "note")),
                           (info, (("key", "", 0), ("label", "", 0), ("value", "", 0)), ("value",))):
        for c, (key, _, _) in enumerate(cols, 1):
            if key in keys:
                ws.cell(1, c).fill = fill
    attention = PatternFill("solid", fgColor="F8CBAD")
    col = {key: i for i, (key, _, _) in enumerate(REQ_COLUMNS, 1)}
    for r, row in enumerate(template.requirements, 2):
        if str(row.get("review", "")).startswith(REVIEW_MARK + ":"):
            reqs.cell(r, col["judgement"]).fill = attention
            reqs.cell(r, col["review"]).fill = attention
    for ws in (info, reqs, custom, items):
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
    return _stable_bytes(wb)


def _sheet(ws: Any, columns: Sequence[tuple[str, str, int]], rows: Iterable[dict[str, Any]], date_keys: frozenset[str] | set[str] = frozenset()) -> None:
    from openpyxl.utils import get_column_letter

    for c, (_, header, width) in enumerate(columns, 1):
        ws.cell(1, c, header)
        if width:
            ws.column_dimensions[get_column_letter(c)].width = width
    for r, row in enumerate(rows, 2):
        for c, (key, _, _) in enumerate(columns, 1):
            value = row.get(key, "")
            if value in ("", None):
                continue
            if key in date_keys and isinstance(value, str) and is_real_date(value):
                cell = ws.cell(r, c, dt.date.fromisoformat(value))
                cell.number_format = "yyyy-mm-dd"
            else:
                ws.cell(r, c, _cell_value(value))


def _validations(reqs: Any, custom: Any, n_reqs: int, n_custom: int, n_items: int) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    col = {key: i for i, (key, _, _) in enumerate(REQ_COLUMNS, 1)}
    last = n_reqs + 200
    letter = _letters(col)
    judge = DataValidation(type="list", formula1='"○,△,×"', allow_blank=True, showErrorMessage=True,
                           errorTitle="判定", error="○、△、× のいずれかを選んでください。")
    judge.add(f"{letter['judgement']}2:{letter['judgement']}{last}")
    unused = DataValidation(type="list", formula1=f'"{UNUSED_MARK}"', allow_blank=True, showErrorMessage=True)
    unused.add(f"{letter['unused']}2:{letter['unused']}{last}")
    reqs.add_data_validation(judge)
    reqs.add_data_validation(unused)
    if n_items:
        item = DataValidation(type="list", formula1=f"'{ITEMS}'!$A$2:$A${n_items + 1}", allow_blank=True, showErrorMessage=False)
        item.add(f"{letter['item']}2:{letter['item']}{last}")
        reqs.add_data_validation(item)
    disp = DataValidation(type="list", formula1='"' + ",".join(DISPOSITION_LABELS.values()) + '"', allow_blank=True,
                          showErrorMessage=True, errorTitle="対応方針", error="一覧から選んでください。")
    disp.add(f"D2:D{n_custom + 200}")
    custom.add_data_validation(disp)


def _letters(col: dict[str, int]) -> dict[str, str]:
    from openpyxl.utils import get_column_letter

    return {k: get_column_letter(v) for k, v in col.items()}


def _stable_bytes(wb: Any) -> bytes:
    """Save a workbook with fixed timestamps (document properties and zip entries)."""
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_TIME.encode(), data)
            entry = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()


# -- writing YAML ------------------------------------------------------------------------------


def template_yaml(template: Template, catalogue: Catalogue, mapping: dict[str, Any] | None = None) -> str:
    """The worksheet as a mapping YAML file: filled links active, the rest as comments to fill in."""
    m = mapping or {}
    head = [f"# gapcheck mapping template: {catalogue.operation} {catalogue.title} 第{catalogue.version}版, "
            f"{len(catalogue.requirements)} requirement(s).",
            "# Uncomment a link per requirement, fill in the current item and the judgement (fit ○ / partial △ / gap ×),",
            "# then run `gapcheck validate`."]
    stale = [ln for ln in m.get("links", []) if ln.get("review")]
    if stale:
        head.append(f"# {len(stale)} link(s) marked {REVIEW_MARK} were made against an older version and the requirement changed "
                    "since: they are not links yet. Judge each again and uncomment it, or leave it out.")
    doc = {k: m[k] for k in ("gapcheck", "operation", "spec_version", "vendor", "product", "date", "sample", "source", "note") if k in m}
    doc = {"gapcheck": "mapping/1", "operation": catalogue.operation, "spec_version": catalogue.version} | doc
    lines = ["\n".join(head), dump_yaml(doc).rstrip("\n")]
    lines.append("links:" if len(m.get("links", [])) > len(stale) else "links: []")
    links: dict[str, list[dict[str, Any]]] = {}
    for ln in m.get("links", []):
        links.setdefault(ln["requirement"], []).append(ln)
    for r in catalogue.requirements:
        lines.append(f"  # {r.id} [{CLASS_LABELS.get(r.klass, r.klass)}] {r.title}")
        mine = links.pop(r.id, [])
        if template.changes.get(r.id):
            lines.append(f"  #   改定による再確認: {template.changes[r.id]}")
        for ln in mine:
            if ln.get("review"):
                lines.append(f"  # {review_mark(ln)}: judge it again")
                again = {"item": ln["item"], "requirement": ln["requirement"], "judgement": ""} | ({"note": ln["note"]} if ln.get("note") else {})
                lines.append("  # - " + _flow(again))
            else:
                lines.append("  - " + _flow(ln))
        if not mine:
            lines.append("  # - " + _flow({"item": "", "requirement": r.id, "judgement": ""}))
    for rest in links.values():
        lines.extend("  - " + _flow(ln) for ln in rest if not ln.get("review"))
    lines.append("custom:" if m.get("custom") else "custom: []")
    lines.extend("  - " + _flow(c) for c in m.get("custom", []))
    for row in template.custom:
        if not row["disposition"]:
            lines.append(f"  # {row['item']} {row['name']}: no standard counterpart; undecided, abolish, replace, euc or external")
            lines.append("  # - " + _flow({"item": row["item"], "disposition": "undecided"}))
    for key in ("optional_unused", "deferrals"):
        if m.get(key):
            lines.append(dump_yaml({key: m[key]}).rstrip("\n"))
    return "\n".join(lines) + "\n"


def _flow(d: dict[str, Any]) -> str:
    import yaml

    from .specimport import _Dumper

    return yaml.dump(d, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=True, width=10000).strip()


# -- reading a filled worksheet ---------------------------------------------------------------------


@dataclass
class _Sheet:
    """A worksheet's cells with the column of each known header."""

    file: str
    name: str
    rows: list[list[Any]]
    columns: dict[str, int]

    def get(self, row: int, key: str) -> Any:
        col = self.columns.get(key)
        if col is None:
            return None
        cells = self.rows[row - 1]
        return cells[col - 1] if col <= len(cells) else None

    def text(self, row: int, key: str) -> str:
        return _unneutralise(cell_text(self.get(row, key)))

    def ref(self, row: int, key: str) -> tuple[int, str]:
        col = self.columns.get(key, 1)
        return col, cell_ref(self.name, row, col)


def _cell_value(value: Any) -> Any:
    """What goes into a cell: no formula (:func:`~gapcheck.output.neutralise_cell`), no illegal control character.

    Text that already starts with an apostrophe gets one more, so that
    :func:`_unneutralise` gives back exactly the text written.
    """
    if not isinstance(value, str):
        return value
    value = _ILLEGAL.sub("", value)
    return "'" + value if value.startswith("'") else neutralise_cell(value)


def _unneutralise(text: str) -> str:
    """Undo :func:`_cell_value`: ``'=x`` is ``=x`` again, ``''x`` is ``'x``."""
    if text.startswith("'") and text[1:2] and text[1] in "'" + "".join(FORMULA_START):
        return text[1:]
    return text


@dataclass
class _Importer:
    """Reads the sheets of one filled worksheet into a mapping document."""

    file: str
    project: Project
    problems: list[Problem] = field(default_factory=list)

    def problem(self, sheet: _Sheet, row: int, key: str, code: str, message: str, expected: str | None, found: str | None) -> None:
        col, ref = sheet.ref(row, key)
        self.problems.append(Problem(self.file, row, col, code, ref, message, expected, found))

    def date(self, sheet: _Sheet, row: int, key: str) -> str | None:
        value = sheet.get(row, key)
        if value in (None, ""):
            return None
        if isinstance(value, (dt.datetime, dt.date)):
            return value.isoformat()[:10]
        text = unicodedata.normalize("NFKC", cell_text(value))
        m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
        iso = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else text
        if not m or not is_real_date(iso):
            self.problem(sheet, row, key, "invalid-date", "not a real calendar date", "a date YYYY-MM-DD", repr(text))
            return None
        return iso


def _read_sheet(wb: Any, file: str, name: str, columns: Sequence[tuple[str, str, int]]) -> _Sheet | None:
    if name not in wb.sheetnames:
        return None
    rows = [list(r) for r in wb[name].iter_rows(values_only=True)]
    headers = [header_key(c) for c in (rows[0] if rows else [])]
    cols = {}
    for key, header, _ in columns:
        if header_key(header) in headers:
            cols[key] = headers.index(header_key(header)) + 1
    return _Sheet(file, name, rows, cols)


@dataclass(frozen=True)
class WorksheetImport:
    """A filled worksheet read back: the mapping document and any warnings."""

    mapping: dict[str, Any]
    warnings: tuple[Problem, ...] = ()


def import_worksheet(path: Path, project: Project) -> WorksheetImport:
    """Read a filled worksheet into a mapping document (the YAML structure of ``mapping/1``).

    Requirement IDs are checked against the catalogue named on the 情報
    sheet, item IDs against the project's inventory.  Raises
    :class:`~gapcheck.errors.InvalidInput` listing every bad cell.
    """
    shown = display_path(path)
    wb, problems = _open(path, shown)
    if wb is None:
        raise InvalidInput(problems)
    sheets = {name: _read_sheet(wb, shown, name, cols) for name, cols in
              ((INFO, (("key", "項目キー", 0), ("label", "項目", 0), ("value", "値", 0))), (REQS, REQ_COLUMNS),
               (CUSTOM, CUSTOM_COLUMNS))}
    missing = [n for n in (INFO, REQS) if sheets[n] is None]
    if missing:
        raise InvalidInput([Problem(shown, 0, 0, "xlsx-sheet-missing", "$", f"no sheet named '{missing[0]}': not a gapcheck mapping worksheet",
                                    f"the sheets {INFO}, {REQS} and {CUSTOM} of `gapcheck mapping template`",
                                    "sheets " + ", ".join(repr(n) for n in wb.sheetnames))])
    imp = _Importer(shown, project)
    doc = _read_info(imp, sheets[INFO])  # type: ignore[arg-type]
    if doc is None:
        raise InvalidInput(imp.problems)
    catalogue = project.catalogue(doc["operation"], doc["spec_version"])
    assert catalogue is not None
    items = [i for i in (project.inventory.items if project.inventory else ()) if i.operation == doc["operation"]]
    parts = _read_requirements(imp, sheets[REQS], catalogue, items if project.inventory else None)  # type: ignore[arg-type]
    linked = {ln["item"] for ln in parts["links"]}
    if sheets[CUSTOM] is not None:
        parts["custom"] = _read_custom(imp, sheets[CUSTOM], catalogue, items if project.inventory else None, linked)
    if imp.problems:
        raise InvalidInput(imp.problems)
    for key in ("links", "custom", "optional_unused", "deferrals"):
        if parts.get(key):
            doc[key] = parts[key]
    return WorksheetImport(doc)


def _open(path: Path, shown: str) -> tuple[Any, list[Problem]]:
    import openpyxl

    try:
        head = path.read_bytes()[:4]
    except OSError:
        return None, [Problem(shown, 0, 0, "file-missing", "$", "file does not exist", "a readable file", "nothing")]
    if not head.startswith(b"PK"):
        return None, [Problem(shown, 0, 0, "xlsx-not-a-workbook", "$", "not a readable Excel workbook", "an .xlsx workbook",
                              "not a zip archive")]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=True), []
    except Exception as exc:  # noqa: BLE001 - zip and XML errors of every kind
        return None, [Problem(shown, 0, 0, "xlsx-not-a-workbook", "$", "not a readable Excel workbook", "an .xlsx workbook",
                              f"a damaged or truncated file ({type(exc).__name__})")]


def _read_info(imp: _Importer, sheet: _Sheet) -> dict[str, Any] | None:
    rows = {cell_text(r[0]) if r else "": i for i, r in enumerate(sheet.rows, 1)}
    values: dict[str, Any] = {}
    where: dict[str, int] = {}
    for key, _ in INFO_ROWS:
        if key in rows:
            where[key] = rows[key]
            values[key] = sheet.get(rows[key], "value")
    sheet.columns.setdefault("value", 3)
    if cell_text(values.get("gapcheck")) != TAG:
        imp.problem(sheet, where.get("gapcheck", 1), "value", "worksheet-invalid-value",
                    "not a gapcheck mapping worksheet (made by `gapcheck mapping template`)", repr(TAG),
                    repr(cell_text(values.get("gapcheck"))))
        return None
    code = cell_text(values.get("operation"))
    if imp.project.operation(code) is None:
        imp.problem(sheet, where.get("operation", 1), "value", "unknown-operation", f"'{code}' is not an operation of the registry",
                    "a code listed by `gapcheck operations`", repr(code))
        return None
    raw_version = cell_text(values.get("spec_version"))
    version = normalise_version(raw_version) if raw_version else None
    if version is None or version not in imp.project.versions(code):
        have = ", ".join(imp.project.versions(code)) or "none"
        imp.problem(sheet, where.get("spec_version", 1), "value", "unknown-spec-version",
                    f"no catalogue of {code} version {raw_version or '(empty)'} is loaded", f"one of {have}", repr(raw_version))
        return None
    doc: dict[str, Any] = {"gapcheck": "mapping/1", "operation": code, "spec_version": version}
    for key in ("vendor", "product"):
        if key in where and sheet.text(where[key], "value"):
            doc[key] = sheet.text(where[key], "value")
    if "date" in where:
        date = imp.date(sheet, where["date"], "value")
        if date:
            doc["date"] = date
    if "sample" in where:
        flag = header_key(sheet.get(where["sample"], "value"))
        if flag in ("true", "1", "yes", "○"):
            doc["sample"] = True
        elif flag not in ("", "false", "0", "no"):
            imp.problem(sheet, where["sample"], "value", "worksheet-invalid-value", "sample is true or empty", "true or an empty cell", repr(flag))
    for key in ("source", "note"):
        if key in where and sheet.text(where[key], "value"):
            doc[key] = sheet.text(where[key], "value")
    return doc


def _read_requirements(imp: _Importer, sheet: _Sheet, catalogue: Catalogue,
                       items: list[InventoryItem] | None) -> dict[str, list[dict[str, Any]]]:
    for key in ("requirement", "item", "judgement"):
        if key not in sheet.columns:
            header = next(h for k, h, _ in REQ_COLUMNS if k == key)
            imp.problems.append(Problem(imp.file, 1, 1, "xlsx-missing-column", cell_ref(sheet.name, 1, 1),
                                        f"sheet '{sheet.name}' has no column '{header}'", f"a header cell '{header}'", "none"))
    if imp.problems:
        return {"links": []}
    reqs = {r.id: r for r in catalogue.requirements}
    item_ids = {i.id for i in items} if items is not None else None
    links: list[dict[str, Any]] = []
    seen_links: dict[tuple[str, str], int] = {}
    unused: dict[str, dict[str, Any]] = {}
    deferrals: dict[str, dict[str, Any]] = {}
    for r in range(2, len(sheet.rows) + 1):
        filled = {k: sheet.text(r, k) for k in INPUT_COLUMNS}
        raw_id = sheet.get(r, "requirement")
        if cell_text(raw_id) == "":
            if any(filled.values()):
                imp.problem(sheet, r, "requirement", "missing-id", f"row {r} is filled in but has no requirement ID",
                            "a requirement ID of the catalogue", "an empty cell")
            continue
        rid = cell_id(raw_id)
        req = reqs.get(rid)
        if req is None:
            near = nearest_ids(rid, list(reqs))
            imp.problem(sheet, r, "requirement", "unknown-requirement",
                        f"no requirement {rid} in {catalogue.operation} {catalogue.version}" + (f"; nearest: {', '.join(near)}" if near else ""),
                        f"a requirement ID of {catalogue.file}", repr(cell_text(raw_id)))
            continue
        link = _read_link(imp, sheet, r, rid, filled, item_ids)
        if link is not None:
            pair = (link["item"], rid)
            if pair in seen_links:
                imp.problem(sheet, r, "item", "link-duplicate", f"item {link['item']} is linked to {rid} again (first on row {seen_links[pair]})",
                            "each link once", repr(link["item"]))
            else:
                seen_links[pair] = r
                links.append(link)
        _read_decisions(imp, sheet, r, req, filled, unused, deferrals)
    return {"links": links, "optional_unused": list(unused.values()), "deferrals": list(deferrals.values())}


def _read_link(imp: _Importer, sheet: _Sheet, r: int, rid: str, filled: dict[str, str], item_ids: set[str] | None) -> dict[str, Any] | None:
    item, judgement = filled["item"], filled["judgement"]
    date = imp.date(sheet, r, "date")
    if not item and not judgement:
        if filled["note"] or filled["date"]:
            imp.problem(sheet, r, "item", "worksheet-missing-value", f"a note or date for {rid} but no current item",
                        "a current item ID and a judgement", "an empty cell")
        return None
    if not item:
        imp.problem(sheet, r, "item", "worksheet-missing-value", f"a judgement for {rid} but no current item",
                    "a current item ID (sheet 現行機能)", "an empty cell")
        return None
    if item_ids is not None and item not in item_ids:
        near = nearest_ids(item, sorted(item_ids))
        imp.problem(sheet, r, "item", "unknown-item", "no such item in the inventory" + (f"; nearest: {', '.join(near)}" if near else ""),
                    "an item ID of sheet 現行機能", repr(item))
        return None
    if not judgement:
        mark = _REVIEW_CELL.match(sheet.text(r, "review"))
        if mark and mark["item"] == item:
            # a stale link carried over from an older version, not judged again
            also = " and ".join(k for k in ("note", "date") if filled[k])
            imp.problem(sheet, r, "judgement", "worksheet-needs-review",
                        f"{rid} changed since {mark['version']}: judge it again (○/△/×) or clear the item" + (f" and its {also}" if also else ""),
                        "a new judgement ○, △ or ×", f"an empty cell (旧版 {mark['version']} で {mark['judgement']})")
        else:
            imp.problem(sheet, r, "judgement", "worksheet-missing-value", f"no judgement for item {item} and {rid}", "○, △ or ×", "an empty cell")
        return None
    code = JUDGEMENT_TEXT.get(header_key(judgement)) or JUDGEMENT_TEXT.get(judgement)
    if code is None:
        imp.problem(sheet, r, "judgement", "worksheet-invalid-value", "not a judgement", "○, △ or ×", repr(judgement))
        return None
    return {k: v for k, v in (("item", item), ("requirement", rid), ("judgement", code), ("note", filled["note"]), ("date", date)) if v}


def _read_decisions(imp: _Importer, sheet: _Sheet, r: int, req: Any, filled: dict[str, str],
                    unused: dict[str, dict[str, Any]], deferrals: dict[str, dict[str, Any]]) -> None:
    if filled["unused"] or filled["unused_note"]:
        if header_key(filled["unused"]) not in {header_key(t) for t in UNUSED_TEXT}:
            imp.problem(sheet, r, "unused", "worksheet-invalid-value", f"mark an unused option with {UNUSED_MARK}", UNUSED_MARK,
                        repr(filled["unused"]) if filled["unused"] else "an empty cell")
        elif req.klass != "optional":
            imp.problem(sheet, r, "unused", "not-optional", f"{req.id} is {CLASS_LABELS[req.klass]}, not 標準オプション; only optional requirements can be left unused",
                        "an optional requirement", repr(filled["unused"]))
        else:
            _once(imp, sheet, r, "unused", unused, req.id, {"requirement": req.id, "note": filled["unused_note"]})
    until = imp.date(sheet, r, "until")
    if until or filled["deferral_note"]:
        if not until:
            if not filled["until"]:
                imp.problem(sheet, r, "until", "worksheet-missing-value", "a 経過措置 note without a date", "a date YYYY-MM-DD", "an empty cell")
        elif req.klass != "mandatory":
            imp.problem(sheet, r, "until", "deferral-not-mandatory", f"{req.id} is {CLASS_LABELS[req.klass]}; 経過措置 defers mandatory requirements only",
                        "a mandatory requirement", repr(until))
        else:
            _once(imp, sheet, r, "until", deferrals, req.id, {"requirement": req.id, "until": until, "note": filled["deferral_note"]})


def _once(imp: _Importer, sheet: _Sheet, r: int, key: str, into: dict[str, dict[str, Any]], rid: str, value: dict[str, Any]) -> None:
    value = {k: v for k, v in value.items() if v}
    if rid in into and into[rid] != value:
        imp.problem(sheet, r, key, "worksheet-conflict", f"{rid} already has a different decision on an earlier row",
                    "the same values on every row of a requirement, or on one row only", repr(value))
    into.setdefault(rid, value)


def _read_custom(imp: _Importer, sheet: _Sheet, catalogue: Catalogue, items: list[InventoryItem] | None,
                 linked: set[str]) -> list[dict[str, Any]]:
    reqs = {r.id for r in catalogue.requirements}
    item_ids = {i.id for i in items} if items is not None else None
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for r in range(2, len(sheet.rows) + 1):
        item, disp, rid_text, note = (sheet.text(r, k) for k in ("item", "disposition", "requirement", "note"))
        if not (disp or rid_text or note):
            continue
        if not item:
            imp.problem(sheet, r, "item", "worksheet-missing-value", f"row {r} is filled in but has no item ID", "a current item ID", "an empty cell")
            continue
        code = DISPOSITION_TEXT.get(header_key(disp))
        if not disp:
            imp.problem(sheet, r, "disposition", "worksheet-missing-value", f"no disposition for item {item}",
                        "one of " + ", ".join(DISPOSITION_LABELS.values()), "an empty cell")
            continue
        if code is None:
            imp.problem(sheet, r, "disposition", "worksheet-invalid-value", "not a disposition",
                        "one of " + ", ".join(DISPOSITION_LABELS.values()), repr(disp))
            continue
        if item_ids is not None and item not in item_ids:
            imp.problem(sheet, r, "item", "unknown-item", "no such item in the inventory", "an item ID of sheet 現行機能", repr(item))
            continue
        if item in linked:
            imp.problem(sheet, r, "item", "custom-item-linked", f"item {item} is linked on sheet {REQS} and also given a disposition here",
                        "either links or a disposition", repr(item))
            continue
        if item in seen:
            imp.problem(sheet, r, "item", "duplicate-custom", f"item {item} already has a disposition on row {seen[item]}",
                        "one disposition per item", repr(item))
            continue
        seen[item] = r
        entry: dict[str, Any] = {"item": item, "disposition": code}
        if rid_text:
            rid = cell_id(sheet.get(r, "requirement"))
            if rid not in reqs:
                imp.problem(sheet, r, "requirement", "unknown-requirement", f"no requirement {rid} in {catalogue.operation} {catalogue.version}",
                            f"a requirement ID of {catalogue.file}", repr(rid_text))
                continue
            entry["requirement"] = rid
        elif code == "replace":
            imp.problem(sheet, r, "requirement", "worksheet-missing-value",
                        "disposition 'replace' names the standard requirement that replaces the item", "a requirement ID", "an empty cell")
            continue
        if note:
            entry["note"] = note
        out.append(entry)
    return out


def mapping_yaml(doc: dict[str, Any], source: str = "") -> str:
    """A mapping document as YAML text."""
    header = f"# Imported by `gapcheck mapping import` from {source}.\n" if source else ""
    return dump_yaml(doc, header)
