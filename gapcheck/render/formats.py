"""Every output format, and the one table per kind of result from format to renderer.

Five kinds of result are rendered: an analysis (``gapcheck analyze``), a
readiness assessment (``gapcheck readiness``), a report bundle (``gapcheck
report``), a spec diff (``gapcheck spec diff``), suggested links
(``gapcheck mapping suggest``) and a roll-up of many 団体 (``gapcheck
rollup``).  Each has an enum of its
formats and a table mapping every value to a :class:`~gapcheck.render.base.Renderer`;
:func:`check_tables` (run by the tests) fails when a value has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any

from gapcheck.analysis.result import TABLE_NAMES
from gapcheck.render.base import DEFAULT_OPTIONS, ModuleRenderer, RenderOptions

if TYPE_CHECKING:
    from gapcheck.analysis.result import Analysis
    from gapcheck.analysis.specdiff import SpecDiff
    from gapcheck.analysis.suggest import Suggestions
    from gapcheck.readiness.bundle import Report
    from gapcheck.readiness.status import Readiness

JSON, MARKDOWN, TEXT = "application/json", "text/markdown; charset=utf-8", "text/plain; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PARQUET = "application/vnd.apache.parquet"


class AnalysisFormat(str, Enum):
    """Output formats of ``gapcheck analyze``."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class ReadinessFormat(str, Enum):
    """Output formats of ``gapcheck readiness``."""

    table = "table"
    json = "json"
    markdown = "markdown"


class ReportFormat(str, Enum):
    """Formats of ``gapcheck report``, in the order they are written."""

    html = "html"
    markdown = "markdown"
    json = "json"
    junit = "junit"
    xlsx = "xlsx"
    results = "results"


class RollupFormat(str, Enum):
    """Output formats of ``gapcheck rollup``."""

    table = "table"
    html = "html"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class DiffFormat(str, Enum):
    """Output formats of ``gapcheck spec diff``."""

    text = "text"
    json = "json"


class SuggestFormat(str, Enum):
    """Output formats of ``gapcheck mapping suggest``."""

    table = "table"
    json = "json"
    csv = "csv"


ANALYSIS_RENDERERS: dict[AnalysisFormat, ModuleRenderer[Analysis]] = {
    AnalysisFormat.table: ModuleRenderer("table", TEXT, ".txt", "terminal:render_text"),
    AnalysisFormat.json: ModuleRenderer("json", JSON, ".json", "jsonfmt:render_analysis"),
    AnalysisFormat.csv: ModuleRenderer("csv", "text/csv; charset=utf-8", ".csv", "csvfmt:render_analysis"),
    AnalysisFormat.markdown: ModuleRenderer("markdown", MARKDOWN, ".md", "markdown:render"),
}
READINESS_RENDERERS: dict[ReadinessFormat, ModuleRenderer[Readiness]] = {
    ReadinessFormat.table: ModuleRenderer("table", TEXT, ".txt", "readiness:render_text"),
    ReadinessFormat.json: ModuleRenderer("json", JSON, ".json", "jsonfmt:render_readiness"),
    ReadinessFormat.markdown: ModuleRenderer("markdown", MARKDOWN, ".md", "readiness:render_markdown"),
}
REPORT_RENDERERS: dict[ReportFormat, ModuleRenderer[Report]] = {
    ReportFormat.html: ModuleRenderer("html", "text/html; charset=utf-8", ".html", "html:render"),
    ReportFormat.markdown: ModuleRenderer("markdown", MARKDOWN, ".md", "report_markdown:render"),
    ReportFormat.json: ModuleRenderer("json", JSON, ".json", "report_json:render"),
    ReportFormat.junit: ModuleRenderer("junit", "application/xml", ".junit.xml", "junit:render"),
    ReportFormat.xlsx: ModuleRenderer("xlsx", XLSX, ".xlsx", "xlsx:render", sections="xlsx:render_with"),
    ReportFormat.results: ModuleRenderer("results", PARQUET, ".parquet", "results:render"),
}
ROLLUP_RENDERERS: dict[RollupFormat, ModuleRenderer[Any]] = {  # a gapcheck.rollup.result.Rollup (a room above)
    RollupFormat.table: ModuleRenderer("table", TEXT, ".txt", "rollup_text:render"),
    RollupFormat.html: ModuleRenderer("html", "text/html; charset=utf-8", ".html", "rollup_html:render"),
    RollupFormat.json: ModuleRenderer("json", JSON, ".json", "jsonfmt:render_rollup"),
    RollupFormat.csv: ModuleRenderer("csv", "text/csv; charset=utf-8", ".csv", "csvfmt:render_rollup"),
    RollupFormat.xlsx: ModuleRenderer("xlsx", XLSX, ".xlsx", "rollup_xlsx:render"),
}
DIFF_RENDERERS: dict[DiffFormat, ModuleRenderer[SpecDiff]] = {
    DiffFormat.text: ModuleRenderer("text", TEXT, ".txt", "diff:render_text"),
    DiffFormat.json: ModuleRenderer("json", JSON, ".json", "jsonfmt:render_diff"),
}
SUGGEST_RENDERERS: dict[SuggestFormat, ModuleRenderer[Suggestions]] = {
    SuggestFormat.table: ModuleRenderer("table", TEXT, ".txt", "suggest:render_text"),
    SuggestFormat.json: ModuleRenderer("json", JSON, ".json", "suggest:render_json"),
    SuggestFormat.csv: ModuleRenderer("csv", "text/csv; charset=utf-8", ".csv", "suggest:render_csv"),
}

FILE_NAMES = {fmt: ("results" if fmt is ReportFormat.results else "report") + r.suffix
              for fmt, r in REPORT_RENDERERS.items()}
"""The file each report format is written to inside the output folder (``results.parquet`` for the roll-up's input)."""

__all__ = ["ANALYSIS_RENDERERS", "DIFF_RENDERERS", "FILE_NAMES", "READINESS_RENDERERS", "REPORT_RENDERERS", "ROLLUP_RENDERERS",
           "SUGGEST_RENDERERS", "TABLE_NAMES", "AnalysisFormat", "DiffFormat", "ReadinessFormat", "ReportFormat", "RollupFormat",
           "SuggestFormat", "analysis_files", "check_tables", "render", "render_sections", "rollup_files"]

def check_tables() -> None:
    """Every format of every kind has a renderer whose name is the format's own (raises AssertionError)."""
    tables: list[tuple[type[Enum], dict[Any, ModuleRenderer[Any]]]] = [
        (AnalysisFormat, dict(ANALYSIS_RENDERERS)), (ReadinessFormat, dict(READINESS_RENDERERS)),
        (ReportFormat, dict(REPORT_RENDERERS)), (DiffFormat, dict(DIFF_RENDERERS)),
        (RollupFormat, dict(ROLLUP_RENDERERS)), (SuggestFormat, dict(SUGGEST_RENDERERS))]
    for enum, table in tables:
        assert set(table) == set(enum), f"{enum.__name__}: no renderer for {set(enum) - set(table)}"
        assert all(r.name == f.value for f, r in table.items()), enum.__name__


def render(report: Report, fmt: ReportFormat | str, options: RenderOptions = DEFAULT_OPTIONS) -> str | bytes:
    """One format of ``report`` as text, or as bytes (the Excel workbook, the results file and the JSON report, whose
    text would be held beside its bytes)."""
    return REPORT_RENDERERS[ReportFormat(fmt)].render(report, options)


def render_sections(report: Report, fmt: ReportFormat | str, options: RenderOptions, kept: Mapping[str, Any] | None
                    ) -> tuple[str | bytes, dict[str, Any]]:
    """:func:`render`, and the format's per-operation sections for next time: with ``kept`` None, the format is
    rendered whole and nothing is made (:meth:`~gapcheck.render.base.ModuleRenderer.render_sections`)."""
    renderer = REPORT_RENDERERS[ReportFormat(fmt)]
    if kept is None:
        return renderer.render(report, options), {}
    return renderer.render_sections(report, options, kept)


def analysis_files(analysis: Analysis, fmt: AnalysisFormat, options: RenderOptions = DEFAULT_OPTIONS) -> dict[str, str]:
    """``analyze --output``: one file per operation and table, plus ``summary.<ext>``; name -> text."""
    from gapcheck.render import csvfmt, jsonfmt, markdown

    ext = ANALYSIS_RENDERERS[fmt].suffix.lstrip(".")
    files: dict[str, str] = {}
    summaries = [s.to_dict() for s in analysis.summaries] + [analysis.overall.to_dict()]
    if fmt is AnalysisFormat.json:
        files[f"summary.{ext}"] = jsonfmt.dumps(summaries)
    elif fmt is AnalysisFormat.markdown:
        files[f"summary.{ext}"] = markdown.summary_table(analysis)
    else:
        import pandas as pd

        files[f"summary.{ext}"] = csvfmt.dumps(pd.json_normalize(summaries))
    for s in analysis.summaries:
        tables = dict(analysis.operation_tables(s.operation))
        tables["requirements"] = analysis.operation_requirements(s.operation)  # every state
        for name, df in tables.items():
            key = f"{s.operation}.{name}.{ext}"
            if fmt is AnalysisFormat.json:
                files[key] = jsonfmt.dumps(jsonfmt.records(df))
            elif fmt is AnalysisFormat.markdown:
                files[key] = markdown.table(markdown.REQ_HEADERS, markdown.requirement_rows(df)) \
                    if name == "requirements" else markdown.operation_table(analysis, s.operation, name)
            else:
                files[key] = csvfmt.table(df, options)
    return files


ROLLUP_TABLES = ("groups", "municipalities", "heatmap", "requirements", "extensions", "problems")
"""The tables of a roll-up written as CSV files (``rollup.<table>.csv``) by ``rollup --format csv --output DIR``."""


def rollup_files(result: Any, fmt: RollupFormat, options: RenderOptions = DEFAULT_OPTIONS) -> dict[str, str | bytes]:
    """``rollup --output DIR``: ``rollup.<suffix>``, or for CSV one file per table of :data:`ROLLUP_TABLES`."""
    if fmt is not RollupFormat.csv:
        return {"rollup" + ROLLUP_RENDERERS[fmt].suffix: ROLLUP_RENDERERS[fmt].render(result, options)}
    from gapcheck.render import csvfmt

    return {f"rollup.{name}.csv": csvfmt.dumps(csvfmt.rollup_table(result, name, options.codes)) for name in ROLLUP_TABLES}
