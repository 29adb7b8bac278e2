"""Checking each results file from its footer, and choosing one per 団体.

:func:`read_header` reads a file's Parquet footer only (its key-value
metadata and schema, not its rows) and says what is wrong with it: not
readable, not a gapcheck results file, a newer schema, columns that are not
the schema's, a gapcheck version that is none, a 団体コード missing or wrong.
A file with an error is left out of the roll-up; its problem says why.

:func:`choose` keeps, per 団体, the newest results on or before the as-of
date (all dates when none is given), and says which others it left out and
why; results of different as-of dates are kept, each date said.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gapcheck.core.errors import Problem
from gapcheck.core.messages import Msg
from gapcheck.core.municipality import code_issue
from gapcheck.core.version import __version__
from gapcheck.render.results import METADATA_KEY, SCHEMA_VERSION, arrow_schema
from gapcheck.rollup.sources import Candidate

_VERSION = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?(?:(?:a|b|rc|\.dev|\.post)\d*)?(?:\+[\w.]+)?$")


@dataclass(frozen=True)
class ResultsFile:
    """One readable results file, from its footer."""

    path: Path
    shown: str
    code: str
    """The 団体コード (6 digits, check digit right)."""
    name: str
    as_of: dt.date
    gapcheck_version: str
    sample: bool
    operations: int
    requirements: int


def _problem(c: Candidate, code: str, message: str, expected: str | None = None, found: str | None = None,
             severity: str = "error", path: str = "$") -> Problem:
    return Problem(c.shown, 0, 0, code, path, message, expected, found, severity)  # type: ignore[arg-type]


def version_tuple(text: str) -> tuple[int, int, int] | None:
    """``0.1.0`` -> (0, 1, 0); None for text that is not a version."""
    m = _VERSION.match(text)
    return (int(m[1]), int(m[2]), int(m[3] or 0)) if m else None


MAGIC = b"PAR1"
"""Every Parquet file starts and ends with these four bytes."""


def _is_parquet(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(4)
        if fh.seek(0, 2) < 12:
            return False
        fh.seek(-4, 2)
        return head == MAGIC and fh.read(4) == MAGIC


def _footer(c: Candidate) -> tuple[Any, Any] | Problem:
    """(key-value metadata, Arrow schema) of the file, or the problem reading it."""
    import pyarrow.parquet as pq

    expected = Msg("a-results-file")
    try:
        if not _is_parquet(c.path):
            return _problem(c, "results-unreadable", Msg("not-parquet"), expected)
        meta = pq.read_metadata(c.path)
        return meta.metadata or {}, meta.schema.to_arrow_schema()
    except (OSError, ValueError) as exc:
        if isinstance(exc, OSError) and exc.errno is not None:  # the system's: permission, a folder, a vanished file
            return _problem(c, "results-unreadable", Msg("cannot-read-it", why=exc.strerror), expected)
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__  # pyarrow's: a damaged footer
        return _problem(c, "results-unreadable", Msg("not-readable-parquet", why=reason), expected)


def _head(c: Candidate, kv: dict[bytes, bytes]) -> dict[str, Any] | Problem:
    raw = kv.get(METADATA_KEY)
    if raw is None:
        return _problem(c, "results-not-gapcheck", Msg("results-not-gapcheck"), Msg("a-results-file-written-by"))
    try:
        head = json.loads(raw)
    except ValueError as exc:
        return _problem(c, "results-unreadable", Msg("metadata-not-json", why=str(exc)))
    if not isinstance(head, dict):
        return _problem(c, "results-unreadable", Msg("metadata-not-object"),
                        found=type(head).__name__)
    return head


def _schema_problems(c: Candidate, head: dict[str, Any], schema: Any) -> list[Problem]:
    version = head.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        return [_problem(c, "results-schema-mismatch", Msg("no-schema-version"), f"schema_version {SCHEMA_VERSION}",
                         repr(version), path="$.schema_version")]
    if version > SCHEMA_VERSION:
        return [_problem(c, "results-schema-newer", Msg("results-schema-newer", version=version),
                         Msg("schema-or-older", schema=SCHEMA_VERSION, mine=__version__), str(version),
                         path="$.schema_version")]
    want = {f.name: str(f.type) for f in arrow_schema()}
    have = {f.name: str(f.type) for f in schema}
    missing = [n for n in want if n not in have]
    wrong = [f"{n} ({have[n]}, not {want[n]})" for n in want if n in have and have[n] != want[n]]
    if version < 1 or missing or wrong:
        parts = ([Msg("columns-missing", names=", ".join(missing))] if missing else []) + \
            ([Msg("columns-wrong-type", names=", ".join(wrong))] if wrong else [])
        detail = Msg("two-parts", first=parts[0], second=parts[1]) if len(parts) == 2 else parts[0] if parts \
            else f"schema {version}"
        return [_problem(c, "results-schema-mismatch", Msg("columns-not-schema", schema=SCHEMA_VERSION, detail=detail),
                         Msg("columns-of-schema", schema=SCHEMA_VERSION))]
    return []


def _identity_problems(c: Candidate, head: dict[str, Any]) -> list[Problem]:
    problems = []
    version = head.get("gapcheck_version")
    mine = version_tuple(__version__)
    theirs = version_tuple(version) if isinstance(version, str) else None
    if theirs is None:
        problems.append(_problem(c, "results-version-unknown", Msg("unknown-writer-version"),
                                 Msg("a-gapcheck-version"), repr(version), path="$.gapcheck_version"))
    elif mine is not None and theirs > mine:
        problems.append(_problem(c, "results-version-newer",
                                 Msg("results-version-newer", version=version, mine=__version__, schema=head.get('schema_version')),
                                 severity="warning",
                                 path="$.gapcheck_version"))
    code = head.get("municipality_code")
    if not isinstance(code, str) or not code:
        problems.append(_problem(c, "municipality-code-missing",
                                 Msg("no-municipality-code", name=head.get('municipality') or Msg("the-municipality")),
                                 Msg("municipality-code-then-report"),
                                 path="$.municipality_code"))
    elif (issue := code_issue(code)) is not None:
        problems.append(_problem(c, issue[0], issue[1], issue[2], repr(code), path="$.municipality_code"))
    as_of = head.get("as_of")
    try:
        dt.date.fromisoformat(as_of)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        problems.append(_problem(c, "results-schema-mismatch", Msg("no-valid-as-of"), "YYYY-MM-DD", repr(as_of),
                                 path="$.as_of"))
    return problems


def read_header(c: Candidate) -> tuple[ResultsFile | None, list[Problem]]:
    """The file's identity from its footer, or None with the problems that leave it out."""
    footer = _footer(c)
    if isinstance(footer, Problem):
        return None, [footer]
    kv, schema = footer
    head = _head(c, kv)
    if isinstance(head, Problem):
        return None, [head]
    problems = _schema_problems(c, head, schema)
    if problems:
        return None, problems
    problems = _identity_problems(c, head)
    if any(p.severity == "error" for p in problems):
        return None, problems
    return ResultsFile(c.path, c.shown, head["municipality_code"], str(head.get("municipality") or ""),
                       dt.date.fromisoformat(head["as_of"]), head["gapcheck_version"], bool(head.get("sample")),
                       int(head.get("operations") or 0), int(head.get("requirements") or 0)), problems


def choose(files: list[ResultsFile], as_of: dt.date | None) -> tuple[list[ResultsFile], list[Problem]]:
    """One results file per 団体 (the newest on or before ``as_of``), in code order; and what was left out."""
    problems: list[Problem] = []
    by_code: dict[str, list[ResultsFile]] = {}
    for f in files:
        by_code.setdefault(f.code, []).append(f)
    chosen = []
    for code in sorted(by_code):
        group = by_code[code]
        usable = [f for f in group if as_of is None or f.as_of <= as_of]
        for f in group:
            if as_of is not None and f.as_of > as_of:
                problems.append(Problem(f.shown, 0, 0, "results-after-as-of", "$.as_of",
                                        Msg("results-after-as-of", name=f.name, code=code, date=f.as_of.isoformat(), as_of=as_of),
                                        severity="warning"))
        if not usable:
            continue
        keep = max(usable, key=lambda f: f.as_of)  # the first named wins a tie
        for f in usable:
            if f is not keep:
                same = Msg("same-date-first-kept") if f.as_of == keep.as_of else ""
                problems.append(Problem(f.shown, 0, 0, "results-duplicate", "$.municipality_code",
                                        Msg("results-duplicate", code=code, name=keep.name, kept=keep.shown,
                                            kept_date=keep.as_of.isoformat(), date=f.as_of.isoformat(), same=same),
                                        severity="warning"))
        chosen.append(keep)
    return chosen, problems + mixed_dates(chosen)


def mixed_dates(chosen: list[ResultsFile]) -> list[Problem]:
    """A warning for each file whose as-of date is not the most common one (the roll-up then mixes dates)."""
    counts = Counter(f.as_of for f in chosen)
    if len(counts) < 2:
        return []
    main, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    dates = ", ".join(f"{d.isoformat()} ({k})" for d, k in sorted(counts.items()))
    return [Problem(f.shown, 0, 0, "results-mixed-as-of", "$.as_of",
                    Msg("results-mixed-as-of", name=f.name, code=f.code, date=f.as_of.isoformat(), main=main.isoformat(), n=n,
                        dates=dates), severity="warning")
            for f in chosen if f.as_of != main]
