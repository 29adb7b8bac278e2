"""The user's cache folder: where it is, which entries may be trusted, and keeping it bounded.

Three caches live there: the parse cache (:mod:`gapcheck.loading.parsecache`,
``<2 hex>/<key>``, plain data in ``marshal``), the result cache
(:mod:`gapcheck.analysis.cache`, ``results/<key>``, pickles) and the help
page (:mod:`gapcheck.cli.helpcache`, ``help/<key>``, text).  All are
content-addressed: an entry's name is the SHA-256 of everything it depends
on, so an entry is either exactly right or never looked up.

An entry of the result cache is a pickle, which can run code when loaded.
It is therefore read only (1) from a folder owned by the user running
gapcheck and writable by nobody else, (2) when the entry file is owned by
that user, and (3) when the entry's header repeats the key it was looked up
by and the SHA-256 of the payload matches: a truncated, corrupt or misplaced
entry is ignored (and rebuilt), never unpickled.

``GAPCHECK_CACHE=off`` turns both caches off; ``GAPCHECK_CACHE_DIR`` moves
them (default ``$XDG_CACHE_HOME/gapcheck``, else ``~/.cache/gapcheck``);
``GAPCHECK_CACHE_MB`` bounds their total size (default 1024 MB): after a
write, the entries used least recently are removed until the rest fit.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

MAGIC = b"gapcheck-cache 1\n"
"""First line of every result entry; a different format is a different line (an old entry is then ignored)."""

DEFAULT_LIMIT_MB = 1024


def directory() -> Path | None:
    """The cache folder, or None when caching is off."""
    if os.environ.get("GAPCHECK_CACHE", "").lower() in ("0", "off", "no", "false"):
        return None
    if os.environ.get("GAPCHECK_CACHE_DIR"):
        return Path(os.environ["GAPCHECK_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gapcheck"


def limit_bytes() -> int:
    """The size bound of the whole cache folder (``GAPCHECK_CACHE_MB``; an unreadable value means the default)."""
    try:
        mb = float(os.environ.get("GAPCHECK_CACHE_MB", DEFAULT_LIMIT_MB))
    except ValueError:
        mb = DEFAULT_LIMIT_MB
    return max(0, int(mb * 1024 * 1024))


def private_folder(name: str) -> Path | None:
    """``<cache>/<name>``, created owner-only; None when caching is off or the folder cannot be trusted."""
    base = directory()
    if base is None:
        return None
    folder = base / name
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.stat()
    except OSError:
        return None
    if not _trusted(info):
        return None
    return folder


def _trusted(info: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (where the platform has owners)."""
    getuid = getattr(os, "getuid", None)
    if getuid is not None and info.st_uid != getuid():
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read_entry(path: Path, key: str) -> bytes | None:
    """The payload of the entry at ``path`` if its header names ``key`` and its checksum holds; else None."""
    try:
        with open(path, "rb") as fh:
            info = os.fstat(fh.fileno())
            if not _owned(info):
                return None
            data = fh.read()
    except OSError:
        return None
    head = len(MAGIC) + 64 + 1 + 64 + 1
    if len(data) < head or not data.startswith(MAGIC):
        return None
    stored_key = data[len(MAGIC):len(MAGIC) + 64]
    digest = data[len(MAGIC) + 65:head - 1]
    payload = data[head:]
    if stored_key != key.encode("ascii") or digest != hashlib.sha256(payload).hexdigest().encode("ascii"):
        return None
    try:
        os.utime(path)  # used now: the last to be evicted
    except OSError:
        pass
    return payload


def _owned(info: os.stat_result) -> bool:
    getuid = getattr(os, "getuid", None)
    return getuid is None or info.st_uid == getuid()


def write_entry(path: Path, key: str, payload: bytes) -> None:
    """Write an entry (header with the key and the payload's SHA-256) atomically; failures are ignored."""
    from gapcheck.core.output import write_atomic

    header = MAGIC + key.encode("ascii") + b" " + hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n"
    try:
        write_atomic(path, header + payload, durable=False)
    except (OSError, ValueError):
        pass


def prune(limit: int | None = None) -> int:
    """Remove the least recently used entries until the cache folder holds at most ``limit`` bytes; how many went."""
    base = directory()
    if base is None:
        return 0
    limit = limit_bytes() if limit is None else limit
    entries: list[tuple[float, int, str]] = []
    total = 0
    for folder in _folders(base):
        try:
            with os.scandir(folder) as it:
                for e in it:
                    if e.is_file(follow_symlinks=False) and not e.name.startswith("."):
                        info = e.stat(follow_symlinks=False)
                        entries.append((info.st_mtime, info.st_size, e.path))
                        total += info.st_size
        except OSError:
            continue
    removed = 0
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        total -= size
        removed += 1
    return removed


def _folders(base: Path) -> list[str]:
    """The folders that hold cache entries: the parse cache's ``<2 hex>`` ones and ``results``."""
    try:
        with os.scandir(base) as it:
            return [e.path for e in it if e.is_dir(follow_symlinks=False)
                    and (e.name in ("results", "help") or (len(e.name) == 2 and all(c in "0123456789abcdef" for c in e.name)))]
    except OSError:
        return []
