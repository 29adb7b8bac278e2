"""CSV: one table per file, UTF-8 with BOM so that Excel opens Japanese text correctly.

Cells that a spreadsheet would run as a formula (starting with =, +, -, @,
tab or CR) are neutralised with a leading apostrophe.
"""

from __future__ import annotations

from typing import Any

from gapcheck.core.output import FORMULA_START
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions


def neutralise_frame(df: Any) -> Any:
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


def dumps(df: Any) -> str:
    """The table as CSV text (with BOM)."""
    return "\ufeff" + neutralise_frame(df).to_csv(index=False, lineterminator="\n")


def render_analysis(analysis: Any, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """``analyze --format csv`` on standard output: every requirement of every analysed operation."""
    return dumps(analysis.requirements)


def rollup_table(rollup: Any, name: str) -> Any:
    """One table of a roll-up as a frame: a frame of the result, the heat map wide (団体 x operation), or the problems."""
    import pandas as pd

    if name == "heatmap":
        munis = rollup.municipalities[["code", "name"]]
        wide = rollup.heatmap.pivot(index="code", columns="operation", values="status")
        wide = wide.reindex(index=munis["code"], columns=[c for c, _ in rollup.operations])
        return pd.concat([munis.reset_index(drop=True), wide.reset_index(drop=True)], axis=1)
    if name == "problems":
        columns = ["file", "line", "column", "severity", "code", "path", "message", "expected", "found"]
        return pd.DataFrame([p.to_dict() for p in rollup.problems], columns=columns)
    frame = getattr(rollup, name)
    return frame.drop(columns=["position"], errors="ignore")


def render_rollup(rollup: Any, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """``rollup --format csv`` on standard output: the summary grouped by ``--by`` (one row per group)."""
    return dumps(rollup_table(rollup, "groups"))
