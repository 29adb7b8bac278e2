"""The result of an analysis: per-requirement and per-item tables and the summaries, nothing rendered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from gapcheck.core.labels import REQUIREMENT_STATES

if TYPE_CHECKING:
    import pandas as pd

    from gapcheck.core.errors import Problem  # pandas is imported only when an analysis runs


DISPOSITION_ORDER = ("undecided", "abolish", "replace", "euc", "external")


FAIL_ON_STATES = REQUIREMENT_STATES + ("custom", "undecided", "broken")
"""States ``--fail-on`` accepts: requirement states, ``custom`` items, ``undecided`` custom items, ``broken`` links."""


REQUIREMENT_COLUMNS = ["operation", "spec_version", "id", "ref", "kind", "class", "title", "category", "summary", "state",
                       "judgement", "items", "deferred_until", "note"]


ITEM_COLUMNS = ["operation", "id", "kind", "name", "department", "state", "disposition", "requirements",
                "replacement", "broken", "cases", "hours", "note"]

TABLE_NAMES = ("fit", "gap", "violation", "custom")
"""The per-operation tables of an analysis (:meth:`Analysis.operation_tables`), in report order."""


@dataclass(frozen=True)
class Summary:
    """Counts for one operation (or, with ``operation == "*"``, all of them)."""

    operation: str
    name: str
    spec_version: str
    """Analysed spec version; empty for the overall summary."""
    requirements: int
    states: dict[str, int]
    """Count per requirement state; every state is present, 0 included."""
    mandatory_functions: int
    mandatory_forms: int
    fit_rate_functions: float | None
    """fit / mandatory function requirements (None when there are none)."""
    fit_rate_forms: float | None
    """fit / mandatory form requirements (None when there are none)."""
    violations: int
    items: int
    linked: int
    custom: int
    undecided: int
    """Custom items whose disposition is still undecided: drive to zero."""
    broken_links: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation, "name": self.name, "spec_version": self.spec_version,
            "requirements": self.requirements, "states": dict(self.states),
            "mandatory_functions": self.mandatory_functions, "mandatory_forms": self.mandatory_forms,
            "fit_rate_functions": self.fit_rate_functions, "fit_rate_forms": self.fit_rate_forms,
            "violations": self.violations, "items": self.items, "linked": self.linked, "custom": self.custom,
            "undecided": self.undecided, "broken_links": self.broken_links,
        }


@dataclass(frozen=True)
class Analysis:
    """The result of :func:`analyze`: tables and summaries, nothing rendered."""

    municipality: str
    sample: bool
    requirements: pd.DataFrame
    """One row per requirement of every analysed operation (:data:`REQUIREMENT_COLUMNS`)."""
    items: pd.DataFrame
    """One row per inventory item of every analysed operation (:data:`ITEM_COLUMNS`)."""
    summaries: tuple[Summary, ...]
    overall: Summary
    versions: dict[str, str] = field(default_factory=dict)
    """Operation code -> analysed spec version."""
    set_aside: tuple[Problem, ...] = ()
    """Errors in other operations' files, which did not stop this analysis (those operations were not analysed)."""

    def summary(self, operation: str) -> Summary:
        """The summary of one analysed operation (KeyError if it was not analysed)."""
        for s in self.summaries:
            if s.operation == operation:
                return s
        raise KeyError(f"'{operation}' was not analysed; analysed: {', '.join(x.operation for x in self.summaries)}")

    def found(self, states: Iterable[str]) -> dict[str, int]:
        """How many requirements/items are in each of ``states`` (for ``--fail-on``)."""
        counts = dict(self.overall.states)
        counts.update(custom=self.overall.custom, undecided=self.overall.undecided, broken=self.overall.broken_links)
        return {s: counts.get(s, 0) for s in states if counts.get(s, 0)}

    def operation_requirements(self, operation: str) -> pd.DataFrame:
        """Every requirement of one operation, in every state."""
        return self._by_operation[operation][0]

    def operation_items(self, operation: str) -> pd.DataFrame:
        """Every inventory item of one operation, in every state."""
        return self._by_operation[operation][1]

    @cached_property
    def _by_operation(self) -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
        """Requirements and items split by operation once (renderers ask for every operation's tables)."""
        reqs = dict(tuple(self.requirements.groupby("operation", sort=False)))
        items = dict(tuple(self.items.groupby("operation", sort=False)))
        return {s.operation: (reqs.get(s.operation, self.requirements.iloc[0:0]),
                              items.get(s.operation, self.items.iloc[0:0])) for s in self.summaries}

    def operation_tables(self, operation: str) -> dict[str, pd.DataFrame]:
        """The fit, gap, custom and violation tables of one operation (computed once per operation)."""
        cache: dict[str, dict[str, pd.DataFrame]] = self.__dict__.setdefault("_tables", {})
        if operation not in cache:
            cache[operation] = self._tables_of(operation)
        return cache[operation]

    def _tables_of(self, operation: str) -> dict[str, pd.DataFrame]:
        r, i = self._by_operation[operation]
        return {
            "fit": r[r["state"].isin(["fit", "optional-used"])],
            "gap": r[r["state"].isin(["gap", "partial", "deferred", "deferral-expired", "stale"])],  # everything still to be done
            "violation": r[r["state"] == "violation"],
            "custom": i[i["state"] == "custom"],
        }

    def to_dict(self) -> dict[str, Any]:
        """The complete result as plain JSON-ready data, in a stable order."""
        return self.document(records)

    def document(self, rows: Any) -> dict[str, Any]:
        """The result's structure, with each table turned into data by ``rows``."""
        ops = []
        for s in self.summaries:
            r, i = self._by_operation[s.operation]
            ops.append({
                "code": s.operation, "name": s.name, "spec_version": s.spec_version,
                "summary": s.to_dict(),
                "requirements": rows(r.drop(columns=["operation", "spec_version"])),
                "items": rows(i.drop(columns=["operation"])),
            })
        return {"municipality": self.municipality, "sample": self.sample,
                "overall": self.overall.to_dict(), "operations": ops}



def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values; missing values (NaN, NA) become None."""

    columns = []
    for name in df.columns:
        col = df[name]
        values = col.astype(object).where(col.notna(), None).tolist()
        columns.append(values)
    names = list(df.columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)] if len(df) else []
