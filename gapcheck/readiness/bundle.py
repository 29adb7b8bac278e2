"""The report bundle: the analysis, the readiness and the snapshot history computed once.

:func:`build_report` does every computation (Fit & Gap, readiness, the
burndown of open gaps); the renderers in :mod:`gapcheck.render` only lay the
finished :class:`Report` out, and :mod:`gapcheck.report` writes the files.

Dates: readiness is judged on ``as_of`` (today unless given).  The JSON
report carries the date and the readiness (which depends on it) only when
the caller fixed the date (``--as-of``), so that identical input gives
byte-identical files.  The JUnit schema requires a timestamp: it is midnight
of the as-of date, never the time of the run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gapcheck.core.errors import InvalidInput

if TYPE_CHECKING:
    import pandas as pd

    from gapcheck.analysis.result import Analysis
    from gapcheck.core.config import Config
    from gapcheck.core.model import Project
    from gapcheck.loading.history import Snapshot
    from gapcheck.readiness.status import Readiness


REPORT_FORMAT = "report/2"
"""The JSON report's format tag (report/2: requirements keyed by kind and ID, ``ref`` on each; see the schema)."""

WORST_ORDER = ("violation", "gap", "stale", "partial")
"""Severity order of open findings in :meth:`Report.worst_gaps`."""


@dataclass(frozen=True)
class BurndownPoint:
    """Open gaps (mandatory requirements not yet fit) summed over the operations on one date."""

    date: dt.date
    open_gaps: int
    recorded: bool
    """True for a snapshot of the history file; False for the as-of date computed now."""


@dataclass(frozen=True)
class OperationBurndown:
    """The open gaps of one operation not yet migrated, over the snapshot dates (and the as-of date)."""

    operation: str
    name: str
    points: tuple[BurndownPoint, ...]
    deadline: dt.date | None
    gaps_zero_on: dt.date | None
    """The forecast's date of zero open gaps (None without enough history or when none is in sight)."""


@dataclass(frozen=True)
class OperationSystem:
    """The system an operation migrates to, as the plan (else the mapping) names it, and its 特定移行支援 facts."""

    operation: str
    vendor: str | None
    """The plan's vendor; the mapping's when the plan names none; None when neither does."""
    product: str | None
    """The plan's product; the mapping's when the plan names none; None when neither does."""
    extension_reason: int | None
    """特定移行支援システム: reason 1-4, whether or not approved yet."""
    extension_deadline: dt.date | None
    extension_approved: dt.date | None
    expired_deferrals: int
    """経過措置 whose implement-by date is before the as-of date (counted in the open gaps)."""


@dataclass(frozen=True)
class Report:
    """Everything a report shows, computed; renderers only lay it out."""

    analysis: Analysis
    readiness: Readiness
    history: tuple[Snapshot, ...]
    """Snapshots up to the as-of date, of the operations reported, by date then operation."""
    burndown: tuple[BurndownPoint, ...]
    deadlines: tuple[dt.date, ...]
    """The distinct deadlines of the operations not yet migrated, earliest first."""
    dated: bool
    """True when the as-of date was given (``--as-of``): only then does the JSON report carry it and the readiness."""
    operation_burndown: tuple[OperationBurndown, ...] = ()
    """One line per operation not yet migrated, for the burndown chart."""
    code: str | None = None
    """The municipality's 団体コード (全国地方公共団体コード) from the inventory, if given."""
    systems: tuple[OperationSystem, ...] = ()
    """One per operation of the readiness, in its order."""
    sample_inputs: bool = False
    """True when any input says ``sample: true`` (the inventory, a spec catalogue, a mapping or the plan)."""

    @property
    def as_of(self) -> dt.date:
        return self.readiness.as_of

    @property
    def municipality(self) -> str:
        return self.analysis.municipality

    @property
    def sample(self) -> bool:
        return self.analysis.sample

    def operation(self, code: str) -> Any:
        """The readiness of one operation (an :class:`~gapcheck.readiness.OperationReadiness`), or None."""
        return next((o for o in self.readiness.operations if o.operation == code), None)

    def worst_gaps(self, limit: int = 10) -> pd.DataFrame:
        """The most urgent open findings of the operations closest to (or furthest past) their deadline.

        Findings of the operations with the fewest days left come first
        (migrated ones last); among equally urgent operations, violations,
        then mandatory gaps, stale links and partial fits
        (:data:`WORST_ORDER`), then registry order and requirement ID.
        Columns are those of :attr:`Analysis.requirements` plus ``name`` (of
        the operation).
        """
        req = self.analysis.requirements
        mandatory_open = (req["class"] == "mandatory") & req["state"].isin(WORST_ORDER)
        open_ = req[mandatory_open | (req["state"] == "violation")].copy()
        days = {o.operation: (o.days_left if o.days_left is not None else 10**6) for o in self.readiness.operations}
        order = {s.operation: n for n, s in enumerate(self.analysis.summaries)}
        names = {s.operation: s.name for s in self.analysis.summaries}
        open_["_sev"] = open_["state"].map({s: n for n, s in enumerate(WORST_ORDER)})
        open_["_days"] = open_["operation"].map(days)
        open_["_op"] = open_["operation"].map(order)
        open_["name"] = open_["operation"].map(names)
        top = open_.sort_values(["_days", "_sev", "_op", "id"], kind="stable").head(limit)
        return top.drop(columns=["_sev", "_days", "_op"])

    def to_dict(self) -> dict[str, Any]:
        """The complete result, JSON-ready, in a stable key order (schema ``report``)."""
        from gapcheck.analysis.result import records

        return self.document(records)

    def document(self, rows: Any) -> dict[str, Any]:
        """:meth:`to_dict` with each table of the analysis turned into data by ``rows``
        (:meth:`gapcheck.analysis.result.Analysis.document`)."""
        return {
            "gapcheck": REPORT_FORMAT,
            "municipality": self.municipality,
            "sample": self.sample,
            "as_of": self.as_of.isoformat() if self.dated else None,
            "analysis": self.analysis.document(rows),
            "readiness": self.readiness.to_dict() if self.dated else None,
            "history": [_snapshot_dict(s) for s in self.history],
        }


def _snapshot_dict(s: Snapshot) -> dict[str, Any]:
    return {"date": s.date.isoformat(), "operation": s.operation, "status": s.status, "open_gaps": s.open_gaps,
            "mandatory_fit_rate": s.mandatory_fit_rate, "completion_rate": s.completion_rate,
            "in_progress_rate": s.in_progress_rate, "violations": s.violations, "undecided": s.undecided,
            "deferred": s.deferred}


def build_report(project: Project, config: Config, as_of: dt.date | None = None,
                 operations: Iterable[str] | None = None, analysis: Analysis | None = None,
                 today: dt.date | None = None) -> Report:
    """Analyse, assess readiness and read the history of ``project``.

    ``as_of`` is the date readiness is judged on (default: today, and then
    the report is not *dated*, see :attr:`Report.dated`).  Raises
    :class:`~gapcheck.errors.InvalidInput` for errors in the project or in
    the history file, :class:`~gapcheck.errors.UsageError` for an unknown
    operation.  ``analysis``, when given, is the project's analysis of
    ``operations`` on that date (a cached one): it is not computed again.  ``today``: the day an undated
    report is judged on (default: the day it is).
    """
    from gapcheck.analysis.classify import analyze
    from gapcheck.loading.history import load_history
    from gapcheck.readiness.status import assess

    chosen = list(operations or [])
    day = as_of or today or dt.date.today()
    if analysis is None:
        analysis = analyze(project, chosen or None, as_of=day)
    snaps, problems = load_history(config.history_path)
    if any(p.severity == "error" for p in problems):
        raise InvalidInput(problems)
    readiness = assess(project, analysis, day, snaps, chosen or None)
    codes = {o.operation for o in readiness.operations if o.status != "not-applicable"}
    history = tuple(sorted((s for s in snaps if s.operation in codes and s.date <= day),
                           key=lambda s: (s.date, s.operation)))
    pending = {o.deadline for o in readiness.operations
               if o.deadline is not None and o.status not in ("migrated", "not-applicable")}
    code = project.inventory.code if project.inventory else None
    return Report(analysis, readiness, history, burndown(history, readiness), tuple(sorted(pending)), as_of is not None,
                  operation_burndown(history, readiness), code, systems(project, readiness), _any_sample(project))


def _any_sample(project: Project) -> bool:
    inputs = [project.inventory, project.plan, *project.catalogues, *project.mappings]
    return any(getattr(x, "sample", False) for x in inputs if x is not None)


def systems(project: Project, readiness: Readiness) -> tuple[OperationSystem, ...]:
    """Vendor, product and 特定移行支援 facts of every assessed operation (plan first, then the mapping)."""
    mapped = {m.operation: m for m in project.mappings}
    day = readiness.as_of.isoformat()
    out = []
    for o in readiness.operations:
        plan = project.plan.for_operation(o.operation) if project.plan else None
        mapping = mapped.get(o.operation)
        vendor = (plan.vendor if plan else "") or (mapping.vendor if mapping else "")
        product = (plan.product if plan else "") or (mapping.product if mapping else "")
        ext = plan.extension if plan else None
        out.append(OperationSystem(o.operation, vendor or None, product or None, ext.reason if ext else None,
                                   ext.deadline if ext else None, ext.approved if ext else None,
                                   sum(until < day for _, _, until in o.deferrals)))
    return tuple(out)


def burndown(history: Iterable[Snapshot], readiness: Readiness) -> tuple[BurndownPoint, ...]:
    """Open gaps per snapshot date, plus the as-of date when it has no snapshot yet."""
    totals: dict[dt.date, int] = {}
    for s in history:
        totals[s.date] = totals.get(s.date, 0) + s.open_gaps
    points = [BurndownPoint(d, n, True) for d, n in sorted(totals.items())]
    if readiness.as_of not in totals:
        now = sum(o.open_gaps for o in readiness.operations if o.status != "not-applicable")
        points.append(BurndownPoint(readiness.as_of, now, False))
    return tuple(points)


def operation_burndown(history: Iterable[Snapshot], readiness: Readiness) -> tuple[OperationBurndown, ...]:
    """Per operation in scope and not yet migrated: its snapshots' open gaps, plus the as-of value when unrecorded."""
    by_op: dict[str, list[BurndownPoint]] = {}
    for s in history:
        by_op.setdefault(s.operation, []).append(BurndownPoint(s.date, s.open_gaps, True))
    lines = []
    for o in readiness.operations:
        if o.status in ("migrated", "not-applicable"):
            continue
        points = sorted(by_op.get(o.operation, []), key=lambda p: p.date)
        if not points or points[-1].date != readiness.as_of:
            points.append(BurndownPoint(readiness.as_of, o.open_gaps, False))
        zero = o.forecast.gaps_zero_on if o.forecast is not None and o.forecast.enough_history else None
        lines.append(OperationBurndown(o.operation, o.name, tuple(points), o.deadline, zero))
    return tuple(lines)
