"""Fit & Gap classification (比較分析), vectorised with pandas.

Standard -> current: every requirement of the analysed spec version gets
exactly one state (:data:`gapcheck.labels.REQUIREMENT_STATES`):

==================  =====================================================
mandatory           ``fit`` / ``partial`` / ``gap`` by its best current link
                    (fit > partial > gap; no link is a gap); ``deferred``
                    when 経過措置 is declared and it is not fit
optional            ``optional-used`` with a fit or partial link, else
                    ``optional-unused``
forbidden           ``violation`` with a fit or partial link (the current
                    system still does it), else ``forbidden-absent``
any class           ``stale`` when its only links were made against an older
                    spec version in which the requirement read differently
                    (title, text, kind or class changed): a person must review
==================  =====================================================

Links made against an older version whose requirement is unchanged count as
current; links to requirements the analysed version no longer has are
*broken* and listed with their item.

Current -> standard: every inventory item of an operation in scope is
``linked`` (at least one link to an existing requirement) or ``custom``, the
latter with its disposition (``undecided`` when the mapping says nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gapcheck.analysis.result import (
    DISPOSITION_ORDER,
    FAIL_ON_STATES,
    ITEM_COLUMNS,
    REQUIREMENT_COLUMNS,
    Analysis,
    Summary,
)
from gapcheck.core.errors import InvalidInput, Problem, UsageError
from gapcheck.core.labels import ITEM_STATES, REQUIREMENT_STATES
from gapcheck.core.model import Catalogue, Project

if TYPE_CHECKING:  # pandas is imported only when an analysis runs
    import pandas as pd

_RANK = {"gap": 1, "partial": 2, "fit": 3}
_JUDGEMENT = {1: "gap", 2: "partial", 3: "fit"}


def _nothing_catalogued(project: Project) -> Problem:
    """No operation in scope has a catalogue (as right after ``gapcheck init``): nothing to analyse."""
    from gapcheck.core.paths import display_path

    where = project.inventory.files[0] if project.inventory and project.inventory.files else display_path(Path("specs"))
    return Problem(where, 0, 0, "catalogue-missing", "$",
                   "no operation in scope has a spec catalogue, so there is nothing to analyse; import the official "
                   "workbooks with `gapcheck spec import` (`gapcheck readiness` shows what each operation still needs)",
                   "a catalogue under specs/ for an operation in scope", "none")


def select_operations(project: Project, operations: Iterable[str] | None = None, uncatalogued: str = "error") -> list[str]:
    """Codes to analyse: those asked for, else every operation in scope that has a catalogue.

    An operation asked for that has no catalogue is a usage error, or with
    ``uncatalogued="skip"`` left out (readiness shows it as 準備中).
    """
    known = {o.code for o in project.operations}
    if operations:
        chosen = []
        for given in operations:
            code = project.operation_code(given) or given  # a code, or the operation's Japanese name
            if code not in known:
                raise UsageError(f"unknown operation '{code}'; see `gapcheck operations`")
            if project.inventory is not None and not project.in_scope(code):  # out of scope only with an inventory
                raise UsageError(f"operation '{code}' does not apply to {project.inventory.municipality}")
            if project.catalogue(code) is None:
                if uncatalogued == "skip":
                    continue
                raise UsageError(f"no spec catalogue is loaded for '{code}'")
            chosen.append(code)
        return list(dict.fromkeys(chosen))
    return [o.code for o in project.operations if project.in_scope(o.code) and project.catalogue(o.code) is not None]


def analyze(project: Project, operations: Iterable[str] | None = None,
            spec_versions: dict[str, str] | None = None, as_of: dt.date | None = None,
            uncatalogued: str = "error") -> Analysis:
    """Classify every requirement and inventory item of the chosen operations.

    ``spec_versions`` maps an operation code to the version to analyse
    against (default: the newest loaded).  ``as_of`` (default today) decides
    whether a 経過措置 has expired: a deferral whose implement-by date is
    before it is ``deferral-expired``, an open gap.  ``uncatalogued="skip"``
    leaves out an operation asked for that has no catalogue.  Raises
    :class:`~gapcheck.errors.InvalidInput` if the project has errors and
    :class:`~gapcheck.errors.UsageError` for an unknown operation or version.
    """
    if isinstance(operations, str):  # one code given as a plain string
        operations = [operations]
    operations = list(operations) if operations else None
    blocking, aside = project.blocking(operations)  # errors of other operations' files do not stop these
    if blocking:
        raise InvalidInput(list(project.problems))
    codes = select_operations(project, operations, uncatalogued)
    if not codes and operations is None and uncatalogued == "error":
        raise InvalidInput([_nothing_catalogued(project)])
    stray = sorted(set(spec_versions or {}) - set(codes))
    if stray:
        raise UsageError(f"--spec-version names {', '.join(stray)}, which is not analysed here"
                         f" (analysed: {', '.join(codes) or 'none'})")
    versions: dict[str, str] = {}
    for code in codes:
        wanted = (spec_versions or {}).get(code)
        if wanted is not None and wanted not in project.versions(code):
            raise UsageError(f"no catalogue of '{code}' version {wanted}; loaded: {', '.join(project.versions(code))}")
        versions[code] = wanted or project.versions(code)[-1]
    cats = [project.catalogue(c, versions[c]) for c in codes]
    frames = _Frames.build(project, [c for c in cats if c is not None])
    req = _classify_requirements(frames, (as_of or dt.date.today()).isoformat())
    items = _classify_items(frames)
    names = {o.code: o.name for o in project.operations}
    summaries, overall = _summaries(req, items, frames.broken, codes, names, versions)
    inv = project.inventory
    return Analysis(inv.municipality if inv else "", bool(inv.sample) if inv else False,
                    req[REQUIREMENT_COLUMNS], items[ITEM_COLUMNS], summaries, overall, versions, tuple(aside))


@dataclass
class _Frames:
    """The loaded objects of the analysed operations as DataFrames."""

    requirements: pd.DataFrame
    links: pd.DataFrame
    """Links usable for the analysed version (current or carried over), with a ``stale`` flag."""
    broken: pd.DataFrame
    """Links to requirements the analysed version no longer has."""
    items: pd.DataFrame
    custom: pd.DataFrame
    deferrals: pd.DataFrame

    @classmethod
    def build(cls, project: Project, cats: list[Catalogue]) -> _Frames:
        import pandas as pd

        codes = {c.operation for c in cats}
        analysed = {c.operation: c.version for c in cats}
        reqs = [r for c in cats for r in c.requirements]
        revised = {m.operation for m in project.mappings if m.operation in analysed and m.spec_version != analysed[m.operation]}
        requirements = _df({
            "operation": [r.operation for r in reqs], "spec_version": [r.version for r in reqs],
            "id": [r.id for r in reqs], "kind": [r.kind for r in reqs], "class": [r.klass for r in reqs],
            "title": [r.title for r in reqs], "category": [" / ".join(r.category) or None for r in reqs],
            "summary": [r.summary or None for r in reqs],
            "fingerprint": [_fingerprint(r) if r.operation in revised else None for r in reqs],
        })
        maps = [m for m in project.mappings if m.operation in codes]
        links = [ln for m in maps for ln in m.links]
        link_df = _df({
            "operation": [ln.operation for ln in links], "link_version": [ln.spec_version for ln in links],
            "item": [ln.item for ln in links], "id": [ln.requirement for ln in links],
            "rank": [_RANK[ln.judgement] for ln in links], "link_note": [ln.note or None for ln in links],
        }, ints=("rank",))
        old_versions = {(m.operation, m.spec_version) for m in maps if m.spec_version != analysed[m.operation]}
        link_df, broken = _carry_over(project, link_df, requirements, old_versions)
        inv_items = [i for i in (project.inventory.items if project.inventory else ()) if i.operation in codes]
        items = _df({
            "operation": [i.operation for i in inv_items], "id": [i.id for i in inv_items],
            "kind": [i.kind for i in inv_items], "name": [i.name for i in inv_items],
            "department": [i.department or None for i in inv_items],
            "cases": pd.array([i.cases for i in inv_items], dtype="Int64"),
            "hours": pd.array([i.hours for i in inv_items], dtype="Float64"),
        })
        custom = [c for m in maps for c in m.custom]
        custom_df = _df({
            "operation": [c.operation for c in custom], "id": [c.item for c in custom],
            "disposition": [c.disposition for c in custom], "replacement": [c.requirement for c in custom],
            "note": [c.note or None for c in custom],
        })
        deferrals = [d for m in maps for d in m.deferrals]
        def_df = _df({
            "operation": [d.operation for d in deferrals], "id": [d.requirement for d in deferrals],
            "deferred_until": [d.until for d in deferrals], "deferral_note": [d.note or None for d in deferrals],
        }).drop_duplicates(["operation", "id"], keep="last")
        return cls(requirements, link_df, broken, items, custom_df, def_df)


def _df(columns: dict[str, Any], ints: tuple[str, ...] = ()) -> pd.DataFrame:
    """A DataFrame with text columns as ``object`` even when empty (pandas would guess float)."""
    import pandas as pd

    return pd.DataFrame({k: v if not isinstance(v, list) else pd.Series(v, dtype="int64" if k in ints else object)
                         for k, v in columns.items()})


def _fingerprint(r: Any) -> str:
    """The text a link depends on (:func:`gapcheck.specdiff.fingerprint`: one rule for analysis, diff and worksheets)."""
    from gapcheck.analysis.specdiff import fingerprint

    return fingerprint(r)


def _carry_over(project: Project, links: pd.DataFrame, requirements: pd.DataFrame,
                old_versions: set[tuple[str, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split links into usable ones (flagged stale when the requirement changed) and broken ones."""

    known = requirements[["operation", "id", "fingerprint"]]
    merged = links.merge(known, on=["operation", "id"], how="left", indicator=True)
    broken = merged[merged["_merge"] == "left_only"][["operation", "link_version", "item", "id", "rank"]]
    usable = merged[merged["_merge"] == "both"].drop(columns="_merge")
    old_cats = [project.catalogue(op, v) for (op, v) in sorted(old_versions)]  # every one loaded (the links name them)
    old_reqs = [r for c in old_cats if c is not None for r in c.requirements]
    old = _df({
        "operation": [r.operation for r in old_reqs], "link_version": [r.version for r in old_reqs],
        "id": [r.id for r in old_reqs], "old_fingerprint": [_fingerprint(r) for r in old_reqs],
    })
    usable = usable.merge(old, on=["operation", "link_version", "id"], how="left")
    usable["stale"] = usable["old_fingerprint"].notna() & (usable["old_fingerprint"] != usable["fingerprint"])
    return usable.drop(columns=["fingerprint", "old_fingerprint"]), broken.reset_index(drop=True)


def _join(df: pd.DataFrame, keys: list[str], column: str, sep: str) -> pd.Series:
    """Per group of ``keys``, the sorted values of ``column`` joined by ``sep`` (vectorised).

    numpy's ``add.reduceat`` concatenates the strings of each group in one C
    loop; pandas' ``groupby().agg(sep.join)`` would call Python once per group.
    """
    import numpy as np
    import pandas as pd

    if df.empty:
        return pd.Series([], index=pd.MultiIndex.from_arrays([[], []], names=keys), dtype=object)
    ordered = df.sort_values(keys + [column], kind="stable")
    key_frame = ordered[keys]
    starts = np.flatnonzero((key_frame != key_frame.shift()).any(axis=1).to_numpy())
    pieces = (ordered[column].astype(str) + sep).to_numpy(dtype=object)
    joined = np.add.reduceat(pieces, starts)
    index = pd.MultiIndex.from_frame(key_frame.iloc[starts])
    return pd.Series([s[: -len(sep)] for s in joined], index=index, dtype=object)


def _classify_requirements(f: _Frames, as_of: str) -> pd.DataFrame:
    import numpy as np

    keys = ["operation", "id"]
    current = f.links[~f.links["stale"]]
    best = current.groupby(keys, sort=False)["rank"].max().rename("best")
    stale_any = f.links[f.links["stale"]].groupby(keys, sort=False).size().rename("stale_links")
    linked_items = _join(f.links.drop_duplicates(keys + ["item"]), keys, "item", ", ").rename("items")
    notes = _join(current[current["link_note"].notna()], keys, "link_note", "; ").rename("note")
    df = (f.requirements.drop(columns="fingerprint")
          .merge(best, left_on=keys, right_index=True, how="left")
          .merge(stale_any, left_on=keys, right_index=True, how="left")
          .merge(linked_items, left_on=keys, right_index=True, how="left")
          .merge(notes, left_on=keys, right_index=True, how="left")
          .merge(f.deferrals, on=keys, how="left"))
    best_rank = df["best"].fillna(0)
    used = best_rank >= _RANK["partial"]
    is_stale = df["best"].isna() & df["stale_links"].notna()
    deferred = df["deferred_until"].notna() & (best_rank < _RANK["fit"])
    cls = df["class"]
    df["state"] = np.select(
        [is_stale,
         (cls == "mandatory") & (best_rank == _RANK["fit"]),
         (cls == "mandatory") & deferred & (df["deferred_until"] < as_of),
         (cls == "mandatory") & deferred,
         (cls == "mandatory") & (best_rank == _RANK["partial"]),
         cls == "mandatory",
         (cls == "optional") & used,
         cls == "optional",
         (cls == "forbidden") & used],
        ["stale", "fit", "deferral-expired", "deferred", "partial", "gap", "optional-used", "optional-unused", "violation"],
        default="forbidden-absent",
    )
    df["judgement"] = df["best"].map(_JUDGEMENT)
    df["note"] = df["note"].where(df["note"].notna(), df["deferral_note"])
    return df


def _classify_items(f: _Frames) -> pd.DataFrame:
    keys = ["operation", "id"]
    by_item = f.links.rename(columns={"id": "req", "item": "id"})
    reqs = _join(by_item.drop_duplicates(keys + ["req"]), keys, "req", ", ").rename("requirements")
    broken = _join(f.broken.rename(columns={"id": "req", "item": "id"}), keys, "req", ", ").rename("broken")
    df = (f.items.merge(reqs, left_on=keys, right_index=True, how="left")
          .merge(broken, left_on=keys, right_index=True, how="left")
          .merge(f.custom, on=keys, how="left"))
    linked = df["requirements"].notna()
    df["state"] = linked.map({True: "linked", False: "custom"})
    df["disposition"] = df["disposition"].where(~linked, None)
    df.loc[~linked, "disposition"] = df.loc[~linked, "disposition"].fillna("undecided")
    order = {d: n for n, d in enumerate(DISPOSITION_ORDER)}
    # explicit integers: mapping an empty text column keeps its text dtype (pandas 3), and text + int fails
    state_rank = df["state"].map({"custom": 0, "linked": 1}).astype("int64")
    df["_order"] = state_rank * 10 + df["disposition"].map(order).fillna(0).astype("int64")
    df = df.sort_values(["operation", "_order", "id"], kind="stable").drop(columns="_order")
    return df.reset_index(drop=True)


def _summaries(req: pd.DataFrame, items: pd.DataFrame, broken: pd.DataFrame, codes: list[str],
               names: dict[str, str], versions: dict[str, str]) -> tuple[tuple[Summary, ...], Summary]:
    """Per-operation and overall summaries from one pass of counts per operation (vectorised)."""
    import pandas as pd

    mand = req["class"] == "mandatory"
    fit = req["state"] == "fit"
    counts = pd.DataFrame({
        "requirements": req.groupby("operation").size(),
        "mf": (mand & (req["kind"] == "function")).groupby(req["operation"]).sum(),
        "mr": (mand & (req["kind"] == "form")).groupby(req["operation"]).sum(),
        "mf_fit": (mand & fit & (req["kind"] == "function")).groupby(req["operation"]).sum(),
        "mr_fit": (mand & fit & (req["kind"] == "form")).groupby(req["operation"]).sum(),
    })
    states = pd.crosstab(req["operation"], req["state"]).reindex(columns=list(REQUIREMENT_STATES), fill_value=0)
    custom = items["state"] == "custom"
    icounts = pd.DataFrame({
        "items": items.groupby("operation").size(),
        "linked": (~custom).groupby(items["operation"]).sum(),
        "custom": custom.groupby(items["operation"]).sum(),
        "undecided": (custom & (items["disposition"] == "undecided")).groupby(items["operation"]).sum(),
    })
    nbroken = broken.groupby("operation").size()
    table = counts.join(states, how="left").join(icounts, how="left")
    table["broken"] = nbroken
    table = table.reindex(codes).fillna(0).astype("int64")

    def make(code: str, name: str, version: str, row: pd.Series) -> Summary:
        def rate(n_fit: int, n: int) -> float | None:
            return round(n_fit / n, 4) if n else None

        st = {k: int(row[k]) for k in REQUIREMENT_STATES}
        return Summary(code, name, version, int(row["requirements"]), st, int(row["mf"]), int(row["mr"]),
                       rate(int(row["mf_fit"]), int(row["mf"])), rate(int(row["mr_fit"]), int(row["mr"])),
                       st["violation"], int(row["items"]), int(row["linked"]), int(row["custom"]),
                       int(row["undecided"]), int(row["broken"]))

    by_op = table.T  # one column per operation: indexing by code gives that operation's row as a Series
    per_op = tuple(make(c, names[c], versions[c], by_op[c]) for c in codes)
    return per_op, make("*", "全業務", "", table.sum())


__all__ = ["Analysis", "Summary", "analyze", "select_operations", "FAIL_ON_STATES", "ITEM_STATES"]
