"""Checking and building the migration plan (``plan/1``) while a project loads.

Part of :func:`gapcheck.loader.load_project`: go-live dates after the plan's
start, extensions within the law's limits, steps that exist in the plan's own
step list, and operations that exist and apply.
"""

from __future__ import annotations

from typing import Any

from gapcheck.core.messages import Msg
from gapcheck.core.model import Inventory
from gapcheck.core.plan import Extension, Plan
from gapcheck.loading.yamlio import YamlDocument


def build_plan(b: Any, doc: YamlDocument, inventory: Inventory | None) -> Plan | None:
    """Check and build the migration plan."""
    from gapcheck.core.plan import OperationPlan, Step, StepProgress, to_date

    data = doc.data
    start = to_date(data["start"])
    assert start is not None
    steps: list[Step] = []
    for i, raw in enumerate(data["steps"]):
        if ("steps", i) in doc.skips:
            continue
        if any(st.id == raw["id"] for st in steps):
            b.problem(doc, ("steps", i, "id"), "duplicate-step", Msg("duplicate-step", step=raw['id']),
                      Msg("unique-step-ids"), repr(raw["id"]))
            continue
        steps.append(Step(raw["id"], raw["name"], raw["phase"]))
    known_steps = {st.id for st in steps}
    ops: dict[str, OperationPlan] = {}
    for code, raw in data["operations"].items():
        path = ("operations", code)
        if path in doc.skips:
            continue
        if not b.check_operation(doc, path, code, key=True):
            continue
        if inventory is not None and code in inventory.not_applicable:
            b.problem(doc, path, "operation-not-applicable",
                      Msg("operation-not-applicable", name=b.operations[code].name, municipality=inventory.municipality),
                      Msg("an-operation-in-scope"), repr(code), key=True)
            continue
        for field_name in ("planned_go_live", "actual_go_live"):
            when = to_date(raw.get(field_name))
            if when is not None and when < start:
                b.problem(doc, path + (field_name,), "go-live-before-start",
                          Msg("go-live-before-start", field=field_name, start=start.isoformat()),
                          Msg("a-date-on-or-after", date=start.isoformat()), repr(raw[field_name]))
        ext = _extension(b, doc, path, raw["extension"]) if "extension" in raw else None
        progress = {}
        for step_id, value in raw.get("steps", {}).items():
            if step_id not in known_steps:
                b.problem(doc, path + ("steps", step_id), "unknown-step",
                          Msg("unknown-step", step=step_id), Msg("a-step-id"), repr(step_id), key=True)
                continue
            v = value if isinstance(value, dict) else {"status": value}
            progress[step_id] = StepProgress(step_id, v["status"], to_date(v.get("start")), to_date(v.get("done")))
        line, _ = doc.locate(path, key=True)
        ops[code] = OperationPlan(code, raw.get("product", ""), raw.get("vendor", ""), to_date(raw.get("planned_go_live")),
                                  to_date(raw.get("actual_go_live")), ext,
                                  tuple(progress.get(st.id, StepProgress(st.id, "未着手")) for st in steps), doc.file, line)
    return Plan(start, tuple(steps), ops, bool(data.get("sample", False)), doc.file)


def _extension(b: Any, doc: YamlDocument, path: tuple[str, ...], e: dict[str, Any]) -> Extension:
    """A 特定移行支援システム's later deadline: after the statutory one, by the end of FY2030."""
    from gapcheck.core.dates import DEADLINE, EXTENSION_LIMIT
    from gapcheck.core.plan import Extension, to_date

    deadline = to_date(e["deadline"])
    assert deadline is not None
    if deadline > EXTENSION_LIMIT:
        b.problem(doc, path + ("extension", "deadline"), "extension-too-late",
                  Msg("extension-too-late", date=EXTENSION_LIMIT.isoformat()),
                  Msg("a-date-on-or-before", date=EXTENSION_LIMIT.isoformat()), repr(e["deadline"]))
    elif deadline <= DEADLINE:
        b.problem(doc, path + ("extension", "deadline"), "extension-too-early",
                  Msg("extension-too-early", date=DEADLINE.isoformat()),
                  Msg("a-date-after", date=DEADLINE.isoformat()), repr(e["deadline"]))
    return Extension(e["reason"], deadline, to_date(e.get("approved")))
