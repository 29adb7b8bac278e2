"""Which kind of requirement a mapping entry names, and when a document must say ``kind:``.

機能ID and 帳票ID are separate namespaces, so one ID can name a function and
a form.  In a mapping document (the YAML of ``mapping/1``) a link names its
requirement by ID and takes the kind of its item unless it says ``kind:``; a
decision (不使用, 経過措置) or a custom item's replacement names no item, so it
says ``kind:`` when both kinds hold the ID.  The worksheets read and write
mapping documents by the same rule (:class:`KindRule`): a document written by
gapcheck says ``kind:`` exactly where it is needed, so a worksheet imported
unedited gives back the document it was made from.

A link of a shared scope (共通機能) may name an item of another operation's
system: ``item_operation:`` in YAML, ``kaigo/KG-F050`` in a worksheet cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gapcheck.core.model import Catalogue, InventoryItem

KIND_TEXT = {"機能": "function", "帳票": "form", "function": "function", "form": "form",
             "機能要件": "function", "帳票要件": "form"}
"""A 種別 cell as written (or in :func:`~gapcheck.vendor.cells.header_key` form) -> kind."""


def item_cell(item: str, owner: str | None, operation: str) -> str:
    """The item as a worksheet cell shows it: ``KG-F050``, or ``kaigo/KG-F050`` for another operation's item."""
    return f"{owner}/{item}" if owner and owner != operation else item


def split_item(cell: str) -> tuple[str | None, str]:
    """``kaigo/KG-F050`` -> (``kaigo``, ``KG-F050``); ``KG-F050`` -> (None, ``KG-F050``)."""
    owner, sep, item = cell.partition("/")
    return (owner, item) if sep else (None, cell)


class KindRule:
    """Kinds of one catalogue's IDs and of the inventory's items, to resolve and to write ``kind:``."""

    def __init__(self, catalogue: Catalogue | None, items: Iterable[InventoryItem] = ()):
        self.operation = catalogue.operation if catalogue else ""
        self.kinds: dict[str, set[str]] = {}
        for r in (catalogue.requirements if catalogue else ()):
            self.kinds.setdefault(r.id, set()).add(r.kind)
        self.items = {(i.operation, i.id): i.kind for i in items}

    def item_kind(self, entry: dict[str, Any]) -> str | None:
        """The kind of the item a link names (None when the item is not known)."""
        return self.items.get((entry.get("item_operation") or self.operation, entry.get("item", "")))

    def kind(self, entry: dict[str, Any], link: bool) -> str | None:
        """The kind of the requirement an entry names: ``kind:``, else the item's (a link), else the ID's only kind."""
        if entry.get("kind"):
            return str(entry["kind"])
        if link and (found := self.item_kind(entry)) is not None:
            return found
        kinds = self.kinds.get(entry.get("requirement", ""), set())
        return next(iter(kinds)) if len(kinds) == 1 else None

    def needed(self, kind: str, rid: str, entry: dict[str, Any] | None = None) -> bool:
        """Whether a document must say ``kind:`` for ``kind``/``rid`` (``entry``: the link, for its item's kind)."""
        if entry is not None and (found := self.item_kind(entry)) is not None:
            return found != kind
        kinds = self.kinds.get(rid)
        return kinds is None or kinds != {kind}

    def canonical(self, entry: dict[str, Any], kind: str | None, link: bool) -> dict[str, Any]:
        """``entry`` with ``kind:`` (right after ``requirement``) exactly where needed."""
        out = {k: v for k, v in entry.items() if k != "kind"}
        if kind is None or not out.get("requirement") or not self.needed(kind, out["requirement"], out if link else None):
            return out
        keys = list(out)
        at = keys.index("requirement") + 1
        return dict([*out.items()][:at] + [("kind", kind)] + [*out.items()][at:])


def kind_rule(project: Any, operation: str, version: str) -> KindRule:
    """The :class:`KindRule` of one operation's catalogue at ``version`` and the project's inventory."""
    items = project.inventory.items if project.inventory else ()
    return KindRule(project.catalogue(operation, version), items)


def template_items(project: Any, operation: str) -> list[InventoryItem]:
    """The items a worksheet offers: the operation's own, then (a shared scope, 共通機能) every other operation's."""
    items = list(project.inventory.items) if project.inventory else []
    own = [i for i in items if i.operation == operation]
    op = project.operation(operation)
    return own + ([i for i in items if i.operation != operation] if op is not None and op.shared else [])
