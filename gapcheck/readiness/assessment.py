"""Readiness of a loaded project, and the day's snapshot: what ``gapcheck readiness`` and ``gapcheck snapshot`` do.

:func:`assess_project` analyses a checked project, reads its history and
judges readiness on a date; :func:`take_snapshot` records that day's measures
in the history file.  Both raise :class:`~gapcheck.core.errors.InvalidInput`
for an invalid project or history, and never print.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gapcheck.core.errors import InvalidInput
from gapcheck.core.lock import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from gapcheck.analysis.result import Analysis
    from gapcheck.core.config import Config
    from gapcheck.core.model import Project
    from gapcheck.loading.history import Snapshot
    from gapcheck.readiness.status import Readiness


def assess_project(project: Project, config: Config, as_of: dt.date,
                   operations: Iterable[str] | None = None, analysis: Analysis | None = None) -> Readiness:
    """Analyse ``project`` (unless its ``analysis`` of ``operations`` on ``as_of`` is given) and judge its
    readiness on ``as_of`` against the history of ``config``."""
    from gapcheck.analysis.classify import analyze
    from gapcheck.loading.history import load_history
    from gapcheck.readiness.status import assess

    chosen = list(operations or [])
    if analysis is None:
        analysis = analyze(project, chosen or None, as_of=as_of, uncatalogued="skip")  # assess shows those as 準備中
    snaps, problems = load_history(config.history_path)
    if any(p.severity == "error" for p in problems):
        raise InvalidInput(problems)
    return assess(project, analysis, as_of, snaps, chosen or None)


@dataclass(frozen=True)
class SnapshotResult:
    """What :func:`take_snapshot` recorded."""

    recorded: tuple[Snapshot, ...]
    """The new records, one per operation in scope that has measures (not the 準備中 ones)."""
    history: tuple[Snapshot, ...]
    """The whole history after recording."""

    @property
    def dates(self) -> int:
        """How many snapshot dates the history holds."""
        return len({s.date for s in self.history})


def take_snapshot(project: Project, config: Config, as_of: dt.date, readiness: Readiness | None = None,
                  lock_timeout: float = DEFAULT_TIMEOUT) -> SnapshotResult:
    """Record the readiness measures of ``as_of`` in the history file (records of that date are replaced).

    ``readiness``, when given, is that of ``project`` on ``as_of`` already judged (by a report bundle).
    The history is read, merged and written under its lock, waiting up to
    ``lock_timeout`` seconds for another run (:class:`~gapcheck.core.errors.LockHeld`).
    """
    from gapcheck.readiness.history import record

    readiness = readiness or assess_project(project, config, as_of)
    snaps = readiness.snapshots()
    merged = record(config.history_path, snaps, lock_timeout)
    return SnapshotResult(tuple(snaps), tuple(merged))
