"""``gapcheck validate`` as a library call: check inputs, return a report."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gapcheck.core.config import Config
from gapcheck.core.errors import Problem
from gapcheck.core.messages import DEFAULT_LANG, Lang, Msg
from gapcheck.core.model import Project
from gapcheck.core.paths import display_path
from gapcheck.loading.discovery import Progress
from gapcheck.validation.project import load_project


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of checking a project's inputs (or some of its files)."""

    files: tuple[str, ...]
    """The files the report speaks for."""
    problems: tuple[Problem, ...]
    """Their problems, errors and warnings, in file/line order."""
    project: Project

    @property
    def valid(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    def to_dict(self, lang: Lang = DEFAULT_LANG) -> dict[str, Any]:
        """The report as JSON data; problem messages in ``lang``."""
        return {"valid": self.valid, "files": list(self.files), "errors": self.errors, "warnings": self.warnings,
                "problems": [p.to_dict(lang) for p in self.problems]}


def validate(config: Config, paths: Iterable[Path] = (), progress: Progress | None = None) -> ValidationReport:
    """Check every input of the project; with ``paths``, report only on those files (or folders).

    The whole project is still loaded, so that a named mapping is checked
    against the catalogues and inventory it refers to.
    """
    from gapcheck.loading.files import scan
    from gapcheck.loading.history import load_history

    paths = [Path(p) for p in paths]
    files = [p for p in paths if not p.is_dir()]
    scanned: list[Problem] = []
    for folder in (p for p in paths if p.is_dir()):
        found_here, probs = scan(folder, (".yaml", ".yml", ".jsonl"))
        files += found_here
        scanned += probs
    histories = [f for f in files if f.suffix.lower() == ".jsonl"]
    if not paths and os.path.lexists(config.history_path):
        histories.append(config.history_path)
    project = load_project(config, [f for f in files if f.suffix.lower() != ".jsonl"], progress)
    read = {display_path(f) for f in files}
    found = [p for p in project.problems if not (p.code == "file-ignored" and p.file in read)] + scanned
    for history in histories:
        found += load_history(history)[1] if os.path.lexists(history) else [
            Problem(display_path(history), 0, 0, "file-missing", "$", Msg("file-missing"), Msg("a-readable-file"),
                    Msg("found-nothing"))]
    problems = sorted(set(found), key=lambda p: (p.file, p.line, p.column, p.code, p.path, p.message, p.severity))
    if paths:
        named = read | {display_path(p) for p in paths if not p.is_dir()}
        problems = [p for p in problems if p.file in named | {p.file for p in scanned}]
        names = tuple(sorted(named))
    else:
        from gapcheck.loading.discovery import discover

        names = tuple(display_path(p) for p, _ in discover(config)) + tuple(display_path(h) for h in histories)
    return ValidationReport(names, tuple(problems), project)
