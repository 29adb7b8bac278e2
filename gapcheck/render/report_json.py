"""JSON report: the complete result (:meth:`gapcheck.readiness.bundle.Report.to_dict`), schema ``report``.

The tables are written by pandas' C writer (:func:`gapcheck.render.jsonfmt.table_records`), as
``analyze --format json`` writes them: the same data as ``to_dict``, several times faster at full scale.

Keys come in a fixed order, Japanese text is kept as is, and no date appears
unless the report is dated (``--as-of``): identical input gives identical bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
from gapcheck.render.jsonfmt import dumps_utf8, table_records

if TYPE_CHECKING:
    from gapcheck.readiness.bundle import Report


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
    """The JSON report as UTF-8 (its text would be held beside its bytes: tens of MB at full scale)."""
    return dumps_utf8(report.document(table_records))
