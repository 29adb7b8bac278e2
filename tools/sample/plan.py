"""The mapping plan: a target state per requirement, drawn from a seeded RNG and a Profile.

States: ``fit``, ``partial``, ``gap-link`` (linked, judged gap), ``gap-none``
(no link), ``deferred-*`` (経過措置), ``opt-*`` for optional requirements and
``violation-*``/``absent`` for 実装不可 ones.  ``PRIMARY`` says which states get
a link from a current item, and with which judgement.
"""

from __future__ import annotations

import random

from .model import FORBIDDEN, MANDATORY, OPTIONAL, OperationSample, Profile, Req

PARTIAL_NOTES = ("運用で対応（手作業で補完）", "一部の項目のみ対応", "帳票レイアウトが標準と異なる", "EUCで補完している")
GAP_NOTES = ("現行機能では要件を満たさない", "標準準拠システムの導入で対応予定")
VIOLATION_NOTE = "現行システムで実施中。標準準拠システムへの移行時に廃止する"

PRIMARY = {
    "fit": "fit", "partial": "partial", "gap-link": "gap", "deferred-partial": "partial", "deferred-gap": "gap",
    "opt-fit": "fit", "opt-partial": "partial", "opt-gap": "gap", "violation-fit": "fit", "violation-partial": "partial",
}


def plan_states(reqs: list[Req], p: Profile, forced: dict[str, str], rng: random.Random) -> dict[str, str]:
    """A target state for each requirement, following the profile."""
    states = dict(forced)
    free = [r for r in reqs if r.id not in forced]
    states.update(plan_mandatory([r.id for r in free if r.klass == MANDATORY], p, rng))
    states.update(plan_optional([r.id for r in free if r.klass == OPTIONAL], p, rng))
    states.update(plan_forbidden([r.id for r in free if r.klass == FORBIDDEN], p, rng))
    return states


def plan_mandatory(ids: list[str], p: Profile, rng: random.Random) -> dict[str, str]:
    """Deferred first, then partial, then gaps, the rest fit, over a shuffled order."""
    order = ids[:]
    rng.shuffle(order)
    n_partial, n_gap = round(p.partial * len(ids)), round(p.gap * len(ids))
    out: dict[str, str] = {}
    for i, rid in enumerate(order):
        if i < p.deferred:
            out[rid] = rng.choice(("deferred-partial", "deferred-gap", "deferred-none"))
        elif i < p.deferred + n_partial:
            out[rid] = "partial"
        elif i < p.deferred + n_partial + n_gap:
            out[rid] = rng.choice(("gap-link", "gap-none"))
        else:
            out[rid] = "fit"
    return out


def plan_optional(ids: list[str], p: Profile, rng: random.Random) -> dict[str, str]:
    """The used share fit or partial; the others unused (declared or not) or linked as gap."""
    order = ids[:]
    rng.shuffle(order)
    n_used = round(p.optional_used * len(ids))
    out: dict[str, str] = {}
    for i, rid in enumerate(order):
        if i < n_used:
            out[rid] = "opt-fit" if rng.random() < 0.7 else "opt-partial"
        else:
            out[rid] = rng.choice(("opt-unused-listed", "opt-unused-listed", "opt-unused", "opt-gap"))
    return out


def plan_forbidden(ids: list[str], p: Profile, rng: random.Random) -> dict[str, str]:
    """``p.violations`` of them still done by the current system, the others absent."""
    order = ids[:]
    rng.shuffle(order)
    return {rid: (rng.choice(("violation-fit", "violation-partial")) if i < p.violations else "absent")
            for i, rid in enumerate(order)}


def replacement_states(op: OperationSample, reqs: list[Req]) -> dict[str, str]:
    """An optional requirement chosen to replace a custom item is in use, not declared unused."""
    optional = {r.title: r.id for r in reqs if r.klass == OPTIONAL}
    return {optional[c.replace_by]: "opt-partial" for c in op.custom if c.replace_by in optional}


def link_note(judgement: str, state: str, rng: random.Random) -> str:
    """The note of a link: why it is partial or a gap, or that a violation will stop."""
    if state.startswith("violation"):
        return VIOLATION_NOTE
    if judgement == "partial":
        return rng.choice(PARTIAL_NOTES)
    if judgement == "gap":
        return rng.choice(GAP_NOTES)
    return ""
