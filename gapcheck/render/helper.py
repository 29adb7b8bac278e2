"""The helper: a second process that classifies a small edit's operations while this one loads them.

After one mapping is edited, ``gapcheck analyze --format json`` has two
chains of work that do not need each other until the end: loading the part
the edit touched (:func:`gapcheck.analysis.cache.check_project`: the parse
cache, the records, the checks; plain Python) and importing pandas, which
the classification and the other operations' kept rows need (0.5-0.9 s on
this project's machine, about as long as the load).  A process runs Python
one line at a time, so the helper imports pandas on the second core
meanwhile; once the part is loaded, it gets the changed operations' records
as plain lists (:class:`gapcheck.analysis.classify.Prepared`: pickling the
loaded records themselves took longer than loading them) and the other
operations' kept entries as they are stored, and answers with the rendered
text and the entries to keep.  This process never imports pandas.

The helper is a fresh interpreter started with :mod:`subprocess` (as the
report's worker is, :mod:`gapcheck.report.writer`): safe whatever threads
this process runs, and it never imports the caller's ``__main__``.  It
computes exactly what this process would (the same functions on the same
values); if it cannot start, fails, or any entry it needs is not usable,
:meth:`Helper.ask` answers None and the caller does the work itself.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gapcheck.analysis.pieces import Increment
    from gapcheck.render.base import RenderOptions
    from gapcheck.render.formats import AnalysisFormat


CODE = "from gapcheck.render.helper import serve; serve(); import os; os._exit(0)"
"""What the helper runs: once its answer is flushed it leaves without the interpreter's teardown (freeing pandas'
and the analysis's objects took 0.1-0.2 s, and this process waits for the helper to end)."""


@dataclass(frozen=True)
class Job:
    """The default analysis after a small edit, to finish and render in the helper."""

    increment: Increment
    fmt: AnalysisFormat
    options: RenderOptions
    kept_blocks: dict[str, bytes]
    """JSON only: the kept blocks of the operations whose rows did not change, as their entries store them."""
    block_keys: dict[str, str]
    """JSON only: every operation's key of its block (empty for the other formats)."""


@dataclass(frozen=True)
class Answer:
    text: str
    found: dict[str, int]
    """The count of each ``--fail-on`` state (:meth:`gapcheck.analysis.result.Analysis.found`)."""
    entries: dict[str, bytes]
    """New entries to keep (key -> payload as the cache stores it): the rows made and the blocks rendered."""


class Helper:
    """The helper process, started at once (so that it imports pandas while this process loads): ask it one
    :class:`Job`, or close it.  Either ends the process; so does this object's collection."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._end: Callable[[], Any] = lambda: None
        if not sys.executable:
            return
        root = str(Path(__file__).resolve().parents[2])  # the gapcheck being run, wherever it was imported from
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
        try:
            self._proc = subprocess.Popen([sys.executable, "-P", "-c", CODE], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                          stderr=subprocess.DEVNULL, env=env)
        except OSError:
            return
        end = weakref.finalize(self, _stop, self._proc)
        end.atexit = False  # a command leaving at once (gapcheck.cli.exit_now) ends the helper by closing its input
        self._end = end

    @property
    def running(self) -> bool:
        return self._proc is not None

    def ask(self, job: Job) -> Answer | None:
        """The helper's answer to ``job``, or None when it has none (the caller computes it then)."""
        proc, self._proc = self._proc, None
        if proc is None or proc.stdin is None or proc.stdout is None:
            return None
        try:
            try:
                proc.stdin.write(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
                proc.stdin.close()
                data = proc.stdout.read()
            finally:
                self._end()
            if proc.returncode != 0 or not data:
                return None
            kind, value = pickle.loads(data)  # noqa: S301 - our own child's answer, through its pipe
        except Exception:  # noqa: BLE001 - any failure: the caller computes the answer itself
            return None
        return value if kind == "ok" and isinstance(value, Answer) else None

    def close(self) -> None:
        self._proc = None
        self._end()


def _stop(proc: subprocess.Popen[bytes]) -> None:
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            try:
                pipe.close()
            except OSError:
                pass
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def serve(stdin: IO[bytes] | None = None, stdout: IO[bytes] | None = None) -> None:
    """The helper's process: imports what a job needs (pandas among it), reads one :class:`Job`, writes its
    ("ok", :class:`Answer`) or ("failed", why)."""
    import gc

    gc.set_threshold(50_000, 20, 10)  # as a command's process (gapcheck.cli.collect_seldom)
    for module in ("pandas", "gapcheck.analysis.classify", "gapcheck.analysis.pieces", "gapcheck.render.formats",
                   "gapcheck.render.jsonfmt"):
        import_module(module)
    source = stdin if stdin is not None else sys.stdin.buffer
    sink = stdout if stdout is not None else sys.stdout.buffer
    try:
        job = pickle.load(source)  # noqa: S301 - our parent's job, through our own pipe
    except EOFError:  # closed without a job
        return
    try:
        answer: tuple[str, Any] = ("ok", work(job))
    except Exception as exc:  # noqa: BLE001 - the parent computes it in its own process and reports it there
        answer = ("failed", f"{type(exc).__name__}: {exc}")
    sink.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sink.flush()


def work(job: Job) -> Answer:
    """What :func:`gapcheck.render.cached.analysis_output` computes for the default analysis in ``job.fmt``
    after a small edit, from the job's values alone."""
    from gapcheck.analysis.pieces import entry_payload, entry_value, finish
    from gapcheck.analysis.result import FAIL_ON_STATES
    from gapcheck.render.formats import ANALYSIS_RENDERERS

    result, entries = finish(job.increment)
    if job.block_keys:
        from gapcheck.render.jsonfmt import analysis_json_with

        text, made = analysis_json_with(result, {c: entry_value(b, str) for c, b in job.kept_blocks.items()})
        entries.update({job.block_keys[c]: entry_payload(t) for c, t in made.items()})
    else:
        text = str(ANALYSIS_RENDERERS[job.fmt].render(result, job.options))
    return Answer(text, result.found(FAIL_ON_STATES), entries)
