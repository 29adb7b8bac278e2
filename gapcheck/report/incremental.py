"""Reports redone only when their inputs changed.

The manifest of a report folder (:data:`gapcheck.core.output.MANIFEST`)
records, beside each file's SHA-256, the key of everything the file was made
from (``"report.html#inputs"``, :func:`input_keys`): the fingerprint of the
inputs (every input file's path and content, gapcheck's own files and
versions: :mod:`gapcheck.analysis.inputs`), the operations, the date used
and whether it was given, the readiness history, the format and its render
options.  :func:`update_reports` renders only the formats whose recorded key
differs, or whose file is missing or no longer what gapcheck wrote; the
others are ``unchanged``, and when every format is, the report is not even
built.  A key is recorded only when the inputs were found unchanged at the
end of the run (read and hashed again), so a file edited meanwhile makes the
next run render again.  A format that is rendered (the workbook) takes the
sections of the operations whose rows are unchanged from the cache
(:func:`section_keys`): after one mapping is edited, only that operation's
sheets are written again.  With the cache off (``GAPCHECK_CACHE=off``) no key
is taken and every format is rendered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from gapcheck.core.lock import DEFAULT_TIMEOUT
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
from gapcheck.render.formats import FILE_NAMES, REPORT_RENDERERS, ReportFormat

if TYPE_CHECKING:
    from gapcheck.analysis.cache import Checked
    from gapcheck.core.config import Config

Progress = Callable[[int, int, str], None]


def input_keys(checked: Checked, config: Config, as_of: dt.date | None, operations: Iterable[str] | None,
               formats: Iterable[ReportFormat], options: RenderOptions = DEFAULT_OPTIONS,
               today: dt.date | None = None) -> dict[ReportFormat, str] | None:
    """Per format, the key of everything its file is made from (an undated report: of ``today``, or the day it
    is); None when the cache is off."""
    from gapcheck.readiness.cached import report_options

    base = report_options(list(operations or []), as_of, today)
    keys: dict[ReportFormat, str] = {}
    for fmt in formats:
        keyed = {**base, "format": fmt.value, "render": asdict(options)}
        if fmt is ReportFormat.html:  # the charts are labelled in Japanese only where a Japanese font is installed
            from gapcheck.render.charts import font_files

            keyed["fonts"] = font_files()
        key = checked.result_key("report-file", keyed, files=(config.history_path,))
        if key is None:
            return None
        keys[fmt] = key
    return keys


def up_to_date(folder: Path, keys: dict[ReportFormat, str]) -> set[ReportFormat]:
    """The formats whose file in ``folder`` was made from exactly ``keys`` and is still what gapcheck wrote."""
    from gapcheck.core.output import INPUTS, read_manifest

    manifest = read_manifest(folder)
    fresh = set()
    for fmt, key in keys.items():
        name = FILE_NAMES[fmt]
        if manifest.get(name + INPUTS) != key or name not in manifest:
            continue
        try:
            data = (folder / name).read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == manifest[name]:
            fresh.add(fmt)
    return fresh


def section_keys(checked: Checked, formats: Iterable[ReportFormat], as_of: dt.date | None,
                 options: RenderOptions) -> dict[ReportFormat, dict[str, str]]:
    """For each format of ``formats`` rendered in per-operation sections (the workbook), the key of each
    operation's sections: its rows' key (:meth:`~gapcheck.analysis.cache.Checked.piece_keys`: the files they are
    made from, the date used, gapcheck's own files) with the format and the render options.  Only for the report
    of every operation (its analysis is the default one); none when the project's results are not kept by
    operation."""
    out = {}
    for fmt in formats:
        if REPORT_RENDERERS[fmt].sections:
            keys = checked.piece_keys(f"report-{fmt.value}-sections", {"render": asdict(options)}, as_of)
            if keys:
                out[fmt] = keys
    return out


def update_reports(checked: Checked, config: Config, formats: Iterable[ReportFormat | str], folder: Path | str,
                   as_of: dt.date | None = None, operations: Iterable[str] | None = None, force: bool = False,
                   force_render: bool = False, progress: Progress | None = None, jobs: int = 1,
                   options: RenderOptions = DEFAULT_OPTIONS, lock_timeout: float = DEFAULT_TIMEOUT) -> dict[str, str]:
    """Write the reports of ``formats`` (all when empty) into ``folder``, rendering only those whose inputs
    changed (every one with ``force_render``); returns file name -> created/updated/unchanged, in format order.

    ``force`` replaces files gapcheck did not write (:func:`gapcheck.core.output.write_files`); ``jobs`` > 1
    renders the Excel workbook and the results file in a second process (:class:`gapcheck.report.writer.Renderer`); the files are
    written as one set under the folder's lock, waiting up to ``lock_timeout`` seconds for another run.
    """
    from gapcheck.analysis.cache import today
    from gapcheck.core.output import write_files
    from gapcheck.readiness.cached import report as build_report
    from gapcheck.report.writer import Renderer

    folder = Path(folder)
    chosen = list(dict.fromkeys(ReportFormat(f) for f in formats)) or list(ReportFormat)
    codes = list(operations or [])
    day = as_of or today()  # read once: every key and the report itself are of this day
    keys = input_keys(checked, config, as_of, codes, chosen, options, day)
    fresh = up_to_date(folder, keys) if keys is not None and not force_render else set()
    stale = [f for f in chosen if f not in fresh]
    status: dict[str, str] = {}
    if stale:
        # the worker starts before the report is built: its start and imports overlap the analysis
        sections = {} if codes else section_keys(checked, stale, day, options)
        kept = {f: checked.fetch_pieces(k) for f, k in sections.items()}
        charts = ReportFormat.html in stale and Renderer.mostly_kept(kept.get(ReportFormat.xlsx, {}),
                                                                     sections.get(ReportFormat.xlsx, {}))
        with Renderer(jobs, stale, charts) as renderer:
            report = build_report(checked, config, as_of, codes or None, today=day)
            checked.forget_project()  # the report holds what the renderers need: its memory goes to them
            rendered = renderer.render_all(report, stale, progress, options, kept)
            checked.keep({sections[f][c]: section for f, made in renderer.made.items() for c, section in made.items()
                          if c in sections.get(f, {})})
        recorded = {FILE_NAMES[f]: keys[f] for f in stale} if keys is not None and checked.inputs_unchanged() else None
        status = write_files(folder, {FILE_NAMES[f]: data for f, data in rendered.items()}, force, lock_timeout,
                             recorded)
    return {FILE_NAMES[f]: status.get(FILE_NAMES[f], "unchanged") for f in chosen}


def font_note(checked: Checked) -> str | None:
    """:func:`gapcheck.render.charts.font_warning`, cached by the font files found (finding them is cheap, asking
    matplotlib is not: 0.15-0.35 s) and gapcheck's environment (matplotlib's version among it), whatever the inputs."""
    from gapcheck.render.charts import font_files, font_warning

    return checked.settled("font-warning", {"fonts": font_files()}, font_warning)
