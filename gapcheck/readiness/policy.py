"""Policy gate: thresholds that a CI job or a project office enforces with ``gapcheck check``.

A policy file (YAML, schema ``policy``) sets rules for every operation
(``all``) and, where stricter or looser, for one operation (``operations``);
a rule under an operation replaces the rule of the same name under ``all``::

    gapcheck: policy/1
    all:
      min_mandatory_fit_rate: 0.9   # 実装必須の適合率 (0..1)
      max_violations: 0             # 実装不可違反
      max_undecided: 5              # 処置が未決定の独自機能・帳票
      max_days_overdue: 0           # 移行期限を過ぎた日数
    operations:
      kaigo: {min_mandatory_fit_rate: 0.95}

:func:`evaluate` returns every breached rule, so that all of them can be
listed at once; it never prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gapcheck.core.errors import InvalidInput, Problem
from gapcheck.core.escape import visible
from gapcheck.core.messages import DEFAULT_LANG, Lang, Msg, text
from gapcheck.loading.convert import json_path

if TYPE_CHECKING:
    from gapcheck.analysis.result import Analysis, Summary
    from gapcheck.readiness.status import OperationReadiness, Readiness

RULES = ("min_mandatory_fit_rate", "max_violations", "max_undecided", "max_days_overdue")
"""Every rule a policy may set, in the order breaches are listed."""

NOT_DUE = ("migrated", "not-applicable")
"""Readiness statuses for which a passed deadline is not an overdue migration."""


@dataclass(frozen=True)
class Rule:
    """One threshold of a policy file."""

    name: str
    """One of :data:`RULES`."""
    limit: float
    """The threshold (a rate 0..1 for ``min_mandatory_fit_rate``, else a count or a number of days)."""
    scope: str
    """``*`` for a rule under ``all``, else the operation code it is set for."""
    file: str
    line: int
    column: int


@dataclass(frozen=True)
class Policy:
    """A loaded policy file."""

    file: str
    sample: bool
    rules: tuple[Rule, ...]

    def rules_for(self, operation: str) -> list[Rule]:
        """The rules that apply to ``operation``: its own, else those under ``all``, in :data:`RULES` order."""
        own = {r.name: r for r in self.rules if r.scope == operation}
        common = {r.name: r for r in self.rules if r.scope == "*"}
        return [own.get(n) or common[n] for n in RULES if n in own or n in common]


@dataclass(frozen=True)
class Breach:
    """A rule an operation does not meet."""

    rule: Rule
    operation: str
    name: str
    """Japanese name of the operation."""
    actual: float
    message: str
    """What was found against what the rule allows, in one sentence."""

    def format(self, lang: Lang = DEFAULT_LANG) -> str:
        """``policy.yaml:10:19: max_violations: kaigo (介護保険): 実装不可の要件への違反が 3 件（上限 2 件）``
        (the rule name and the operation code stay ASCII; the message in ``lang``)."""
        r = self.rule
        return visible(f"{r.file}:{r.line}:{r.column}: {r.name}: {self.operation} ({self.name}): {text(self.message, lang)}")

    def to_dict(self, lang: Lang = DEFAULT_LANG) -> dict[str, Any]:
        r = self.rule
        return {"rule": r.name, "scope": r.scope, "limit": r.limit, "operation": self.operation, "name": self.name,
                "actual": self.actual, "message": text(self.message, lang), "file": r.file, "line": r.line,
                "column": r.column}


def load_policy(path: Path | str, operations: Iterable[str], shown: str | None = None) -> Policy:
    """Load and check a policy file; ``operations`` are the known operation codes.

    Raises :class:`~gapcheck.errors.InvalidInput` with every problem found
    (YAML, schema, unknown operation codes), each with its line and column.
    """
    from gapcheck.loading import schema, yamlio

    path = Path(path)
    doc, problems = yamlio.load(path, shown if shown is not None else str(path))
    if doc is not None:
        if not isinstance(doc.data, dict):
            problems.append(Problem(doc.file, 1, 1, "wrong-type", "$", Msg("policy-not-a-mapping"),
                                    Msg("a-yaml-mapping"), schema.describe(doc.data)))
        else:
            problems += schema.validate(doc, "policy")
    if doc is None or any(p.severity == "error" for p in problems):
        raise InvalidInput(problems)
    known = list(operations)
    rules: list[Rule] = []
    scopes: list[tuple[str, tuple[str | int, ...]]] = [("*", ("all",))]
    for code in (doc.data.get("operations") or {}):
        if code not in known:
            line, col = doc.locate(("operations", code), key=True)
            problems.append(Problem(doc.file, line, col, "unknown-operation", json_path(("operations", code)),
                                    Msg("unknown-operation-hint", code=code, hint=_hint(code, known)) if _hint(code, known)
                                    else Msg("unknown-operation", code=code), Msg("an-operation-code-from"), repr(code)))
        scopes.append((code, ("operations", code)))
    if any(p.severity == "error" for p in problems):
        raise InvalidInput(problems)
    for scope, base in scopes:
        node: dict[str, Any] = doc.data
        for part in base:
            node = node.get(str(part)) or {}
        for name in RULES:
            if name in node:
                line, col = doc.locate(base + (name,))
                rules.append(Rule(name, node[name], scope, doc.file, line, col))
    return Policy(doc.file, bool(doc.data.get("sample", False)), tuple(rules))


def _hint(word: str, choices: list[str]) -> str:
    import difflib

    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return match[0] if match else ""


def evaluate(policy: Policy, analysis: Analysis, readiness: Readiness) -> list[Breach]:
    """Every rule of ``policy`` that an operation breaks, in operation then rule order.

    ``analysis`` is an :class:`~gapcheck.analysis.Analysis`; ``readiness`` a
    :class:`~gapcheck.readiness.Readiness` of the same project.  Violations
    and undecided custom items are counted by the analysis; the mandatory
    fit rate and the days overdue come from the readiness, so that the gate
    judges exactly what the reports show.  A rate that cannot be computed
    (no mandatory requirement) breaks no minimum.
    """
    summaries = {s.operation: s for s in analysis.summaries}
    ready = {o.operation: o for o in readiness.operations}
    codes = list(summaries) + [c for c in ready if c not in summaries]
    breaches: list[Breach] = []
    for code in codes:
        s, r = summaries.get(code), ready.get(code)
        if r is not None and r.status == "not-applicable":
            continue
        name = s.name if s is not None else r.name if r is not None else code  # (each code has one or the other)
        for rule in policy.rules_for(code):
            found = _check(rule, s, r)
            if found is not None:
                breaches.append(Breach(rule, code, name, found[0], found[1]))
    return breaches


def _check(rule: Rule, summary: Summary | None, ready: OperationReadiness | None) -> tuple[float, str] | None:
    """(actual value, message) when ``rule`` is broken, else None."""
    if rule.name == "min_mandatory_fit_rate":
        rate = ready.mandatory_fit_rate if ready is not None else None
        if rate is not None and rate < rule.limit:
            return rate, Msg("breach-fit-rate", rate=f"{rate * 100:.1f}", limit=f"{rule.limit * 100:.1f}")
    elif rule.name == "max_violations" and summary is not None:
        if summary.violations > rule.limit:
            return summary.violations, Msg("breach-violations", n=summary.violations, limit=f"{rule.limit:g}")
    elif rule.name == "max_undecided" and summary is not None:
        if summary.undecided > rule.limit:
            return summary.undecided, Msg("breach-undecided", n=summary.undecided, limit=f"{rule.limit:g}")
    elif rule.name == "max_days_overdue" and ready is not None:
        days_left = ready.days_left
        if ready.status not in NOT_DUE and days_left is not None and -days_left > rule.limit:
            deadline = f" {ready.deadline.isoformat()}" if ready.deadline else ""
            return -days_left, Msg("breach-overdue", n=-days_left, deadline=deadline, limit=f"{rule.limit:g}")
    return None


__all__ = ["RULES", "Breach", "Policy", "Rule", "evaluate", "load_policy"]
