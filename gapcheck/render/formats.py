"""The formats of ``gapcheck report`` and the one table from format to renderer."""

from __future__ import annotations

from enum import Enum
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gapcheck.readiness.bundle import Report


class ReportFormat(str, Enum):
    """Formats of ``gapcheck report``, in the order they are written."""

    html = "html"
    markdown = "markdown"
    json = "json"
    junit = "junit"
    xlsx = "xlsx"


FILE_NAMES = {
    ReportFormat.html: "report.html",
    ReportFormat.markdown: "report.md",
    ReportFormat.json: "report.json",
    ReportFormat.junit: "report.junit.xml",
    ReportFormat.xlsx: "report.xlsx",
}
"""The file each format is written to inside the output folder."""


_RENDERERS = {
    ReportFormat.html: "html",
    ReportFormat.markdown: "report_markdown",
    ReportFormat.json: "report_json",
    ReportFormat.junit: "junit",
    ReportFormat.xlsx: "xlsx",
}
"""Format -> module of :mod:`gapcheck.render` with ``render(report) -> str | bytes``."""

assert set(FILE_NAMES) == set(_RENDERERS) == set(ReportFormat)


def render(report: Report, fmt: ReportFormat) -> str | bytes:
    """One format of ``report`` as text (or bytes for Excel)."""
    module = import_module(f"gapcheck.render.{_RENDERERS[ReportFormat(fmt)]}")
    return module.render(report)  # type: ignore[no-any-return]
