"""The references of one vendor mapping, checked against its catalogue and the inventory.

Part of :func:`gapcheck.loader.load_project` (layer 3, meaning): every link,
custom disposition, unused-option decision and 経過措置 names a requirement of
the mapping's spec version and an item of the operation's inventory, and the
decisions do not contradict each other or the requirement's class.
"""

from __future__ import annotations

from typing import Any, Protocol

from gapcheck.core.errors import Severity
from gapcheck.core.ids import nearest_ids
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

    def requirement_id(self, doc: YamlDocument, path: tuple[PathPart, ...], raw: str, prefix: str | None, op: Operation,
                       check_prefix: bool = True) -> str | None: ...


class MappingReferences:
    """Checks the references of one mapping file against its catalogue and the inventory."""

    def __init__(self, b: Builder, doc: YamlDocument, op: Operation, cat: Catalogue | None, inventory: Inventory | None):
        self.b, self.doc, self.op, self.cat = b, doc, op, cat
        self.reqs = {r.id: r for r in cat.requirements} if cat else None
        self.items = b.items.get(op.code, {}) if (inventory is not None and not b.inventory_broken) else None
        self.prefix = cat.prefix if cat else op.prefix

    def _line(self, key: str, i: int) -> int:
        return self.doc.line_of((key,), i)

    def requirement(self, path: tuple[PathPart, ...], raw: str) -> Requirement | None | str:
        """The requirement named at ``path``; a str ID when it cannot be checked; None when it is wrong."""
        rid = self.b.requirement_id(self.doc, path, raw, self.prefix, self.op, check_prefix=False)
        if rid is None:
            return None
        if self.reqs is None or self.cat is None:  # no catalogue (the one is None exactly when the other is)
            return rid
        req = self.reqs.get(rid)
        if req is not None:
            return req
        other = self.b.owner_of(rid, self.op.code)
        if other is not None:
            name = self.b.operations[other].name
            self.b.problem(self.doc, path, "requirement-other-operation",
                           f"{rid} is a requirement of {name} ({other}), not of {self.op.name}",
                           f"a requirement of {self.op.code} {self.cat.version}", repr(raw))
            return None
        if self.op.code in self.b.partial_ops:
            return None
        near = nearest_ids(rid, list(self.reqs))
        self.b.problem(self.doc, path, "unknown-requirement",
                       f"no requirement {rid} in {self.op.code} {self.cat.version}"
                       + (f"; nearest: {', '.join(near)}" if near else ""),
                       f"a requirement ID of {self.cat.file}", repr(raw))
        return None

    def item(self, path: tuple[PathPart, ...], item_id: str) -> bool:
        if self.items is None or item_id in self.items:
            return True
        elsewhere = [op for op, items in self.b.items.items() if item_id in items and op != self.op.code]
        if elsewhere:
            self.b.problem(self.doc, path, "item-other-operation",
                           f"inventory item {item_id} belongs to {elsewhere[0]}, not to {self.op.code}",
                           f"an inventory item of {self.op.code}", repr(item_id))
            return False
        if self.op.code in self.b.partial_items:
            return False
        near = nearest_ids(item_id, list(self.items))
        self.b.problem(self.doc, path, "unknown-item", f"no inventory item {item_id} in {self.op.code}"
                       + (f"; nearest: {', '.join(near)}" if near else ""),
                       f"an item ID of the {self.op.code} inventory", repr(item_id))
        return False

    def links(self, raws: list[dict[str, Any]]) -> tuple[Link, ...]:
        out: list[Link] = []
        seen: dict[tuple[str, str], tuple[str, int]] = {}
        skips = self.doc.skips
        lines = self.doc.lines.get(("links",), [])
        version = self.cat.version if self.cat else ""
        for i, raw in enumerate(raws):
            if skips and ("links", i) in skips:
                continue
            line = lines[i] if i < len(lines) else 0
            req = self.requirement(("links", i, "requirement"), raw["requirement"])
            ok_item = self.item(("links", i, "item"), raw["item"])
            if req is None or not ok_item:
                continue
            rid = req if isinstance(req, str) else req.id
            judgement = JUDGEMENT_FROM_TEXT[raw["judgement"]]
            pair = (raw["item"], rid)
            if pair in seen:
                prev_j, prev_line = seen[pair]
                if prev_j != judgement:
                    self.b.problem(self.doc, ("links", i, "judgement"), "link-conflict",
                                   f"item {raw['item']} is already judged '{prev_j}' for {rid} on line {prev_line}",
                                   f"'{prev_j}' or one link only", repr(raw["judgement"]))
                else:
                    self.b.problem(self.doc, ("links", i), "link-duplicate",
                                   f"item {raw['item']} is linked to {rid} again (first on line {prev_line})",
                                   "each link once", "the same link twice", severity="warning")
                continue
            seen[pair] = (judgement, line)
            out.append(Link(self.op.code, version, raw["item"], rid, judgement,
                            raw.get("note", ""), raw.get("date"), self.doc.file, line))
        return tuple(out)

    def custom(self, raws: list[dict[str, Any]], linked: set[str]) -> tuple[CustomItem, ...]:
        out: list[CustomItem] = []
        seen: dict[str, int] = {}
        for i, raw in enumerate(raws):
            if ("custom", i) in self.doc.skips:
                continue
            line = self._line("custom", i)
            if not self.item(("custom", i, "item"), raw["item"]):
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
            rid = None
            if raw["disposition"] == "replace":
                if "requirement" not in raw:
                    self.b.problem(self.doc, ("custom", i), "missing-field",
                                   "disposition 'replace' names the standard requirement that replaces the item",
                                   "field 'requirement'", "none")
                    continue
            if "requirement" in raw:
                req = self.requirement(("custom", i, "requirement"), raw["requirement"])
                if req is None:
                    continue
                rid = req if isinstance(req, str) else req.id
            out.append(CustomItem(self.op.code, raw["item"], raw["disposition"], rid, raw.get("note", ""), self.doc.file, line))
        return tuple(out)

    def decisions(self, raws: list[dict[str, Any]], links: tuple[Link, ...]) -> tuple[Decision, ...]:
        used = {link.requirement for link in links if link.judgement in ("fit", "partial")}
        out: list[Decision] = []
        for i, raw in enumerate(raws):
            if ("optional_unused", i) in self.doc.skips:
                continue
            req = self.requirement(("optional_unused", i, "requirement"), raw["requirement"])
            if req is None:
                continue
            if isinstance(req, Requirement):
                if req.klass != "optional":
                    self.b.problem(self.doc, ("optional_unused", i, "requirement"), "not-optional",
                                   f"{req.id} is {req.klass}, not 標準オプション; only optional requirements can be left unused",
                                   "an optional requirement", repr(raw["requirement"]))
                    continue
                if req.id in used:
                    self.b.problem(self.doc, ("optional_unused", i, "requirement"), "decision-conflict",
                                   f"{req.id} is declared unused but linked as fit or partial",
                                   "either unused or linked", repr(raw["requirement"]))
                    continue
            rid = req if isinstance(req, str) else req.id
            if any(d.requirement == rid for d in out):
                self.b.problem(self.doc, ("optional_unused", i, "requirement"), "duplicate-decision",
                               f"{rid} is already declared unused", "one decision per requirement", repr(raw["requirement"]))
                continue
            out.append(Decision(self.op.code, rid, raw.get("note", ""), self.doc.file, self._line("optional_unused", i)))
        return tuple(out)

    def deferrals(self, raws: list[dict[str, Any]], links: tuple[Link, ...] = ()) -> tuple[Deferral, ...]:
        fit = {link.requirement for link in links if link.judgement == "fit"}
        out = []
        seen: set[str] = set()
        for i, raw in enumerate(raws):
            if ("deferrals", i) in self.doc.skips:
                continue
            req = self.requirement(("deferrals", i, "requirement"), raw["requirement"])
            if req is None:
                continue
            if isinstance(req, Requirement) and req.klass != "mandatory":
                self.b.problem(self.doc, ("deferrals", i, "requirement"), "deferral-not-mandatory",
                               f"{req.id} is {req.klass}; 経過措置 defers mandatory requirements only",
                               "a mandatory requirement", repr(raw["requirement"]))
                continue
            rid = req if isinstance(req, str) else req.id
            if rid in seen:
                self.b.problem(self.doc, ("deferrals", i, "requirement"), "duplicate-deferral",
                               f"{rid} is deferred twice", "one deferral per requirement", repr(raw["requirement"]))
                continue
            seen.add(rid)
            if rid in fit:
                self.b.problem(self.doc, ("deferrals", i, "requirement"), "deferral-but-fit",
                               f"{rid} is deferred (経過措置) but also linked as fit; the fit wins",
                               "a deferral only for what is not fit", repr(raw["requirement"]), severity="warning")
            out.append(Deferral(self.op.code, rid, raw["until"], raw.get("note", ""), self.doc.file, self._line("deferrals", i)))
        return tuple(out)
