"""Readiness toward the migration deadline, per operation and for the municipality.

Status of an operation on a date D (the first rule that holds wins; README, "Readiness"):

1. ``not-applicable``: the inventory lists the operation as not applicable;
2. ``migrated``: an actual go-live date on or before D;
3. ``overdue``: D is after the operation's deadline (2026-03-31, or the
   approved 特定移行支援 deadline) and it has not migrated;
4. ``at-risk``: any of: no planned go-live date; a planned go-live after the
   deadline; a planned go-live already past without an actual one; the
   deadline within :data:`RISK_WINDOW_DAYS` days while step completion is
   below :data:`RISK_COMPLETION`; a forecast (enough history) that reaches
   zero open gaps or 100% steps after the deadline;
5. ``extended``: an approved 特定移行支援システム (``approved`` on or before
   D), none of the risks of rule 4 against its later deadline; an extension
   not yet approved leaves the deadline at 2026-03-31;
6. ``on-track``: otherwise.

An operation in scope with no spec catalogue yet cannot be analysed: unless
it has migrated, it is ``preparing`` (準備中), and its reasons say what is
missing (the catalogue, the inventory of current functions, the vendor's
mapping) and whether its deadline has passed.  An analysed operation whose
inventory or mapping is missing keeps its status, with the same reasons added.

Step rates are computed exactly as the ministries publish them:
完了率 = (完了済み + 対象外) / steps, 作業中率 = 作業中 / steps,
未着手率 = 未着手 / steps.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from gapcheck.analysis.result import Analysis
from gapcheck.core.dates import DEADLINE, check_in_range, deadline_label, iso
from gapcheck.core.messages import Msg
from gapcheck.core.model import Project
from gapcheck.core.plan import EXTENSION_REASONS, OperationPlan, Plan
from gapcheck.loading.history import Snapshot
from gapcheck.readiness.history import Forecast, forecast

STATUSES = ("migrated", "on-track", "at-risk", "overdue", "extended", "not-applicable", "preparing")
STATUS_LABELS = {
    "migrated": "移行済み", "on-track": "順調", "at-risk": "遅延リスク", "overdue": "期限超過",
    "extended": "特定移行支援（期限延長）", "not-applicable": "対象外", "preparing": "準備中",
}
UNMEASURED = ("not-applicable", "preparing")
"""Statuses with no Fit & Gap measures (nothing to record in the history)."""
MISSING_LABELS = {
    "catalogue": "標準仕様書のカタログが未登録（gapcheck spec import）",
    "inventory": "現行機能・帳票の一覧が未登録（gapcheck inventory import）",
    "mapping": "対応表（マッピング）が未登録（gapcheck mapping template / import）",
}
"""What an operation lacks before it can be analysed fully, and the command that supplies it."""
WORST_FIRST = ("overdue", "at-risk", "preparing", "extended", "on-track", "migrated", "not-applicable")
"""The statuses from the worst: a 団体's standing in a roll-up is its worst operation's status."""
MIGRATED_OPEN = "移行済み・未解決あり"
"""The reason given to a migrated operation that still has open gaps or violations."""
RISK_WINDOW_DAYS = 180
"""Within this many days of the deadline, low step completion makes an operation at risk."""
RISK_COMPLETION = 0.8
"""Step completion below this, within :data:`RISK_WINDOW_DAYS` of the deadline, is at risk."""


@dataclass(frozen=True)
class OperationReadiness:
    """The readiness measures of one operation on one date."""

    operation: str
    name: str
    status: str
    deadline: dt.date | None
    """2026-03-31, or the approved 特定移行支援 deadline; None when not applicable."""
    days_left: int | None
    """Days from the as-of date to the deadline; negative when overdue; None when migrated or not applicable."""
    planned_go_live: dt.date | None
    actual_go_live: dt.date | None
    extension_reason: int | None
    steps_total: int
    completion_rate: float | None
    """完了率 = (完了済み + 対象外) / steps."""
    in_progress_rate: float | None
    """作業中率 = 作業中 / steps."""
    not_started_rate: float | None
    """未着手率 = 未着手 / steps."""
    mandatory_fit_rate: float | None
    """fit / mandatory requirements (functions and forms together)."""
    partial: int
    open_gaps: int
    """Mandatory requirements in gap, partial or stale, and deferrals whose date has passed."""
    violations: int
    undecided: int
    deferrals: tuple[tuple[str, str, str], ...]
    """(requirement ID, its kind, implement-by date) of every 経過措置."""
    forecast: Forecast | None
    reasons: tuple[str, ...] = ()
    """Why the status is what it is (Japanese, for people)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation, "name": self.name, "status": self.status,
            "deadline": iso(self.deadline), "days_left": self.days_left,
            "planned_go_live": iso(self.planned_go_live), "actual_go_live": iso(self.actual_go_live),
            "extension_reason": self.extension_reason, "steps_total": self.steps_total,
            "completion_rate": self.completion_rate, "in_progress_rate": self.in_progress_rate,
            "not_started_rate": self.not_started_rate, "mandatory_fit_rate": self.mandatory_fit_rate,
            "partial": self.partial, "open_gaps": self.open_gaps, "violations": self.violations,
            "undecided": self.undecided, "deferrals": [{"requirement": r, "kind": k, "until": u} for r, k, u in self.deferrals],
            "forecast": self.forecast.to_dict() if self.forecast else None, "reasons": list(self.reasons),
        }

    @property
    def open_work(self) -> bool:
        """Migrated, yet open gaps or 実装不可 violations remain (移行済み・未解決あり)."""
        return self.status == "migrated" and bool(self.open_gaps or self.violations)

    def snapshot(self, as_of: dt.date) -> Snapshot:
        return Snapshot(as_of, self.operation, self.status, self.open_gaps, self.mandatory_fit_rate,
                        self.completion_rate, self.violations, self.undecided, len(self.deferrals),
                        self.in_progress_rate)


@dataclass(frozen=True)
class Readiness:
    """Readiness of every operation of the municipality on one date, with a one-line verdict."""

    as_of: dt.date
    municipality: str
    verdict: str
    operations: tuple[OperationReadiness, ...]
    days_to_deadline: int | None
    """Days to the earliest deadline of the operations not yet migrated (negative: overdue); None when all migrated."""

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "municipality": self.municipality, "verdict": self.verdict,
                "days_to_deadline": self.days_to_deadline, "counts": self.counts(),
                "operations": [o.to_dict() for o in self.operations]}

    def snapshots(self) -> list[Snapshot]:
        """The measures to record in the history: every operation that has them (not the not-applicable or preparing ones)."""
        return [o.snapshot(self.as_of) for o in self.operations if o.status not in UNMEASURED]

    def counts(self) -> dict[str, int]:
        return {s: sum(o.status == s for o in self.operations) for s in STATUSES}


def step_rates(plan: OperationPlan | None, total: int) -> tuple[float | None, float | None, float | None]:
    """(完了率, 作業中率, 未着手率) of one operation's steps, rounded to 4 places."""
    if plan is None or total == 0:
        return None, None, None
    statuses = [s.status for s in plan.steps]
    done = statuses.count("完了済み") + statuses.count("対象外")
    return (round(done / total, 4), round(statuses.count("作業中") / total, 4), round(statuses.count("未着手") / total, 4))


def decide_status(as_of: dt.date, deadline: dt.date, op_plan: OperationPlan | None, completion: float | None,
                  fc: Forecast | None) -> tuple[str, tuple[str, ...]]:
    """The status of an applicable operation and the reasons for it (rules 2-6 of the module doc)."""
    if op_plan is not None and op_plan.actual_go_live is not None and op_plan.actual_go_live <= as_of:
        return "migrated", (f"{op_plan.actual_go_live.isoformat()} 稼働",)
    if as_of > deadline:
        return "overdue", (f"期限 {deadline_label(deadline)}（{deadline.isoformat()}）を {(as_of - deadline).days} 日超過",)
    reasons = []
    planned = op_plan.planned_go_live if op_plan else None
    if planned is None:
        reasons.append("稼働予定日が未定")
    elif planned > deadline:
        reasons.append(f"稼働予定日 {planned.isoformat()} が期限後")
    elif planned < as_of:
        reasons.append(f"稼働予定日 {planned.isoformat()} を過ぎたが未稼働")
    if (deadline - as_of).days <= RISK_WINDOW_DAYS and (completion or 0.0) < RISK_COMPLETION:
        reasons.append(f"期限まで {(deadline - as_of).days} 日で完了率 {(completion or 0.0) * 100:.0f}%")
    if fc is not None and fc.enough_history and fc.before_deadline is False:
        reasons.append("予測では期限までに完了しない")
    if reasons:
        return "at-risk", tuple(reasons)
    if op_plan is not None and extension_in_force(op_plan, as_of):
        ext = op_plan.extension
        assert ext is not None
        why = EXTENSION_REASONS.get(ext.reason, str(ext.reason))
        return "extended", (f"特定移行支援システム（理由 {ext.reason}: {why}）期限 {deadline.isoformat()}",)
    return "on-track", ()


def extension_in_force(op_plan: OperationPlan | None, as_of: dt.date) -> bool:
    """An extension moves the deadline only once approved (an ``approved`` date on or before ``as_of``)."""
    ext = op_plan.extension if op_plan else None
    return ext is not None and ext.approved is not None and ext.approved <= as_of


def missing_data(project: Project, code: str) -> tuple[str, ...]:
    """What operation ``code`` lacks: ``catalogue``, ``inventory`` (no current item) and ``mapping`` (keys of :data:`MISSING_LABELS`)."""
    items = project.inventory.items if project.inventory else ()
    missing = {"catalogue": project.catalogue(code) is None,
               "inventory": not any(i.operation == code for i in items),
               "mapping": not any(m.operation == code for m in project.mappings)}
    return tuple(k for k, absent in missing.items() if absent)


def _deadline(op_plan: OperationPlan | None, as_of: dt.date) -> tuple[dt.date, bool]:
    """The operation's deadline on ``as_of`` and whether an approved extension set it."""
    approved = extension_in_force(op_plan, as_of)
    ext = op_plan.extension if op_plan else None
    return (ext.deadline if approved and ext else DEADLINE), approved


def assess(project: Project, analysis: Analysis, as_of: dt.date, history: list[Snapshot] | None = None,
           operations: list[str] | None = None) -> Readiness:
    """Readiness on ``as_of`` of ``operations`` (default: every one in scope, then the not-applicable ones).

    Those ``analysis`` did not analyse (no catalogue) are 準備中 unless migrated.
    Raises :class:`~gapcheck.core.errors.UsageError` for an ``as_of`` outside
    :data:`~gapcheck.core.dates.DATE_MIN`..:data:`~gapcheck.core.dates.DATE_MAX`.
    """
    check_in_range(as_of, Msg("the-as-of-date"))
    plan: Plan | None = project.plan
    total = len(plan.steps) if plan else 0
    req = analysis.requirements
    mand = req[req["class"] == "mandatory"]
    per_op = mand.groupby("operation")["state"].value_counts().unstack(fill_value=0).to_dict("index")
    rows: list[OperationReadiness] = []
    past = [snap for snap in history or [] if snap.date <= as_of]  # no peeking at later snapshots
    na = project.inventory.not_applicable if project.inventory else {}
    names = {o.code: o.name for o in project.operations}
    for s in analysis.summaries:
        code = s.operation
        op_plan = plan.for_operation(code) if plan else None
        deadline, approved = _deadline(op_plan, as_of)
        counts = Counter({str(k): int(v) for k, v in per_op.get(code, {}).items()})
        n_mand = counts.total()
        done, working, idle = step_rates(op_plan, total)
        fc = forecast(past, code, deadline) if history is not None else None
        status, reasons = decide_status(as_of, deadline, op_plan, done, fc)
        if op_plan and op_plan.extension and not approved:
            reasons += ("特定移行支援の期限延長は未承認（approved の日付なし、または基準日より後）",)
        defs = mand[(mand["operation"] == code) & mand["deferred_until"].notna()]
        # judged on as_of, whatever date the analysis used; a deferral of a requirement already fit is no gap
        expired = int(((defs["deferred_until"] < as_of.isoformat()) & (defs["state"] != "fit")).sum())
        if expired:
            reasons += (f"経過措置の期限切れ {expired} 件（未解消ギャップに計上）",)
        open_gaps = counts["gap"] + counts["partial"] + counts["stale"] + expired
        if status == "migrated" and (open_gaps or s.violations):
            reasons += (f"{MIGRATED_OPEN}（未解消ギャップ {open_gaps} 件、実装不可違反 {s.violations} 件）",)
        if status != "migrated":
            reasons += tuple(MISSING_LABELS[m] for m in missing_data(project, code))
        rows.append(OperationReadiness(
            code, s.name, status, deadline, None if status == "migrated" else (deadline - as_of).days,
            op_plan.planned_go_live if op_plan else None, op_plan.actual_go_live if op_plan else None,
            op_plan.extension.reason if op_plan and op_plan.extension else None, total if op_plan else 0,
            done, working, idle, round(counts["fit"] / n_mand, 4) if n_mand else None, counts["partial"],
            open_gaps, s.violations, s.undecided,
            tuple(zip(defs["id"], defs["kind"], defs["deferred_until"], strict=True)), fc, reasons))
    analysed = {s.operation for s in analysis.summaries}
    rows += [_unanalysed(project, o.code, o.name, plan, as_of) for o in project.operations
             if project.in_scope(o.code) and o.code not in analysed and (operations is None or o.code in operations)]
    if operations is None:
        for code in sorted(na, key=lambda c: [o.code for o in project.operations].index(c)):
            rows.append(OperationReadiness(code, names.get(code, code), "not-applicable", None, None, None, None, None,
                                           0, None, None, None, None, 0, 0, 0, 0, (), None, (na[code] or "対象外",)))
    ops = tuple(rows)
    pending = [o.days_left for o in ops if o.status not in ("migrated", "not-applicable") and o.days_left is not None]
    days = min(pending) if pending else None
    return Readiness(as_of, analysis.municipality, verdict(ops, as_of), ops, days)


def _unanalysed(project: Project, code: str, name: str, plan: Plan | None, as_of: dt.date) -> OperationReadiness:
    """An operation in scope that could not be analysed (no catalogue): migrated if its plan says so, else preparing."""
    op_plan = plan.for_operation(code) if plan else None
    deadline, _ = _deadline(op_plan, as_of)
    total = len(plan.steps) if plan else 0
    done, working, idle = step_rates(op_plan, total)
    actual = op_plan.actual_go_live if op_plan else None
    reasons: tuple[str, ...]
    days: int | None
    if actual is not None and actual <= as_of:
        status, days, reasons = "migrated", None, (f"{actual.isoformat()} 稼働",)
    else:
        status, days = "preparing", (deadline - as_of).days
        reasons = tuple(MISSING_LABELS[m] for m in missing_data(project, code))
        if as_of > deadline:
            reasons += (f"期限 {deadline_label(deadline)}（{deadline.isoformat()}）を {(as_of - deadline).days} 日超過",)
    return OperationReadiness(
        code, name, status, deadline, days, op_plan.planned_go_live if op_plan else None, actual,
        op_plan.extension.reason if op_plan and op_plan.extension else None, total if op_plan else 0,
        done, working, idle, None, 0, 0, 0, 0, (), None, reasons)


def verdict(ops: tuple[OperationReadiness, ...], as_of: dt.date) -> str:
    """One Japanese line for the municipality."""
    scope = [o for o in ops if o.status != "not-applicable"]
    counts = {s: sum(o.status == s for o in scope) for s in STATUSES}
    tally = "・".join(f"{STATUS_LABELS[s]} {counts[s]}" for s in ("migrated", "on-track", "at-risk", "overdue", "extended", "preparing")
                      if counts[s])
    head = f"対象 {len(scope)} 業務（{tally}）"
    if not scope:
        return "対象業務がありません"
    open_names = [o.name for o in scope if o.open_work]
    unresolved = "、".join(open_names[:3]) + (f" ほか {len(open_names) - 3} 業務" if len(open_names) > 3 else "")
    open_note = f"。{MIGRATED_OPEN}: {unresolved}" if unresolved else ""
    if counts["migrated"] == len(scope):
        return f"全 {len(scope)} 業務が標準準拠システムへ移行済み{open_note}"
    late = "、".join(o.name for o in scope if o.status == "overdue")
    risky = "、".join(o.name for o in scope if o.status == "at-risk")
    preparing = f"、{counts['preparing']} 業務は準備中（判定に必要なデータが未登録）" if counts["preparing"] else ""
    if late:
        also = f"、{risky} に遅延リスク" if risky else ""
        return f"期限超過あり: {late} が期限を過ぎて未移行{also}{preparing}。{head}{open_note}"
    if risky:
        return f"要注意: {risky} に遅延リスク{preparing}。{head}{open_note}"
    if counts["preparing"]:
        return f"準備中: {counts['preparing']} 業務は判定に必要なデータ（仕様書カタログ・現行機能一覧・対応表）が未登録。{head}{open_note}"
    if unresolved:
        return f"要注意: {unresolved} は移行済みだが未解決あり。{head}"
    return f"順調: 期限内に移行の見込み。{head}"
