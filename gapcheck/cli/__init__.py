"""The ``gapcheck`` command line: parse, call one library function, render, exit.

No loading or formatting logic lives here; every command calls one library
function and hands its result to a renderer.  Exit codes (README, "Exit
codes"): 0 success, 1 a state or policy named by the user was found, 2 usage
error, 3 invalid input, 70 internal error.  May import every room.
"""


from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gapcheck.cli.commands import app

__all__ = ["app", "main"]


def __getattr__(name: str) -> Any:
    """``gapcheck.cli.app`` as an attribute: the application with every command (imported only when asked)."""
    if name == "app":
        from gapcheck.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point.

    ``gapcheck --version`` and ``gapcheck --help`` answer without importing Typer or any command when they can
    (:mod:`gapcheck.cli.helpcache`); every other command line goes to the Typer application.  A command that
    ended normally (an exit code, no exception) leaves without the interpreter's teardown (:func:`exit_now`):
    freeing a full-scale project's objects one by one takes longer than many commands.
    """
    from gapcheck.cli import helpcache

    if helpcache.answer(sys.argv[1:]):
        exit_now(0)
        sys.exit(0)
    collect_seldom()
    from gapcheck.cli.commands import for_args

    try:
        for_args(sys.argv[1:])(prog_name="gapcheck")
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            exit_now(exc.code or 0)
        raise
    sys.exit(0)  # pragma: no cover - typer exits itself


COLLECT_EVERY = (50_000, 20, 10)
"""The cyclic garbage collector's thresholds in a command's process (Python's default: 700, 10, 10)."""


def collect_seldom() -> None:
    """Let the cyclic garbage collector run seldom in this process (a command, which ends soon after).

    A command holds one large, mostly acyclic graph of objects (a full-scale project: hundreds of thousands)
    from loading to the end, and every young-generation collection after the load walks what the load made:
    with the default thresholds an analysis after an edit spent 0.18-0.25 s (about a tenth of it) in 170
    collections, a cold one 0.28 s; with these 0.08 s and 0.15 s in two, the peak memory the same (measured at
    full scale).  Memory is still freed at once by reference counting; only cycles wait longer.  The console
    entry point alone sets this: a library user's process keeps its own settings.
    """
    import gc

    gc.set_threshold(*COLLECT_EVERY)


def exit_now(code: int) -> None:
    """``os._exit(code)`` once the output is flushed, if nothing is left to finish; else return (a normal exit follows).

    Left to finish means: another thread, a child process of :mod:`multiprocessing`, a finalizer that
    must run at exit (a temporary folder still to remove), or a profiler or coverage that saves its data
    at exit.  Files gapcheck writes are closed (and renamed
    into place) before the command returns; the standard streams are flushed here, and if that fails the
    normal exit reports it.
    """
    import os
    import threading
    import weakref

    if threading.active_count() > 1 or sys.gettrace() is not None or sys.getprofile() is not None \
            or "coverage" in sys.modules:  # a profiler or coverage writes its data at exit
        return
    mp = sys.modules.get("multiprocessing")
    if mp is not None and mp.active_children():
        return
    registry = getattr(weakref.finalize, "_registry", None)
    if registry is None or any(getattr(info, "atexit", True) for info in registry.values()):
        return
    logging = sys.modules.get("logging")
    try:
        if logging is not None:
            logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return
    os._exit(code)
