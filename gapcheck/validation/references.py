"""The references of one vendor mapping, checked against its catalogue and the inventory.

Part of :func:`gapcheck.validation.project.load_project` (layer 3, meaning):
every link, custom disposition, unused-option decision and 経過措置 names a
requirement of the mapping's spec version and an item of the operation's
inventory, and the decisions do not contradict each other or the
requirement's class.

Requirements are keyed by kind and ID: 機能ID and 帳票ID are separate
namespaces, so a catalogue may hold function 0010001 and form 0010001.  A
link's requirement has the kind of its item (a form item links to a form
requirement) unless the link says ``kind:``; a decision, a deferral or a
custom item's replacement names no item, so it needs ``kind:`` when both
kinds have the ID.  A shared scope (共通機能, ``shared: true`` in the
registry) may link the items of any operation's system, named with
``item_operation:``.
"""

from __future__ import annotations

from typing import Any, Protocol

from gapcheck.core.errors import Severity
from gapcheck.core.ids import nearest_ids
from gapcheck.core.labels import KIND_NAMES
from gapcheck.core.model import (
    JUDGEMENT_FROM_TEXT,
    Catalogue,
    CustomItem,
    Decision,
    Deferral,
    Inventory,
    InventoryItem,
    Link,
    Operation,
    Requirement,
)
from gapcheck.loading.convert import PathPart
from gapcheck.loading.yamlio import YamlDocument

Ref = tuple[str, str, "Requirement | None"]
"""(kind, ID, the requirement or None when the catalogue is not loaded) of a resolved reference."""


class Builder(Protocol):
    """What the references need of the project builder (:class:`gapcheck.validation.project._Builder`)."""

    operations: dict[str, Operation]
    items: dict[str, dict[str, InventoryItem]]
    inventory_broken: bool
    partial_ops: set[str]
    partial_items: set[str]

    def problem(self, doc: YamlDocument, path: tuple[PathPart, ...], code: str, message: str, expected: str | None = None,
                found: str | None = None, severity: Severity = "error", key: bool = False) -> None: ...

    def owner_of(self, rid: str, besides: str) -> str | None: ...

    def check_operation(self, doc: YamlDocument, path: tuple[PathPart, ...], code: str, key: bool = False) -> bool: ...

    def requirement_id(self, doc: YamlDocument, path: tuple[PathPart, ...], raw: str, prefix: str | None, op: Operation,
                       check_prefix: bool = True, declared: str | None = None) -> str | None: ...


class MappingReferences:
    """Checks the references of one mapping file against its catalogue and the inventory."""

    def __init__(self, b: Builder, doc: YamlDocument, op: Operation, cat: Catalogue | None, inventory: Inventory | None):
        self.b, self.doc, self.op, self.cat = b, doc, op, cat
        self.reqs = {(r.kind, r.id): r for r in cat.requirements} if cat else None
        self.kinds: dict[str, list[str]] = {}
        for r in (cat.requirements if cat else ()):
            self.kinds.setdefault(r.id, []).append(r.kind)
        self.checkable = inventory is not None and not b.inventory_broken
        self.items = b.items.get(op.code, {}) if self.checkable else None
        self.prefix = cat.prefix if cat else op.prefix

    def _line(self, key: str, i: int) -> int:
        return self.doc.line_of((key,), i)

    def requirement(self, path: tuple[PathPart, ...], raw: dict[str, Any], item: InventoryItem | None = None,
                    quiet: bool = False) -> Ref | None:
        """The requirement named by ``raw["requirement"]`` (and ``raw["kind"]``, else the item's kind); None when wrong.

        ``quiet``: the item was wrong and already reported, so a kind it cannot decide is not reported again.
        """
        rid = self.b.requirement_id(self.doc, path, raw["requirement"], self.prefix, self.op, check_prefix=False)
        if rid is None:
            return None
        explicit = raw.get("kind")
        wanted = explicit or (item.kind if item is not None else None)
        if self.reqs is None:
            return (wanted or "function", rid, None)
        kinds = self.kinds.get(rid)
        if not kinds:
            self._unknown(path, rid, raw["requirement"])
            return None
        if wanted in kinds:
            return (wanted, rid, self.reqs[(wanted, rid)])
        if wanted is None and len(kinds) == 1:
            return (kinds[0], rid, self.reqs[(kinds[0], rid)])
        if wanted is None and quiet:
            return None
        if wanted is None:
            why = "and the item cannot tell which" if path[0] == "links" else "and nothing here tells which"
            self.b.problem(self.doc, path, "requirement-kind-ambiguous",
                           f"{rid} is both a 機能要件 and a 帳票要件 of {self.op.code} {self.cat.version if self.cat else ''} "
                           f"{why}: add kind: function or kind: form", "kind: function or kind: form",
                           repr(raw["requirement"]))
            return None
        other = kinds[0]
        if explicit:
            self.b.problem(self.doc, path[:-1] + ("kind",), "requirement-wrong-kind",
                           f"{rid} is a {KIND_NAMES[other]}, not a {KIND_NAMES[explicit]}", f"kind: {other}", repr(explicit))
        elif item is not None:  # the kind came from the item
            self.b.problem(self.doc, path, "requirement-wrong-kind",
                           f"{rid} is a {KIND_NAMES[other]}; the item {item.id} is a {item.kind}: "
                           f"add kind: {other} if that is meant", f"a {KIND_NAMES[item.kind]} or kind: {other}",
                           repr(raw["requirement"]))
        return None

    def _unknown(self, path: tuple[PathPart, ...], rid: str, raw: str) -> None:
        """A requirement ID the mapping's catalogue does not have: another operation's, or unknown."""
        other = self.b.owner_of(rid, self.op.code)
        if other is not None:
            name = self.b.operations[other].name
            self.b.problem(self.doc, path, "requirement-other-operation",
                           f"{rid} is a requirement of {name} ({other}), not of {self.op.name}",
                           f"a requirement of {self.op.code} {self.cat.version if self.cat else ''}", repr(raw))
            return
        if self.op.code in self.b.partial_ops:
            return
        near = nearest_ids(rid, list(self.kinds))
        self.b.problem(self.doc, path, "unknown-requirement",
                       f"no requirement {rid} in {self.op.code} {self.cat.version if self.cat else ''}"
                       + (f"; nearest: {', '.join(near)}" if near else ""),
                       f"a requirement ID of {self.cat.file if self.cat else 'the catalogue'}", repr(raw))

    def item(self, path: tuple[PathPart, ...], item_id: str, owner: str | None = None) -> InventoryItem | bool:
        """The inventory item (of ``owner``, default the mapping's operation); True when it cannot be checked, False when wrong."""
        code = owner or self.op.code
        items = self.b.items.get(code, {}) if self.checkable else None
        if items is None:
            return True
        if item_id in items:
            return items[item_id]
        elsewhere = [op for op, known in self.b.items.items() if item_id in known and op != code]
        if elsewhere:
            hint = (f"; add item_operation: {elsewhere[0]} (a {self.op.name} link may name the items of any operation's system)"
                    if self.op.shared and owner is None else "")
            self.b.problem(self.doc, path, "item-other-operation",
                           f"inventory item {item_id} belongs to {elsewhere[0]}, not to {code}{hint}",
                           f"an inventory item of {code}", repr(item_id))
            return False
        if code in self.b.partial_items:
            return False
        near = nearest_ids(item_id, list(items))
        self.b.problem(self.doc, path, "unknown-item", f"no inventory item {item_id} in {code}"
                       + (f"; nearest: {', '.join(near)}" if near else ""),
                       f"an item ID of the {code} inventory", repr(item_id))
        return False

    def owner(self, i: int, raw: dict[str, Any]) -> tuple[bool, str]:
        """(fine, the operation holding a link's item): ``item_operation``, "" for the mapping's own."""
        code = raw.get("item_operation")
        if code is None or code == self.op.code:
            return True, ""
        path: tuple[PathPart, ...] = ("links", i, "item_operation")
        if not self.op.shared:
            self.b.problem(self.doc, path, "item-other-operation",
                           f"only a shared scope (共通機能) may link the items of another operation; {self.op.name} "
                           "links its own items", f"no item_operation, or '{self.op.code}'", repr(code))
            return False, ""
        return self.b.check_operation(self.doc, path, code), str(code)

    def links(self, raws: list[dict[str, Any]]) -> tuple[Link, ...]:
        out: list[Link] = []
        seen: dict[tuple[str, str, str, str], tuple[str, int]] = {}
        skips = self.doc.skips
        lines = self.doc.lines.get(("links",), [])
        version = self.cat.version if self.cat else ""
        for i, raw in enumerate(raws):
            if skips and ("links", i) in skips:
                continue
            line = lines[i] if i < len(lines) else 0
            fine, owner = self.owner(i, raw)
            item = self.item(("links", i, "item"), raw["item"], owner or None) if fine else False
            ref = self.requirement(("links", i, "requirement"), raw, item if isinstance(item, InventoryItem) else None,
                                   quiet=item is False or self.b.inventory_broken)  # no second report of one mistake
            if ref is None or item is False:
                continue
            kind, rid, _ = ref
            judgement = JUDGEMENT_FROM_TEXT[raw["judgement"]]
            key = (owner or self.op.code, raw["item"], kind, rid)
            if key in seen:
                self._repeated(i, raw, self.named(kind, rid), judgement, seen[key])
                continue
            seen[key] = (judgement, line)
            out.append(Link(self.op.code, version, raw["item"], rid, judgement, raw.get("note", ""), raw.get("date"),
                            self.doc.file, line, kind, owner or ""))
        return tuple(out)

    def named(self, kind: str, rid: str) -> str:
        """A requirement in a message: ``0230265``, or ``form 0010002`` where a function and a form share the ID."""
        return f"{kind} {rid}" if len(self.kinds.get(rid, ())) > 1 else rid

    def _repeated(self, i: int, raw: dict[str, Any], rid: str, judgement: str, first: tuple[str, int]) -> None:
        prev_j, prev_line = first
        if prev_j != judgement:
            self.b.problem(self.doc, ("links", i, "judgement"), "link-conflict",
                           f"item {raw['item']} is already judged '{prev_j}' for {rid} on line {prev_line}",
                           f"'{prev_j}' or one link only", repr(raw["judgement"]))
        else:
            self.b.problem(self.doc, ("links", i), "link-duplicate",
                           f"item {raw['item']} is linked to {rid} again (first on line {prev_line})",
                           "each link once", "the same link twice", severity="warning")

    def custom(self, raws: list[dict[str, Any]], linked: set[str]) -> tuple[CustomItem, ...]:
        out: list[CustomItem] = []
        seen: dict[str, int] = {}
        for i, raw in enumerate(raws):
            if ("custom", i) in self.doc.skips:
                continue
            line = self._line("custom", i)
            if self.item(("custom", i, "item"), raw["item"]) is False:
                continue
            if raw["item"] in linked:
                self.b.problem(self.doc, ("custom", i, "item"), "custom-item-linked",
                               f"item {raw['item']} is linked to a requirement and also listed as custom",
                               "either links or a custom disposition", repr(raw["item"]))
                continue
            if raw["item"] in seen:
                self.b.problem(self.doc, ("custom", i, "item"), "duplicate-custom",
                               f"item {raw['item']} already has a disposition on line {seen[raw['item']]}",
                               "one disposition per item", repr(raw["item"]))
                continue
            seen[raw["item"]] = line
            if raw["disposition"] == "replace" and "requirement" not in raw:
                self.b.problem(self.doc, ("custom", i), "missing-field",
                               "disposition 'replace' names the standard requirement that replaces the item",
                               "field 'requirement'", "none")
                continue
            ref = self.requirement(("custom", i, "requirement"), raw) if "requirement" in raw else None
            if "requirement" in raw and ref is None:
                continue
            out.append(CustomItem(self.op.code, raw["item"], raw["disposition"], ref[1] if ref else None,
                                  raw.get("note", ""), self.doc.file, line, ref[0] if ref else None))
        return tuple(out)

    def decisions(self, raws: list[dict[str, Any]], links: tuple[Link, ...]) -> tuple[Decision, ...]:
        used = {(link.kind, link.requirement) for link in links if link.judgement in ("fit", "partial")}
        out: list[Decision] = []
        for i, raw in enumerate(raws):
            path = ("optional_unused", i, "requirement")
            if ("optional_unused", i) in self.doc.skips or (ref := self.requirement(path, raw)) is None:
                continue
            kind, rid, req = ref
            if req is not None and req.klass != "optional":
                self.b.problem(self.doc, path, "not-optional",
                               f"{self.named(kind, rid)} is {req.klass}, not 標準オプション; only optional requirements can be left unused",
                               "an optional requirement", repr(raw["requirement"]))
                continue
            if req is not None and (kind, rid) in used:
                self.b.problem(self.doc, path, "decision-conflict",
                               f"{self.named(kind, rid)} is declared unused but linked as fit or partial",
                               "either unused or linked", repr(raw["requirement"]))
                continue
            if any((d.kind, d.requirement) == (kind, rid) for d in out):
                self.b.problem(self.doc, path, "duplicate-decision", f"{self.named(kind, rid)} is already declared unused",
                               "one decision per requirement", repr(raw["requirement"]))
                continue
            out.append(Decision(self.op.code, rid, raw.get("note", ""), self.doc.file, self._line("optional_unused", i), kind))
        return tuple(out)

    def deferrals(self, raws: list[dict[str, Any]], links: tuple[Link, ...] = ()) -> tuple[Deferral, ...]:
        fit = {(link.kind, link.requirement) for link in links if link.judgement == "fit"}
        out = []
        seen: set[tuple[str, str]] = set()
        for i, raw in enumerate(raws):
            path = ("deferrals", i, "requirement")
            if ("deferrals", i) in self.doc.skips or (ref := self.requirement(path, raw)) is None:
                continue
            kind, rid, req = ref
            if req is not None and req.klass != "mandatory":
                self.b.problem(self.doc, path, "deferral-not-mandatory",
                               f"{self.named(kind, rid)} is {req.klass}; 経過措置 defers mandatory requirements only",
                               "a mandatory requirement", repr(raw["requirement"]))
                continue
            if (kind, rid) in seen:
                self.b.problem(self.doc, path, "duplicate-deferral", f"{self.named(kind, rid)} is deferred twice",
                               "one deferral per requirement", repr(raw["requirement"]))
                continue
            seen.add((kind, rid))
            if (kind, rid) in fit:
                self.b.problem(self.doc, path, "deferral-but-fit",
                               f"{self.named(kind, rid)} is deferred (経過措置) but also linked as fit; the fit wins",
                               "a deferral only for what is not fit", repr(raw["requirement"]), severity="warning")
            out.append(Deferral(self.op.code, rid, raw["until"], raw.get("note", ""), self.doc.file,
                                self._line("deferrals", i), kind))
        return tuple(out)
