"""What every command shares: loading with a progress bar, printing problems, exiting."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

from gapcheck.cli.app import EXIT_INVALID, EXIT_LOCKED, EXIT_USAGE
from gapcheck.core.config import Config, load_config
from gapcheck.core.errors import (
    GapcheckError,
    InputChanged,
    InvalidInput,
    LockHeld,
    OutputError,
    OutputExists,
    Problem,
    UsageError,
)

if TYPE_CHECKING:
    from gapcheck.analysis.cache import Checked
    from gapcheck.core.messages import Lang

T = TypeVar("T")


def config_from(config: Path | None, specs: Path | None = None, current_system: Path | None = None,
                mappings: Path | None = None, **more: Path | None) -> Config:
    """The project configuration with command-line overrides applied."""
    return load_config(".", config).with_overrides(specs=specs, current_system=current_system, mappings=mappings, **more)


def load_checked(cfg: Config, operations: list[str] | None = None, whole: bool = False) -> Checked:
    """Check the project (its problems and results from the result cache when no input changed; else loaded
    with a progress bar on a terminal), and print its warnings (errors stay in the project).

    ``whole``: the command needs the whole project anyway (snapshot; readiness and a report of chosen
    operations), so no part of it is loaded first after a small edit.  With ``operations`` named (``-o``), errors in other operations'
    catalogue and mapping files do not stop the command: they are printed as warnings, with a line saying
    which operations are not analysed.
    """
    from dataclasses import replace

    from gapcheck.analysis.cache import check_project

    with progress_bar(say("cli-loading")) as progress:
        project = check_project(cfg, progress=progress, whole=whole)
    codes = [project.operation_code(o) or o for o in operations] if operations else None
    blocking, aside = project.blocking(codes)
    if blocking:  # the command will stop with every problem, warnings included: print each once, then
        return project
    warnings = [p for p in project.problems if p.severity == "warning"]
    print_problems(warnings + [replace(p, severity="warning") for p in aside])
    if aside and not blocking:
        names = {o.code: o.name for o in project.operations}
        for code in sorted({project.file_operations[p.file] for p in aside}):
            n = sum(project.file_operations[p.file] == code for p in aside)
            err("warning: " + say("cli-not-analysed", name=names.get(code, code), code=code, n=n))
    return project


def split_codes(values: list[str] | None) -> list[str] | None:
    """``-o kaigo -o juki,koseki`` -> ``["kaigo", "juki", "koseki"]`` (None when none given)."""
    if not values:
        return None
    return [c.strip() for v in values for c in v.split(",") if c.strip()]


def lang() -> Lang:
    """The language of this command's messages for people (``--lang`` / ``GAPCHECK_LANG``, default Japanese)."""
    from gapcheck.cli.app import SETTINGS

    return SETTINGS.lang


def say(key: str, /, **args: Any) -> str:
    """The catalogue message ``key`` in this command's language."""
    from gapcheck.core.messages import tr

    return tr(key, lang(), **args)


def file_status(what: str) -> str:
    """``created``/``updated``/``unchanged`` (an output file's fate) in this command's language."""
    from gapcheck.core.messages import CATALOGUE

    return say(f"cli-file-{what}") if f"cli-file-{what}" in CATALOGUE else what


def err(line: str) -> None:
    """One line on standard error (problems, notes): whatever a value or file name in it holds, one line.
    A :class:`~gapcheck.core.messages.Msg` is written in this command's language."""
    from gapcheck.core.escape import visible
    from gapcheck.core.messages import text

    sys.stderr.write(visible(text(line, lang())) + "\n")


_printed: set[Problem] = set()
"""The problems this command has printed: each once, even when warnings printed on loading come back inside
the :class:`InvalidInput` of a later step."""


def print_problems(problems: list[Problem] | tuple[Problem, ...]) -> None:
    for p in sorted(set(problems) - _printed, key=lambda p: (p.file, p.line, p.column, p.code, p.path, p.message, p.severity)):
        err(p.format(lang()))
        _printed.add(p)


def fail(code: int, message: str | None = None) -> NoReturn:
    """Exit with ``code`` after ``gapcheck: message`` (a :class:`~gapcheck.core.messages.Msg` in this command's language)."""
    if message:
        from gapcheck.core.messages import text

        err(f"gapcheck: {text(message, lang())}")
    raise typer.Exit(code)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int, str], None] | None]:
    """A rich progress bar on a terminal; nothing when stderr is a pipe or a file."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int, _name: str) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def run(debug: bool, body: Callable[[], T]) -> T:
    """Run a command body, turning gapcheck's errors into messages and exit codes."""
    _printed.clear()  # one command, one set (the tests run many in one process)
    try:
        result = body()
        sys.stdout.flush()  # a reader that stopped early (`| head`) is seen here, not in click's own handler
        return result
    except BrokenPipeError:  # the reader has all it wanted: end quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0) from None
    except typer.Exit:
        raise
    except InvalidInput as exc:
        print_problems(exc.problems)
        errors = sum(p.severity == "error" for p in exc.problems)
        fail(EXIT_INVALID, say("cli-errors-nothing-written", n=errors))
    except (LockHeld, InputChanged) as exc:
        fail(EXIT_LOCKED, exc.text(lang()))
    except (OutputExists, OutputError) as exc:
        fail(EXIT_USAGE, exc.text(lang()))
    except UsageError as exc:
        fail(EXIT_USAGE, exc.text(lang()))
    except GapcheckError as exc:
        if debug:
            traceback.print_exc()
        fail(EXIT_INVALID, exc.text(lang()))
    except OSError as exc:  # an output path that cannot be written, a folder that cannot be read
        if debug:
            traceback.print_exc()
        where = f"{exc.filename}: " if exc.filename is not None else ""
        fail(EXIT_USAGE, f"{where}{exc.strerror or exc}")
    except KeyboardInterrupt:
        fail(130, say("cli-interrupted"))
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if debug:
            raise
        fail(70, say("cli-internal-error", kind=type(exc).__name__, what=str(exc)))


def out(text: str) -> None:
    """Write a result to standard output as UTF-8 bytes (much faster than text I/O for large results)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # pragma: no cover - a text-only stream
        sys.stdout.write(text)
        return
    try:
        sys.stdout.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:  # a full disk under `gapcheck analyze > file`
        raise OutputError(say("cli-standard-output"), say("cli-cannot-write", why=str(exc.strerror or exc)), exc.errno) from None
