"""Readiness history: one JSON line per operation per snapshot date, and the forecast from it.

The file (default ``reports/history.jsonl``) is plain text, sorted by date
then operation, one record per line with sorted keys, so that it diffs well
and CI can commit it.  A second snapshot on the same date replaces that
date's records.  A file edited by hand into an invalid state is reported
(same problem format as every input) and never silently rewritten.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from gapcheck.core.errors import Problem
from gapcheck.core.paths import display_path
from gapcheck.loading import schema as schemas
from gapcheck.loading import yamlio


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One operation's measures on one date."""

    date: dt.date
    operation: str
    status: str
    open_gaps: int
    """Mandatory requirements not yet fit: gap, partial and stale (経過措置 deferrals excluded)."""
    mandatory_fit_rate: float | None
    completion_rate: float | None
    """完了率 of the migration steps."""
    violations: int
    undecided: int
    deferred: int = 0
    in_progress_rate: float | None = None

    def to_json(self) -> str:
        data = {name: getattr(self, name) for name in self.__slots__}  # asdict() deep-copies: 8x slower on 20,000 lines
        data["date"] = self.date.isoformat()
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


def load_history(path: Path) -> tuple[list[Snapshot], list[Problem]]:
    """The snapshots in ``path`` (none if it does not exist) and every problem in it."""
    shown = display_path(path)
    if not os.path.lexists(path):  # a dangling link is reported by the reader, not taken for "no history yet"
        return [], []
    text, problems = yamlio.read_text(path, shown)
    if text is None:
        return [], [p for p in problems if p.code != "file-empty"]
    snaps: list[Snapshot] = []
    seen: dict[tuple[dt.date, str], int] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(shown, n, exc.colno, "history-syntax", "$", f"not a JSON object: {exc.msg}",
                                    "one JSON object per line", repr(line[:40])))
            continue
        doc = yamlio.YamlDocument(shown, data, None)
        line_problems = [Problem(p.file, n, 1, p.code, p.path, p.message, p.expected, p.found, p.severity)
                         for p in schemas.validate(doc, "history")]
        if line_problems:
            problems.extend(line_problems)
            continue
        snap = Snapshot(dt.date.fromisoformat(data["date"]), data["operation"], data["status"], data["open_gaps"],
                        data["mandatory_fit_rate"], data["completion_rate"], data["violations"], data["undecided"],
                        data.get("deferred", 0), data.get("in_progress_rate"))
        key = (snap.date, snap.operation)
        if key in seen:
            problems.append(Problem(shown, n, 1, "history-duplicate", "$",
                                    f"{snap.operation} on {snap.date} is already recorded on line {seen[key]}",
                                    "one record per operation and date", "a second record"))
            continue
        seen[key] = n
        snaps.append(snap)
    return snaps, problems


