"""What the loader would say of files before they are written: an importer never writes what validate would reject.

The project is loaded again with the new text in place of the files
(:func:`gapcheck.validation.project.load_project` with ``replacing``).  Every
error in a new file, and every error elsewhere that the new text causes (a
mapping naming an item the new list lacks, an item ID another inventory file
also uses), is returned.  An error in a new file is moved to the spreadsheet
cell its value came from when the importer says where that was, so that
people are sent to the cell they can fix, not to YAML they never saw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from gapcheck.core.config import Config
from gapcheck.core.errors import Problem
from gapcheck.core.messages import Msg
from gapcheck.core.model import Project
from gapcheck.core.paths import display_path

_LAST_STEP = re.compile(r"(\.[^.\[]+|\[[^\]]+\])\Z")


@dataclass(frozen=True)
class Cell:
    """Where a value of a new file came from: a cell of a workbook or CSV file."""

    file: str
    row: int
    column: int
    ref: str
    """``sheet!cell``."""


def new_errors(config: Config, baseline: Project, replacing: dict[Path, str],
               cells: dict[str, Cell] | None = None) -> list[Problem]:
    """The errors the project would have with ``replacing`` (path -> text) written, that ``baseline`` does not have.

    ``cells`` maps a JSON path of a new file (``$.operations.kaigo.items[3].name``)
    to the cell its value came from; a path not found there is looked up by
    its parents, and an error with no cell keeps its place in the new file and says so.
    """
    from gapcheck.validation.project import load_project

    checked = load_project(config, replacing=replacing)
    shown = {display_path(p) for p in replacing}
    before = {p for p in baseline.problems if p.severity == "error"}
    out = []
    for p in checked.problems:
        if p.severity != "error" or (p.file not in shown and p in before):
            continue
        out.append(_moved(p, cells or {}) if p.file in shown else p)
    return out


def _moved(problem: Problem, cells: dict[str, Cell]) -> Problem:
    path = problem.path
    while path:
        cell = cells.get(path)
        if cell is not None:
            return replace(problem, file=cell.file, line=cell.row, column=cell.column, path=cell.ref)
        shorter = _LAST_STEP.sub("", path)
        if shorter == path:
            break
        path = shorter
    return replace(problem, message=Msg("in-file-to-write", message=problem.message))
