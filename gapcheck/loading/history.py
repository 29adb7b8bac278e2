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
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gapcheck.core.errors import Problem
from gapcheck.core.messages import Msg
from gapcheck.core.paths import display_path
from gapcheck.loading import schema as schemas
from gapcheck.loading import yamlio
from gapcheck.loading.convert import MAX_DEPTH, MAX_DIGITS, json_path


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
    """The snapshots in ``path`` (none if it does not exist) and every problem in it.

    Each line is read as strictly as a YAML input: a repeated key, NaN or
    infinity, a number beyond any field and nesting deeper than
    :data:`~gapcheck.loading.convert.MAX_DEPTH` are problems of their line.
    """
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
        data, problem = parse_line(line, shown, n)
        if problem is not None:
            problems.append(problem)
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
                                    Msg("history-duplicate", operation=snap.operation, date=str(snap.date), line=seen[key]),
                                    Msg("one-record-per-day"), Msg("a-second-record")))
            continue
        seen[key] = n
        snaps.append(snap)
    return snaps, problems


class _LineProblem(Exception):
    """A value of a history line that no field allows (raised while the line is parsed); carries its problem's
    code, message, expected and found."""

    def __init__(self, code: str, message: str, expected: str, found: str, written: str):
        super().__init__(message)
        self.code, self.message, self.expected, self.found, self.written = code, message, expected, found, written


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    repeated = next((k for i, k in enumerate(keys) if k in keys[:i]), None)
    if repeated is not None:
        raise _LineProblem("duplicate-key", Msg("duplicate-key-record", key=repeated), Msg("each-key-once"),
                           Msg("key-again", key=repeated), json.dumps(repeated, ensure_ascii=False))
    return dict(pairs)


def _float(written: str) -> float:
    value = float(written)
    if not math.isfinite(value):
        raise _LineProblem("number-too-large", Msg("number-infinite-json"), Msg("a-finite-number"), written[:40], written)
    return value


def _int(written: str) -> int:
    if len(written.lstrip("-")) > MAX_DIGITS:
        raise _LineProblem("number-too-large", Msg("number-too-many-digits-json", digits=len(written.lstrip('-'))),
                           Msg("at-most-digits", digits=MAX_DIGITS), written[:20] + "...", written)
    return int(written)


def _constant(written: str) -> Any:
    raise _LineProblem("number-not-finite", Msg("number-not-finite", written=written), Msg("a-finite-number"),
                       written, written)


def parse_line(line: str, shown: str, n: int) -> tuple[Any, Problem | None]:
    """One line of the history as data, or the problem that keeps it from being one."""
    try:
        data = json.loads(line, object_pairs_hook=_pairs, parse_float=_float, parse_int=_int, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        return None, Problem(shown, n, exc.colno, "history-syntax", "$", Msg("history-syntax", why=exc.msg),
                             Msg("one-json-object-per-line"), repr(line[:40]))
    except _LineProblem as exc:
        if exc.code == "duplicate-key":
            col, where = line.rfind(exc.written) + 1, json_path((json.loads(exc.written),))
        else:
            col, where = line.find(exc.written) + 1, "$"
        return None, Problem(shown, n, max(col, 1), exc.code, where, exc.message, exc.expected, exc.found)
    except RecursionError:  # json's C reader counts its depth: far past MAX_DEPTH
        return None, _too_deep(shown, n)
    if _depth(data) > MAX_DEPTH:
        return None, _too_deep(shown, n)
    return data, None


def _too_deep(shown: str, n: int) -> Problem:
    return Problem(shown, n, 1, "too-deep", "$", Msg("too-deep-json", depth=MAX_DEPTH), Msg("at-most-levels", depth=MAX_DEPTH),
                   Msg("more-than-levels", depth=MAX_DEPTH))


def _depth(value: Any) -> int:
    """How deep lists and objects nest in ``value`` (without recursion)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if level <= MAX_DEPTH:
            todo.extend((c, level + 1) for c in children)
    return deepest
