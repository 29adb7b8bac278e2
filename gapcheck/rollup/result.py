"""The result of a roll-up: finished tables, the verdict, the files used and every problem; nothing rendered."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from gapcheck.core.errors import Problem
from gapcheck.readiness.status import WORST_FIRST as STATUS_ORDER
from gapcheck.rollup.inputs import ResultsFile

if TYPE_CHECKING:
    import pandas as pd

BY = ("operation", "prefecture", "vendor")
"""``--by``: how the summary table groups the operation rows."""
SCHEMA_NAME = "rollup/1"


@dataclass(frozen=True)
class Rollup:
    """Many 団体's readiness side by side (``gapcheck rollup``; :func:`gapcheck.rollup`)."""

    by: str
    """The grouping of :attr:`groups`: ``operation``, ``prefecture`` or ``vendor`` (and product)."""
    as_of: dt.date | None
    """The roll-up date given (``--as-of``): per 団体 the newest results on or before it; None: the newest."""
    top: int
    """At most this many requirements in :attr:`requirements` (per vendor and product when by vendor)."""
    verdict: str
    """One Japanese line for the whole roll-up."""
    totals: dict[str, Any]
    """団体 (municipalities and prefectures), sample ones, systems, statuses and totals over everything."""
    dates: tuple[tuple[dt.date, int], ...]
    """Each as-of date of the results used and how many 団体 are as of it, oldest first."""
    operations: tuple[tuple[str, str], ...]
    """(code, name) of every operation in the results, registry order: the columns of the heat map."""
    groups: pd.DataFrame
    """One row per group of :attr:`by`: ``key``, ``product`` (vendor view), ``name``, 団体, sample 団体, systems in
    scope, one count per status, quartiles of 完了率 and of the mandatory fit rate, open gaps, violations,
    undecided, expired 経過措置, 特定移行支援 systems."""
    municipalities: pd.DataFrame
    """One row per 団体 in code order: code, name, prefecture, kind, as-of, sample, verdict, worst status and
    operation, days to the deadline, status counts and totals, the results file."""
    heatmap: pd.DataFrame
    """(code, operation, status) of every operation row: the heat map 団体 x operation."""
    requirements: pd.DataFrame
    """The requirements that are gaps or violations in the most 団体, with counts per state."""
    extensions: pd.DataFrame
    """特定移行支援システム by reason 1-4 and in all (``reason`` None): systems, 団体, migrated, pending, sample."""
    files: tuple[ResultsFile, ...]
    """The results files used, one per 団体."""
    problems: tuple[Problem, ...] = field(default=())
    """Every problem met, errors (files left out) and warnings, in the order found."""

    @property
    def sample(self) -> int:
        """How many 団体's results come from sample data (``sample: true``)."""
        return int(self.totals["sample"])

    @cached_property
    def statuses(self) -> dict[str, dict[str, str]]:
        """団体コード -> operation -> status (the heat map as a lookup)."""
        out: dict[str, dict[str, str]] = {}
        for code, op, status in self.heatmap[["code", "operation", "status"]].itertuples(index=False, name=None):
            out.setdefault(code, {})[op] = status
        return out

    def to_dict(self) -> dict[str, Any]:
        """The complete result, JSON-ready, in a stable key order (schema ``gapcheck/schemas/rollup.schema.json``)."""
        statuses = self.statuses
        munis = _records(self.municipalities)
        for m in munis:
            m["statuses"] = statuses.get(m["code"], {})
        return {
            "gapcheck": SCHEMA_NAME, "by": self.by, "as_of": _iso(self.as_of), "top": self.top,
            "verdict": self.verdict, "sample": self.sample, "totals": self.totals,
            "dates": [{"as_of": d.isoformat(), "municipalities": n} for d, n in self.dates],
            "operations": [{"code": c, "name": n} for c, n in self.operations],
            "groups": _records(self.groups), "municipalities": munis,
            "requirements": _records(self.requirements), "extensions": _records(self.extensions),
            "files": [{"file": f.shown, "code": f.code, "name": f.name, "as_of": f.as_of.isoformat(),
                       "gapcheck_version": f.gapcheck_version, "sample": f.sample} for f in self.files],
            "problems": [p.to_dict() for p in self.problems],
        }


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO text, numpy scalars as Python ones, missing as None."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    names = [str(c) for c in df.columns]
    return [dict(zip(names, (_plain(v) for v in row), strict=True)) for row in df.itertuples(index=False, name=None)]


def verdict(worst: dict[str, int], kinds: dict[str, int]) -> str:
    """One Japanese line: how many 団体 stand where, by the status of each one's worst operation."""
    from gapcheck.readiness.status import STATUS_LABELS

    total = sum(worst.values())
    scope = "・".join(f"{label} {kinds[k]}" for k, label in (("municipality", "市区町村"), ("prefecture", "都道府県")) if kinds.get(k))
    tally = "・".join(f"{STATUS_LABELS[s]} {worst[s]}" for s in STATUS_ORDER if worst.get(s))
    head = f"{total} 団体（{scope}）: {tally}（各団体の最も遅れている業務で判定）"
    if worst.get("overdue"):
        return f"期限超過あり: {worst['overdue']} 団体に期限を過ぎて未移行の業務。{head}"
    if worst.get("at-risk"):
        return f"要注意: {worst['at-risk']} 団体に遅延リスク。{head}"
    if total and worst.get("migrated", 0) + worst.get("not-applicable", 0) == total:
        return f"全団体が移行済み。{head}"
    return f"順調: 期限内に移行の見込み。{head}"
