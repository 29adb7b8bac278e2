"""CSV: one table per file, UTF-8 with BOM so that Excel opens Japanese text correctly.

Cells that a spreadsheet would run as a formula (:data:`~gapcheck.core.output.FORMULA`: starting with =, +, -, @,
tab or CR, also after leading white space and line breaks) are neutralised with a leading apostrophe, and every
field holding a CR or LF is quoted (a lone CR would otherwise end the row for LibreOffice and Excel).  Analysis
tables have Japanese headers and value labels for people; ``--codes`` keeps the ASCII column names and state
codes for machines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gapcheck.core.output import FORMULA
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions

if TYPE_CHECKING:
    import pandas as pd

    from gapcheck.analysis.result import Analysis

_ROW_END = "\r\n\x00"
"""The row end pandas writes first: the csv module quotes a field holding any character of the row end, so CR
and LF both get quotes; it is then made ``\\n`` (NUL never occurs in a value: it is escaped first)."""


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells cannot run as formulas (vectorised)."""
    out = df.copy()
    pattern = "^" + FORMULA
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype).startswith("str"):
            s = out[col]
            mask = s.astype("string").str.contains(pattern, regex=True, na=False)
            if mask.any():
                out[col] = s.where(~mask, "'" + s.astype("string"))
    return out


def _no_nul(df: pd.DataFrame) -> pd.DataFrame:
    for col in df.columns:
        if df[col].dtype == object or str(df[col].dtype).startswith("str"):
            s = df[col].astype("string")
            if s.str.contains("\x00", regex=False, na=False).any():
                df[col] = df[col].where(~s.str.contains("\x00", regex=False, na=False), s.str.replace("\x00", "\\x00"))
    return df


def dumps(df: pd.DataFrame) -> str:
    """The table as CSV text (with BOM)."""
    frame = neutralise_frame(df)
    text = frame.to_csv(index=False, lineterminator=_ROW_END)
    if text.count("\x00") != len(frame) + 1:  # a value holds NUL itself (never from a valid input): escape it
        text = _no_nul(frame).to_csv(index=False, lineterminator=_ROW_END)
    return "\ufeff" + text.replace(_ROW_END, "\n")


def for_people(df: pd.DataFrame) -> pd.DataFrame:
    """Japanese column headers and value labels (種別 機能, 状態 適合 ○, 判定 ○ …) instead of codes.

    People read a requirement by its ID and 種別, so the machines' ``ref`` column is left out, and the refs in
    the items' columns are labelled (``form:0230010`` reads 帳票 0230010).
    """
    from gapcheck.core.labels import COLUMN_LABELS, VALUE_LABELS, ref_labels

    out = df.drop(columns=[c for c in ("ref",) if c in df.columns])
    for col, labels in VALUE_LABELS.items():
        if col in out.columns:
            out[col] = out[col].map(labels).where(out[col].notna(), None)
    for col in ("requirements", "replacement", "broken"):
        if col in out.columns:
            out[col] = ref_labels(out[col])
    return out.rename(columns=COLUMN_LABELS)


def table(df: pd.DataFrame, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """An analysis table as CSV: for people unless ``options.codes``."""
    return dumps(df if options.codes else for_people(df))


def render_analysis(analysis: Analysis, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """``analyze --format csv`` on standard output: every requirement of every analysed operation."""
    return table(analysis.requirements, options)


def rollup_table(rollup: Any, name: str, codes: bool = False) -> pd.DataFrame:
    """One table of a roll-up (:data:`~gapcheck.render.formats.ROLLUP_TABLES`): for people (Japanese headers, labels), or codes.

    ``heatmap`` is 団体 x operation, one status per cell; ``problems`` every
    problem met.  Numbers stay numbers either way.
    """
    import pandas as pd

    from gapcheck.render import rollup_view as view

    if name == "heatmap":
        munis: pd.DataFrame = rollup.municipalities[["code", "name"]].reset_index(drop=True)
        wide: pd.DataFrame = rollup.heatmap.pivot(index="code", columns="operation", values="status")
        wide = wide.reindex(index=munis["code"], columns=[c for c, _ in rollup.operations]).reset_index(drop=True)
        if not codes:
            wide = wide.apply(lambda col: col.map(view.SHORT_STATUS))
            wide.columns = pd.Index([n for _, n in rollup.operations])
            munis = munis.rename(columns={"code": "団体コード", "name": "団体名"})
        return pd.concat([munis, wide], axis=1)
    if name == "problems":
        names = ["file", "line", "column", "severity", "code", "path", "message", "expected", "found"]
        problems = pd.DataFrame([p.to_dict() for p in rollup.problems], columns=names)
        return problems if codes else problems.rename(columns=dict(zip(names, view.PROBLEM_HEADERS, strict=True)))
    frame: pd.DataFrame = getattr(rollup, name)
    if codes:
        return frame
    return pd.DataFrame({header: view.cells(frame[field].tolist(), kind) for header, field, kind in view.table_columns(name, rollup.by)})


def render_rollup(rollup: Any, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """``rollup --format csv`` on standard output: the summary grouped by ``--by`` (one row per group)."""
    return dumps(rollup_table(rollup, "groups", options.codes))
