"""CSV: one table per file, UTF-8 with BOM so that Excel opens Japanese text correctly.

Cells that a spreadsheet would run as a formula (:data:`~gapcheck.core.output.FORMULA`: starting with =, +, -, @,
tab or CR, also after leading white space and line breaks) are neutralised with a leading apostrophe, and every
field holding a CR or LF is quoted (a lone CR would otherwise end the row for LibreOffice and Excel).
"""

from __future__ import annotations

from typing import Any

from gapcheck.core.output import FORMULA
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions

_ROW_END = "\r\n\x00"
"""The row end pandas writes first: the csv module quotes a field holding any character of the row end, so CR
and LF both get quotes; it is then made ``\\n`` (NUL never occurs in a value: it is escaped first)."""


def neutralise_frame(df: Any) -> Any:
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


def _no_nul(df: Any) -> Any:
    for col in df.columns:
        if df[col].dtype == object or str(df[col].dtype).startswith("str"):
            s = df[col].astype("string")
            if s.str.contains("\x00", regex=False, na=False).any():
                df[col] = df[col].where(~s.str.contains("\x00", regex=False, na=False), s.str.replace("\x00", "\\x00"))
    return df


def dumps(df: Any) -> str:
    """The table as CSV text (with BOM)."""
    frame = neutralise_frame(df)
    text = frame.to_csv(index=False, lineterminator=_ROW_END)
    if text.count("\x00") != len(frame) + 1:  # a value holds NUL itself (never from a valid input): escape it
        text = _no_nul(frame).to_csv(index=False, lineterminator=_ROW_END)
    return "\ufeff" + text.replace(_ROW_END, "\n")


def render_analysis(analysis: Any, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """``analyze --format csv`` on standard output: every requirement of every analysed operation."""
    return dumps(analysis.requirements)
