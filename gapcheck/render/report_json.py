"""JSON report: the complete result (:meth:`gapcheck.report.Report.to_dict`), schema ``report``.

Keys come in a fixed order, Japanese text is kept as is, and no date appears
unless the report is dated (``--as-of``): identical input gives identical bytes.
"""

from __future__ import annotations

from typing import Any

from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
from gapcheck.render.jsonfmt import dumps


def render(report: Any, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    return dumps(report.to_dict())
