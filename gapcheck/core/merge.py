"""Writes into files the user keeps: never over a change another run made meanwhile.

An import that merges into a shared file (``inventory import`` into an
inventory file holding other operations, ``plan import`` into the plan)
reads the file, builds the merge, and writes it with :func:`write_merged`:
under the file's lock (:mod:`gapcheck.core.lock`) the file must still hold
what the import read, else nothing is written.  An import that makes a file
whole (``spec import``, ``mapping import --output``) writes it with
:func:`write_kept`: without ``force``, the check that the file does not hold
other content and the rename happen under the file's lock.
"""

from __future__ import annotations

from pathlib import Path

from gapcheck.core.errors import InputChanged
from gapcheck.core.lock import DEFAULT_TIMEOUT, locked
from gapcheck.core.output import as_bytes, current_hash, sha256, write_atomic
from gapcheck.core.paths import display_path


def write_merged(path: Path | str, data: bytes | str, base: bytes | None, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Write ``data``, a merge into ``base``, to ``path`` only if the file still holds ``base`` (None: it did not exist).

    The check and the write happen under the file's lock
    (:func:`~gapcheck.core.lock.locked`), so two imports merging into the
    same file at once never lose one another's change: the second raises
    :class:`~gapcheck.core.errors.InputChanged` and writes nothing (run it
    again), or :class:`~gapcheck.core.errors.LockHeld` after ``timeout``.
    Returns False when the file already held exactly ``data``.
    """
    path = Path(path)
    with locked(path, timeout):
        now = current_hash(path)
        if now != (None if base is None else sha256(base)) and now != sha256(as_bytes(data)):
            raise InputChanged(display_path(path))
        return write_atomic(path, data)


def write_kept(path: Path | str, data: bytes | str, force: bool, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Write ``data`` to ``path``; without ``force`` only if the file is absent or already holds ``data``.

    Without ``force`` the check and the rename happen under the file's lock,
    so another gapcheck run that writes the file between them is never
    overwritten: :class:`~gapcheck.core.errors.OutputExists` is raised and
    its content stays.  Returns False when the file already held ``data``.
    """
    if force:
        return write_atomic(path, data)
    with locked(Path(path), timeout):
        return write_atomic(path, data, overwrite=False)
