"""The loaded objects of the analysed operations as DataFrames, ready to be classified.

Requirements are keyed by (operation, kind, ID): a function and a form may
share an ID, so every join uses the three.  Each requirement gets a ``ref``,
its ID as the outputs show it: the bare ID, or ``form:0230010`` /
``function:0230010`` where the analysed version holds both kinds of that ID.
A reference to a requirement of another operation (an item linked from the
共通機能 mapping) is written ``kyotsu/0320001``; an item of another
operation's system in a requirement's item list ``kaigo/KG-F050``.

Links of a shared scope (共通機能) may name items of any operation's system.
When such a scope is not analysed, its links still tell the items they name
that they have a standard counterpart (*foreign* links), so an item's state
does not depend on which operations are analysed together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gapcheck.core.model import Catalogue, Link, Project

if TYPE_CHECKING:  # pandas is imported only when an analysis runs
    import pandas as pd

RANK = {"gap": 1, "partial": 2, "fit": 3}
KEYS = ["operation", "kind", "id"]
"""How a requirement is named: operation, kind and ID (機能ID and 帳票ID are separate namespaces)."""


@dataclass(frozen=True)
class Columns:
    """What :class:`Frames` are made from, as plain lists (no pandas): gathered from the loaded objects in the
    process that holds them, cheap to pickle (a part's records pickled took longer than loading them), made into
    frames where pandas is imported (:mod:`gapcheck.analysis.helper`)."""

    requirements: dict[str, list[Any]]
    links: dict[str, list[Any]]
    """:func:`link_columns` of the analysed mappings' links."""
    old: dict[str, list[Any]]
    """The requirements of the older versions the links were made against, with their fingerprints."""
    foreign: dict[str, list[Any]]
    """:func:`link_columns` of the links of mappings not analysed that name items of analysed operations."""
    foreign_requirements: dict[str, list[Any]]
    """(operation, kind, id) of the requirements of the catalogues those links were made against."""
    items: dict[str, list[Any]]
    custom: dict[str, list[Any]]
    deferrals: dict[str, list[Any]]

    @classmethod
    def gather(cls, project: Project, cats: list[Catalogue]) -> Columns:
        """The columns of the analysed catalogues ``cats`` (one per operation) and what links to them."""
        analysed = {c.operation: c.version for c in cats}
        reqs = [r for c in cats for r in c.requirements]
        revised = {m.operation for m in project.mappings if m.operation in analysed and m.spec_version != analysed[m.operation]}
        requirements: dict[str, list[Any]] = {
            "operation": [r.operation for r in reqs], "spec_version": [r.version for r in reqs],
            "id": [r.id for r in reqs], "kind": [r.kind for r in reqs], "class": [r.klass for r in reqs],
            "title": [r.title for r in reqs], "category": [" / ".join(r.category) or None for r in reqs],
            "summary": [r.summary or None for r in reqs],
            "fingerprint": [_fingerprint(r) if r.operation in revised else None for r in reqs],
        }
        maps = [m for m in project.mappings if m.operation in analysed]
        old_versions = {(m.operation, m.spec_version) for m in maps if m.spec_version != analysed[m.operation]}
        old_cats = [project.catalogue(op, v) for (op, v) in sorted(old_versions)]  # every one loaded (the links name them)
        old_reqs = [r for c in old_cats if c is not None for r in c.requirements]
        old = {
            "operation": [r.operation for r in old_reqs], "link_version": [r.version for r in old_reqs],
            "kind": [r.kind for r in old_reqs], "id": [r.id for r in old_reqs],
            "old_fingerprint": [_fingerprint(r) for r in old_reqs],
        }
        foreign = [ln for m in project.mappings if m.operation not in analysed for ln in m.links
                   if ln.item_owner in analysed and ln.item_owner != ln.operation]
        named = [project.catalogue(op, v) for (op, v) in sorted({(ln.operation, ln.spec_version) for ln in foreign})]
        own = [r for c in named if c is not None for r in c.requirements]
        inv_items = [i for i in (project.inventory.items if project.inventory else ()) if i.operation in analysed]
        custom = [c for m in maps for c in m.custom]
        deferrals = [d for m in maps for d in m.deferrals]
        return cls(
            requirements, link_columns([ln for m in maps for ln in m.links]), old, link_columns(foreign),
            {"operation": [r.operation for r in own], "kind": [r.kind for r in own], "id": [r.id for r in own]},
            {"operation": [i.operation for i in inv_items], "id": [i.id for i in inv_items],
             "kind": [i.kind for i in inv_items], "name": [i.name for i in inv_items],
             "department": [i.department or None for i in inv_items],
             "cases": [i.cases for i in inv_items], "hours": [i.hours for i in inv_items]},
            {"operation": [c.operation for c in custom], "id": [c.item for c in custom],
             "kind": [c.kind for c in custom], "replacement": [c.requirement for c in custom],
             "disposition": [c.disposition for c in custom], "note": [c.note or None for c in custom]},
            {"operation": [d.operation for d in deferrals], "kind": [d.kind for d in deferrals],
             "id": [d.requirement for d in deferrals], "deferred_until": [d.until for d in deferrals],
             "deferral_note": [d.note or None for d in deferrals]},
        )


@dataclass
class Frames:
    """The loaded objects of the analysed operations as DataFrames."""

    requirements: pd.DataFrame
    links: pd.DataFrame
    """Links usable for the analysed version (current or carried over), with a ``stale`` flag and the requirement's ``ref``."""
    broken: pd.DataFrame
    """Links to requirements the analysed version no longer has, with the ``ref`` they name."""
    foreign: pd.DataFrame
    """Links of mappings not analysed that name items of analysed operations (a shared scope's), with their ``ref``."""
    items: pd.DataFrame
    custom: pd.DataFrame
    deferrals: pd.DataFrame

    @classmethod
    def build(cls, project: Project, cats: list[Catalogue]) -> Frames:
        return cls.of(Columns.gather(project, cats))

    @classmethod
    def of(cls, columns: Columns) -> Frames:
        import pandas as pd

        requirements = frame(columns.requirements)
        # (operation, kind, id) is unique: an ID is qualified exactly where its operation holds it under both kinds
        both = requirements.duplicated(["operation", "id"], keep=False)
        requirements.insert(3, "ref", requirements["id"].where(~both, requirements["kind"] + ":" + requirements["id"]))
        requirements["rix"] = range(len(requirements))  # a requirement's row: the key of its links after the join
        link_df, broken = _carry_over(_link_frame(columns.links), requirements, frame(columns.old))
        foreign = _link_frame(columns.foreign)
        foreign["ref"] = refs(foreign, frame(columns.foreign_requirements)) if not foreign.empty else foreign["id"]
        items = frame({**columns.items, "cases": pd.array(columns.items["cases"], dtype="Int64"),
                       "hours": pd.array(columns.items["hours"], dtype="Float64")})
        custom_df = frame(columns.custom)
        named = custom_df[custom_df["replacement"].notna()].rename(columns={"id": "item", "replacement": "id"})
        custom_df["replacement"] = refs(named, requirements).reindex(custom_df.index).astype(object)
        custom_df["replacement"] = custom_df["replacement"].where(custom_df["replacement"].notna(), None)
        def_df = frame(columns.deferrals).drop_duplicates(KEYS, keep="last")
        return cls(requirements, link_df, broken, foreign, items, custom_df.drop(columns="kind"), def_df)


def frame(columns: dict[str, Any], ints: tuple[str, ...] = ()) -> pd.DataFrame:
    """A DataFrame with text columns as ``object`` even when empty (pandas would guess float)."""
    import pandas as pd

    return pd.DataFrame({k: v if not isinstance(v, list) else pd.Series(v, dtype="int64" if k in ints else object)
                         for k, v in columns.items()})


def join_at(values: pd.Series, starts: Any, sep: str) -> list[str]:
    """The values of each run (from each position of ``starts`` to the next) joined by ``sep``, in order.

    numpy's ``add.reduceat`` concatenates the strings of each run in one C loop; pandas'
    ``groupby().agg(sep.join)`` would call Python once per group.
    """
    import numpy as np

    if not len(values):
        return []
    pieces = (values.astype(str) + sep).to_numpy(dtype=object)
    return [s[: -len(sep)] for s in np.add.reduceat(pieces, starts)]


def link_columns(links: list[Link]) -> dict[str, list[Any]]:
    """Links as columns: the mapping's operation and version, the item (and the operation holding it), the requirement."""
    return {
        "operation": [ln.operation for ln in links], "link_version": [ln.spec_version for ln in links],
        "item_operation": [ln.item_owner for ln in links], "item": [ln.item for ln in links],
        "kind": [ln.kind for ln in links], "id": [ln.requirement for ln in links],
        "rank": [RANK[ln.judgement] for ln in links], "link_note": [ln.note or None for ln in links],
    }


def _link_frame(columns: dict[str, list[Any]]) -> pd.DataFrame:
    """:func:`link_columns` as a frame, with each item as the requirement's operation shows it (``item_ref``)."""
    df = frame(columns, ints=("rank",))
    own = df["item_operation"] == df["operation"]
    df["item_ref"] = df["item"].where(own, df["item_operation"] + "/" + df["item"])
    return df


def refs(named: pd.DataFrame, requirements: pd.DataFrame) -> pd.Series:
    """The ``ref`` of each (operation, kind, id) row of ``named``: ``kind:id`` where ``requirements`` holds
    that ID under another kind in the same operation (so the bare ID would be ambiguous), else the bare ID."""
    import pandas as pd

    if named.empty:
        return pd.Series([], index=named.index, dtype=object)
    pairs = requirements[KEYS].drop_duplicates()
    kinds = pairs.groupby(["operation", "id"], sort=False).size().rename("_kinds")
    both = (named[KEYS].merge(kinds, left_on=["operation", "id"], right_index=True, how="left")  # a left merge keeps row order
            .merge(pairs.assign(_own=1), on=KEYS, how="left"))
    other = (both["_kinds"].fillna(0).to_numpy() - both["_own"].fillna(0).to_numpy()) >= 1
    ids = named["id"].astype(object)
    qualified = named["kind"].astype(object) + ":" + ids
    return ids.where(~pd.Series(other, index=named.index), qualified)


def _fingerprint(r: Any) -> str:
    """The text a link depends on (:func:`gapcheck.analysis.specdiff.fingerprint`: one rule for analysis, diff and worksheets)."""
    from gapcheck.analysis.specdiff import fingerprint

    return fingerprint(r)


def _carry_over(links: pd.DataFrame, requirements: pd.DataFrame,
                old: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split links into usable ones (flagged stale when the requirement changed since ``old``, the older
    versions' requirements with their fingerprints) and broken ones."""
    known = requirements[KEYS + ["ref", "rix", "fingerprint"]]
    merged = links.merge(known, on=KEYS, how="left", indicator=True)
    broken = merged[merged["_merge"] == "left_only"][["operation", "link_version", "item_operation", "item", "kind", "id",
                                                       "rank"]].reset_index(drop=True)
    broken["ref"] = refs(broken, requirements)
    usable = merged[merged["_merge"] == "both"].drop(columns="_merge")
    usable = usable.merge(old, on=["operation", "link_version", "kind", "id"], how="left")
    usable["stale"] = usable["old_fingerprint"].notna() & (usable["old_fingerprint"] != usable["fingerprint"])
    return usable.drop(columns=["fingerprint", "old_fingerprint"]), broken

