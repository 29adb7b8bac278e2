"""The fingerprint of everything a checked project and its results depend on: the key of the result cache.

:func:`snapshot` reads every input file the project loader would read (the
same discovery) and hashes, in a fixed order:

* each file's path as shown and as resolved, its kind, and the SHA-256 of its
  bytes (or why it cannot be read), so an edited, added, removed or renamed
  file gives another key;
* the state of the three data folders (a missing folder is a warning, an
  empty one is not), the configuration's paths and the working directory
  (problems name files relative to it);
* gapcheck itself: its version and the SHA-256 of every file of the package
  (source, schemas, packaged registry), so a code change never meets an old
  entry; the Python version and the versions of the libraries whose
  behaviour or pickles the results depend on;
* every ``GAPCHECK_*`` environment variable except the cache's own.

The options of a command (operations, spec versions, the date used) are
added per entry by :mod:`gapcheck.analysis.cache`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from gapcheck.core.config import Config
from gapcheck.core.paths import display_path
from gapcheck.loading.discovery import scan_project
from gapcheck.loading.files import read_input

LIBRARIES = ("pandas", "numpy", "pyarrow", "pyyaml", "jsonschema", "jsonschema_rs", "xlsxwriter", "matplotlib")
"""Distributions whose versions are part of every key (parsing, classification, the pickled frames, the
workbook's sheets kept per operation, the charts and whether they find a Japanese font)."""
CACHE_VARIABLES = ("GAPCHECK_CACHE", "GAPCHECK_CACHE_DIR", "GAPCHECK_CACHE_MB", "GAPCHECK_RESULT_CACHE")
"""Environment variables that move or bound the cache but never change a result."""


@dataclass(frozen=True)
class InputFile:
    """One input file as it was when the key was taken."""

    shown: str
    resolved: str
    kind: str
    digest: str
    """SHA-256 of the bytes, or ``missing``/``directory``/``unreadable``."""
    stat: tuple[int, int, int, int]
    """(size, mtime_ns, ctime_ns, inode), compared again before an entry is written."""


@dataclass(frozen=True)
class InputState:
    """Every input of a project at one moment, and the key that names it."""

    files: tuple[InputFile, ...]
    key: str
    context: str = ""
    """The hash of everything in the key but the files (gapcheck, Python, libraries, settings, the
    configuration, the folders): what every per-operation piece of a result also depends on."""

    def still_current(self, config: Config, extra_files: tuple[Path, ...] = ()) -> bool:
        """True when the inputs are still exactly as they were (read and hashed again): only then may a result be stored."""
        again = snapshot(config, extra_files)
        return again.key == self.key and [f.stat for f in again.files] == [f.stat for f in self.files]


def input_files(config: Config, extra_files: tuple[Path, ...] = ()) -> tuple[list[tuple[Path, str]], list[str]]:
    """The files :func:`gapcheck.validation.project.load_project` reads, in its order, with their kinds; and the
    problems of the folders' other entries (a file that is not read is a warning: its name is an input too)."""
    found, problems = scan_project(config)
    files: list[tuple[Path, str]] = list(found)
    known = {p.resolve() for p, _ in files}
    for extra in extra_files:
        if extra.resolve() not in known:
            files.append((extra, "extra"))
            known.add(extra.resolve())
    for path, kind in ((config.plan, "plan"), (config.registry, "registry")):
        if path is not None and path.resolve() not in known:
            files.append((path, kind))
    return files, [p.format() for p in problems]


def file_entry(path: Path, kind: str) -> InputFile:
    """One file's name, state and content hash (read as the loader reads it: regular files only, bounded)."""
    shown, resolved = display_path(path), str(path.resolve())
    try:
        info = os.stat(path)
        facts = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    except OSError:
        facts = (0, 0, 0, 0)
    raw, problems = read_input(path, shown)
    if raw is None:  # missing, a folder, a device or a pipe, too large, unreadable: what the loader will say
        return InputFile(shown, resolved, kind, "unread " + " ".join(p.code for p in problems), facts)
    return InputFile(shown, resolved, kind, hashlib.sha256(raw).hexdigest(), facts)


def snapshot(config: Config, extra_files: tuple[Path, ...] = ()) -> InputState:
    """Read and hash every input of the project now."""
    h = hashlib.sha256(environment())
    h.update(f"cwd {os.getcwd()}\n".encode())
    for name in ("root", "specs", "current_system", "mappings", "reports", "registry", "plan", "policy", "history"):
        value = getattr(config, name)
        h.update(f"config {name} {value.resolve() if value is not None else None}\n".encode())
    for folder in (config.specs, config.current_system, config.mappings):
        state = "dir" if folder.is_dir() else "file" if folder.exists() else "missing"
        h.update(f"folder {display_path(folder)} {state}\n".encode())
    paths, problems = input_files(config, extra_files)
    for line in problems:
        h.update(f"scan {line}\n".encode())
    context = h.hexdigest()
    files = tuple(file_entry(path, kind) for path, kind in paths)
    for f in files:
        h.update(f"file {f.kind} {f.shown!r} {f.resolved!r} {f.digest}\n".encode())
    return InputState(files, h.hexdigest(), context)


def digest(value: object) -> str:
    """The SHA-256 of ``value`` as canonical JSON (sorted keys, ASCII; anything else as ``str``): the name of a
    cache entry made of what it depends on."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def extra_digest(paths: tuple[Path, ...]) -> str:
    """The hash of further files a result depends on (the readiness history, a policy), missing ones included."""
    h = hashlib.sha256()
    for path in paths:
        f = file_entry(path, "extra")
        h.update(f"{f.shown!r} {f.resolved!r} {f.digest}\n".encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def environment() -> bytes:
    """gapcheck's version and package files, Python and library versions, and the ``GAPCHECK_*`` settings."""
    from gapcheck.core.version import __version__

    h = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(package)).encode() + b"\0")
        h.update(path.read_bytes())
    env = sorted((k, v) for k, v in os.environ.items() if k.startswith("GAPCHECK_") and k not in CACHE_VARIABLES)
    lines = [f"gapcheck {__version__} package {h.hexdigest()}", f"python {sys.implementation.name} {sys.version}",
             f"libraries {' '.join(library_versions())}", f"env {env!r}"]
    return ("\n".join(lines) + "\n").encode()


def library_versions() -> list[str]:
    """``name-version`` of each of :data:`LIBRARIES` found on ``sys.path`` (from the dist-info folder names: no import)."""
    from gapcheck.core.version import dist_version, installed

    found = installed(LIBRARIES)
    return [f"{d}-{dist_version(found[d]) if d in found else 'absent'}" for d in LIBRARIES]
