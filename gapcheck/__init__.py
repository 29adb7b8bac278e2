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

Attributes are imported lazily, so ``import gapcheck`` stays cheap (pandas is
loaded only when an analysis runs).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Config": "config", "load_config": "config",
    "Problem": "errors", "GapcheckError": "errors", "InvalidInput": "errors", "UsageError": "errors",
    "OutputExists": "errors",
    "Project": "model", "Operation": "model", "Requirement": "model", "Catalogue": "model",
    "InventoryItem": "model", "Inventory": "model", "Mapping": "model", "Link": "model",
    "load_project": "loader", "validate": "validation",
    "Analysis": "analysis", "Summary": "analysis", "analyze": "analysis",
    "Readiness": "readiness", "assess": "readiness",
    "Snapshot": "history", "load_history": "history", "record": "history", "forecast": "history",
    "Report": "report", "build_report": "report", "write_report": "report",
    "load_policy": "policy", "evaluate": "policy",
    "spec_diff": "specdiff", "import_spec": "specimport",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gapcheck' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
