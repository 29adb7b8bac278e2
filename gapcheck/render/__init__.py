"""Renderers: finished results in, text or bytes out.  They never compute.

Each format has its own module; :data:`ANALYSIS_FORMATS` maps every value of
:class:`AnalysisFormat` to the function that renders a whole analysis, so a
new format cannot be added without a renderer.
"""

from __future__ import annotations

from enum import Enum


class AnalysisFormat(str, Enum):
    """Output formats of ``gapcheck analyze``."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


TABLE_NAMES = ("fit", "gap", "violation", "custom")
"""The per-operation tables of an analysis, in report order."""

_EXT = {AnalysisFormat.csv: "csv", AnalysisFormat.json: "json", AnalysisFormat.markdown: "md"}


def analysis_files(analysis: object, fmt: AnalysisFormat) -> dict[str, str]:
    """``--output``: one file per operation and table, plus ``summary.<ext>``; name -> text."""
    from gapcheck.render import csvfmt, jsonfmt, markdown

    a = analysis  # an Analysis; typed loosely to keep pandas off the import path
    ext = _EXT[fmt]
    files: dict[str, str] = {}
    summaries = [s.to_dict() for s in a.summaries] + [a.overall.to_dict()]  # type: ignore[attr-defined]
    if fmt is AnalysisFormat.json:
        files[f"summary.{ext}"] = jsonfmt.dumps(summaries)
    elif fmt is AnalysisFormat.markdown:
        files[f"summary.{ext}"] = markdown.summary_table(a)
    else:
        import pandas as pd

        flat = pd.json_normalize(summaries)
        files[f"summary.{ext}"] = csvfmt.dumps(flat)
    for s in a.summaries:  # type: ignore[attr-defined]
        tables = dict(a.operation_tables(s.operation))  # type: ignore[attr-defined]
        tables["requirements"] = a.operation_requirements(s.operation)  # type: ignore[attr-defined]  # every state
        for name, df in tables.items():
            key = f"{s.operation}.{name}.{ext}"
            if fmt is AnalysisFormat.json:
                files[key] = jsonfmt.dumps(jsonfmt.records(df))
            elif fmt is AnalysisFormat.markdown:
                files[key] = markdown.table(markdown.REQ_HEADERS, markdown.requirement_rows(df)) if name == "requirements" \
                    else markdown.operation_table(a, s.operation, name)
            else:
                files[key] = csvfmt.dumps(df)
    return files
