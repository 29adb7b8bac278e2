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
from pathlib import Path
from typing import TYPE_CHECKING

from gapcheck.analysis.frames import KEYS, Frames, join_at
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
from gapcheck.core.messages import Msg
from gapcheck.core.model import Project

if TYPE_CHECKING:  # pandas is imported only when an analysis runs
    import pandas as pd

    from gapcheck.analysis.pieces import Piece

_RANK = {"gap": 1, "partial": 2, "fit": 3}
_JUDGEMENT = {1: "gap", 2: "partial", 3: "fit"}


def _nothing_catalogued(project: Project) -> Problem:
    """No operation in scope has a catalogue (as right after ``gapcheck init``): nothing to analyse."""
    from gapcheck.core.paths import display_path

    where = project.inventory.files[0] if project.inventory and project.inventory.files else display_path(Path("specs"))
    return Problem(where, 0, 0, "catalogue-missing", "$",
                   Msg("nothing-catalogued"), Msg("a-catalogue-under-specs"), Msg("found-none"))


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
                raise UsageError(Msg("unknown-operation-usage", code=code))
            if project.inventory is not None and not project.in_scope(code):  # out of scope only with an inventory
                raise UsageError(Msg("operation-does-not-apply", code=code, municipality=project.inventory.municipality))
            if project.catalogue(code) is None:
                if uncatalogued == "skip":
                    continue
                raise UsageError(Msg("no-catalogue-for", code=code))
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
        raise UsageError(Msg("spec-version-not-analysed", stray=", ".join(stray), codes=", ".join(codes) or Msg("found-none")))
    versions: dict[str, str] = {}
    for code in codes:
        wanted = (spec_versions or {}).get(code)
        if wanted is not None and wanted not in project.versions(code):
            raise UsageError(Msg("no-catalogue-version", code=code, version=wanted, loaded=", ".join(project.versions(code))))
        versions[code] = wanted or project.versions(code)[-1]
    cats = [project.catalogue(c, versions[c]) for c in codes]
    frames = Frames.build(project, [c for c in cats if c is not None])
    req = _classify_requirements(frames, (as_of or dt.date.today()).isoformat())
    items = _classify_items(frames)
    names = {o.code: o.name for o in project.operations}
    summaries, overall = _summaries(req, items, frames.broken.groupby("operation").size(), codes, names, versions)
    inv = project.inventory
    return Analysis(inv.municipality if inv else "", bool(inv.sample) if inv else False,
                    req[REQUIREMENT_COLUMNS], items[ITEM_COLUMNS], summaries, overall, versions, tuple(aside))


def assemble(municipality: str, sample: bool, pieces: dict[str, Piece], codes: list[str] | tuple[str, ...],
             names: dict[str, str]) -> Analysis:
    """The default analysis of ``codes`` from each operation's rows (:mod:`gapcheck.analysis.pieces`), as
    :func:`analyze` makes it: requirements in the operations' order, items by operation code, the same summaries."""
    import pandas as pd

    req = pd.concat([pieces[c].requirements for c in codes], ignore_index=True)
    items = pd.concat([pieces[c].items for c in sorted(codes)], ignore_index=True)
    versions = {c: pieces[c].version for c in codes}
    broken = pd.Series({c: pieces[c].broken for c in codes}, dtype="int64")
    summaries, overall = _summaries(req, items, broken, list(codes), names, versions)
    return Analysis(municipality, sample, req, items, summaries, overall, versions, ())


def _join(df: pd.DataFrame, keys: list[str], column: str, sep: str) -> pd.Series:
    """Per group of ``keys``, the sorted values of ``column`` joined by ``sep`` (vectorised: :func:`join_at`)."""
    import numpy as np
    import pandas as pd

    if df.empty:
        empty = pd.Index([], name=keys[0]) if len(keys) == 1 else pd.MultiIndex.from_arrays([[] for _ in keys], names=keys)
        return pd.Series([], index=empty, dtype=object)
    ordered = df.sort_values(keys + [column], kind="stable")
    key_frame = ordered[keys]
    starts = np.flatnonzero((key_frame != key_frame.shift()).any(axis=1).to_numpy())
    index = pd.Index(key_frame[keys[0]].iloc[starts]) if len(keys) == 1 else pd.MultiIndex.from_frame(key_frame.iloc[starts])
    return pd.Series(join_at(ordered[column], starts, sep), index=index, dtype=object)


def _classify_requirements(f: Frames, as_of: str) -> pd.DataFrame:
    import numpy as np

    keys = ["rix"]  # the requirement's row: one integer key instead of (operation, kind, id)
    current = f.links[~f.links["stale"]]
    best = current.groupby(keys, sort=False)["rank"].max().rename("best")
    stale_any = f.links[f.links["stale"]].groupby(keys, sort=False).size().rename("stale_links")
    linked_items = _join(f.links.drop_duplicates(keys + ["item_ref"]), keys, "item_ref", ", ").rename("items")
    notes = _join(current[current["link_note"].notna()], keys, "link_note", "; ").rename("note")
    df = (f.requirements.drop(columns="fingerprint")
          .merge(best, left_on=keys, right_index=True, how="left")
          .merge(stale_any, left_on=keys, right_index=True, how="left")
          .merge(linked_items, left_on=keys, right_index=True, how="left")
          .merge(notes, left_on=keys, right_index=True, how="left")
          .merge(f.deferrals, on=KEYS, how="left"))
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


def _item_refs(links: pd.DataFrame) -> pd.DataFrame:
    """Per link, the item it names (its operation's, as ``operation``/``id``) and the requirement as that item shows it."""
    shown = links["ref"].where(links["operation"] == links["item_operation"], links["operation"] + "/" + links["ref"])
    return links.assign(operation=links["item_operation"], id=links["item"], req=shown)[["operation", "id", "req"]]


def _classify_items(f: Frames) -> pd.DataFrame:
    import pandas as pd

    keys = ["operation", "id"]
    by_item = pd.concat([_item_refs(f.links), _item_refs(f.foreign)], ignore_index=True)
    reqs = _join(by_item.drop_duplicates(keys + ["req"]), keys, "req", ", ").rename("requirements")
    broken = _join(_item_refs(f.broken), keys, "req", ", ").rename("broken")
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


def _summaries(req: pd.DataFrame, items: pd.DataFrame, nbroken: pd.Series, codes: list[str],
               names: dict[str, str], versions: dict[str, str]) -> tuple[tuple[Summary, ...], Summary]:
    """Per-operation and overall summaries from one pass of counts per operation (vectorised); ``nbroken``
    is the number of broken links per operation."""
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
