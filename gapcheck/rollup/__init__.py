"""Roll-up: many 団体's saved results side by side, for a prefecture, a vendor or the nation.

Reads only results files (``results.parquet``, written by ``gapcheck
report`` and ``gapcheck snapshot``), never a municipality's YAML; checks
each from its footer, keeps one per 団体 and answers every view with SQL
(DuckDB, in process, over the Parquet files).  :func:`rollup` returns a
finished :class:`~gapcheck.rollup.result.Rollup`; the renderers in
:mod:`gapcheck.render` lay it out.  May import ``gapcheck.report``,
``gapcheck.render`` and every room below them; only ``gapcheck.cli`` imports
it.  DuckDB and pyarrow are imported only when a roll-up runs.

``gapcheck.rollup`` is both this room and the function (``gapcheck.rollup(...)``):
calling the room calls :func:`gapcheck.rollup.api.rollup`.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallableRoom(types.ModuleType):
    """This package, callable as :func:`gapcheck.rollup.api.rollup` (whichever of the two ``gapcheck.rollup`` names)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from gapcheck.rollup.api import rollup

        return rollup(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableRoom
