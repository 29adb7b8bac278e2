"""Readiness and the report bundle through the result cache (:mod:`gapcheck.analysis.cache`).

The same results as :func:`gapcheck.readiness.assessment.assess_project` and
:func:`gapcheck.readiness.bundle.build_report`, keyed by the project's
inputs, the operations, the date actually used and the readiness history's
content: a run on unchanged inputs reads them back instead of computing them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gapcheck.analysis.cache import Checked
    from gapcheck.core.config import Config
    from gapcheck.readiness.bundle import Report
    from gapcheck.readiness.status import Readiness


def readiness(checked: Checked, config: Config, as_of: dt.date, operations: Iterable[str] | None = None) -> Readiness:
    """:func:`~gapcheck.readiness.assessment.assess_project` of the checked project, cached."""
    from gapcheck.readiness.assessment import assess_project

    chosen = list(operations or [])

    def compute() -> Readiness:
        analysis = checked.analyze(chosen or None, as_of=as_of, uncatalogued="skip")  # as assess_project does
        return assess_project(checked.readiness_project(), config, as_of, chosen or None, analysis)

    return checked.memo("readiness", {"operations": chosen, "as_of": as_of.isoformat()}, compute,
                        files=(config.history_path,))


def report(checked: Checked, config: Config, as_of: dt.date | None = None,
           operations: Iterable[str] | None = None, today: dt.date | None = None) -> Report:
    """:func:`~gapcheck.readiness.bundle.build_report` of the checked project, cached (``as_of`` None: ``today``, or
    the day it is when None, undated).  A caller that keys other things by the same day passes it as ``today``,
    so that a run crossing midnight cannot mix two days."""
    from gapcheck.readiness.bundle import build_report

    chosen = list(operations or [])
    day = as_of or today or dt.date.today()

    def compute() -> Report:
        analysis = checked.analyze(chosen or None, as_of=day)
        return build_report(checked.readiness_project(), config, as_of, chosen or None, analysis, today=day)

    return checked.memo("report", report_options(chosen, as_of, day), compute, files=(config.history_path,))


def report_options(operations: list[str], as_of: dt.date | None, today: dt.date | None = None) -> dict[str, object]:
    """What a report bundle depends on besides the inputs: the operations, the date used and whether it was given."""
    day = as_of or today or dt.date.today()
    return {"operations": operations, "as_of": day.isoformat(), "dated": as_of is not None}
