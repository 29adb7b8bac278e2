"""What ``gapcheck rollup SOURCE...`` reads: each SOURCE turned into results files, or a problem.

A SOURCE is one of:

- a results file (``*.parquet``);
- a folder of results files (every ``*.parquet`` directly in it, in name order);
- a municipality folder: one with a ``gapcheck.toml`` or a ``current_system/``
  folder; its reports folder (``[paths] reports``, default ``reports/``) must
  hold ``results.parquet``;
- a list file (any other file): one SOURCE per line, relative to the list
  file's folder; blank lines and lines starting with ``#`` are ignored; a list
  does not name other lists.

Nothing named is skipped silently: a path that does not exist, a folder with
no results, a municipality folder that has none yet, each is a problem naming
where it was given.  A file named twice (through two sources) is read once,
with a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gapcheck.core.config import CONFIG_NAME, load_config
from gapcheck.core.errors import GapcheckError, Problem
from gapcheck.core.messages import Msg
from gapcheck.core.paths import display_path
from gapcheck.render.results import FILE_NAME

RESULTS_SUFFIX = ".parquet"


@dataclass(frozen=True)
class Candidate:
    """A results file to read, and where it was named."""

    path: Path
    shown: str
    """The path as shown in problems (relative to the working directory where possible)."""


def _missing(file: str, message: str, line: int = 0, column: int = 0, expected: str | None = None) -> Problem:
    return Problem(file, line, column, "results-missing", "$", message, expected)


def is_municipality_folder(folder: Path) -> bool:
    """A gapcheck project: a ``gapcheck.toml`` or a ``current_system/`` folder in it."""
    return (folder / CONFIG_NAME).is_file() or (folder / "current_system").is_dir()


def _municipality(folder: Path, where: tuple[str, int]) -> tuple[list[Candidate], list[Problem]]:
    try:
        cfg = load_config(folder)
    except GapcheckError as exc:
        return [], [Problem(where[0], where[1], 1 if where[1] else 0, "source-unreadable", "$",
                            Msg("cannot-read-folder-config", config=CONFIG_NAME, why=str(exc)))]
    path = cfg.reports / FILE_NAME
    if not path.is_file():
        return [], [_missing(where[0], Msg("folder-no-results", folder=display_path(folder)),
                             where[1], 1 if where[1] else 0, Msg("run-report-there", path=display_path(path)))]
    return [Candidate(path, display_path(path))], []


def _folder(folder: Path) -> tuple[list[Candidate], list[Problem]]:
    files = sorted(p for p in folder.iterdir() if p.suffix == RESULTS_SUFFIX and p.is_file())
    if not files:
        return [], [_missing(display_path(folder), Msg("folder-holds-no-results"),
                             expected=Msg("results-files-or-folder", suffix=RESULTS_SUFFIX, config=CONFIG_NAME))]
    return [Candidate(p, display_path(p)) for p in files], []


def _one(path: Path, where: tuple[str, int], in_list: bool) -> tuple[list[Candidate], list[Problem]]:
    """One SOURCE; ``where`` is (file, line) of where it was named (a list file's line, or the command line)."""
    file, line = where
    col = 1 if line else 0
    if not path.exists():
        return [], [_missing(file, Msg("path-does-not-exist", path=display_path(path)) if line else Msg("no-such-file-or-folder"),
                             line, col, Msg("a-rollup-source"))]
    if path.is_dir():
        return _municipality(path, where) if is_municipality_folder(path) else _folder(path)
    if path.suffix == RESULTS_SUFFIX:
        return [Candidate(path, display_path(path))], []
    if in_list:
        return [], [Problem(file, line, col, "source-unreadable", "$",
                            Msg("list-names-list", path=display_path(path)), Msg("a-results-file-or-folder", suffix=RESULTS_SUFFIX))]
    return _list(path)


def _list(path: Path) -> tuple[list[Candidate], list[Problem]]:
    shown = display_path(path)
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(shown, 0, 0, "source-unreadable", "$",
                            Msg("cannot-read-list", why=str(exc)), Msg("a-utf8-list"))]
    found: list[Candidate] = []
    problems: list[Problem] = []
    entries = 0
    for n, raw in enumerate(text.splitlines(), start=1):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        entries += 1
        got, bad = _one(path.parent / entry, (shown, n), in_list=True)
        found += got
        problems += bad
    if not entries:
        problems.append(_missing(shown, Msg("list-names-no-results"), expected=Msg("one-per-line")))
    return found, problems


def expand(sources: Iterable[Path | str]) -> tuple[list[Candidate], list[Problem]]:
    """Every results file the sources name, in the order named, each once; and the problems found."""
    found: list[Candidate] = []
    problems: list[Problem] = []
    seen: dict[Path, Candidate] = {}
    for source in sources:
        path = Path(source)
        got, bad = _one(path, (display_path(path), 0), in_list=False)
        problems += bad
        for c in got:
            key = c.path.resolve()
            if key in seen:
                problems.append(Problem(c.shown, 0, 0, "source-duplicate", "$",
                                        Msg("named-twice", other=seen[key].shown), severity="warning"))
                continue
            seen[key] = c
            found.append(c)
    return found, problems
