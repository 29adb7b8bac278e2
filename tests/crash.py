"""Kill a real Python process at its k-th file-system step, or fill its disk: the harness of the reliability tests.

    python tests/crash.py kill K -m gapcheck report --output out
    python tests/crash.py kill "replace .report.#2" -m gapcheck report --output out
    python tests/crash.py kill K -c "from gapcheck.core.output import write_files; ..."
    python tests/crash.py trace 0 -m gapcheck report --output out
    python tests/crash.py enospc BYTES:DIR -m gapcheck report ...

``kill K`` wraps ``os.write``, ``os.fsync``, ``os.replace``, ``os.rename``
and ``os.unlink`` so that the process sends itself SIGKILL just before the
K-th such call: no clean-up, no ``finally``, exactly what ``kill -9`` or a
power cut does at that point (the write before it may not even be on disk).
Before dying it prints ``crash: killed before call K: <call> <file>`` on
standard error.  A run with fewer calls than K ends normally.  ``TEXT#N``
instead of K kills before the N-th call whose ``<call> <file>`` contains
TEXT.

``trace 0`` only prints every such call (``crash: call N: <call> <file>``),
to find the K of a given step.

``enospc BYTES:DIR`` lets ``os.write`` write BYTES bytes in all to files
under DIR, then fails it with ENOSPC, as a full disk holding DIR does
(other files, and standard error, still work).

The wrapped calls are the ones gapcheck's writer makes; nothing in gapcheck
knows about this harness.
"""

from __future__ import annotations

import errno
import os
import runpy
import signal
import sys
from collections.abc import Callable
from typing import Any

CALLS = ("write", "fsync", "replace", "rename", "unlink")


def _name(arg: Any) -> str:
    if isinstance(arg, int):
        try:
            return os.path.basename(os.readlink(f"/proc/self/fd/{arg}"))
        except OSError:
            return f"fd {arg}"
    return os.path.basename(os.fsdecode(arg))


def install_kill(when: str) -> None:
    """SIGKILL before the K-th call, or the N-th call matching TEXT (``TEXT#N``); ``0``: never, but trace every call."""
    text, _, nth = when.rpartition("#") if "#" in when else ("", "", when)
    k = int(nth)
    count, matched = [0], [0]

    def wrap(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if name == "write" and args and args[0] in (1, 2):  # the terminal is not a file-system step
                return real(*args, **kwargs)
            count[0] += 1
            what = f"{name} {_name(args[0])}"
            matched[0] += text in what
            if k == 0:
                real_write(2, f"crash: call {count[0]}: {what}\n".encode())
            elif (matched[0] if text else count[0]) == k and text in what:
                real_write(2, f"crash: killed before call {count[0]}: {what}\n".encode())
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        return wrapper

    real_write = os.write
    for name in CALLS:
        setattr(os, name, wrap(name, getattr(os, name)))


def install_enospc(budget: int, disk: str) -> None:
    real_write = os.write
    left = [budget]
    disk = os.path.realpath(disk)

    def on_disk(fd: int) -> bool:
        try:
            return os.readlink(f"/proc/self/fd/{fd}").startswith(disk + os.sep)
        except OSError:
            return False

    def write(fd: int, data: Any) -> int:
        if not on_disk(fd):
            return real_write(fd, data)
        if left[0] <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        done = real_write(fd, memoryview(data)[: left[0]])
        left[0] -= done
        return done

    os.write = write


def main(argv: list[str]) -> None:
    mode, amount, how, *rest = argv
    if mode in ("kill", "trace"):
        install_kill(amount if mode == "kill" else "0")
    else:
        budget, _, disk = amount.partition(":")
        install_enospc(int(budget), disk)
    if how == "-c":
        sys.argv = ["-c", *rest[1:]]
        exec(compile(rest[0], "<crash -c>", "exec"), {"__name__": "__main__"})
    elif how == "-m":
        sys.argv = [rest[0], *rest[1:]]
        runpy.run_module(rest[0], run_name="__main__", alter_sys=True)
    else:
        raise SystemExit(f"usage: {__doc__}")


if __name__ == "__main__":
    main(sys.argv[1:])
