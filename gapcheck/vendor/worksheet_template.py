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

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import yaml

from gapcheck.core.dates import is_real_date
from gapcheck.core.labels import (
    CLASS_LABELS,
    DISPOSITION_LABELS,
    JUDGEMENT_LABELS,
    KIND_LABELS,
)
from gapcheck.core.model import Catalogue, InventoryItem, Mapping
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
    cell_value,
    review_mark,
)
from gapcheck.vendor.yamldump import Dumper, dump_yaml

FIXED_TIME = "2000-01-01T00:00:00Z"
"""Timestamp written into every workbook, so that the same content gives the same bytes."""


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
    column, e.g. from :func:`~gapcheck.carryover.carry_over`.  A link with a
    ``review`` entry (a stale link of a carry-over) gets an empty judgement
    and date, and its old judgement in that column (:func:`review_mark`).
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


# -- writing Excel ---------------------------------------------------------------------------


def template_xlsx(template: Template, shown: str = "<mapping template>") -> bytes:
    """The worksheet as .xlsx bytes: the same template always gives the same bytes.

    Raises :class:`~gapcheck.core.errors.InvalidInput` (``cell-too-long``,
    named ``shown`` and ``sheet!cell``) for text longer than an Excel cell
    holds: Excel would cut it without a word.
    """
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill

    _check_lengths(template, shown)
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


def _check_lengths(template: Template, shown: str) -> None:
    from gapcheck.core.errors import InvalidInput, Problem
    from gapcheck.vendor.cells import EXCEL_CELL_LIMIT, cell_ref

    problems = []
    for name, columns, rows in ((REQS, REQ_COLUMNS, template.requirements), (CUSTOM, CUSTOM_COLUMNS, template.custom),
                                (ITEMS, ITEM_COLUMNS, template.items)):
        for r, row in enumerate(rows, 2):
            for c, (key, header, _) in enumerate(columns, 1):
                value = row.get(key)
                if isinstance(value, str) and len(cell_value(value)) > EXCEL_CELL_LIMIT:
                    what = row.get("requirement") or row.get("item") or ""
                    problems.append(Problem(shown, r, c, "cell-too-long", cell_ref(name, r, c),
                                            f"{header} of {what} is {len(value)} characters; an Excel cell holds at most "
                                            f"{EXCEL_CELL_LIMIT} and would cut the rest: shorten it in the YAML",
                                            f"at most {EXCEL_CELL_LIMIT} characters", f"{len(value)} characters"))
    if problems:
        raise InvalidInput(problems)


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
                ws.cell(r, c, cell_value(value))


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
    return yaml.dump(d, Dumper=Dumper, allow_unicode=True, sort_keys=False, default_flow_style=True, width=10000).strip()
