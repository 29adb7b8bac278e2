"""gapcheck: Fit & Gap and migration readiness against the national standard specifications.

Everything the command line does is available here, without printing::

    import gapcheck

    project = gapcheck.load_project(gapcheck.load_config("."))
    for problem in project.problems:
        print(problem.format())
    result = gapcheck.analyze(project)
    result.summaries          # per operation counts and fit rates
    result.requirements       # pandas DataFrame, one row per requirement
    result.to_dict()          # what `gapcheck analyze --format json` prints
    gapcheck.assess(project, result, datetime.date.today(), history)   # readiness
    gapcheck.build_report(project, config, as_of)                       # what `gapcheck report` renders
    gapcheck.rollup(["results/"], by="prefecture")                      # many 団体's results.parquet side by side
    gapcheck.suggest(project, "kaigo", top=5).to_dict()                  # suggested links (never judgements)

Attributes are imported lazily, so ``import gapcheck`` stays cheap (pandas is
loaded only when an analysis runs).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from gapcheck.core.version import __version__

_EXPORTS = {
    "Config": "core.config", "load_config": "core.config",
    "Problem": "core.errors", "GapcheckError": "core.errors", "InvalidInput": "core.errors",
    "UsageError": "core.errors", "OutputExists": "core.errors", "OutputError": "core.errors", "LockHeld": "core.errors",
    "Project": "core.model", "Operation": "core.model", "Requirement": "core.model", "Catalogue": "core.model",
    "InventoryItem": "core.model", "Inventory": "core.model", "Mapping": "core.model", "Link": "core.model",
    "load_project": "validation.project", "validate": "validation.report",
    "Analysis": "analysis.result", "Summary": "analysis.result", "analyze": "analysis.classify",
    "Readiness": "readiness.status", "assess": "readiness.status",
    "assess_project": "readiness.assessment", "take_snapshot": "readiness.assessment",
    "mapping_template": "vendor.prefill",
    "Snapshot": "loading.history", "load_history": "loading.history",
    "record": "readiness.history", "forecast": "readiness.history",
    "Report": "readiness.bundle", "build_report": "readiness.bundle", "write_report": "report.writer",
    "load_policy": "readiness.policy", "evaluate": "readiness.policy",
    "spec_diff": "analysis.specdiff", "suggest": "analysis.suggest", "Suggestions": "analysis.suggest", "import_spec": "vendor.specimport",
    "init_project": "vendor.project_init", "import_inventory": "vendor.inventory_import",
    "inventory_workbook": "vendor.inventory_template", "plan_workbook": "vendor.plan_template", "import_plan": "vendor.plan_import",
    "rollup": "rollup.api", "Rollup": "rollup.result",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gapcheck' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
