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
        import pandas as pd

        analysed = {c.operation: c.version for c in cats}
        reqs = [r for c in cats for r in c.requirements]
        revised = {m.operation for m in project.mappings if m.operation in analysed and m.spec_version != analysed[m.operation]}
        requirements = frame({
            "operation": [r.operation for r in reqs], "spec_version": [r.version for r in reqs],
            "id": [r.id for r in reqs], "kind": [r.kind for r in reqs], "class": [r.klass for r in reqs],
            "title": [r.title for r in reqs], "category": [" / ".join(r.category) or None for r in reqs],
            "summary": [r.summary or None for r in reqs],
            "fingerprint": [_fingerprint(r) if r.operation in revised else None for r in reqs],
        })
        # (operation, kind, id) is unique: an ID is qualified exactly where its operation holds it under both kinds
        both = requirements.duplicated(["operation", "id"], keep=False)
        requirements.insert(3, "ref", requirements["id"].where(~both, requirements["kind"] + ":" + requirements["id"]))
        requirements["rix"] = range(len(requirements))  # a requirement's row: the key of its links after the join
        maps = [m for m in project.mappings if m.operation in analysed]
        link_df = link_frame([ln for m in maps for ln in m.links])
        old_versions = {(m.operation, m.spec_version) for m in maps if m.spec_version != analysed[m.operation]}
        link_df, broken = _carry_over(project, link_df, requirements, old_versions)
        foreign = _foreign(project, set(analysed))
        inv_items = [i for i in (project.inventory.items if project.inventory else ()) if i.operation in analysed]
        items = frame({
            "operation": [i.operation for i in inv_items], "id": [i.id for i in inv_items],
            "kind": [i.kind for i in inv_items], "name": [i.name for i in inv_items],
            "department": [i.department or None for i in inv_items],
            "cases": pd.array([i.cases for i in inv_items], dtype="Int64"),
            "hours": pd.array([i.hours for i in inv_items], dtype="Float64"),
        })
        custom = [c for m in maps for c in m.custom]
        custom_df = frame({
            "operation": [c.operation for c in custom], "id": [c.item for c in custom],
            "kind": [c.kind for c in custom], "replacement": [c.requirement for c in custom],
            "disposition": [c.disposition for c in custom], "note": [c.note or None for c in custom],
        })
        named = custom_df[custom_df["replacement"].notna()].rename(columns={"id": "item", "replacement": "id"})
        custom_df["replacement"] = refs(named, requirements).reindex(custom_df.index).astype(object)
        custom_df["replacement"] = custom_df["replacement"].where(custom_df["replacement"].notna(), None)
        deferrals = [d for m in maps for d in m.deferrals]
        def_df = frame({
            "operation": [d.operation for d in deferrals], "kind": [d.kind for d in deferrals],
            "id": [d.requirement for d in deferrals], "deferred_until": [d.until for d in deferrals],
            "deferral_note": [d.note or None for d in deferrals],
        }).drop_duplicates(KEYS, keep="last")
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


def link_frame(links: list[Link]) -> pd.DataFrame:
    """Links as a frame: the mapping's operation and version, the item (and the operation holding it), the requirement."""
    df = frame({
        "operation": [ln.operation for ln in links], "link_version": [ln.spec_version for ln in links],
        "item_operation": [ln.item_owner for ln in links], "item": [ln.item for ln in links],
        "kind": [ln.kind for ln in links], "id": [ln.requirement for ln in links],
        "rank": [RANK[ln.judgement] for ln in links], "link_note": [ln.note or None for ln in links],
    }, ints=("rank",))
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


def _carry_over(project: Project, links: pd.DataFrame, requirements: pd.DataFrame,
                old_versions: set[tuple[str, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split links into usable ones (flagged stale when the requirement changed) and broken ones."""
    known = requirements[KEYS + ["ref", "rix", "fingerprint"]]
    merged = links.merge(known, on=KEYS, how="left", indicator=True)
    broken = merged[merged["_merge"] == "left_only"][["operation", "link_version", "item_operation", "item", "kind", "id",
                                                       "rank"]].reset_index(drop=True)
    broken["ref"] = refs(broken, requirements)
    usable = merged[merged["_merge"] == "both"].drop(columns="_merge")
    old_cats = [project.catalogue(op, v) for (op, v) in sorted(old_versions)]  # every one loaded (the links name them)
    old_reqs = [r for c in old_cats if c is not None for r in c.requirements]
    old = frame({
        "operation": [r.operation for r in old_reqs], "link_version": [r.version for r in old_reqs],
        "kind": [r.kind for r in old_reqs], "id": [r.id for r in old_reqs],
        "old_fingerprint": [_fingerprint(r) for r in old_reqs],
    })
    usable = usable.merge(old, on=["operation", "link_version", "kind", "id"], how="left")
    usable["stale"] = usable["old_fingerprint"].notna() & (usable["old_fingerprint"] != usable["fingerprint"])
    return usable.drop(columns=["fingerprint", "old_fingerprint"]), broken


def _foreign(project: Project, analysed: set[str]) -> pd.DataFrame:
    """Links of mappings not analysed that name items of analysed operations, with the ref of their own catalogue."""
    links = [ln for m in project.mappings if m.operation not in analysed for ln in m.links
             if ln.item_owner in analysed and ln.item_owner != ln.operation]
    df = link_frame(links)
    if df.empty:
        df["ref"] = df["id"]
        return df
    cats = [project.catalogue(op, v) for (op, v) in sorted({(ln.operation, ln.spec_version) for ln in links})]
    own = [r for c in cats if c is not None for r in c.requirements]
    reqs = frame({"operation": [r.operation for r in own], "kind": [r.kind for r in own], "id": [r.id for r in own]})
    df["ref"] = refs(df, reqs)
    return df
