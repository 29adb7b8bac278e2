"""``gapcheck show``: a requirement or an item, and why its state is what it is, one line per cause.

:func:`show` finds what an ID names (item IDs match in any letter case when
that is unambiguous), analyses its operation on the as-of date, and adds to
each match ``reasons``: no link; judged ○/△/× by which item, where; a
経過措置 until when, expired or not; a link made against an older version in
which the requirement read differently; a link broken because its
requirement was removed, and in which version; added in which version.  For
an ID that names nothing it gives the nearest IDs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gapcheck.core.ids import nearest_ids, version_key
from gapcheck.core.labels import DISPOSITION_LABELS, JUDGEMENT_LABELS, KIND_LABELS
from gapcheck.core.model import Project, Requirement

if TYPE_CHECKING:
    from gapcheck.analysis.result import Analysis

CHANGE_WORDS = {"reworded": "文言変更", "retitled": "名称変更", "rekinded": "種別変更"}


@dataclass(frozen=True)
class Shown:
    """What ``gapcheck show ID`` shows."""

    ident: str
    """The ID as looked up (an item ID in its own letter case when matched case-insensitively)."""
    found: list[dict[str, Any]] = field(default_factory=list)
    """Each match (:func:`gapcheck.analysis.lookup.lookup`) with its ``reasons``."""
    nearest: list[str] = field(default_factory=list)
    """When nothing matched: the nearest requirement and item IDs."""


def show(project: Project, ident: str, as_of: dt.date | None = None) -> Shown:
    """Look ``ident`` up, analyse its operation(s) when the inputs allow, and explain each state."""
    from gapcheck.analysis.classify import analyze, select_operations
    from gapcheck.analysis.lookup import lookup

    ident = _resolve_item_case(project, ident.strip())
    found = lookup(project, ident)
    if not found:
        return Shown(ident, [], _nearest(project, ident))
    analysis = None
    if project.valid:
        codes = sorted({f["operation"] for f in found} & set(select_operations(project)))
        if codes:
            analysis = analyze(project, codes, as_of=as_of)
            found = lookup(project, ident, analysis, suggest=True)
    day = (as_of or dt.date.today()).isoformat()
    for f in found:
        f["reasons"] = _requirement_reasons(project, f, analysis, day) if f["type"] == "requirement" \
            else _item_reasons(project, f, analysis)
    return Shown(ident, found)


def _resolve_item_case(project: Project, ident: str) -> str:
    """``kg-f001`` -> ``KG-F001`` when exactly one item ID matches regardless of case."""
    items = project.inventory.items if project.inventory else ()
    if any(i.id == ident for i in items):
        return ident
    matches = {i.id for i in items if i.id.casefold() == ident.casefold()}
    return matches.pop() if len(matches) == 1 else ident


def _nearest(project: Project, ident: str) -> list[str]:
    ids = sorted({r.id for c in project.catalogues for r in c.requirements})
    items = sorted({i.id for i in (project.inventory.items if project.inventory else ())})
    return list(dict.fromkeys(nearest_ids(ident, ids) + nearest_ids(ident, items)))


def _versions(project: Project, operation: str) -> list[str]:
    return sorted(project.versions(operation), key=version_key)


def _requirement(project: Project, operation: str, version: str, rid: str, kind: str) -> Requirement | None:
    """The requirement ``kind``/``rid`` of one version (a function and a form may share an ID)."""
    cat = project.catalogue(operation, version)
    return next((r for r in cat.requirements if (r.kind, r.id) == (kind, rid)), None) if cat is not None else None


def _named(project: Project, operation: str, version: str, rid: str, kind: str, besides: str) -> str:
    """``0230265``; ``帳票 0230010`` where the version holds both kinds of the ID; ``kyotsu/…`` for another operation's."""
    cat = project.catalogue(operation, version)
    both = cat is not None and len({r.kind for r in cat.requirements if r.id == rid}) > 1
    return ("" if operation == besides else f"{operation}/") + (f"{KIND_LABELS[kind]} {rid}" if both else rid)


def _requirement_reasons(project: Project, f: dict[str, Any], analysis: Analysis | None, day: str) -> list[str]:
    op, rid, version, kind = f["operation"], f["id"], f["spec_version"], f["kind"]
    versions = _versions(project, op)
    analysed = analysis.versions.get(op) if analysis is not None else None
    if analysed is not None and version != analysed:
        if _requirement(project, op, analysed, rid, kind) is None:
            gone = next((v for v in versions if version_key(v) > version_key(version)
                         and _requirement(project, op, v, rid, kind) is None), analysed)
            return [f"第{gone}版で削除: 分析対象の第{analysed}版にない（この要件への対応付けは対応切れ）"]
        return [f"分析対象は第{analysed}版（この第{version}版の定義は参照のみ）"]
    reasons = []
    older = [v for v in versions if version_key(v) < version_key(version)]
    if older and _requirement(project, op, older[-1], rid, kind) is None:
        reasons.append(f"第{version}版で追加")
    if not f["links"]:
        reasons.append("対応付けなし: どの現行機能・帳票もこの要件に対応付けられていない")
    current = _requirement(project, op, version, rid, kind)
    for ln in f["links"]:
        mark = JUDGEMENT_LABELS.get(ln["judgement"], ln["judgement"])
        reasons.append(f"現行 {ln['item']} が {mark} と判定（{ln['file']}:{ln['line']}、第{ln['spec_version']}版に対して）")
        old = _requirement(project, op, ln["spec_version"], rid, kind) if ln["spec_version"] != version else None
        if old is not None and current is not None:
            from gapcheck.analysis.specdiff import review_changes

            changes = review_changes(old, current)
            if changes:
                words = "・".join(CHANGE_WORDS.get(c, c) for c in changes)
                reasons.append(f"その判定は第{ln['spec_version']}版の要件に対するもので、第{version}版で{words}: 判定をし直す")
    for d in f["deferrals"]:
        expired = "（期限切れ: 未解消ギャップ）" if d["until"] < day else ""
        reasons.append(f"経過措置: {d['until']} まで{expired}（{d['file']}:{d['line']}）")
    return reasons


def _item_reasons(project: Project, f: dict[str, Any], analysis: Analysis | None) -> list[str]:
    reasons = []
    for ln in f["links"]:
        op = ln["operation"]  # the mapping's: a 共通機能 link names its own requirement
        analysed = analysis.versions.get(op) if analysis is not None else None
        mark = JUDGEMENT_LABELS.get(ln["judgement"], ln["judgement"])
        named = _named(project, op, analysed or ln["spec_version"], ln["requirement"], ln["kind"], f["operation"])
        if analysed is not None and _requirement(project, op, analysed, ln["requirement"], ln["kind"]) is None:
            gone = next((v for v in _versions(project, op) if version_key(v) > version_key(ln["spec_version"])
                         and _requirement(project, op, v, ln["requirement"], ln["kind"]) is None), analysed)
            reasons.append(f"対応切れ: 要件 {named} は第{gone}版で削除（{ln['file']}:{ln['line']}）")
        else:
            reasons.append(f"要件 {named} に {mark}（{ln['file']}:{ln['line']}）")
    live = [r for r in reasons if not r.startswith("対応切れ")]
    if not live:
        disposition = f.get("disposition") or next((c["disposition"] for c in f["custom"]), None) or "undecided"
        reasons.append(f"標準に対応する要件がない（独自）: 処置 {DISPOSITION_LABELS.get(disposition, disposition)}")
    return reasons
