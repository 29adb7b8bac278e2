"""An analysis rendered for standard output through the result cache (:mod:`gapcheck.analysis.cache`).

JSON, CSV and Markdown depend on nothing but the analysis (not on the
terminal), so the rendered text is kept beside it, keyed by the analysis's
options, the format and the render options: a run on unchanged inputs writes it out without
reading the analysis back, importing pandas or rendering again.  The
terminal tables depend on the terminal and are always drawn afresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict
from typing import TYPE_CHECKING

from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
from gapcheck.render.formats import ANALYSIS_RENDERERS, AnalysisFormat

if TYPE_CHECKING:
    from gapcheck.analysis.cache import Checked

PLAIN_FORMATS = (AnalysisFormat.json, AnalysisFormat.csv, AnalysisFormat.markdown)
"""Formats whose text depends on the analysis alone."""


def analysis_output(checked: Checked, operations: Iterable[str] | None, spec_versions: dict[str, str] | None,
                    as_of: dt.date | None, fmt: AnalysisFormat,
                    options: RenderOptions = DEFAULT_OPTIONS) -> tuple[str, dict[str, int]]:
    """The analysis rendered in ``fmt``, and its count of each ``--fail-on`` state found
    (:meth:`gapcheck.analysis.result.Analysis.found` of every state)."""
    from gapcheck.analysis.cache import analysis_options
    from gapcheck.analysis.result import FAIL_ON_STATES

    chosen = list(operations or [])

    def compute() -> tuple[str, dict[str, int]]:
        result = checked.analyze(chosen or None, spec_versions, as_of, store=False)
        keys = checked.piece_keys("json-block", {"render": asdict(options)}, as_of) if (
            fmt is AnalysisFormat.json and not chosen and not spec_versions) else {}
        if keys:  # each operation's block kept: after an edit only the changed operations' blocks are written
            from gapcheck.render.jsonfmt import analysis_json_with

            kept = {c: t for c, t in checked.fetch_pieces(keys).items() if isinstance(t, str)}
            text, made = analysis_json_with(result, kept)
            checked.keep({keys[c]: t for c, t in made.items()})
            return text, result.found(FAIL_ON_STATES)
        return str(ANALYSIS_RENDERERS[fmt].render(result, options)), result.found(FAIL_ON_STATES)

    if fmt not in PLAIN_FORMATS:
        return compute()
    keyed = {**analysis_options(chosen, spec_versions, as_of), "format": fmt.value, "render": asdict(options)}
    return checked.memo("analysis-output", keyed, compute)
