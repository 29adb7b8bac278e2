"""Suggested links: for current items with no link, the standard requirements they most likely correspond to.

A suggestion helps a person decide; it is never a judgement.  Nothing here
writes a mapping: a suggestion becomes a link only when a person judges it
(on the 候補 sheet of the worksheet, or in the mapping YAML).

Which items: every inventory item of the operation that has no link (in any
mapping of the operation, or of 共通機能, to a requirement of the version
analysed) and no decided disposition: status ``unlinked`` (nothing recorded)
or ``undecided`` (a custom item whose disposition is 未決定).  With
``all_items`` every item, also ``linked`` and ``decided`` ones.

Which requirements: those of the item's kind (function or form) in the
analysed spec version of the operation (default: the newest loaded) and in
the newest catalogue of 共通機能 (operation code :data:`COMMON_OPERATION`),
when the registry has it, it applies and a catalogue of it is loaded.  How
they are ranked: :mod:`gapcheck.analysis.similarity`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gapcheck.analysis.similarity import has_letters, paused_gc, rank
from gapcheck.core.errors import InvalidInput, Problem, UsageError
from gapcheck.core.messages import Msg
from gapcheck.core.model import Catalogue, InventoryItem, Project, Requirement

COMMON_OPERATION = "kyotsu"
"""The operation code of 共通機能, whose requirements are suggested beside every operation's own."""
FORMAT = "suggestions/1"
"""The ``gapcheck`` tag of the JSON document."""
MIN_TOP, MAX_TOP = 1, 50
DEFAULT_TOP = 5
STATUSES = ("unlinked", "undecided", "linked", "decided")
"""An item's status: no link and nothing decided; custom and 未決定; linked; custom with a decided disposition."""
OPEN_STATUSES = ("unlinked", "undecided")
"""The statuses suggested for by default."""


@dataclass(frozen=True)
class Suggestion:
    """One requirement suggested for one item."""

    requirement: str
    operation: str
    """The requirement's operation: the item's own, or 共通機能."""
    spec_version: str
    kind: str
    klass: str
    title: str
    score: float
    """In (0, 1]: the fused rank score of :mod:`gapcheck.analysis.similarity` (1: first by both measures); it
    orders the suggestions and is not a likelihood."""
    matched: tuple[str, ...] = ()
    """Words of the item's name and description that the requirement's text also holds."""

    def to_dict(self) -> dict[str, Any]:
        return {"requirement": self.requirement, "operation": self.operation, "spec_version": self.spec_version,
                "kind": self.kind, "class": self.klass, "title": self.title, "score": round(self.score, 4),
                "matched": list(self.matched)}


@dataclass(frozen=True)
class ItemSuggestions:
    """The suggestions for one inventory item, best first."""

    item: str
    kind: str
    name: str
    description: str
    status: str
    """One of :data:`STATUSES`."""
    suggestions: tuple[Suggestion, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"item": self.item, "kind": self.kind, "name": self.name, "description": self.description,
                "status": self.status, "suggestions": [s.to_dict() for s in self.suggestions]}


@dataclass(frozen=True)
class Suggestions:
    """What ``gapcheck mapping suggest`` shows: the suggestions for the items of one operation."""

    operation: str
    name: str
    spec_version: str
    common: tuple[str, str] | None
    """(operation, version) of the 共通機能 catalogue also ranked, or None when none is loaded or it does not apply."""
    top: int
    all_items: bool
    items: tuple[ItemSuggestions, ...]
    problems: tuple[Problem, ...] = field(default=())
    """Warnings: no inventory item, an item whose text has no letter."""

    def item(self, ident: str) -> ItemSuggestions | None:
        return next((i for i in self.items if i.item == ident), None)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape (``gapcheck/schemas/suggest.schema.json``)."""
        common = {"operation": self.common[0], "spec_version": self.common[1]} if self.common else None
        return {"gapcheck": FORMAT, "operation": self.operation, "name": self.name, "spec_version": self.spec_version, "common": common,
                "top": self.top, "all": self.all_items, "items": [i.to_dict() for i in self.items]}


def suggest(project: Project, operation: str, top: int = DEFAULT_TOP, all_items: bool = False,
            spec_version: str | None = None) -> Suggestions:
    """The ``top`` best requirements for every open item of ``operation`` (every item with ``all_items``).

    ``operation`` is a code (``kaigo``) or the operation's Japanese name (介護保険).

    Raises :class:`~gapcheck.errors.UsageError` for an unknown operation or
    version, an operation with no catalogue or that does not apply, or
    ``top`` outside 1..50, and :class:`~gapcheck.errors.InvalidInput` when
    the project has errors.
    """
    if not project.valid:  # the errors only: a caller has shown the warnings already
        raise InvalidInput([p for p in project.problems if p.severity == "error"])
    check_top(top)
    operation = project.operation_code(operation) or operation  # a code, or the operation's Japanese name
    catalogue = analysed_catalogue(project, operation, spec_version)
    common = common_catalogue(project, operation)
    items = [i for i in (project.inventory.items if project.inventory else ()) if i.operation == operation]
    status = item_status(project, catalogue, common, items)
    wanted = [i for i in items if all_items or status[i.id] in OPEN_STATUSES]
    found = suggest_items(catalogue, common, wanted, top, items)
    rows = tuple(ItemSuggestions(i.id, i.kind, i.name, i.description, status[i.id], found[i.id]) for i in wanted)
    op = project.operation(operation)
    return Suggestions(operation, op.name if op else operation, catalogue.version,
                       (common.operation, common.version) if common else None, top, all_items, rows,
                       tuple(_problems(project, operation, items, wanted)))


def check_top(top: Any) -> None:
    """Raise :class:`UsageError` unless ``top`` is a whole number from 1 to 50."""
    if isinstance(top, bool) or not isinstance(top, int) or not MIN_TOP <= top <= MAX_TOP:
        raise UsageError(Msg("suggest-top", first=MIN_TOP, last=MAX_TOP, value=repr(top)))


def analysed_catalogue(project: Project, operation: str, spec_version: str | None = None) -> Catalogue:
    """The catalogue suggestions are drawn from, or :class:`UsageError` saying why there is none."""
    op = project.operation(operation)
    if op is None:
        raise UsageError(Msg("unknown-operation-usage", code=operation))
    if not project.in_scope(operation):
        raise UsageError(Msg("operation-does-not-apply", code=f"{operation}（{op.name}）",
                             municipality=project.inventory.municipality if project.inventory else Msg("the-municipality")))
    versions = project.versions(operation)
    if not versions:
        raise UsageError(Msg("suggest-no-catalogue", code=operation, name=op.name))
    if spec_version is not None and spec_version not in versions:
        raise UsageError(Msg("no-catalogue-version", code=operation, version=spec_version, loaded=", ".join(versions)))
    catalogue = project.catalogue(operation, spec_version)
    assert catalogue is not None
    return catalogue


def common_catalogue(project: Project, operation: str) -> Catalogue | None:
    """The newest 共通機能 catalogue, when it exists, applies, and ``operation`` is not 共通機能 itself."""
    if operation == COMMON_OPERATION or project.operation(COMMON_OPERATION) is None:
        return None
    if not project.in_scope(COMMON_OPERATION):
        return None
    return project.catalogue(COMMON_OPERATION)


def item_status(project: Project, catalogue: Catalogue, common: Catalogue | None,
                items: Sequence[InventoryItem]) -> dict[str, str]:
    """Item ID -> one of :data:`STATUSES`, for the items of ``catalogue``'s operation.

    A link of the 共通機能 mapping counts for an item of this operation when
    it names it (``item_operation``: the operation whose inventory holds the
    item).  Requirements are matched by kind and ID.
    """
    known = {catalogue.operation: {(r.kind, r.id) for r in catalogue.requirements}}
    if common is not None:
        known[common.operation] = {(r.kind, r.id) for r in common.requirements}
    own = catalogue.operation
    linked = {ln.item for m in project.mappings if m.operation in known for ln in m.links
              if (ln.kind, ln.requirement) in known[m.operation] and ln.item_owner == own}
    dispositions: dict[str, set[str]] = {}
    for m in project.mappings:
        if m.operation == catalogue.operation:
            for c in m.custom:
                dispositions.setdefault(c.item, set()).add(c.disposition)
    status = {}
    for i in items:
        decided = dispositions.get(i.id, set()) - {"undecided"}
        status[i.id] = ("linked" if i.id in linked else "decided" if decided
                        else "undecided" if i.id in dispositions else "unlinked")
    return status


def suggest_items(catalogue: Catalogue, common: Catalogue | None, items: Sequence[InventoryItem], top: int,
                  corpus: Sequence[InventoryItem] = ()) -> dict[str, tuple[Suggestion, ...]]:
    """Item ID -> its ``top`` suggestions from ``catalogue`` and ``common`` (ties: smaller ID first).

    ``corpus``: every item of the operation, whose texts weigh the n-grams
    (:func:`~gapcheck.analysis.similarity.rank`), so that an item's
    suggestions do not depend on which other items are asked about.
    """
    check_top(top)
    pool: list[Requirement] = list(catalogue.requirements) + list(common.requirements if common else ())
    with paused_gc():  # 100,000 small objects at full scale: no full collections over the loaded project meanwhile
        ranked = rank(items, pool, top, corpus)
        return {item.id: tuple(_suggestion(pool[m.requirement], m.score, m.matched) for m in matches)
                for item, matches in zip(items, ranked, strict=True)}


def _suggestion(r: Requirement, score: float, matched: tuple[str, ...]) -> Suggestion:
    return Suggestion(r.id, r.operation, r.version, r.kind, r.klass, r.title, score, matched)


def _problems(project: Project, operation: str, items: Sequence[InventoryItem],
              wanted: Sequence[InventoryItem]) -> list[Problem]:
    """Warnings: the operation has no inventory item; an item's name and description hold no letter."""
    op = project.operation(operation)
    label = f"{op.name if op else operation} ({operation})"
    if not items:
        inv = project.inventory
        where = inv.files[0] if inv and inv.files else "current_system"
        return [Problem(where, 0, 0, "suggest-no-items", f"$.operations.{operation}.items",
                        Msg("suggest-no-items", label=label), Msg("items-under", operation=operation), Msg("found-none"),
                        "warning")]
    per_file: dict[str, list[str]] = {}
    for i in items:
        per_file.setdefault(i.file, []).append(i.id)
    out = []
    for i in wanted:
        if has_letters(f"{i.name} {i.description}"):
            continue
        n = per_file[i.file].index(i.id)  # the item's place in its file's list of this operation
        out.append(Problem(i.file, i.line, 0, "suggest-no-text", f"$.operations.{operation}.items[{n}].name",
                           Msg("suggest-no-text", item=i.id), Msg("a-name-in-words"), repr(i.name), "warning"))
    return out
