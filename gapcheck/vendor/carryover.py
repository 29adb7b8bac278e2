"""Carry-over: a mapping made against an older spec version, moved onto a newer one.

A link to a requirement whose title or text changed since is *stale*: its
judgement is not carried over as one.  It keeps its item (and note) and its
old judgement goes under ``review``, for a person to judge again; the
worksheet template (:mod:`gapcheck.worksheet_template`) shows it in the
read-only 改定による再確認 column, and importing such a row unedited is a
``worksheet-needs-review`` problem (:mod:`gapcheck.worksheet_import`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gapcheck.core.labels import CLASS_LABELS
from gapcheck.core.messages import Msg
from gapcheck.core.model import Catalogue, InventoryItem
from gapcheck.vendor.kinds import KindRule


@dataclass(frozen=True)
class CarryOver:
    """A mapping made against an older spec version, moved onto a newer one for review."""

    mapping: dict[str, Any]
    """The mapping document on the newer version: what still applies.

    A stale link (its requirement was re-worded or re-titled) has no
    ``judgement``: the old one is under ``review`` (``judgement``, ``version``
    and ``date`` if any), for a person to judge again.  The document is a
    template's content, not a mapping to write as it is.
    """
    review: dict[tuple[str, str], str]
    """(kind, requirement ID) -> what changed (for the 改定による再確認 column)."""
    dropped: tuple[str, ...]
    """One line per link or decision left out, and why."""

    @property
    def needs_review(self) -> tuple[dict[str, Any], ...]:
        """The stale links: kept with their item, their judgement to be made again."""
        return tuple(ln for ln in self.mapping.get("links", []) if ln.get("review"))


def carry_over(doc: dict[str, Any], old: Catalogue, new: Catalogue, items: Iterable[InventoryItem] = ()) -> CarryOver:
    """Move a mapping document from ``old`` onto ``new``: nobody retypes the rows that still apply.

    Requirements are matched by kind and ID (``items`` tell a link's kind when
    it does not say ``kind:``).  Links to removed requirements are dropped.
    Links to re-worded or re-titled requirements (stale, as in
    :mod:`gapcheck.specdiff`) keep their item and note but lose their
    judgement and date, kept under ``review`` for a person to judge again; a
    change of class alone keeps the judgement (flagged in ``review`` all the
    same).  不使用 and 経過措置 decisions are kept only while the requirement is
    still optional / mandatory.
    """
    items = list(items)
    before, after = KindRule(old, items), KindRule(new, items)
    was = {(r.kind, r.id): r for r in old.requirements}
    now = {(r.kind, r.id): r for r in new.requirements}
    out = {k: v for k, v in doc.items() if k not in ("links", "custom", "optional_unused", "deferrals")}
    out["spec_version"] = new.version
    dropped: list[str] = []
    gone = Msg("removed-in", version=new.version)
    links = []
    for ln in doc.get("links", []):
        key = (before.kind(ln, True), ln["requirement"])
        if key in now:
            links.append(after.canonical(_carried_link(ln, was.get(key), now[key], old.version), key[0], True))
        else:
            dropped.append(Msg("dropped-link-gone", item=ln['item'], rid=ln['requirement'], gone=gone))
    custom = []
    for c in doc.get("custom", []):
        key = (before.kind(c, False), c.get("requirement", ""))
        if c.get("requirement") and key not in now:
            dropped.append(Msg("dropped-custom", item=c['item'], rid=c['requirement'], gone=gone))
            c = {"item": c["item"], "disposition": "undecided"} | ({"note": c["note"]} if c.get("note") else {})
        custom.append(after.canonical(c, key[0], False) if c.get("requirement") else c)
    parts: dict[str, list[dict[str, Any]]] = {"links": links, "custom": custom}
    for key_name, klass in {"optional_unused": "optional", "deferrals": "mandatory"}.items():
        parts[key_name] = []
        for d in doc.get(key_name, []):
            key = (before.kind(d, False), d["requirement"])
            if key in now and now[key].klass == klass:
                parts[key_name].append(after.canonical(d, key[0], False))
            else:
                dropped.append(Msg("dropped-decision", what=key_name, rid=d['requirement'], klass=CLASS_LABELS[klass],
                                   version=new.version))
    out.update({k: v for k, v in parts.items() if v})
    return CarryOver(out, _review(old, new, was, now), tuple(dropped))


def _review(old: Catalogue, new: Catalogue, was: dict[tuple[str, str], Any], now: dict[tuple[str, str], Any]
            ) -> dict[tuple[str, str], str]:
    """What the revision changed, per (kind, ID) of the newer version: added, or re-worded/re-titled/re-classified."""
    from gapcheck.analysis.specdiff import requirement_changes

    words = {"reworded": "要件文変更", "retitled": "名称変更", "reclassified": "実装区分変更"}
    review: dict[tuple[str, str], str] = {}
    for key, r in now.items():
        if key not in was:
            review[key] = f"第{new.version}版で追加"
        elif changes := requirement_changes(was[key], r):
            review[key] = f"第{old.version}版から" + "・".join(
                words[c.change] + (f"（{CLASS_LABELS[c.before]}→{CLASS_LABELS[c.after]}）"
                                   if c.change == "reclassified" and c.before and c.after else "")
                for c in changes)
    return review


def _carried_link(link: dict[str, Any], old: Any, new: Any, version: str) -> dict[str, Any]:
    """A link moved onto the newer version: as it is, or (stale) without its judgement."""
    from gapcheck.analysis.specdiff import review_changes

    if old is None or not review_changes(old, new):
        return link
    was = {"judgement": link["judgement"], "version": version} | ({"date": link["date"]} if link.get("date") else {})
    kept = {k: link[k] for k in ("item", "item_operation", "requirement", "kind") if k in link}
    return kept | ({"note": link["note"]} if link.get("note") else {}) | {"review": was}
