"""A content-addressed cache of parsed YAML files.

Parsing YAML is most of the time of a large run (libyaml composes about
half a million nodes for a full-scale municipality).  A file whose bytes
were parsed before, by the same gapcheck and PyYAML, is read back from
``marshal`` in a fraction of that time.  The key is the SHA-256 of the
file's bytes salted with the versions, so an edited file is always parsed
again and a stale entry can never be used.  The node tree itself is not
cached: it is composed again only when a problem needs a line and column.

Location: ``$GAPCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/gapcheck``, else
``~/.cache/gapcheck``.  ``GAPCHECK_CACHE=off`` disables it.  Entries are
written to a temporary file and renamed (no lock is needed: two runs that
write the same key write the same bytes); an unreadable entry is ignored
(and parsed again).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from gapcheck.loading import cachedir

MIN_BYTES = 0
"""Files smaller than this are not cached.  Every file is: reading a small entry back costs less than
composing even a short YAML file, and a small project has only small files."""


def directory() -> Path | None:
    """The cache folder, or None when caching is off (:func:`gapcheck.loading.cachedir.directory`)."""
    return cachedir.directory()


READER_SOURCES = ("yamlio.py", "convert.py")
"""The modules whose rules decide what a parsed file holds: part of every cache key."""


@lru_cache(maxsize=1)
def _salt() -> bytes:
    """Versions, and the source of the YAML reader itself: a changed reading rule never meets an old entry."""
    import yaml

    from gapcheck.core.messages import CATALOGUE, fields
    from gapcheck.core.version import __version__

    here = Path(__file__).parent  # the reader's own source, read as bytes (not imported: no circle)
    reader = hashlib.sha256(b"".join((here / n).read_bytes() for n in READER_SOURCES)).hexdigest()[:16]
    # problems are kept as message keys and fields: an entry never names a key or a field the catalogue no longer has
    rows = (f"{k} {' '.join(sorted(fields(ja) | fields(en)))}" for k, (ja, en) in sorted(CATALOGUE.items()))
    keys = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]
    return f"gapcheck {__version__}|pyyaml {yaml.__version__}|py {sys.version_info[:2]}|yamlio {reader}|messages {keys}\n".encode()


def key(raw: bytes) -> str:
    h = hashlib.sha256(_salt())
    h.update(raw)
    return h.hexdigest()


def has(raw: bytes) -> bool:
    """True when an entry for these bytes exists (one ``stat``: the entry is not read)."""
    folder = directory()
    if folder is None or len(raw) < MIN_BYTES:
        return False
    k = key(raw)
    return os.path.isfile(folder / k[:2] / k)


def get(raw: bytes) -> Any | None:
    """The cached payload for these bytes, or None."""
    folder = directory()
    if folder is None or len(raw) < MIN_BYTES:
        return None
    k = key(raw)
    try:
        return marshal.loads((folder / k[:2] / k).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def put(raw: bytes, payload: Any) -> None:
    """Store a payload (plain data only) for these bytes; failures are ignored (the cache is optional)."""
    folder = directory()
    if folder is None or len(raw) < MIN_BYTES:
        return
    from gapcheck.core.errors import GapcheckError
    from gapcheck.core.output import write_atomic

    k = key(raw)
    try:  # no lock: the name is the content's hash, and the rename is atomic, so racing writers write the same bytes
        write_atomic(folder / k[:2] / k, marshal.dumps(payload), durable=False)
    except (OSError, ValueError, GapcheckError):
        pass
