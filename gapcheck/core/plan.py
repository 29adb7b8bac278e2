"""The migration plan: per operation, product, go-live dates, 特定移行支援 and step statuses.

The step list is data (``steps:`` in the plan file), never hard-coded: the
template in ``gapcheck/data/steps-template.yaml`` follows the phases of the
procedure manual and should be replaced by the national PMO tool's 40 steps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from typing import Any

STEP_STATUSES = ("完了済み", "作業中", "未着手", "対象外")
EXTENSION_REASONS = {
    1: "メインフレーム（汎用機）",
    2: "個別開発システム",
    3: "標準準拠システムが未提供",
    4: "ベンダーのリソース逼迫",
}
"""Reasons a system is a 特定移行支援システム (DOMAIN.md), by number."""


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    name: str
    phase: str


@dataclass(frozen=True, slots=True)
class StepProgress:
    step: str
    status: str
    """完了済み, 作業中, 未着手 or 対象外."""
    start: dt.date | None = None
    done: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Extension:
    """An approved 特定移行支援システム: a later deadline, with its reason (1-4)."""

    reason: int
    deadline: dt.date
    approved: dt.date | None = None


@dataclass(frozen=True, slots=True)
class OperationPlan:
    operation: str
    product: str = ""
    vendor: str = ""
    planned_go_live: dt.date | None = None
    actual_go_live: dt.date | None = None
    extension: Extension | None = None
    steps: tuple[StepProgress, ...] = ()
    """One entry per step of the plan's step list, in its order (unlisted steps are 未着手)."""
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Plan:
    start: dt.date
    steps: tuple[Step, ...]
    operations: dict[str, OperationPlan]
    sample: bool
    file: str

    def for_operation(self, code: str) -> OperationPlan | None:
        return self.operations.get(code)


def step_template() -> list[dict[str, Any]]:
    """The packaged step template (phases of the procedure manual; not the PMO tool's 40 steps)."""
    import yaml

    text = resources.files("gapcheck").joinpath("data", "steps-template.yaml").read_text("utf-8")
    steps: list[dict[str, Any]] = yaml.safe_load(text)
    return steps


def to_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
