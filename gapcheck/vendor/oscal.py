"""The mappings of one operation as an OSCAL mapping collection (OSCAL 1.2 control mapping model, JSON).

Reading of the model (usnistgov/OSCAL, ``oscal_mapping_metaschema.xml`` and
``oscal_mapping-common_metaschema.xml``):

* ``mapping-collection``: ``uuid``, ``metadata`` (``title``, ``last-modified``,
  ``version``, ``oscal-version``), ``provenance`` (``method``,
  ``matching-rationale``, ``status``, ``mapping-description``), ``mappings``;
* each mapping: ``uuid``, ``source-resource`` and ``target-resource``
  (``type`` catalog, ``href``), ``maps``, optional ``coverage``
  (``target-coverage``, ``generation-method``) and source/target gap summaries
  (``uuid``, ``unmapped-controls`` [``with-ids``]);
* each map: ``uuid``, ``relationship``, ``sources`` and ``targets``
  (``type`` control, ``id-ref``), optional ``qualifiers`` (``subject``,
  ``predicate``, ``category``, ``description``).

Here the *source* is the current system (its inventory items) and the
*target* the standard specification (its requirements), so that coverage is
"how much of the standard the current system covers".  One OSCAL mapping per
gapcheck mapping file; one map per link:

========  ==================  ==========================================
judgement relationship        qualifier
========  ==================  ==========================================
fit ○     equivalent-to       (実装不可 requirement: has-incompatibility, blocked)
partial △ subset-of           has-requirement, addressable
gap ×     no-relationship     has-requirement, addressable
========  ==================  ==========================================

Control IDs must be OSCAL tokens (starting with a letter) and name one
control each: 機能ID and 帳票ID are separate namespaces (function 0230010
and form 0230010 can both exist), so the kind is part of every
requirement's control ID: function ``0230265`` of kaigo is
``kaigo-function-0230265``, form ``0230010`` is ``kaigo-form-0230010``;
item ``F1`` is ``kaigo-item-F1`` (an item of another operation's system,
linked from the 共通機能 mapping, keeps its own operation:
``kaigo-item-KG-F050``).  The original IDs and the kind are kept in ``props``.  Every UUID is a
UUID 5 of what it names, so the same input gives the same document.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from gapcheck.core.errors import UsageError
from gapcheck.core.ids import version_key
from gapcheck.core.messages import Msg
from gapcheck.core.model import Catalogue, Link, Mapping, Project

OSCAL_VERSION = "1.2.1"
NAMESPACE = uuid.UUID("5b0c6b1e-6f1e-5a3c-9d43-2f1f8a0e7c11")
"""Fixed UUID namespace of gapcheck's OSCAL identifiers."""
PROP_NS = "urn:gapcheck:oscal"
"""Namespace of gapcheck's own ``props`` (an absolute URI, as OSCAL requires)."""

RELATIONSHIP = {"fit": "equivalent-to", "partial": "subset-of", "gap": "no-relationship"}
COVERAGE = {"fit": 1.0, "partial": 0.5, "gap": 0.0}
COVERAGE_METHOD = "fit-1-partial-0.5"
"""How coverage is counted: a requirement with a fit link counts 1, with only partial links 0.5."""
QUALIFIER = {
    "partial": "部分適合 (△): the current item meets the requirement only in part or by a manual workaround (運用で対応).",
    "gap": "ギャップ (×): the current item does not meet the requirement; the work or the system must change.",
}
FORBIDDEN = "実装不可: a conforming system must not have this function, and the current item has it (a violation to remove)."


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def requirement_ref(operation: str, kind: str, rid: str) -> str:
    """The OSCAL control ID of a requirement: ``kaigo-function-0230265``, ``kaigo-form-0230010`` (one per kind and ID)."""
    return f"{operation}-{kind}-{rid}"


def item_ref(operation: str, item: str) -> str:
    """The OSCAL control ID of a current item: ``kaigo-item-F1``."""
    return f"{operation}-item-{item}"


def _prop(name: str, value: str) -> dict[str, str]:
    return {"name": name, "ns": PROP_NS, "value": value}


def export_oscal(project: Project, operation: str, timestamp: str | None = None) -> dict[str, Any]:
    """The operation's mappings as an OSCAL ``mapping-collection`` document.

    ``timestamp`` (ISO date-time with zone) sets ``last-modified``; by default
    the latest mapping or link date (midnight JST), else the spec's
    publication date, so the same input gives the same output.  Mappings
    without links are left out (an OSCAL mapping needs at least one map).
    Raises :class:`~gapcheck.errors.UsageError` when nothing can be exported.
    """
    op = project.operation(operation)
    if op is None:
        raise UsageError(Msg("unknown-operation-usage", code=operation))
    found = [(m, project.catalogue(operation, m.spec_version)) for m in project.mappings if m.operation == operation and m.links]
    pairs = [(m, c) for m, c in found if c is not None]
    mappings = [m for m, _ in pairs]
    if not mappings:
        raise UsageError(Msg("no-mapping-to-export", code=operation, name=op.name))
    resources: dict[str, dict[str, Any]] = {}
    entries = [_mapping(project, m, c, resources) for m, c in pairs]
    stamp = timestamp or _last_modified(project, mappings)
    digest = hashlib.sha256(json.dumps(entries, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    complete = all(e["_complete"] for e in entries)
    for e in entries:
        del e["_complete"]
    versions = sorted({m.spec_version for m in mappings}, key=version_key)
    title = f"{op.name} ({operation}): 現行システムと{op.spec_title or '標準仕様書'}（第{'・'.join(versions)}版）の対応 / Fit & Gap"
    return {"mapping-collection": {
        "uuid": _uuid("collection", operation, digest),
        "metadata": {
            "title": title,
            "last-modified": stamp,
            "version": stamp[:10],
            "oscal-version": OSCAL_VERSION,
            "props": [_prop("operation", operation)],
            "remarks": "gapcheck で作成。標準仕様書の要件一覧を加工して作成（公式の対応表ではありません）。",
        },
        "provenance": {
            "method": "human",
            "matching-rationale": "functional",
            "status": "complete" if complete else "not-complete",
            "mapping-description": (f"Fit & Gap (比較分析) of the current {op.name} system against the standard "
                                    "specification: each map is one vendor judgement (○ fit, △ partial, × gap) that a "
                                    "current item (source) meets a standard requirement (target)."),
        },
        "mappings": entries,
        "back-matter": {"resources": [resources[k] for k in sorted(resources)]},
    }}


def _resource(resources: dict[str, dict[str, Any]], key: str, title: str, files: list[str]) -> str:
    rid = _uuid("resource", key)
    resources.setdefault(rid, {"uuid": rid, "title": title, "rlinks": [{"href": Path(f).as_posix()} for f in files]})
    return rid


def _mapping(project: Project, mapping: Mapping, catalogue: Catalogue, resources: dict[str, dict[str, Any]]) -> dict[str, Any]:
    op = mapping.operation
    reqs = {(r.kind, r.id): r for r in catalogue.requirements}
    inv_files = list(project.inventory.files) if project.inventory else []
    who = project.inventory.municipality if project.inventory else "current system"
    source = _resource(resources, f"inventory/{op}", f"{who}: 現行システム ({op})", inv_files or [mapping.file])
    target = _resource(resources, f"catalogue/{op}/{catalogue.version}", f"{catalogue.title}【第{catalogue.version}版】", [catalogue.file])
    maps = [_map(op, catalogue, ln, reqs.get((ln.kind, ln.requirement))) for ln in mapping.links]
    entry: dict[str, Any] = {
        "uuid": _uuid("mapping", op, Path(mapping.file).as_posix(), mapping.spec_version),
        "source-resource": {"type": "catalog", "href": f"#{source}"},
        "target-resource": {"type": "catalog", "href": f"#{target}"},
        "maps": maps,
        "props": [_prop(k, v) for k, v in (("spec-version", mapping.spec_version), ("vendor", mapping.vendor),
                                           ("product", mapping.product), ("mapping-file", Path(mapping.file).as_posix())) if v],
    }
    linked_reqs = {(ln.kind, ln.requirement) for ln in mapping.links}
    unmapped_reqs = [requirement_ref(op, r.kind, r.id) for r in catalogue.requirements if (r.kind, r.id) not in linked_reqs]
    items = [i.id for i in project.inventory.items if i.operation == op] if project.inventory else []
    unmapped_items = [item_ref(op, i) for i in items if i not in {ln.item for ln in mapping.links if ln.item_owner == op}]
    if unmapped_items:
        entry["source-gap-summary"] = {"uuid": _uuid("gap", op, mapping.file, "source"),
                                       "unmapped-controls": [{"with-ids": unmapped_items}]}
    if unmapped_reqs:
        entry["target-gap-summary"] = {"uuid": _uuid("gap", op, mapping.file, "target"),
                                       "unmapped-controls": [{"with-ids": unmapped_reqs}]}
    coverage, complete = _coverage(mapping, catalogue)
    entry["coverage"] = {"generation-method": COVERAGE_METHOD, "target-coverage": coverage}
    entry["_complete"] = complete
    return entry


def _map(op: str, catalogue: Catalogue, link: Link, req: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "uuid": _uuid("map", op, catalogue.version, link.item_owner, link.item, link.kind, link.requirement),
        "relationship": RELATIONSHIP[link.judgement],
        "sources": [{"type": "control", "id-ref": item_ref(link.item_owner, link.item)}],
        "targets": [{"type": "control", "id-ref": requirement_ref(op, link.kind, link.requirement)}],
    }
    qualifiers = []
    if req is not None and req.klass == "forbidden" and link.judgement in ("fit", "partial"):
        qualifiers.append({"subject": "target", "predicate": "has-incompatibility", "category": "blocked", "description": FORBIDDEN})
    elif link.judgement in QUALIFIER:
        qualifiers.append({"subject": "source", "predicate": "has-requirement", "category": "addressable",
                           "description": QUALIFIER[link.judgement]})
    if qualifiers:
        entry["qualifiers"] = qualifiers
    entry["coverage"] = {"generation-method": COVERAGE_METHOD, "target-coverage": COVERAGE[link.judgement]}
    props = [_prop("requirement-id", link.requirement), _prop("requirement-kind", link.kind), _prop("item-id", link.item),
             _prop("judgement", link.judgement)]
    if link.item_operation:
        props.append(_prop("item-operation", link.item_operation))
    if req is not None:
        props.append(_prop("implementation-class", req.klass))
    if link.date:
        props.append(_prop("judged-on", link.date))
    entry["props"] = props
    if link.note:
        entry["remarks"] = link.note
    return entry


def _coverage(mapping: Mapping, catalogue: Catalogue) -> tuple[float, bool]:
    """Share of in-scope requirements covered (fit 1, partial only 0.5), and whether every one was judged."""
    unused = {(d.kind, d.requirement) for d in mapping.optional_unused}
    scope = [(r.kind, r.id) for r in catalogue.requirements if r.klass != "forbidden" and (r.kind, r.id) not in unused]
    best: dict[tuple[str, str], float] = {}
    for ln in mapping.links:
        key = (ln.kind, ln.requirement)
        best[key] = max(best.get(key, 0.0), COVERAGE[ln.judgement])
    complete = all(key in best for key in scope)
    if not scope:
        return 1.0, complete
    return round(sum(best.get(key, 0.0) for key in scope) / len(scope), 4), complete


def _last_modified(project: Project, mappings: list[Mapping]) -> str:
    dates = [d for m in mappings for d in [m.date, *(ln.date for ln in m.links)] if d]
    if not dates:
        dates = [c.published for m in mappings if (c := project.catalogue(m.operation, m.spec_version)) and c.published]
    return f"{max(dates)}T00:00:00+09:00" if dates else "1970-01-01T00:00:00Z"
