"""CSV: one table per file, UTF-8 with BOM so that Excel opens Japanese text correctly.

Cells that a spreadsheet would run as a formula (starting with =, +, -, @,
tab or CR) are neutralised with a leading apostrophe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gapcheck.core.output import FORMULA_START
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions

if TYPE_CHECKING:
    import pandas as pd

    from gapcheck.analysis.result import Analysis


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells cannot run as formulas (vectorised)."""
    out = df.copy()
    pattern = "^[" + "".join("\\" + c if c in "-+" else c for c in FORMULA_START) + "]"
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype).startswith("str"):
            s = out[col]
            mask = s.astype("string").str.contains(pattern, regex=True, na=False)
            if mask.any():
                out[col] = s.where(~mask, "'" + s.astype("string"))
    return out


def dumps(df: pd.DataFrame) -> str:
    """The table as CSV text (with BOM)."""
    return "\ufeff" + neutralise_frame(df).to_csv(index=False, lineterminator="\n")


def render_analysis(analysis: Analysis, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """``analyze --format csv`` on standard output: every requirement of every analysed operation."""
    return dumps(analysis.requirements)
