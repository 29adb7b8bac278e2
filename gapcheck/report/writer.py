"""Writing reports: every chosen format rendered, then written into the output folder as one set.

:func:`write_report` renders the formats of a finished
:class:`~gapcheck.readiness.bundle.Report` and writes them with
:func:`gapcheck.core.output.write_files`: the whole set or nothing, under
the folder's lock, and never over a file gapcheck did not write.
:class:`Renderer` renders the Excel workbook and the results file in a second process meanwhile:
a fresh interpreter started with :mod:`subprocess` that never imports the
caller's script (``multiprocessing``'s ``spawn`` would, and a library user's
script without ``if __name__ == "__main__"`` would run again in it).
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from importlib import import_module
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Self

from gapcheck.core.lock import DEFAULT_TIMEOUT
from gapcheck.core.output import as_bytes
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
from gapcheck.render.formats import FILE_NAMES, ReportFormat, render, render_sections

if TYPE_CHECKING:
    from gapcheck.core.config import Config
    from gapcheck.core.model import Project
    from gapcheck.readiness.assessment import SnapshotResult
    from gapcheck.readiness.bundle import Report

Progress = Callable[[int, int, str], None]


def write_report(report: Report, formats: Iterable[ReportFormat | str], folder: Path | str, force: bool = False,
                 progress: Progress | None = None, renderer: Renderer | None = None,
                 options: RenderOptions = DEFAULT_OPTIONS, lock_timeout: float = DEFAULT_TIMEOUT) -> dict[str, str]:
    """Render ``formats`` (all when empty) and write them into ``folder``; returns file name -> created/updated/unchanged.

    Every format is rendered before anything is written, so a failing
    renderer leaves the folder as it was; the files then replace the old
    ones as a set (:func:`gapcheck.core.output.write_files`), waiting up to
    ``lock_timeout`` seconds for another run writing the same folder.
    ``progress(done, total, name)`` is called as formats finish.  A
    :class:`Renderer` with two jobs renders the Excel workbook in a second
    process meanwhile; the files are the same.
    """
    chosen = list(dict.fromkeys(ReportFormat(f) for f in formats)) or list(ReportFormat)
    if renderer is None:
        with Renderer() as own:
            rendered = own.render_all(report, chosen, progress, options)
    else:
        rendered = renderer.render_all(report, chosen, progress, options)
    from gapcheck.core.output import write_files

    return write_files(folder, {FILE_NAMES[fmt]: data for fmt, data in rendered.items()}, force, lock_timeout)


def snapshot_with_results(project: Project, config: Config, as_of: dt.date, force: bool = False,
                          lock_timeout: float = DEFAULT_TIMEOUT) -> tuple[SnapshotResult, dict[str, str]]:
    """``gapcheck snapshot``: the results file of ``as_of`` into the reports folder, then that day's history records.

    The results file is written first: if it cannot be (a file gapcheck did
    not write is in the way, :class:`~gapcheck.errors.OutputExists`),
    nothing is recorded either.  Returns what was recorded and the file's status.
    """
    from gapcheck.readiness.assessment import take_snapshot
    from gapcheck.readiness.bundle import build_report

    report = build_report(project, config, as_of)
    written = write_report(report, [ReportFormat.results], config.reports, force, lock_timeout=lock_timeout)
    return take_snapshot(project, config, as_of, report.readiness, lock_timeout), written


class Renderer:
    """Renders report formats, optionally the Excel workbook and the results file in a second process.

    With ``jobs`` > 1 a worker process (a fresh interpreter running
    :func:`serve`, started with :mod:`subprocess`: safe whatever threads this
    process runs, and it never imports the caller's ``__main__``) starts at
    once and imports the Excel renderer; creating the renderer *before*
    building the report lets the two overlap.  If the worker fails for any
    reason those formats are rendered here instead: the files are the same.
    Use as a context manager; closing stops the worker.
    """

    PARALLEL = (ReportFormat.xlsx, ReportFormat.results)
    """The formats rendered aside: the workbook, the slowest, about as long as the others together; and the
    results file, which is quick but loads pyarrow's Parquet writer (about 20 MB) into the process that renders it."""

    def __init__(self, jobs: int = 1, formats: Iterable[ReportFormat] | None = None, charts: bool = False):
        """``formats``: those that will be asked for, when known (no worker is started if it would have nothing
        to do: :meth:`aside` of them is empty).  ``charts``: the worker will probably draw the page's charts
        (:meth:`mostly_kept`), so it prepares for them while it waits."""
        self._worker: subprocess.Popen[bytes] | None = None
        self.made: dict[ReportFormat, dict[str, Any]] = {}
        """The sections the last :meth:`render_all` made, for the formats it was given ``kept`` for."""
        useful = formats is None or bool(self.aside(list(formats)))
        if jobs > 1 and useful and sys.executable:
            root = str(Path(__file__).resolve().parents[2])  # the gapcheck being run, wherever it was imported from
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
            try:
                # once its answer is flushed it leaves without the interpreter's teardown (freeing pandas', the
                # workbook's and matplotlib's objects), which this process would wait for
                code = f"from gapcheck.report.writer import serve; serve(charts={bool(charts)}); import os; os._exit(0)"
                self._worker = subprocess.Popen([sys.executable, "-P", "-c", code],
                                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                                env=env)
            except OSError:
                self._worker = None

    @classmethod
    def aside(cls, formats: list[ReportFormat]) -> list[ReportFormat]:
        """The formats of ``formats`` the worker renders: those of :data:`PARALLEL`, unless nothing would be left
        for this process (then handing them over gains nothing)."""
        aside = [f for f in formats if f in cls.PARALLEL]
        return aside if len(aside) < len(formats) else []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            for pipe in (worker.stdin, worker.stdout):
                if pipe is not None:
                    try:
                        pipe.close()
                    except OSError:
                        pass
            worker.kill()
            worker.wait()

    def render_all(self, report: Report, formats: list[ReportFormat],
                   progress: Progress | None = None, options: RenderOptions = DEFAULT_OPTIONS,
                   kept: Mapping[ReportFormat, Mapping[str, Any]] | None = None) -> dict[ReportFormat, str | bytes]:
        """Every format of ``formats`` rendered, in that order.

        ``kept``: for the formats rendered in per-operation sections (the workbook), the sections an earlier
        run made from the same rows (code -> section), taken as they are; the sections made here for the
        other operations are then in :attr:`made` (format -> code -> section), for the caller to keep.
        """
        done: dict[ReportFormat, str | bytes] = {}
        sections = dict(kept or {})
        self.made = {}

        def tick(name: str) -> None:
            if progress is not None:
                progress(len(done), len(formats), name)

        def here(fmt: ReportFormat) -> str | bytes:
            out, made = render_sections(report, fmt, options, sections.get(fmt))
            if fmt in sections:
                self.made[fmt] = made
            return out

        aside = self.aside(formats) if self._worker is not None else []
        charts = bool(aside) and self._charts_aside(report, formats, aside, sections)
        sender = self._send(report, aside, options, {f: v for f, v in sections.items() if f in aside},
                            charts) if aside else None
        tick("")
        held: tuple[str, str] | None = None
        for fmt in formats:
            if fmt not in aside:
                # as bytes at once: the text of every format, and its bytes at writing, would be held together
                if fmt is ReportFormat.html and charts:
                    done[fmt], held = _html_held(report, options)
                else:
                    done[fmt] = as_bytes(here(fmt))
                tick(FILE_NAMES[fmt])
        if aside:
            received, made, drawn = self._receive(sender) or ({}, {}, None)
            for fmt in aside:
                if fmt in received:
                    done[fmt] = received[fmt]
                    if fmt in sections:
                        self.made[fmt] = made.get(fmt, {})
                else:
                    done[fmt] = here(fmt)
                tick(FILE_NAMES[fmt])
            if held is not None:
                if drawn is None:  # the worker failed: drawn here
                    drawn = import_module("gapcheck.render.html").chart_uris(report)
                page = as_bytes(done[ReportFormat.html])
                for token, uri in zip(held, drawn, strict=True):
                    page = page.replace(token.encode("ascii"), uri.encode("ascii"), 1)
                done[ReportFormat.html] = page
        return {fmt: done[fmt] for fmt in formats}

    @staticmethod
    def _charts_aside(report: Report, formats: list[ReportFormat], aside: list[ReportFormat],
                      kept: Mapping[ReportFormat, Mapping[str, Any]]) -> bool:
        """Whether the worker draws the HTML page's charts too: when most of the workbook is taken as it was
        (then the worker is done with it long before this process is done with the page; drawing them there on
        top of a whole workbook made the report slower)."""
        codes = [s.operation for s in report.analysis.summaries]
        return (ReportFormat.html in formats and ReportFormat.xlsx in aside
                and Renderer.mostly_kept(kept.get(ReportFormat.xlsx, {}), codes))

    @staticmethod
    def mostly_kept(taken: Iterable[str], codes: Iterable[str]) -> bool:
        """True when at least half of the operations ``codes`` have their workbook sections in ``taken``."""
        wanted = list(codes)
        return bool(wanted) and 2 * len(set(taken) & set(wanted)) >= len(wanted)

    def _send(self, report: Report, fmts: list[ReportFormat], options: RenderOptions,
              kept: dict[ReportFormat, Mapping[str, Any]], charts: bool) -> threading.Thread:
        """Hand the report to the worker from a thread, so that this process renders meanwhile.

        The report is pickled here, before this process renders anything: rendering fills caches inside the
        report's objects, and pickling them meanwhile from the thread raised "dictionary changed size during
        iteration" (the thread died, the worker waited for the rest of its input and this process for the
        worker: a hang).  Whatever fails, the worker's input is closed, so it answers or ends.
        """
        assert self._worker is not None and self._worker.stdin is not None
        stdin = self._worker.stdin
        try:
            payload = pickle.dumps((report, tuple(fmts), options, kept, charts), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - not picklable: the worker gets no job, this process renders it
            payload = b""

        def send() -> None:
            try:
                stdin.write(payload)
            except Exception:  # noqa: BLE001 - the worker is gone: _receive sees it
                pass
            finally:
                try:
                    stdin.close()
                except Exception:  # noqa: BLE001 - closing a broken pipe
                    pass

        thread = threading.Thread(target=send, name="gapcheck-xlsx-send", daemon=True)
        thread.start()
        return thread

    def _receive(self, sender: threading.Thread | None) -> tuple[
            dict[ReportFormat, str | bytes], dict[ReportFormat, dict[str, Any]], tuple[str, str] | None] | None:
        """The worker's renderings, the sections it made and the charts it drew (None unless asked for), or None
        when it failed (the caller renders them here)."""
        worker, self._worker = self._worker, None
        assert worker is not None and worker.stdout is not None
        try:
            data = worker.stdout.read()
            worker.stdout.close()
        except OSError:
            data = b""
        if sender is not None:
            sender.join()
        if worker.wait() != 0 or not data:
            return None
        kind, value = pickle.loads(data)
        return value if kind == "ok" else None


def _html_held(report: Report, options: RenderOptions) -> tuple[bytes, tuple[str, str]]:
    """The HTML page with a token in each chart's place (random: no text of the inputs can be one), and the
    tokens, for the charts the worker draws meanwhile (:meth:`Renderer.render_all`)."""
    import secrets

    from gapcheck.render.html import render_with_charts

    tokens = (f"data:image/svg+xml;base64,{secrets.token_hex(24)}", f"data:image/svg+xml;base64,{secrets.token_hex(24)}")
    return as_bytes(render_with_charts(report, tokens, options)), tokens


def serve(stdin: IO[bytes] | None = None, stdout: IO[bytes] | None = None, charts: bool = False) -> None:
    """The worker of :class:`Renderer`: imports the Excel renderer and what it needs, reads (report, formats,
    options, kept sections, whether to draw the HTML page's charts), writes the renderings, the sections made
    and the charts.  The imports (pandas among them, 0.4-0.5 s) happen while the parent is still analysing, so
    that the worker starts rendering as soon as the report arrives."""
    import_module("gapcheck.render.xlsx").prepare()
    if charts:
        import_module("gapcheck.render.charts").prepare()
    source = stdin if stdin is not None else sys.stdin.buffer
    sink = stdout if stdout is not None else sys.stdout.buffer
    try:
        report, fmts, options, kept, charts = pickle.load(source)
    except EOFError:  # closed without a job
        return
    try:
        outputs = {fmt: render_sections(report, fmt, options, kept.get(fmt)) for fmt in fmts}
        drawn = import_module("gapcheck.render.html").chart_uris(report) if charts else None
        answer: tuple[str, Any] = ("ok", ({f: out for f, (out, _) in outputs.items()},
                                          {f: made for f, (_, made) in outputs.items() if f in kept}, drawn))
    except Exception as exc:  # noqa: BLE001 - the parent renders again in its own process and reports it there
        answer = ("failed", f"{type(exc).__name__}: {exc}")
    sink.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sink.flush()


__all__ = ["FILE_NAMES", "Renderer", "ReportFormat", "render", "snapshot_with_results", "write_report"]
