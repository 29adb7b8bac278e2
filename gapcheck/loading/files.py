"""Input files: only regular files are read, never more than a bound, and nothing in a data folder is skipped silently.

Every input (YAML files, the history, the policy, the workbooks and CSV
files of an import) is opened here first.  A device, a named pipe or a
socket is refused (``not-a-regular-file``) before a byte is read, so
``/dev/zero`` or a FIFO can neither fill the memory nor hang a run; a file
over :data:`MAX_INPUT_BYTES` is refused (``file-too-large``) from its size,
and at most one byte more than the limit is ever read (a file that grows
meanwhile is refused too).  :func:`scan` lists a data folder: every file
whose extension is an input's (in any case: ``.YAML``, ``.Yml``) is read,
whatever it is (a dangling link is reported when it is read); every other
file gets a ``file-ignored`` warning, except the ones no one means as
input (:func:`exempt`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from gapcheck.core.errors import Problem
from gapcheck.core.messages import Msg, listing
from gapcheck.core.paths import display_path

MAX_INPUT_BYTES = 200 * 1024 * 1024
"""The largest input file gapcheck reads (200 MiB): a full-scale municipality is about 6 MB of YAML."""

INPUT_SUFFIXES = (".yaml", ".yml")
"""Extensions of the YAML inputs in a data folder, compared in lower case."""

SKIPPED_FOLDERS = frozenset({".git", ".hg", ".svn"})
"""Folders of version control systems: never searched for inputs."""

_KINDS = ((stat.S_ISFIFO, "kind-fifo"), (stat.S_ISCHR, "kind-char-device"),
          (stat.S_ISBLK, "kind-block-device"), (stat.S_ISSOCK, "kind-socket"))
"""A file type test -> the catalogue key of its name."""


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.4g} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def _problem(shown: str, code: str, message: str, expected: str, found: str) -> Problem:
    return Problem(shown, 0, 0, code, "$", message, expected, found)


def _unreadable(shown: str, why: str) -> Problem:
    return _problem(shown, "file-unreadable", Msg("file-unreadable", why=why), Msg("a-readable-file"), Msg("an-os-error"))


def _directory(shown: str) -> Problem:
    return _problem(shown, "file-missing", Msg("is-a-directory"), Msg("a-readable-file"), Msg("a-directory"))


def _not_regular(shown: str, mode: int) -> Problem:
    kind = Msg(next((name for test, name in _KINDS if test(mode)), "kind-special"))
    return _problem(shown, "not-a-regular-file", Msg("not-a-regular-file", kind=kind), Msg("a-regular-file"), kind)


def _too_large(shown: str, size: int | None, limit: int) -> Problem:
    """``size`` None: the file said it was smaller, but more than ``limit`` bytes came (it grew, or it is a /proc file)."""
    return _problem(shown, "file-too-large", Msg("file-too-large", limit=_size(limit)), Msg("at-most-bytes", n=f"{limit:,}"),
                    Msg("n-bytes", n=f"{size:,}") if size is not None else Msg("more-than-bytes", n=f"{limit:,}"))


def _open_problem(path: Path, shown: str, exc: OSError) -> Problem:
    """Why a file could not be opened, in the user's terms."""
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(path):
            target = os.readlink(path)
            return _problem(shown, "file-missing", Msg("dangling-link", target=target), Msg("a-readable-file"),
                            Msg("a-dangling-link"))
        return _problem(shown, "file-missing", Msg("file-missing"), Msg("a-readable-file"), Msg("found-nothing"))
    if isinstance(exc, IsADirectoryError):
        return _directory(shown)
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = stat.S_IFREG
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):  # a socket cannot be opened at all (ENXIO)
        return _not_regular(shown, mode)
    return _unreadable(shown, str(exc.strerror or exc))


def read_input(path: Path, shown: str | None = None, limit: int = MAX_INPUT_BYTES) -> tuple[bytes | None, list[Problem]]:
    """The bytes of the regular file at ``path``, or None and the problem (missing, not regular, too large, unreadable)."""
    shown = shown if shown is not None else display_path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)  # O_NONBLOCK: opening a FIFO with no writer returns at once instead of hanging
    except OSError as exc:
        return None, [_open_problem(path, shown, exc)]
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            return None, [_directory(shown)]
        if not stat.S_ISREG(st.st_mode):
            return None, [_not_regular(shown, st.st_mode)]
        if st.st_size > limit:
            return None, [_too_large(shown, st.st_size, limit)]
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 24))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:  # it grew after the size was taken
            return None, [_too_large(shown, None, limit)]
        return data, []
    except OSError as exc:
        return None, [_unreadable(shown, str(exc.strerror or exc))]
    finally:
        os.close(fd)


def input_problem(path: Path, shown: str | None = None, limit: int = MAX_INPUT_BYTES) -> Problem | None:
    """The problem with ``path`` as an input (see :func:`read_input`), from its type and size alone: for files a library opens itself."""
    shown = shown if shown is not None else display_path(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        return _open_problem(path, shown, exc)
    if stat.S_ISDIR(st.st_mode):
        return _directory(shown)
    if not stat.S_ISREG(st.st_mode):
        return _not_regular(shown, st.st_mode)
    if st.st_size > limit:
        return _too_large(shown, st.st_size, limit)
    if not os.access(path, os.R_OK):
        return _unreadable(shown, "Permission denied")
    return None


def read_head(path: Path, shown: str, size: int) -> tuple[bytes | None, Problem | None]:
    """The first ``size`` bytes of an input that a library will open itself (a workbook), or the problem with it."""
    refused = input_problem(path, shown)
    if refused is not None:
        return None, refused
    try:
        with open(path, "rb") as fh:
            return fh.read(size), None
    except OSError as exc:
        return None, _problem(shown, "file-unreadable", f"cannot read file: {exc.strerror or exc}", "a readable file",
                              "an OS error")


EXEMPT_NAMES = frozenset({"thumbs.db", "desktop.ini"})
"""Files the operating system puts in folders (compared in lower case)."""


def exempt(name: str) -> bool:
    """A file no one means as an input, so not warned about: hidden files (``.gitkeep``, ``.DS_Store``), README*, LICENSE*."""
    lower = name.lower()
    return name.startswith(".") or lower.startswith(("readme", "license", "licence")) or lower in EXEMPT_NAMES


def _read_elsewhere(path: Path, suffixes: tuple[str, ...], known: set[Path]) -> bool:
    """``path`` is a file gapcheck reads in another role (``known``: the history, the plan, ...) or the lock file of
    one of those or of an input beside it (``kaigo.yaml.lock``: an import merged into ``kaigo.yaml``)."""
    resolved = path.resolve()
    if resolved in known:
        return True
    if not path.name.endswith(".lock"):
        return False
    locked_file = resolved.with_name(path.name[:-len(".lock")])
    return locked_file in known or (locked_file.suffix.lower() in suffixes and locked_file.is_file())


def scan(folder: Path, suffixes: tuple[str, ...] = INPUT_SUFFIXES, known: frozenset[Path] = frozenset()
         ) -> tuple[list[Path], list[Problem]]:
    """The input files under ``folder`` (sorted) and the problems of its other entries.

    Symbolic links to folders are followed (once each); folders of version
    control are not searched; a folder that cannot be listed is a
    ``file-unreadable`` problem; a file that is not an input is a
    ``file-ignored`` warning unless it is :func:`exempt` or one of
    ``known`` (files gapcheck reads in another role, such as the history)
    or the lock file of one, or of an input beside it.
    """
    found: list[Path] = []
    problems: list[Problem] = []
    seen: set[tuple[int, int]] = set()
    known_files = {p.resolve() for p in known}

    def unreadable(exc: OSError) -> None:
        shown = display_path(Path(exc.filename)) if exc.filename else display_path(folder)
        problems.append(_problem(shown, "file-unreadable", Msg("cannot-list-folder", why=str(exc.strerror or exc)),
                                 Msg("a-readable-folder"), Msg("an-os-error")))

    for root, dirs, names in os.walk(folder, onerror=unreadable, followlinks=True):
        try:
            st = os.stat(root)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:  # a link back up the tree
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS)
        for name in names:
            path = Path(root, name)
            if path.suffix.lower() in suffixes:
                found.append(path)
            elif not exempt(name) and not _read_elsewhere(path, suffixes, known_files):
                problems.append(Problem(display_path(path), 0, 0, "file-ignored", "$",
                                        Msg("file-ignored", suffixes=listing(list(suffixes), "and")),
                                        Msg("a-file-of", suffixes=listing(list(suffixes))), repr(path.suffix or name),
                                        severity="warning"))
    return sorted(found), problems
