"""Paths as the user sees them."""

from __future__ import annotations

import os
from pathlib import Path

from gapcheck.core.escape import visible


def display_path(path: Path) -> str:
    """A path as shown to the user: relative to the working directory when inside it.

    A name that is not UTF-8 (CP932 bytes from a Windows zip) or that holds
    control characters is shown with escapes (``\\x93``, ``\\n``): it can be
    printed, written as UTF-8 and put in JSON, and it cannot forge a line.
    """
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return visible(str(path))
    return visible(str(path) if rel.startswith("..") else rel)
