"""What changed between two versions of a spec, and what that means for the mappings.

A revised spec (第5.0版 -> 第6.0版) adds, removes, re-words, re-titles and
re-classifies requirements, keyed by kind and ID (a function and a form may
share an ID; ``ref`` names one as the outputs do, ``form:0230010`` where
both kinds hold the ID).  Each mapping was made against one
version; after a revision:

* a link to a requirement that no longer exists is **broken**;
* a link to a requirement whose text, title or class changed after the
  mapping's version is **stale**: the judgement needs review;
* a requirement that became 実装必須 is a **new gap** unless a current item
  fits it;
* a requirement that became 実装不可 while the current system does it (a fit
  or partial link) is a **new violation**.

Everything here is computed, nothing printed: the CLI renders
:class:`SpecDiff`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from gapcheck.core.errors import UsageError
from gapcheck.core.ids import normalise_version, version_key
from gapcheck.core.messages import Msg
from gapcheck.core.model import Catalogue, Link, Project, Requirement

CHANGES = ("added", "removed", "reworded", "retitled", "reclassified")
"""Kinds of change to one requirement, in report order."""
REVIEW_CHANGES = ("reworded", "retitled")
"""Changes that make a link to the requirement stale (a re-classification alone keeps the judgement)."""


@dataclass(frozen=True)
class RequirementChange:
    """One change to one requirement between two versions."""

    id: str
    change: str
    """One of :data:`CHANGES`."""
    kind: str
    """``function`` or ``form``."""
    title: str
    """The title in the newer version (the older one for a removed requirement)."""
    ref: str
    """The ID, or ``kind:ID`` where the two versions hold a function and a form with this ID."""
    before: str | None
    """The old value (text, title or class); None for an added requirement."""
    after: str | None
    """The new value; None for a removed requirement."""


@dataclass(frozen=True)
class LinkImpact:
    """A link of a current mapping that a revision broke or made stale."""

    state: str
    """``broken`` (the requirement was removed) or ``stale`` (it changed: review the judgement)."""
    requirement: str
    kind: str
    ref: str
    item: str
    judgement: str
    mapping: str
    """The mapping file."""
    line: int
    """Line of the link in the mapping file."""
    mapping_version: str
    """The spec version the mapping was made against."""
    changes: tuple[str, ...]
    """What changed since ``mapping_version``: ``removed``, or some of :data:`REVIEW_CHANGES`."""
    changed_in: str = ""
    """The first loaded version after ``mapping_version`` in which the requirement was removed or changed."""


@dataclass(frozen=True)
class ClassImpact:
    """A requirement that became mandatory or forbidden, and where the current system stands."""

    requirement: str
    kind: str
    ref: str
    title: str
    before: str | None
    """The old class (``mandatory``, ``optional``, ``forbidden``); None when the requirement is new."""
    after: str
    state: str
    """``fit`` or ``new-gap`` (became mandatory); ``new-violation`` or ``not-done`` (became forbidden)."""
    items: tuple[str, ...]
    """Current items linked as fit (became mandatory) or as fit/partial (became forbidden)."""


@dataclass(frozen=True)
class SpecDiff:
    """The changes between two versions of one operation's spec and their impact on its mappings."""

    operation: str
    old_version: str
    new_version: str
    changes: tuple[RequirementChange, ...]
    links: tuple[LinkImpact, ...]
    """Broken and stale links, by mapping file and line."""
    mandatory: tuple[ClassImpact, ...]
    """Requirements that are mandatory in the new version and were not before (or are new)."""
    forbidden: tuple[ClassImpact, ...]
    """Requirements that are forbidden in the new version and were not before (or are new)."""

    def count(self, change: str) -> int:
        return sum(c.change == change for c in self.changes)

    @property
    def summary(self) -> dict[str, int]:
        """Counts of every change and impact, keyed by name."""
        out = {c: self.count(c) for c in CHANGES}
        out["broken"] = sum(i.state == "broken" for i in self.links)
        out["stale"] = sum(i.state == "stale" for i in self.links)
        out["new-gap"] = sum(i.state == "new-gap" for i in self.mandatory)
        out["new-violation"] = sum(i.state == "new-violation" for i in self.forbidden)
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: lists for tuples, the counts under ``summary``."""
        data: dict[str, Any] = _lists(asdict(self))
        data["summary"] = self.summary
        return data


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value


def comparable_text(s: str) -> str:
    """Text as compared across versions: width variants folded (NFKC), white space and line breaks removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def fingerprint(r: Requirement) -> str:
    """What must stay the same for a link made against an older version to still hold: title and text.

    A change of class alone keeps the judgement (the item does the same thing);
    the new class then decides the state, e.g. a fit link to a requirement that
    became 実装不可 is a violation.
    """
    return "\x1f".join((comparable_text(r.title), comparable_text(r.summary)))


def _same_text(a: str, b: str) -> bool:
    """Equal once width variants and white space (line breaks) are ignored."""
    return comparable_text(a) == comparable_text(b)


def review_changes(old: Requirement, new: Requirement) -> tuple[str, ...]:
    """The changes (of :data:`REVIEW_CHANGES`) that make a judgement made against ``old`` doubtful for ``new``.

    A re-classification alone does not: the item still does (or does not do)
    the same thing; its new class shows as a new gap or a new violation instead.
    The analysis applies the same rule, vectorised, through :func:`fingerprint`.
    """
    return tuple(c.change for c in requirement_changes(old, new) if c.change in REVIEW_CHANGES)


def requirement_changes(old: Requirement, new: Requirement, ref: str | None = None) -> list[RequirementChange]:
    """How one requirement changed between two versions (empty when it did not)."""
    out = []
    ref = ref or new.id
    if not _same_text(old.summary, new.summary):
        out.append(RequirementChange(new.id, "reworded", new.kind, new.title, ref, old.summary, new.summary))
    if not _same_text(old.title, new.title):
        out.append(RequirementChange(new.id, "retitled", new.kind, new.title, ref, old.title, new.title))
    if old.klass != new.klass:
        out.append(RequirementChange(new.id, "reclassified", new.kind, new.title, ref, old.klass, new.klass))
    return out


def keyed(cat: Catalogue) -> dict[tuple[str, str], Requirement]:
    """A catalogue's requirements by (kind, ID)."""
    return {(r.kind, r.id): r for r in cat.requirements}


def ref_namer(*cats: Catalogue) -> Callable[[str, str], str]:
    """``ref(kind, id)``: the bare ID, or ``kind:id`` where any of ``cats`` holds both kinds of that ID."""
    kinds: dict[str, set[str]] = {}
    for cat in cats:
        for r in cat.requirements:
            kinds.setdefault(r.id, set()).add(r.kind)
    return lambda kind, rid: f"{kind}:{rid}" if len(kinds.get(rid, ())) > 1 else rid


def diff_catalogues(old: Catalogue, new: Catalogue) -> tuple[RequirementChange, ...]:
    """Every change from ``old`` to ``new``, by kind of change, then ID, then kind."""
    before, after, ref = keyed(old), keyed(new), ref_namer(old, new)
    changes: list[RequirementChange] = []
    for key, r in after.items():
        if key not in before:
            changes.append(RequirementChange(r.id, "added", r.kind, r.title, ref(*key), None, r.klass))
        else:
            changes.extend(requirement_changes(before[key], r, ref(*key)))
    for key, r in before.items():
        if key not in after:
            changes.append(RequirementChange(r.id, "removed", r.kind, r.title, ref(*key), r.klass, None))
    return tuple(sorted(changes, key=lambda c: (CHANGES.index(c.change), c.id, c.kind)))


def link_impacts(project: Project, operation: str, version: str | None = None) -> tuple[LinkImpact, ...]:
    """Links of the operation's mappings that are broken or stale against ``version`` (default: newest).

    A mapping made against ``version`` or a newer one is not affected; a
    mapping whose own catalogue is not loaded cannot be compared and is skipped.
    """
    target = project.catalogue(operation, version)
    if target is None:
        return ()
    current = keyed(target)
    out: list[LinkImpact] = []
    for mapping in project.mappings:
        if mapping.operation != operation or version_key(mapping.spec_version) >= version_key(target.version):
            continue
        base = project.catalogue(operation, mapping.spec_version)
        if base is None:
            continue
        was, ref = keyed(base), ref_namer(base, target)
        between = _catalogues_between(project, operation, mapping.spec_version, target.version)
        for link in mapping.links:
            key = (link.kind, link.requirement)
            impact = _link_impact(link, mapping.file, mapping.spec_version, was.get(key), current.get(key), ref(*key))
            if impact is not None:
                out.append(replace(impact, changed_in=_changed_in(key, was.get(key), between)))
    return tuple(sorted(out, key=lambda i: (i.mapping, i.line, i.requirement, i.item)))


def _catalogues_between(project: Project, operation: str, old: str, new: str) -> list[Catalogue]:
    """The loaded catalogues after version ``old`` up to and including ``new``, oldest first."""
    versions = [v for v in project.versions(operation) if version_key(old) < version_key(v) <= version_key(new)]
    return [c for c in (project.catalogue(operation, v) for v in versions) if c is not None]


def _changed_in(key: tuple[str, str], start: Requirement | None, later: list[Catalogue]) -> str:
    """The first of ``later`` in which requirement ``key`` (kind, ID) is gone or reads differently from the one before."""
    before = start
    for cat in later:
        now = next((r for r in cat.requirements if (r.kind, r.id) == key), None)
        if now is None or (before is not None and review_changes(before, now)):
            return cat.version
        before = now
    return later[-1].version if later else ""


def _link_impact(link: Link, file: str, version: str, old: Requirement | None, new: Requirement | None,
                 ref: str) -> LinkImpact | None:
    if new is None:
        return LinkImpact("broken", link.requirement, link.kind, ref, link.item, link.judgement, file, link.line, version,
                          ("removed",))
    if old is None:
        return None
    changes = review_changes(old, new)
    if not changes:
        return None
    return LinkImpact("stale", link.requirement, link.kind, ref, link.item, link.judgement, file, link.line, version, changes)


def stale_links(project: Project, operation: str, version: str | None = None) -> frozenset[tuple[str, str, str]]:
    """(item, kind, requirement) of the operation's links that are stale or broken against ``version``."""
    return frozenset((i.item, i.kind, i.requirement) for i in link_impacts(project, operation, version))


def _class_impacts(project: Project, operation: str, old: Catalogue, new: Catalogue, klass: str) -> tuple[ClassImpact, ...]:
    before, ref = keyed(old), ref_namer(old, new)
    links = [ln for m in project.mappings if m.operation == operation for ln in m.links]
    out = []
    for r in new.requirements:
        prev = before.get((r.kind, r.id))
        if r.klass != klass or (prev is not None and prev.klass == klass):
            continue
        doing = ("fit",) if klass == "mandatory" else ("fit", "partial")
        items = tuple(sorted({ln.item for ln in links if (ln.kind, ln.requirement) == (r.kind, r.id)
                              and ln.judgement in doing}))
        if klass == "mandatory":
            state = "fit" if items else "new-gap"
        else:
            state = "new-violation" if items else "not-done"
        out.append(ClassImpact(r.id, r.kind, ref(r.kind, r.id), r.title, prev.klass if prev else None, klass, state, items))
    return tuple(out)


def resolve_version(project: Project, operation: str, raw: str) -> str:
    """A loaded version of the operation's spec, from ``第6.0版``, ``6`` or ``6.0``; UsageError if none."""
    have = project.versions(operation)
    version = normalise_version(raw)
    if version is None or version not in have:
        listed = ", ".join(have) if have else Msg("found-none")
        raise UsageError(Msg("no-catalogue-version", code=operation, version=raw, loaded=listed))
    return version


def spec_diff(project: Project, operation: str, old_version: str, new_version: str) -> SpecDiff:
    """The changes from ``old_version`` to ``new_version`` and their impact on the operation's mappings."""
    if project.operation(operation) is None:
        raise UsageError(Msg("unknown-operation-usage", code=operation))
    old_v = resolve_version(project, operation, old_version)
    new_v = resolve_version(project, operation, new_version)
    old, new = project.catalogue(operation, old_v), project.catalogue(operation, new_v)
    assert old is not None and new is not None
    return SpecDiff(operation, old_v, new_v, diff_catalogues(old, new), link_impacts(project, operation, new_v),
                    _class_impacts(project, operation, old, new, "mandatory"),
                    _class_impacts(project, operation, old, new, "forbidden"))
