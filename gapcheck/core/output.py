"""Writing output files safely: atomically, as a set, never over a file gapcheck did not write.

One file (:func:`write_atomic`): the content goes to a temporary file in the
same folder (``.report.html.k3j9x2ab.tmp``), is flushed to disk, then renamed
over the target, so an interrupted run leaves the old file or the new one,
never half of one.

Several files (:func:`write_files`, every report and ``analyze --output``)
are replaced as a set, under the lock of the folder's manifest
(:mod:`gapcheck.core.lock`): first a journal listing the new files and their
hashes (``.gapcheck-manifest.pending.json``), then every file to a temporary
file, each flushed to disk, then the renames, then the manifest, then the
journal is removed.  A run killed at any point leaves the old set (killed
before the first rename), the new set with its manifest, or files that match
the journal: the next run in that folder adopts those as gapcheck's own and
removes the temporary files of the killed run.  Any file that cannot be
replaced (a folder in its place, read-only, a full disk) stops the set
before anything is replaced.  (``tests/crash.py`` kills real runs before
each write, fsync, rename and removal to show it.)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from gapcheck.core.errors import OutputError, OutputExists
from gapcheck.core.lock import DEFAULT_TIMEOUT, locked
from gapcheck.core.messages import Msg
from gapcheck.core.paths import display_path

MANIFEST = ".gapcheck-manifest.json"
"""In an output folder, the files gapcheck wrote there and their SHA-256, so it can tell its own from the user's."""
PENDING = ".gapcheck-manifest.pending.json"
"""The journal of a set being replaced: the new files and their SHA-256, removed once the manifest is written."""

INPUTS = "#inputs"
"""Suffix of the manifest entry that holds the input key of a file (``"report.html#inputs": "<sha256>"``):
the key of everything the file was made from (:mod:`gapcheck.report.incremental`)."""


def read_manifest(folder: Path | str) -> dict[str, str]:
    """The manifest of ``folder`` (file name -> SHA-256, and input keys); empty when absent or unreadable."""
    return _read_manifest(Path(folder) / MANIFEST)


_V = TypeVar("_V")


def as_bytes(data: bytes | str) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def write_atomic(path: Path | str, data: bytes | str, overwrite: bool = True, durable: bool = True,
                 clean: bool = False) -> bool:
    """Write ``data`` to ``path`` atomically.  Returns False when the file already held exactly ``data``.

    ``durable=False`` skips the fsync (for caches, whose loss costs only time).
    With ``overwrite=False`` an existing file with other content raises
    :class:`~gapcheck.core.errors.OutputExists` and is left untouched.  A
    target that is not a regular file, or a failed write (a full disk),
    raises :class:`~gapcheck.core.errors.OutputError` naming the file, and
    the old file stays.  ``clean`` first removes the temporary files of a
    killed earlier write of ``path`` (only safe under the file's lock).
    """
    path = Path(path)
    payload = as_bytes(data)
    if clean:
        remove_temporaries(path.parent, [path.name])
    current = current_hash(path)
    if current is not None:
        if current == sha256(payload):
            return False
        if not overwrite:
            raise OutputExists(Msg("output-exists", path=display_path(path)))
    _make_folder(path.parent)
    tmp = _write_temporary(path, payload, durable)
    try:
        os.replace(tmp, path)
    except OSError as exc:
        _unlink(tmp)
        raise OutputError(display_path(path), Msg("cannot-replace-kept", why=str(exc.strerror or exc)), exc.errno) from None
    if durable:
        _sync_folder(path.parent)
    return True


def _write_temporary(path: Path, payload: bytes, durable: bool = True) -> Path:
    """``payload`` in a new temporary file beside ``path``, flushed to disk; removed again if anything fails."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _write_error(path, exc) from None
    tmp = Path(name)
    try:
        try:
            os.chmod(tmp, _file_mode(path))  # mkstemp makes 0600; give the file the mode a plain open() would
            _write_all(fd, memoryview(payload))
            if durable:  # a cache entry need not survive a power cut; a report must
                os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        _unlink(tmp)
        raise _write_error(path, exc) from None
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _write_all(fd: int, data: memoryview) -> None:
    while data:
        done = os.write(fd, data[: 1 << 20])
        data = data[done:]


def _write_error(path: Path, exc: OSError) -> OutputError:
    return OutputError(display_path(path), Msg("cannot-write-kept", why=str(exc.strerror or exc)), exc.errno)


def _file_mode(path: Path) -> int:
    """The mode of the existing file, else 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(display_path(folder), Msg("cannot-create-folder", why=str(exc.strerror or exc)), exc.errno) from None
    if not folder.is_dir():
        raise OutputError(display_path(folder), Msg("is-not-a-folder"))


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entries (the renames) to disk, where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open a folder
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)


_KINDS = ((stat.S_ISDIR, "a-folder"), (stat.S_ISLNK, "kind-symlink"), (stat.S_ISFIFO, "kind-fifo"),
          (stat.S_ISSOCK, "kind-socket"), (stat.S_ISCHR, "kind-char-device"), (stat.S_ISBLK, "kind-block-device"))
"""A file type test -> the catalogue key of its name."""


def _kind(mode: int) -> Msg:
    return Msg(next((name for test, name in _KINDS if test(mode)), "kind-special"))


def current_hash(path: Path) -> str | None:
    """The SHA-256 of the regular file at ``path`` (None when there is none); OutputError when it cannot be replaced."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(display_path(path), Msg("cannot-look-at", why=str(exc.strerror or exc)), exc.errno) from None
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(display_path(path), Msg("output-not-regular", kind=_kind(st.st_mode)))
    try:
        return file_sha256(path)
    except OSError as exc:
        raise OutputError(display_path(path), Msg("cannot-read-to-compare", why=str(exc.strerror or exc)), exc.errno) from None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")
"""The name :func:`tempfile.mkstemp` gives a temporary file of :func:`write_atomic` (8 random characters)."""


def remove_temporaries(folder: Path, names: Iterable[str]) -> list[str]:
    """Remove the temporary files a killed run left for ``names`` in ``folder``; returns those removed."""
    removed, wanted = [], set(names)
    try:
        entries = os.listdir(folder)
    except OSError:
        return []
    for entry in entries:
        m = _TEMPORARY.fullmatch(entry)
        if m is not None and m["name"] in wanted and os.path.isfile(os.path.join(folder, entry)):
            _unlink(folder / entry)
            removed.append(entry)
    return sorted(removed)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Characters a spreadsheet may read as the start of a formula (OWASP CSV injection)."""

FORMULA = r"(?:[\t\r]|[ \t\r\n]*[=+\-@])"
"""A cell a spreadsheet may run as a formula: one that starts with tab or CR, or whose first character after any
leading spaces, tabs, CRs and LFs is ``=``, ``+``, ``-`` or ``@`` (LibreOffice reads ``"\\r=1+1"`` as a formula
on a line of its own, and trims spaces before it)."""

_FORMULA = re.compile(FORMULA)


def neutralise_cell(value: _V) -> _V | str:
    """A spreadsheet/CSV cell value that cannot run as a formula.

    Text that may start a formula (:data:`FORMULA`) is prefixed with an
    apostrophe (OWASP CSV-injection guidance); other values pass through unchanged.
    """
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def write_files(folder: Path | str, files: Mapping[str, bytes | str], force: bool = False,
                lock_timeout: float = DEFAULT_TIMEOUT, inputs: Mapping[str, str] | None = None) -> dict[str, str]:
    """Write several files into ``folder`` as one set; returns name -> ``created``, ``updated`` or ``unchanged``.

    A file that exists with other content is replaced only when gapcheck
    wrote it there and nobody has edited it since (its hash is in the
    folder's manifest, or in the journal of a killed run), or with
    ``force``.  Otherwise nothing at all is written and
    :class:`~gapcheck.core.errors.OutputExists` names every such file.  A
    target that cannot be replaced, or a failed write, raises
    :class:`~gapcheck.core.errors.OutputError` before anything is replaced.
    Waits up to ``lock_timeout`` seconds for another run writing the same
    folder (:class:`~gapcheck.core.errors.LockHeld`).  ``inputs`` gives, per
    file, the key of everything it was made from; the manifest records it as
    ``"<name>#inputs"`` (:data:`INPUTS`), and a file written without one loses
    any old one.
    """
    folder = Path(folder)
    payloads = {name: as_bytes(data) for name, data in files.items()}
    bad = [n for n in payloads if not n or n in (".", "..") or "/" in n or os.sep in n or n in (MANIFEST, PENDING)]
    if bad:
        raise ValueError(f"not plain file names: {bad}")
    _make_folder(folder)
    with locked(folder / MANIFEST, lock_timeout):
        manifest = settle(folder, set(payloads))
        status = _plan(folder, payloads, manifest, force)
        hashes = {name: sha256(data) for name, data in payloads.items()}
        changed = {name: payloads[name] for name in payloads if status[name] != "unchanged"}
        merged = {**manifest, **hashes}
        for name in payloads:
            if inputs is not None and name in inputs:
                merged[name + INPUTS] = inputs[name]
            else:
                merged.pop(name + INPUTS, None)
        merged = dict(sorted(merged.items()))
        if changed or merged != manifest:
            _replace_set(folder, changed, {n: hashes[n] for n in changed}, merged)
    return status


def _plan(folder: Path, payloads: dict[str, bytes], manifest: dict[str, str], force: bool) -> dict[str, str]:
    """What each file becomes; raises before anything is written when one cannot or may not be replaced."""
    status: dict[str, str] = {}
    conflicts: list[str] = []
    refused: list[str] = []
    for name, data in payloads.items():
        target = folder / name
        try:
            current = current_hash(target)
        except OutputError as exc:
            refused.append(Msg("path-message", path=exc.path or "", message=exc.message))
            continue
        if current is None:
            status[name] = "created"
        elif current == sha256(data):
            status[name] = "unchanged"
        elif not force and os.stat(target).st_mode & 0o222 == 0:
            refused.append(Msg("read-only", path=display_path(target)))
        elif force or manifest.get(name) == current:
            status[name] = "updated"
        else:
            conflicts.append(display_path(target))
    if len(refused) == 1:
        raise OutputError(None, Msg("refused-one", what=refused[0]))
    if refused:
        raise OutputError(None, Msg("refused-many", n=len(refused), what=_joined(refused)))
    if conflicts:
        raise OutputExists(Msg("conflicts", n=len(conflicts), files=", ".join(conflicts)))
    return status


def _joined(parts: list[str]) -> str:
    """Messages joined with "; " (in the language they are written in)."""
    return parts[0] if len(parts) == 1 else Msg("joined", first=parts[0], rest=_joined(parts[1:]))


def _replace_set(folder: Path, changed: dict[str, bytes], hashes: dict[str, str], manifest: dict[str, str]) -> None:
    """Journal, temporary files, renames, manifest, journal removed (see the module's docstring)."""
    temporaries: dict[str, Path] = {}
    renamed = 0
    try:
        if changed:
            write_atomic(folder / PENDING, _json(hashes))
        for name, data in changed.items():
            temporaries[name] = _write_temporary(folder / name, data)
        for name in changed:
            try:
                os.replace(temporaries[name], folder / name)
            except OSError as exc:
                raise OutputError(display_path(folder / name), Msg("cannot-replace-some", why=str(exc.strerror or exc),
                                                                   renamed=renamed, n=len(changed)), exc.errno) from None
            del temporaries[name]
            renamed += 1
        _sync_folder(folder)
        write_atomic(folder / MANIFEST, _json(manifest))
        _unlink(folder / PENDING)
    except BaseException:
        for tmp in temporaries.values():
            _unlink(tmp)
        if renamed == 0:
            _unlink(folder / PENDING)
        else:
            try:  # record what was replaced now; if even that fails, the journal tells the next run
                settle(folder, set(changed))
            except (OSError, OutputError):
                pass
        raise


def _json(data: dict[str, str]) -> str:
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def _read_manifest(path: Path) -> dict[str, str]:
    try:
        if not path.is_file() or path.stat().st_size > 16 << 20:
            return {}
        data = json.loads(path.read_text("utf-8"))
    except (ValueError, OSError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def settle(folder: Path | str, names: Iterable[str] = ()) -> dict[str, str]:
    """Finish what a killed run left in ``folder`` (call under the manifest's lock); returns the manifest.

    Files that match the journal of a killed run are recorded as gapcheck's
    in the manifest, the journal is removed, and the temporary files of
    ``names``, of the manifest's files and of the journal's are removed.
    """
    folder = Path(folder)
    manifest = _read_manifest(folder / MANIFEST)
    pending = _read_manifest(folder / PENDING)
    remove_temporaries(folder, set(names) | set(manifest) | set(pending) | {MANIFEST, PENDING})
    if not (folder / PENDING).exists():
        return manifest
    for name, digest in pending.items():
        target = folder / name
        try:
            if stat.S_ISREG(os.lstat(target).st_mode) and file_sha256(target) == digest:
                manifest[name] = digest
                manifest.pop(name + INPUTS, None)  # its inputs are not known: the next run renders it again
        except OSError:
            continue
    manifest = dict(sorted(manifest.items()))
    write_atomic(folder / MANIFEST, _json(manifest))
    _unlink(folder / PENDING)
    _sync_folder(folder)
    return manifest
