"""Writing reports: every chosen format rendered, then written into the output folder.

:func:`write_report` renders the formats of a finished
:class:`~gapcheck.readiness.bundle.Report` and writes them with
:func:`gapcheck.core.output.write_files`: each file atomically, and never
over a file gapcheck did not write.  :class:`Renderer` renders the Excel
workbook in a second process meanwhile.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
from gapcheck.render.formats import FILE_NAMES, ReportFormat, render

if TYPE_CHECKING:
    from gapcheck.core.config import Config
    from gapcheck.core.model import Project
    from gapcheck.readiness.assessment import SnapshotResult
    from gapcheck.readiness.bundle import Report

Progress = Callable[[int, int, str], None]



def write_report(report: Report, formats: Iterable[ReportFormat | str], folder: Path | str, force: bool = False,
                 progress: Progress | None = None, renderer: Renderer | None = None,
                 options: RenderOptions = DEFAULT_OPTIONS) -> dict[str, str]:
    """Render ``formats`` (all when empty) and write them into ``folder``; returns file name -> created/updated/unchanged.

    Every format is rendered before anything is written, so a failing
    renderer leaves the folder as it was.  ``progress(done, total, name)``
    is called as formats finish.  A :class:`Renderer` with two jobs renders
    the Excel workbook in a second process meanwhile; the files are the same.
    """
    chosen = list(dict.fromkeys(ReportFormat(f) for f in formats)) or list(ReportFormat)
    if renderer is None:
        with Renderer() as own:
            rendered = own.render_all(report, chosen, progress, options)
    else:
        rendered = renderer.render_all(report, chosen, progress, options)
    from gapcheck.core.output import write_files

    return write_files(folder, {FILE_NAMES[fmt]: data for fmt, data in rendered.items()}, force)


def snapshot_with_results(project: Project, config: Config, as_of: dt.date,
                          force: bool = False) -> tuple[SnapshotResult, dict[str, str]]:
    """``gapcheck snapshot``: the results file of ``as_of`` into the reports folder, then that day's history records.

    The results file is written first: if it cannot be (a file gapcheck did
    not write is in the way, :class:`~gapcheck.errors.OutputExists`),
    nothing is recorded either.  Returns what was recorded and the file's status.
    """
    from gapcheck.readiness.assessment import take_snapshot
    from gapcheck.readiness.bundle import build_report

    report = build_report(project, config, as_of)
    written = write_report(report, [ReportFormat.results], config.reports, force)
    return take_snapshot(project, config, as_of, report.readiness), written


class Renderer:
    """Renders report formats, optionally the Excel workbook in a second process.

    With ``jobs`` > 1 a worker process (a fresh interpreter: safe whatever
    threads this process runs) starts at once and imports the Excel renderer;
    creating the renderer *before* loading the project lets the two overlap.
    Use as a context manager; closing stops the worker.
    """

    PARALLEL = ReportFormat.xlsx
    """The format rendered aside: the slowest, about as long as the four others together."""

    def __init__(self, jobs: int = 1):
        self._pool: Any = None
        if jobs > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            self._pool.submit(_warm_up)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def render_all(self, report: Report, formats: list[ReportFormat],
                   progress: Progress | None = None, options: RenderOptions = DEFAULT_OPTIONS
                   ) -> dict[ReportFormat, str | bytes]:
        """Every format of ``formats`` rendered, in that order."""
        done: dict[ReportFormat, str | bytes] = {}

        def tick(name: str) -> None:
            if progress is not None:
                progress(len(done), len(formats), name)

        aside = self.PARALLEL if self._pool is not None and self.PARALLEL in formats and len(formats) > 1 else None
        future = self._pool.submit(render, report, aside, options) if aside is not None else None
        tick("")
        for fmt in formats:
            if fmt is not aside:
                done[fmt] = render(report, fmt, options)
                tick(FILE_NAMES[fmt])
        if future is not None:
            done[self.PARALLEL] = future.result()
            tick(FILE_NAMES[self.PARALLEL])
        return {fmt: done[fmt] for fmt in formats}


def _warm_up() -> None:
    """In the worker: import what the Excel renderer needs while the main process loads the project."""
    import_module("gapcheck.render.xlsx")


__all__ = ["FILE_NAMES", "Renderer", "ReportFormat", "render", "snapshot_with_results", "write_report"]
