"""Writing output files safely: atomically, and never overwriting silently.

Every file gapcheck writes goes through :func:`write_atomic`: the content is
written to a temporary file in the same folder, flushed to disk, then renamed
over the target, so an interrupted run leaves either the old file or the new
one, never half of one.  A target that exists with *different* content is
only replaced when the caller says so (``overwrite=True``); identical content
is a no-op.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from gapcheck.core.errors import OutputExists


def write_atomic(path: Path | str, data: bytes | str, overwrite: bool = True, durable: bool = True) -> bool:
    """Write ``data`` to ``path`` atomically.  Returns False when the file already held exactly ``data``.

    ``durable=False`` skips the fsync (for caches, whose loss costs only time).
    With ``overwrite=False`` an existing file with other content raises
    :class:`~gapcheck.errors.OutputExists` and is left untouched.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists():
        try:
            if path.read_bytes() == payload:
                return False
        except OSError:
            pass
        if not overwrite:
            raise OutputExists(f"{path}: exists with different content; use --force to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, _file_mode(path))  # mkstemp makes 0600; give the file the mode a plain open() would
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            if durable:  # a cache entry need not survive a power cut; a report must
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return True


def _file_mode(path: Path) -> int:
    """The mode of the existing file, else 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Characters a spreadsheet may read as the start of a formula (OWASP CSV injection)."""

FORMULA = r"(?:[\t\r]|[ \t\r\n]*[=+\-@])"
"""A cell a spreadsheet may run as a formula: one that starts with tab or CR, or whose first character after any
leading spaces, tabs, CRs and LFs is ``=``, ``+``, ``-`` or ``@`` (LibreOffice reads ``"\\r=1+1"`` as a formula
on a line of its own, and trims spaces before it)."""

_FORMULA = re.compile(FORMULA)


def neutralise_cell(value: object) -> object:
    """A spreadsheet/CSV cell value that cannot run as a formula.

    Text that may start a formula (:data:`FORMULA`) is prefixed with an
    apostrophe (OWASP CSV-injection guidance); other values pass through unchanged.
    """
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


MANIFEST = ".gapcheck-manifest.json"
"""In an output folder, the files gapcheck wrote there and their SHA-256, so it can tell its own from the user's."""


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def write_files(folder: Path | str, files: dict[str, bytes | str], force: bool = False) -> dict[str, str]:
    """Write several files into ``folder``; returns name -> ``created``, ``updated`` or ``unchanged``.

    A file that exists with other content is replaced only when gapcheck
    wrote it there and nobody has edited it since (its hash is in the
    folder's manifest), or with ``force``.  Otherwise nothing at all is
    written and :class:`~gapcheck.errors.OutputExists` names every such file.
    """
    import json

    folder = Path(folder)
    manifest_path = folder / MANIFEST
    try:
        manifest: dict[str, str] = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else {}
    except (ValueError, OSError):
        manifest = {}
    payloads = {name: (d.encode("utf-8") if isinstance(d, str) else d) for name, d in files.items()}
    status: dict[str, str] = {}
    conflicts = []
    for name, data in payloads.items():
        target = folder / name
        if not target.exists():
            status[name] = "created"
            continue
        current = target.read_bytes()
        if current == data:
            status[name] = "unchanged"
        elif force or manifest.get(name) == _sha256(current):
            status[name] = "updated"
        else:
            conflicts.append(str(target))
    if conflicts:
        raise OutputExists(f"{len(conflicts)} file(s) exist with content gapcheck did not write: "
                           + ", ".join(conflicts) + "; move them away or use --force")
    try:
        for name, data in payloads.items():
            if status[name] != "unchanged":
                write_atomic(folder / name, data)
            manifest[name] = _sha256(data)
    finally:  # also after a failure midway: the files already replaced stay known as gapcheck's own
        write_atomic(manifest_path, json.dumps(dict(sorted(manifest.items())), indent=1) + "\n")
    return status
