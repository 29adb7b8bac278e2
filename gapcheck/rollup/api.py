"""``gapcheck.rollup(...)``: many 団体's saved results side by side, by operation, prefecture or vendor.

Steps: the sources become results files (:mod:`~gapcheck.rollup.sources`);
each file is checked from its footer and one per 団体 is chosen
(:mod:`~gapcheck.rollup.inputs`); DuckDB answers the views over the chosen
files (:mod:`~gapcheck.rollup.queries`); the frames get their names
(prefectures, reasons) and the verdict here.  No YAML is parsed again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gapcheck.core.errors import InvalidInput, Problem, UsageError
from gapcheck.core.messages import Msg
from gapcheck.core.municipality import is_prefecture, prefectures
from gapcheck.core.plan import EXTENSION_REASONS
from gapcheck.readiness.status import WORST_FIRST as STATUS_ORDER
from gapcheck.rollup.inputs import ResultsFile, choose, read_header
from gapcheck.rollup.queries import (
    connect,
    extensions,
    groups,
    heatmap,
    municipalities,
    operations,
    requirements,
)
from gapcheck.rollup.result import BY, Rollup, verdict
from gapcheck.rollup.sources import expand

UNNAMED = "（未定）"
"""The vendor or product of a system whose plan and mapping name none."""


def rollup(sources: Iterable[Path | str], by: str = "operation", as_of: dt.date | None = None, top: int = 20,
           threads: int | None = None) -> Rollup:
    """Roll up the results files that ``sources`` name (files, folders of them, municipality folders, list files).

    ``by`` groups the summary (``operation``, ``prefecture`` or ``vendor``);
    ``as_of`` picks, per 団体, the newest results on or before it; ``top``
    limits the requirement list (per vendor and product when by vendor).
    Files that cannot be used are left out, each with an error in
    :attr:`Rollup.problems`; raises :class:`~gapcheck.errors.InvalidInput`
    only when none can be used, :class:`~gapcheck.errors.UsageError` for a
    bad ``by`` or ``top``.
    """
    if by not in BY:
        raise UsageError(Msg("by-must-be", choices=", ".join(BY), value=by))
    if top < 1:
        raise UsageError(Msg("top-must-be", value=top))
    names = [str(s) for s in sources]
    candidates, problems = expand(names)
    headers: list[ResultsFile] = []
    for c in candidates:
        head, found = read_header(c)
        problems += found
        if head is not None:
            headers.append(head)
    chosen, more = choose(headers, as_of)
    problems += more
    if not chosen:
        where = names[0] if names else "-"
        problems.append(Problem(where, 0, 0, "rollup-empty", "$",
                                Msg("rollup-empty", n=len(candidates)), Msg("one-readable-results")))
        raise InvalidInput(problems)
    return _assemble(chosen, by, as_of, top, threads, tuple(problems))


def _registry() -> list[str]:
    from gapcheck.validation.project import load_registry

    return [o.code for o in load_registry(None)[0]]


def _assemble(chosen: list[ResultsFile], by: str, as_of: dt.date | None, top: int, threads: int | None,
              problems: tuple[Problem, ...]) -> Rollup:
    files = [str(f.path) for f in chosen]
    with connect(files, _registry(), threads) as con:
        by_group = _name_groups(groups(con, by), by)
        munis = _name_municipalities(municipalities(con), chosen)
        heat = heatmap(con)
        columns = tuple(operations(con))
        reqs = requirements(con, files, by == "vendor", top)
        ext = _name_extensions(extensions(con))
    worst = munis["worst_status"].value_counts().to_dict()
    kinds = munis["kind"].value_counts().to_dict()
    dates: dict[dt.date, int] = {}
    for f in chosen:
        dates[f.as_of] = dates.get(f.as_of, 0) + 1
    return Rollup(by, as_of, top, verdict(worst, kinds), _totals(munis, worst, kinds, ext),
                  tuple(sorted(dates.items())), columns, by_group, munis, heat, reqs, ext, tuple(chosen), problems)


def _name_groups(df: Any, by: str) -> Any:
    if by == "operation":
        df = df.rename(columns={"operation": "key"}).drop(columns="position")
        df.insert(1, "product", None)
    elif by == "prefecture":
        prefs = prefectures()
        df = df.rename(columns={"prefecture": "key"})
        df["name"] = df["key"].map(lambda c: prefs[c].name if c in prefs else c)
        df.insert(1, "product", None)
    else:
        df = df.rename(columns={"vendor": "key"})
        df["name"] = (df["key"].replace("", UNNAMED) + " / " + df["product"].replace("", UNNAMED)).astype(object)
    return df.reset_index(drop=True)


def _name_municipalities(df: Any, chosen: list[ResultsFile]) -> Any:
    prefs = prefectures()
    shown = {f.code: f.shown for f in chosen}
    codes = df["code"]
    df.insert(2, "prefecture", codes.str[:2].astype(object))
    df.insert(3, "prefecture_name", df["prefecture"].map(lambda c: prefs[c].name if c in prefs else c))
    df.insert(4, "kind", codes.map(lambda c: "prefecture" if is_prefecture(c) else "municipality"))
    df["file"] = codes.map(shown)
    return df


def _name_extensions(df: Any) -> Any:
    """Reasons 1-4 always listed (zeros included), then the total; with the reasons' names."""
    import pandas as pd

    rows = {r: dict(row) for r, row in zip(df["reason"], df.to_dict("records"), strict=True)}
    zero = {c: 0 for c in df.columns if c != "reason"}
    out = [{"reason": r, "label": EXTENSION_REASONS[r], **{k: rows.get(r, zero)[k] for k in zero}}
           for r in sorted(EXTENSION_REASONS)]
    out += [{"reason": r, "label": f"理由 {r}", **{k: rows[r][k] for k in zero}}
            for r in sorted(k for k in rows if k is not None and k not in EXTENSION_REASONS)]
    total = rows.get(None, zero)
    out.append({"reason": None, "label": "計", **{k: total[k] for k in zero}})
    return pd.DataFrame(out, dtype=object)


def _totals(munis: Any, worst: dict[str, int], kinds: dict[str, int], ext: Any) -> dict[str, Any]:
    total = ext[ext["reason"].isna()].iloc[0]
    counts = {s: int(munis[s].sum()) for s in STATUS_ORDER}
    return {
        "municipalities": len(munis), "cities": int(kinds.get("municipality", 0)),
        "prefectures": int(kinds.get("prefecture", 0)), "sample": int(munis["sample"].sum()),
        "systems": int(munis["systems"].sum()), "statuses": counts,
        "verdicts": {s: int(worst.get(s, 0)) for s in STATUS_ORDER},
        "open_gaps": int(munis["open_gaps"].sum()), "violations": int(munis["violations"].sum()),
        "undecided": int(munis["undecided"].sum()), "expired_deferrals": int(munis["expired_deferrals"].sum()),
        "special_systems": int(total["systems"]), "special_municipalities": int(total["municipalities"]),
    }
