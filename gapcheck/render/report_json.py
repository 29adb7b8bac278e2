"""JSON report: the complete result (:meth:`gapcheck.report.Report.to_dict`), schema ``report``.

Keys come in a fixed order, Japanese text is kept as is, and no date appears
unless the report is dated (``--as-of``): identical input gives identical bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
from gapcheck.render.jsonfmt import dumps

if TYPE_CHECKING:
    from gapcheck.readiness.bundle import Report


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    return dumps(report.to_dict())
