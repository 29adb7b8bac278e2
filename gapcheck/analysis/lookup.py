"""Looking things up in a loaded project: the operations overview and ``show ID``."""

from __future__ import annotations

from typing import Any

from gapcheck.core.ids import normalise_id
from gapcheck.core.model import Project


def operation_rows(project: Project) -> list[dict[str, Any]]:
    """One row per registry operation: what is loaded for it and whether it applies."""
    na = project.inventory.not_applicable if project.inventory else {}
    rows = []
    for op in project.operations:
        rows.append({
            "code": op.code, "name": op.name, "ministry": op.ministry,
            "prefixes": [{"code": p.code, "name": p.name or None, "verified": p.verified} for p in op.prefixes],
            "shared": op.shared,
            "versions": project.versions(op.code),
            "mappings": sorted(m.file for m in project.mappings if m.operation == op.code),
            "applicable": op.code not in na, "reason": na.get(op.code),
        })
    return rows


SHOW_TOP = 3
"""Suggested links shown for an unlinked item by ``gapcheck show``."""


def lookup(project: Project, ident: str, analysis: Any = None, suggest: bool = False) -> list[dict[str, Any]]:
    """Every requirement (any version) and inventory item called ``ident``, with their links.

    With an ``analysis`` (:class:`gapcheck.analysis.Analysis`), each match also
    gets its Fit & Gap ``state`` in the analysed version (None when it is not
    part of the analysis, e.g. a requirement of an older version).  With
    ``suggest``, an item with no link gets ``suggestions``: its
    :data:`SHOW_TOP` best requirements (:mod:`gapcheck.analysis.suggest`;
    never judgements), when the project is valid and the operation has a
    catalogue and applies.
    """
    found: list[dict[str, Any]] = []
    wanted = {ident.strip()}
    norm = normalise_id(ident, None)
    if norm.value:
        wanted.add(norm.value)
    for cat in project.catalogues:
        for r in cat.requirements:
            if r.id in wanted:
                # links of every version's mapping: one made against an older version carries over (see analysis)
                links = [_link(ln) for m in project.mappings if m.operation == r.operation for ln in m.links
                         if (ln.kind, ln.requirement) == (r.kind, r.id)]
                deferrals = [{"until": d.until, "note": d.note, "file": d.file, "line": d.line}
                             for m in project.mappings if m.operation == r.operation
                             for d in m.deferrals if (d.kind, d.requirement) == (r.kind, r.id)]
                found.append({"type": "requirement", "operation": r.operation, "spec_version": r.version, "id": r.id,
                              "kind": r.kind, "class": r.klass, "title": r.title, "category": list(r.category),
                              "summary": r.summary, "note": r.note, "file": r.file, "line": r.line,
                              "links": links, "deferrals": deferrals})
    for item in (project.inventory.items if project.inventory else ()):
        if item.id in wanted:
            links = [_link(ln) for m in project.mappings for ln in m.links  # a 共通機能 link may name it too
                     if ln.item == item.id and ln.item_owner == item.operation]
            custom = [{"disposition": c.disposition, "requirement": c.requirement, "kind": c.kind, "note": c.note, "file": c.file,
                       "line": c.line} for m in project.mappings for c in m.custom
                      if c.item == item.id and c.operation == item.operation]
            found.append({"type": "item", "operation": item.operation, "id": item.id, "kind": item.kind,
                          "name": item.name, "description": item.description, "department": item.department,
                          "cases": item.cases, "hours": item.hours, "file": item.file, "line": item.line,
                          "links": links, "custom": custom})
    if analysis is not None:
        _add_states(found, analysis)
    if suggest and project.valid:
        _add_suggestions(project, found)
    return found


def _add_suggestions(project: Project, found: list[dict[str, Any]]) -> None:
    from gapcheck.analysis.suggest import common_catalogue, item_status, suggest_items

    for f in found:
        catalogue = project.catalogue(f["operation"]) if f["type"] == "item" else None
        if catalogue is None or not project.in_scope(f["operation"]) or project.inventory is None:
            continue
        common = common_catalogue(project, f["operation"])
        items = [i for i in project.inventory.items if i.operation == f["operation"]]
        if item_status(project, catalogue, common, items)[f["id"]] == "linked":
            continue
        item = next(i for i in items if i.id == f["id"])
        f["suggestions"] = [s.to_dict() for s in suggest_items(catalogue, common, [item], SHOW_TOP, items)[item.id]]


def _add_states(found: list[dict[str, Any]], analysis: Any) -> None:
    req, items = analysis.requirements, analysis.items
    for f in found:
        if f["type"] == "requirement":
            row = req[(req["operation"] == f["operation"]) & (req["id"] == f["id"]) & (req["kind"] == f["kind"])
                      & (req["spec_version"] == f["spec_version"])]
            f["state"] = row["state"].iloc[0] if len(row) else None
        else:
            row = items[(items["operation"] == f["operation"]) & (items["id"] == f["id"])]
            f["state"] = row["state"].iloc[0] if len(row) else None
            disposition = row["disposition"].iloc[0] if len(row) else None
            f["disposition"] = disposition if isinstance(disposition, str) else None


def _link(ln: Any) -> dict[str, Any]:
    return {"operation": ln.operation, "item": ln.item, "item_operation": ln.item_operation or None,
            "requirement": ln.requirement, "kind": ln.kind, "spec_version": ln.spec_version,
            "judgement": ln.judgement, "note": ln.note, "date": ln.date, "file": ln.file, "line": ln.line}
