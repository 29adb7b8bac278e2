"""Importing a filled Fit & Gap worksheet back into a mapping document.

A filled worksheet imports to exactly the mapping it came from.  Requirement
IDs are checked against the catalogue named on the 情報 sheet, item IDs against
the project's inventory; every bad cell is a :class:`~gapcheck.errors.Problem`
whose path is ``sheet!cell``.  A stale carried-over row (its 改定による再確認
cell says 要再確認) imported with no new judgement is a
``worksheet-needs-review`` problem: it never becomes a judgement on the newer
version without a person making it.  Only judged rows of the 候補 sheet become links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gapcheck.core.errors import InvalidInput, Problem
from gapcheck.core.ids import nearest_ids, normalise_version
from gapcheck.core.labels import CLASS_LABELS, DISPOSITION_LABELS, KIND_LABELS, KIND_NAMES
from gapcheck.core.messages import Msg
from gapcheck.core.model import Catalogue, InventoryItem, Project
from gapcheck.core.paths import display_path
from gapcheck.vendor.cells import cell_id, cell_text, header_key
from gapcheck.vendor.kinds import KIND_TEXT, KindRule, item_cell, split_item, template_items
from gapcheck.vendor.workbook import Sheet, cell_date, open_workbook, read_sheets, sheet_problems
from gapcheck.vendor.worksheet_layout import (
    CUSTOM,
    CUSTOM_COLUMNS,
    DISPOSITION_TEXT,
    FREE_TEXT,
    INFO,
    INFO_ROWS,
    INPUT_COLUMNS,
    JUDGEMENT_TEXT,
    REQ_COLUMNS,
    REQS,
    REVIEW_CELL,
    TAG,
    UNUSED_MARK,
    UNUSED_TEXT,
)
from gapcheck.vendor.worksheet_suggest import SUGGEST, SUGGEST_COLUMNS, read_judged
from gapcheck.vendor.yamldump import dump_checked


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
    wb, problems = open_workbook(path, shown)
    if wb is None:
        raise InvalidInput(problems)
    sheets = read_sheets(path, wb, shown, {INFO: (("key", "項目キー", 0), ("label", "項目", 0), ("value", "値", 0)),
                                           REQS: REQ_COLUMNS, CUSTOM: CUSTOM_COLUMNS, SUGGEST: SUGGEST_COLUMNS})
    info, reqs, custom = sheets[INFO], sheets[REQS], sheets[CUSTOM]
    if info is None or reqs is None:
        raise InvalidInput([Problem(shown, 0, 0, "xlsx-sheet-missing", "$",
                                    Msg("no-sheet-worksheet", sheet=INFO if info is None else REQS),
                                    Msg("worksheet-sheets", info=INFO, reqs=REQS, custom=CUSTOM),
                                    Msg("sheets", names=", ".join(repr(n) for n in wb.sheetnames)))])
    imp = _Importer(shown, project)
    doc = _read_info(imp, info)
    if doc is None:
        raise InvalidInput(imp.problems + info.problems)
    catalogue = project.catalogue(doc["operation"], doc["spec_version"])
    assert catalogue is not None
    items = template_items(project, doc["operation"]) if project.inventory else None  # a shared scope: every operation's
    op = project.operation(doc["operation"])
    imp.rule, imp.operation, imp.shared = KindRule(catalogue, items or ()), doc["operation"], bool(op and op.shared)
    own = [i for i in items if i.operation == doc["operation"]] if items is not None else None
    parts = _read_requirements(imp, reqs, catalogue, items)
    parts["links"] += read_judged(imp, sheets[SUGGEST], catalogue, own, parts["links"])
    linked = {ln["item"] for ln in parts["links"] if not ln.get("item_operation")}
    if custom is not None:
        parts["custom"] = _read_custom(imp, custom, catalogue, own, linked)
    imp.problems += sheet_problems(sheets)
    if imp.problems:
        raise InvalidInput(imp.problems)
    for key in ("links", "custom", "optional_unused", "deferrals"):
        if parts.get(key):
            doc[key] = parts[key]
    return WorksheetImport(doc)


def mapping_yaml(doc: dict[str, Any], source: str = "", shown: str = "<mapping YAML>") -> str:
    """A mapping document as YAML text, read back by the loader first: InvalidInput (with the loader's problems,
    named ``shown``) if ``gapcheck validate`` would reject it."""
    header = f"# Imported by `gapcheck mapping import` from {source}.\n" if source else ""
    return dump_checked(doc, "mapping", shown, header)


# -- the workbook and its cells -------------------------------------------------------------


@dataclass
class _Importer:
    """Reads the sheets of one filled worksheet into a mapping document."""

    file: str
    project: Project
    problems: list[Problem] = field(default_factory=list)
    rule: KindRule = field(default_factory=lambda: KindRule(None))
    """Kinds of the catalogue's IDs and of the items: which requirement a row names, where a document says ``kind:``."""
    operation: str = ""
    shared: bool = False
    """A shared scope (共通機能): its rows may name the items of other operations (``kaigo/KG-F050``)."""

    def named(self, kind: str, rid: str) -> str:
        """A requirement in a message: ``0230265``, or ``form 0010002`` where a function and a form share the ID."""
        return f"{kind} {rid}" if len(self.rule.kinds.get(rid, ())) > 1 else rid

    def requirement(self, sheet: Sheet, r: int, rid: str, kind_key: str) -> tuple[str, str] | None:
        """(kind, ID) of the requirement a row names: its ID and the kind cell (needed only where both kinds hold the ID)."""
        kinds = self.rule.kinds.get(rid)
        if not kinds:
            return None
        text = sheet.text(r, kind_key)
        kind = KIND_TEXT.get(header_key(text)) if text else None
        if text and kind is None:
            self.problem(sheet, r, kind_key, "worksheet-invalid-value", Msg("not-a-kind"), Msg("kinou-or-chouhyou"), repr(text))
            return None
        if kind is None and len(kinds) > 1:
            self.problem(sheet, r, kind_key, "requirement-kind-ambiguous",
                         Msg("kind-ambiguous-cell", rid=rid), Msg("kinou-or-chouhyou"), Msg("an-empty-cell"))
            return None
        if kind is not None and kind not in kinds:
            other = next(iter(kinds))
            self.problem(sheet, r, kind_key, "requirement-wrong-kind",
                         Msg("requirement-wrong-kind", rid=rid, kind=KIND_NAMES[other], named=KIND_NAMES[kind]), KIND_LABELS[other],
                         repr(text))
            return None
        return (kind or next(iter(kinds)), rid)

    def problem(self, sheet: Sheet, row: int, key: str, code: str, message: str, expected: str | None, found: str | None) -> None:
        self.problems.append(sheet.problem(row, key, code, message, expected, found))

    def date(self, sheet: Sheet, row: int, key: str) -> str | None:
        iso, bad = cell_date(sheet.get(row, key))
        if bad is not None:
            self.problem(sheet, row, key, "invalid-date", Msg("not-a-real-date"), Msg("a-date-yyyy-mm-dd"), repr(bad))
        return iso


# -- the sheets ------------------------------------------------------------------------------


def _read_info(imp: _Importer, sheet: Sheet) -> dict[str, Any] | None:
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
                    Msg("not-a-mapping-worksheet"), repr(TAG),
                    repr(cell_text(values.get("gapcheck"))))
        return None
    code = cell_text(values.get("operation"))
    if imp.project.operation(code) is None:
        imp.problem(sheet, where.get("operation", 1), "value", "unknown-operation", Msg("unknown-operation", code=code),
                    Msg("a-code-of-operations"), repr(code))
        return None
    raw_version = cell_text(values.get("spec_version"))
    version = normalise_version(raw_version) if raw_version else None
    if version is None or version not in imp.project.versions(code):
        have = ", ".join(imp.project.versions(code)) or Msg("found-none")
        imp.problem(sheet, where.get("spec_version", 1), "value", "unknown-spec-version",
                    Msg("unknown-spec-version", operation=code, version=raw_version or Msg("empty-paren")),
                    Msg("one-of", values=have), repr(raw_version))
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
            imp.problem(sheet, where["sample"], "value", "worksheet-invalid-value", Msg("sample-true-or-empty"),
                        Msg("true-or-empty-cell"), repr(flag))
    for key in ("source", "note"):
        if key in where and sheet.text(where[key], "value", exact=True):
            doc[key] = sheet.text(where[key], "value", exact=True)
    return doc


def _read_requirements(imp: _Importer, sheet: Sheet, catalogue: Catalogue,
                       items: list[InventoryItem] | None) -> dict[str, list[dict[str, Any]]]:
    missing = sheet.missing_columns(REQ_COLUMNS, ("requirement", "item", "judgement"))
    imp.problems += missing
    if missing:  # the rows cannot be read without these columns (a bad cell on 情報 does not stop them being read)
        return {"links": []}
    reqs = {(r.kind, r.id): r for r in catalogue.requirements}
    item_ids = {(i.operation, i.id) for i in items} if items is not None else None
    links: list[dict[str, Any]] = []
    seen_links: dict[tuple[str, ...], int] = {}
    unused: dict[tuple[str, str], dict[str, Any]] = {}
    deferrals: dict[tuple[str, str], dict[str, Any]] = {}
    for r in range(2, len(sheet.rows) + 1):
        filled = {k: sheet.text(r, k, exact=k in FREE_TEXT) for k in INPUT_COLUMNS}
        raw_id = sheet.get(r, "requirement")
        if r in sheet.bad_rows:
            continue
        if cell_text(raw_id) == "":
            if any(filled.values()):
                imp.problem(sheet, r, "requirement", "missing-id", Msg("row-no-requirement-id", row=r),
                            Msg("a-requirement-id-of-catalogue"), Msg("an-empty-cell"))
            continue
        rid = cell_id(raw_id)
        if rid not in imp.rule.kinds:
            near = nearest_ids(rid, list(imp.rule.kinds))
            imp.problem(sheet, r, "requirement", "unknown-requirement",
                        Msg("unknown-requirement-near" if near else "unknown-requirement", rid=rid, operation=catalogue.operation,
                            version=catalogue.version, near=", ".join(near)),
                        Msg("a-requirement-id-of", file=catalogue.file), repr(cell_text(raw_id)))
            continue
        key = imp.requirement(sheet, r, rid, "kind")
        if key is None:
            continue
        req = reqs[key]
        link = _read_link(imp, sheet, r, key, filled, item_ids)
        if link is not None:
            pair = (link.get("item_operation", ""), link["item"], *key)
            if pair in seen_links:
                imp.problem(sheet, r, "item", "link-duplicate",
                            Msg("link-duplicate-row", item=link['item'], rid=imp.named(*key), row=seen_links[pair]),
                            Msg("each-link-once"), repr(link["item"]))
            else:
                seen_links[pair] = r
                links.append(link)
        _read_decisions(imp, sheet, r, req, filled, unused, deferrals)
    return {"links": links, "optional_unused": list(unused.values()), "deferrals": list(deferrals.values())}


def _read_link(imp: _Importer, sheet: Sheet, r: int, key: tuple[str, str], filled: dict[str, str],
               item_ids: set[tuple[str, str]] | None) -> dict[str, Any] | None:
    kind, rid = key
    owner, item = split_item(filled["item"])  # kaigo/KG-F050: another operation's item (a shared scope only)
    judgement = filled["judgement"]
    date = imp.date(sheet, r, "date")
    if not item and not judgement:
        if filled["note"] or filled["date"]:
            imp.problem(sheet, r, "item", "worksheet-missing-value", Msg("note-but-no-item", rid=rid),
                        Msg("item-and-judgement"), Msg("an-empty-cell"))
        return None
    if not item:
        imp.problem(sheet, r, "item", "worksheet-missing-value", Msg("judgement-but-no-item", rid=rid),
                    Msg("a-current-item-id-sheet"), Msg("an-empty-cell"))
        return None
    if owner is not None and owner != imp.operation and not imp.shared:
        imp.problem(sheet, r, "item", "item-other-operation", Msg("only-shared-names", owner=owner),
                    Msg("an-item-id-of-sheet", operation=imp.operation), repr(filled["item"]))
        return None
    if item_ids is not None and (owner or imp.operation, item) not in item_ids:
        near = nearest_ids(filled["item"], sorted(item_cell(i, o, imp.operation) for o, i in item_ids))
        imp.problem(sheet, r, "item", "unknown-item",
                    Msg("no-such-item-near", near=", ".join(near)) if near else Msg("no-such-item"),
                    Msg("an-item-id-of-items-sheet"), repr(item))
        return None
    if not judgement:
        mark = REVIEW_CELL.match(sheet.text(r, "review"))
        if mark and mark["item"] == filled["item"]:
            # a stale link carried over from an older version, not judged again
            also = "-".join(k for k in ("note", "date") if filled[k])
            imp.problem(sheet, r, "judgement", "worksheet-needs-review",
                        Msg("needs-review", rid=rid, version=mark['version'], also=Msg(f"and-its-{also}") if also else ""),
                        Msg("a-new-judgement"), Msg("empty-cell-old", version=mark['version'], judgement=mark['judgement']))
        else:
            imp.problem(sheet, r, "judgement", "worksheet-missing-value", Msg("no-judgement", item=item, rid=rid),
                        Msg("judgement-marks"), Msg("an-empty-cell"))
        return None
    code = JUDGEMENT_TEXT.get(header_key(judgement)) or JUDGEMENT_TEXT.get(judgement)
    if code is None:
        imp.problem(sheet, r, "judgement", "worksheet-invalid-value", Msg("not-a-judgement"), Msg("judgement-marks"), repr(judgement))
        return None
    link = {k: v for k, v in (("item", item), ("item_operation", owner if owner != imp.operation else None), ("requirement", rid),
                              ("judgement", code), ("note", filled["note"]), ("date", date)) if v}
    return imp.rule.canonical(link, kind, True)


def _read_decisions(imp: _Importer, sheet: Sheet, r: int, req: Any, filled: dict[str, str],
                    unused: dict[tuple[str, str], dict[str, Any]], deferrals: dict[tuple[str, str], dict[str, Any]]) -> None:
    if filled["unused"] or filled["unused_note"]:
        if header_key(filled["unused"]) not in {header_key(t) for t in UNUSED_TEXT}:
            imp.problem(sheet, r, "unused", "worksheet-invalid-value", Msg("mark-unused-with", mark=UNUSED_MARK), UNUSED_MARK,
                        repr(filled["unused"]) if filled["unused"] else Msg("an-empty-cell"))
        elif req.klass != "optional":
            imp.problem(sheet, r, "unused", "not-optional", Msg("not-optional", rid=req.id, klass=CLASS_LABELS[req.klass]),
                        Msg("an-optional-requirement"), repr(filled["unused"]))
        else:
            _once(imp, sheet, r, "unused", unused, req, {"requirement": req.id, "note": filled["unused_note"]})
    until = imp.date(sheet, r, "until")
    if until or filled["deferral_note"]:
        if not until:
            if not filled["until"]:
                imp.problem(sheet, r, "until", "worksheet-missing-value", Msg("deferral-note-no-date"),
                            Msg("a-date-yyyy-mm-dd"), Msg("an-empty-cell"))
        elif req.klass != "mandatory":
            imp.problem(sheet, r, "until", "deferral-not-mandatory",
                        Msg("deferral-not-mandatory", rid=req.id, klass=CLASS_LABELS[req.klass]),
                        Msg("a-mandatory-requirement"), repr(until))
        else:
            _once(imp, sheet, r, "until", deferrals, req, {"requirement": req.id, "until": until, "note": filled["deferral_note"]})


def _once(imp: _Importer, sheet: Sheet, r: int, key: str, into: dict[tuple[str, str], dict[str, Any]], req: Any,
          value: dict[str, Any]) -> None:
    value = imp.rule.canonical({k: v for k, v in value.items() if v}, req.kind, False)
    if (req.kind, req.id) in into and into[(req.kind, req.id)] != value:
        imp.problem(sheet, r, key, "worksheet-conflict", Msg("different-decision", rid=req.id),
                    Msg("same-values-every-row"), repr(value))
    into.setdefault((req.kind, req.id), value)


def _read_custom(imp: _Importer, sheet: Sheet, catalogue: Catalogue, items: list[InventoryItem] | None,
                 linked: set[str]) -> list[dict[str, Any]]:
    item_ids = {i.id for i in items} if items is not None else None
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    named: tuple[str, str] | None = None
    for r in range(2, len(sheet.rows) + 1):
        item, disp, rid_text = (sheet.text(r, k) for k in ("item", "disposition", "requirement"))
        note = sheet.text(r, "note", exact=True)
        if r in sheet.bad_rows:
            continue
        if not (disp or rid_text or note):
            continue
        if not item:
            imp.problem(sheet, r, "item", "worksheet-missing-value", Msg("row-no-item-id-custom", row=r),
                        Msg("a-current-item-id"), Msg("an-empty-cell"))
            continue
        code = DISPOSITION_TEXT.get(header_key(disp))
        if not disp:
            imp.problem(sheet, r, "disposition", "worksheet-missing-value", Msg("no-disposition", item=item),
                        Msg("one-of", values=", ".join(DISPOSITION_LABELS.values())), Msg("an-empty-cell"))
            continue
        if code is None:
            imp.problem(sheet, r, "disposition", "worksheet-invalid-value", Msg("not-a-disposition"),
                        Msg("one-of", values=", ".join(DISPOSITION_LABELS.values())), repr(disp))
            continue
        if item_ids is not None and item not in item_ids:
            imp.problem(sheet, r, "item", "unknown-item", Msg("no-such-item"), Msg("an-item-id-of-items-sheet"),
                        repr(item))
            continue
        if item in linked:
            imp.problem(sheet, r, "item", "custom-item-linked", Msg("linked-and-disposition", item=item, sheet=REQS),
                        Msg("links-or-disposition"), repr(item))
            continue
        if item in seen:
            imp.problem(sheet, r, "item", "duplicate-custom", Msg("duplicate-custom-row", item=item, row=seen[item]),
                        Msg("one-disposition-per-item"), repr(item))
            continue
        seen[item] = r
        entry: dict[str, Any] = {"item": item, "disposition": code}
        if rid_text:
            rid = cell_id(sheet.get(r, "requirement"))
            if rid not in imp.rule.kinds:
                imp.problem(sheet, r, "requirement", "unknown-requirement",
                            Msg("unknown-requirement", rid=rid, operation=catalogue.operation, version=catalogue.version),
                            Msg("a-requirement-id-of", file=catalogue.file), repr(rid_text))
                continue
            named = imp.requirement(sheet, r, rid, "requirement_kind")
            if named is None:
                continue
            entry["requirement"] = rid
        elif code == "replace":
            imp.problem(sheet, r, "requirement", "worksheet-missing-value",
                        Msg("replace-needs-requirement"), Msg("a-requirement-id"), Msg("an-empty-cell"))
            continue
        if note:
            entry["note"] = note
        out.append(imp.rule.canonical(entry, named[0], False) if rid_text and named is not None else entry)
    return out
