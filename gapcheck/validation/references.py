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
from gapcheck.core.labels import CLASS_LABELS, KIND_NAMES
from gapcheck.core.messages import Msg
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
            why = Msg("kind-item-cannot-tell") if path[0] == "links" else Msg("kind-nothing-tells")
            self.b.problem(self.doc, path, "requirement-kind-ambiguous",
                           Msg("requirement-kind-ambiguous", rid=rid, operation=self.op.code, version=self._version, why=why),
                           Msg("kind-function-or-form"), repr(raw["requirement"]))
            return None
        other = kinds[0]
        if explicit:
            self.b.problem(self.doc, path[:-1] + ("kind",), "requirement-wrong-kind",
                           Msg("requirement-wrong-kind", rid=rid, kind=KIND_NAMES[other], named=KIND_NAMES[explicit]),
                           f"kind: {other}", repr(explicit))
        elif item is not None:  # the kind came from the item
            self.b.problem(self.doc, path, "requirement-wrong-kind",
                           Msg("requirement-wrong-kind-item", rid=rid, kind=KIND_NAMES[other], item=item.id,
                               item_kind=item.kind, other=other),
                           Msg("kind-or", kind=KIND_NAMES[item.kind], other=other), repr(raw["requirement"]))
        return None

    def _unknown(self, path: tuple[PathPart, ...], rid: str, raw: str) -> None:
        """A requirement ID the mapping's catalogue does not have: another operation's, or unknown."""
        other = self.b.owner_of(rid, self.op.code)
        if other is not None:
            name = self.b.operations[other].name
            self.b.problem(self.doc, path, "requirement-other-operation",
                           Msg("requirement-other-operation", rid=rid, name=name, other=other, operation=self.op.name),
                           Msg("a-requirement-of", operation=self.op.code, version=self._version), repr(raw))
            return
        if self.op.code in self.b.partial_ops:
            return
        near = nearest_ids(rid, list(self.kinds))
        self.b.problem(self.doc, path, "unknown-requirement",
                       Msg("unknown-requirement-near" if near else "unknown-requirement", rid=rid, operation=self.op.code,
                           version=self._version, near=", ".join(near)),
                       Msg("a-requirement-id-of", file=self.cat.file) if self.cat else Msg("a-requirement-id-of-catalogue"),
                       repr(raw))

    @property
    def _version(self) -> str:
        return self.cat.version if self.cat else ""

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
            hint = (Msg("hint-item-operation", other=elsewhere[0], name=self.op.name)
                    if self.op.shared and owner is None else "")
            self.b.problem(self.doc, path, "item-other-operation",
                           Msg("item-other-operation", item=item_id, other=elsewhere[0], operation=code, hint=hint),
                           Msg("an-item-of", operation=code), repr(item_id))
            return False
        if code in self.b.partial_items:
            return False
        near = nearest_ids(item_id, list(items))
        self.b.problem(self.doc, path, "unknown-item",
                       Msg("unknown-item-near" if near else "unknown-item", item=item_id, operation=code, near=", ".join(near)),
                       Msg("an-item-id-of", operation=code), repr(item_id))
        return False

    def owner(self, i: int, raw: dict[str, Any]) -> tuple[bool, str]:
        """(fine, the operation holding a link's item): ``item_operation``, "" for the mapping's own."""
        code = raw.get("item_operation")
        if code is None or code == self.op.code:
            return True, ""
        path: tuple[PathPart, ...] = ("links", i, "item_operation")
        if not self.op.shared:
            self.b.problem(self.doc, path, "item-other-operation",
                           Msg("item-operation-not-shared", name=self.op.name),
                           Msg("no-item-operation-or", operation=self.op.code), repr(code))
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
                           Msg("link-conflict", item=raw['item'], judgement=prev_j, rid=rid, line=prev_line),
                           Msg("same-or-one-link", judgement=prev_j), repr(raw["judgement"]))
        else:
            self.b.problem(self.doc, ("links", i), "link-duplicate",
                           Msg("link-duplicate", item=raw['item'], rid=rid, line=prev_line),
                           Msg("each-link-once"), Msg("the-same-link-twice"), severity="warning")

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
                               Msg("custom-item-linked", item=raw['item']), Msg("links-or-custom"), repr(raw["item"]))
                continue
            if raw["item"] in seen:
                self.b.problem(self.doc, ("custom", i, "item"), "duplicate-custom",
                               Msg("duplicate-custom", item=raw['item'], line=seen[raw['item']]),
                               Msg("one-disposition-per-item"), repr(raw["item"]))
                continue
            seen[raw["item"]] = line
            if raw["disposition"] == "replace" and "requirement" not in raw:
                self.b.problem(self.doc, ("custom", i), "missing-field",
                               Msg("replace-needs-requirement"), Msg("field-named", field="requirement"), Msg("found-none"))
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
                               Msg("not-optional", rid=self.named(kind, rid), klass=CLASS_LABELS[req.klass]),
                               Msg("an-optional-requirement"), repr(raw["requirement"]))
                continue
            if req is not None and (kind, rid) in used:
                self.b.problem(self.doc, path, "decision-conflict",
                               Msg("unused-but-linked", rid=self.named(kind, rid)), Msg("unused-or-linked"),
                               repr(raw["requirement"]))
                continue
            if any((d.kind, d.requirement) == (kind, rid) for d in out):
                self.b.problem(self.doc, path, "duplicate-decision", Msg("duplicate-decision", rid=self.named(kind, rid)),
                               Msg("one-decision-per-requirement"), repr(raw["requirement"]))
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
                               Msg("deferral-not-mandatory", rid=self.named(kind, rid), klass=CLASS_LABELS[req.klass]),
                               Msg("a-mandatory-requirement"), repr(raw["requirement"]))
                continue
            if (kind, rid) in seen:
                self.b.problem(self.doc, path, "duplicate-deferral", Msg("duplicate-deferral", rid=self.named(kind, rid)),
                               Msg("one-deferral-per-requirement"), repr(raw["requirement"]))
                continue
            seen.add((kind, rid))
            if (kind, rid) in fit:
                self.b.problem(self.doc, path, "deferral-but-fit",
                               Msg("deferral-but-fit", rid=self.named(kind, rid)), Msg("deferral-only-not-fit"),
                               repr(raw["requirement"]), severity="warning")
            out.append(Deferral(self.op.code, rid, raw["until"], raw.get("note", ""), self.doc.file,
                                self._line("deferrals", i), kind))
        return tuple(out)
