"""Locks on shared files: one gapcheck run at a time changes them, and a dead run never blocks the next.

A file that several runs may change at once (the readiness history, an
output folder's manifest) is read, merged and written back only while the
run holds an exclusive OS lock (``fcntl.flock``; ``msvcrt.locking`` on
Windows) on a lock file beside it: ``history.jsonl.lock``,
``.gapcheck-manifest.json.lock``.  The kernel drops the lock when the
holder's process ends, however it ends (finished, crashed, ``kill -9``), so
there is no stale lock to remove by hand.  The lock file itself stays (an
empty file but for the holder's process id): deleting it would let a second
run lock a new file while a third still waits on the old one.

A run that cannot get the lock within ``timeout`` seconds raises
:class:`~gapcheck.core.errors.LockHeld` naming the file; the command line
exits with code 75 (``--lock-timeout``, default 30 s).
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gapcheck.core.errors import LockHeld, OutputError
from gapcheck.core.messages import Msg
from gapcheck.core.paths import display_path

DEFAULT_TIMEOUT = 30.0
"""Seconds a run waits for a lock before it gives up (``--lock-timeout``)."""

if sys.platform == "win32":  # pragma: no cover - the lock of one byte, released when its handle closes
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path(target: Path) -> Path:
    """The lock file of ``target``: the same name with ``.lock`` added, in the same folder."""
    return target.with_name(target.name + ".lock")


@contextmanager
def locked(target: Path | str, timeout: float = DEFAULT_TIMEOUT) -> Iterator[Path]:
    """Hold the exclusive lock of ``target`` for the ``with`` block; yields the lock file's path.

    Waits up to ``timeout`` seconds (0: do not wait) for another holder,
    then raises :class:`LockHeld`.  The lock is per open file, so two threads
    of one process exclude each other too; the holder must not lock the
    same target again inside the block.
    """
    target = Path(target)
    lock = lock_path(target)
    fd = _open_lock_file(target, lock)
    try:
        _acquire(fd, target, lock, timeout)
        try:
            _note_holder(fd)
            yield lock
        finally:
            _release(fd)
    finally:
        os.close(fd)


def _open_lock_file(target: Path, lock: Path) -> int:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        raise OutputError(display_path(lock), Msg("cannot-create-lock", target=display_path(target), why=str(exc.strerror or exc)),
                          exc.errno) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # pragma: no cover - O_NOFOLLOW and O_RDWR refuse the rest
        os.close(fd)
        raise OutputError(display_path(lock), Msg("lock-not-regular"))
    return fd


def _acquire(fd: int, target: Path, lock: Path, timeout: float) -> None:
    """Take the lock, polling until ``timeout`` (the kernel has no waiting flock with a timeout)."""
    deadline = time.monotonic() + max(timeout, 0.0)
    pause = 0.01
    while not _try_lock(fd):
        if time.monotonic() >= deadline:
            raise LockHeld(display_path(target), display_path(lock), timeout, _holder(fd))
        time.sleep(min(pause, max(deadline - time.monotonic(), 0.0)))
        pause = min(pause * 2, 0.2)


def _release(fd: int) -> None:
    try:
        os.ftruncate(fd, 0)
    except OSError:  # pragma: no cover - the process id is only a courtesy
        pass
    _unlock(fd)


def _note_holder(fd: int) -> None:
    """Write this process's id into the lock file, for the message of a run that waits (on a full disk: nothing)."""
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    except (OSError, AttributeError):
        pass


def _holder(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, AttributeError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None
