"""The version of gapcheck (the one place it is written, besides pyproject.toml), and of the libraries it runs on."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

__version__ = "0.1.0"


def installed(distributions: Iterable[str]) -> dict[str, str]:
    """``name`` -> ``folder/name-version.dist-info`` of each of ``distributions`` found first on ``sys.path``.

    Read from the dist-info folder names, without importing anything (cache keys need the versions of
    libraries a fast path never imports).  Names are compared lower-case with ``-`` as ``_``.
    """
    wanted = {d.lower().replace("-", "_") for d in distributions}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                dist = name.partition("-")[0].lower().replace("-", "_")
                if dist in wanted and dist not in found:
                    found[dist] = f"{entry}/{name}"
    return found


def dist_version(dist_info: str) -> str:
    """The version in a dist-info folder's name (``…/pandas-3.1.0.dist-info`` -> ``3.1.0``)."""
    return dist_info.rsplit("/", 1)[-1][: -len(".dist-info")].partition("-")[2]
