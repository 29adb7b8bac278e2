"""The workbook in per-operation sections (gapcheck/render/xlsx.py ``render_with``, gapcheck/report/incremental.py):
after one mapping is edited, ``gapcheck report`` writes that operation's sheets again and takes the others'
parts as an earlier run wrote them, and the file is byte for byte the one a run without the cache writes.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from pathlib import Path
from typing import Any

import pytest

from gapcheck.analysis.cache import check_project
from gapcheck.core.config import load_config
from gapcheck.readiness.bundle import build_report
from gapcheck.render import xlsx
from gapcheck.validation.project import load_project
from tests import test_result_pieces as pieces
from tests.conftest import invoke
from tests.test_result_pieces import DAY, _edit

many = pieces.many
"""The fixture of a project of many operations, whose 共通機能 mapping links items of two others."""


def _report() -> Any:
    return build_report(load_project(load_config(".")), load_config("."), DAY)


def test_a_workbook_made_of_kept_sheets_is_the_workbook_written_whole(many: Path) -> None:
    report = _report()
    whole = xlsx.render(report)
    again, made = xlsx.render_with(report, keep=True)
    codes = [s.operation for s in report.analysis.summaries]
    assert again == whole and sorted(made) == sorted(codes)
    rng = random.Random(5)
    for kept in ([codes[0]], codes[1:], codes, rng.sample(codes, 4)):
        spliced, fresh = xlsx.render_with(report, kept={c: made[c] for c in kept}, keep=True)
        assert spliced == whole
        assert sorted(fresh) == sorted(set(codes) - set(kept))
        assert all(fresh[c] == made[c] for c in fresh)


def test_each_kept_part_is_an_operations_own_sheet(many: Path) -> None:
    report = _report()
    _, made = xlsx.render_with(report, keep=True)
    with zipfile.ZipFile(io.BytesIO(xlsx.render(report))) as book:
        parts = {n: book.read(n) for n in book.namelist() if n.startswith("xl/worksheets/sheet")}
    # sheet1 is 概要; then each operation's 標準→現行 and 独自, in the order of the summaries
    for n, s in enumerate(report.analysis.summaries):
        assert made[s.operation] == (parts[f"xl/worksheets/sheet{2 + 2 * n}.xml"], parts[f"xl/worksheets/sheet{3 + 2 * n}.xml"])


def test_a_kept_section_of_another_shape_is_written_again(many: Path) -> None:
    report = _report()
    whole = xlsx.render(report)
    code = report.analysis.summaries[0].operation
    for bad in (b"<worksheet/>", ("a", "b"), (b"x",), None, 3):
        spliced, fresh = xlsx.render_with(report, kept={code: bad}, keep=True)
        assert spliced == whole and code in fresh
    _, made = xlsx.render_with(report, keep=True)  # found by review: an operation the report does not hold
    spliced, fresh = xlsx.render_with(report, kept={"no-such-operation": made[code]}, keep=True)
    assert spliced == whole and "no-such-operation" not in fresh


def _cli_report(out: str, *extra: str) -> None:
    res = invoke("report", "--output", out, "--as-of", DAY.isoformat(), "--force", *extra)
    assert res.exit_code == 0, res.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_after_edits_the_report_takes_the_unchanged_sheets_and_equals_a_run_without_the_cache(
        many: Path, monkeypatch: pytest.MonkeyPatch, jobs: str) -> None:
    spliced: list[int] = []
    real = xlsx._with_parts

    def spy(data: bytes, parts: dict[str, bytes]) -> bytes:
        spliced.append(len(parts))
        return real(data, parts)

    monkeypatch.setattr(xlsx, "_with_parts", spy)
    _cli_report("out", "--jobs", jobs)
    rng = random.Random(11)
    for n in range(4):
        what = _edit(many, rng)
        _cli_report("out", "--jobs", jobs)
        with monkeypatch.context() as m:
            m.setenv("GAPCHECK_CACHE", "off")
            _cli_report(f"fresh{n}", "--jobs", "1")
        for name in ("report.xlsx", "report.html", "report.json", "report.junit.xml", "report.md"):
            assert (many / "out" / name).read_bytes() == (many / f"fresh{n}" / name).read_bytes(), (name, what)
    if jobs == "1":  # the worker's calls are in its own process: only the files say what it did
        assert spliced and max(spliced) > 0


def test_only_the_workbook_has_sections_and_their_keys_hold_the_date(many: Path) -> None:
    from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
    from gapcheck.render.formats import ReportFormat
    from gapcheck.report.incremental import section_keys

    checked = check_project(load_config("."), whole=True)
    keys = section_keys(checked, list(ReportFormat), DAY, DEFAULT_OPTIONS)
    assert list(keys) == [ReportFormat.xlsx]
    assert len(keys[ReportFormat.xlsx]) == len(checked.operations) - 2  # every operation analysed (two are not applicable)
    others = [section_keys(checked, [ReportFormat.xlsx], DAY + dt.timedelta(days=1), DEFAULT_OPTIONS),
              section_keys(checked, [ReportFormat.xlsx], DAY, RenderOptions(lang="en"))]
    for other in others:
        assert set(keys[ReportFormat.xlsx].values()).isdisjoint(other[ReportFormat.xlsx].values())


def test_a_report_of_chosen_operations_takes_no_sections(many: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _cli_report("out", "--jobs", "1")
    monkeypatch.setattr(xlsx, "_with_parts", lambda *a: pytest.fail("a section was taken"))
    _cli_report("one", "--jobs", "1", "-o", "juki")
    with monkeypatch.context() as m:
        m.setenv("GAPCHECK_CACHE", "off")
        _cli_report("fresh", "--jobs", "1", "-o", "juki")
    assert (many / "one" / "report.xlsx").read_bytes() == (many / "fresh" / "report.xlsx").read_bytes()


@pytest.mark.parametrize("worker", ["answers", "fails"])
def test_charts_drawn_by_the_worker_give_the_same_page(many: Path, monkeypatch: pytest.MonkeyPatch, worker: str) -> None:
    from gapcheck.render.formats import ReportFormat, render
    from gapcheck.report import writer

    report = _report()
    _, made = xlsx.render_with(report, keep=True)
    kept = {ReportFormat.xlsx: made}
    formats = list(ReportFormat)
    if worker == "fails":  # the worker ends without an answer: this process draws the charts itself
        monkeypatch.setattr(writer.Renderer, "_receive", lambda self, sender: None)
    with writer.Renderer(2, formats) as renderer:
        assert renderer._charts_aside(report, formats, renderer.aside(formats), kept)
        got = renderer.render_all(report, formats, kept=kept)
    assert got[ReportFormat.html] == render(report, ReportFormat.html).encode("utf-8")
    assert got[ReportFormat.xlsx] == render(report, ReportFormat.xlsx)
    assert not writer.Renderer._charts_aside(report, formats, [ReportFormat.xlsx, ReportFormat.results], {})


def test_the_worker_draws_the_charts_when_at_least_half_the_workbook_is_kept() -> None:
    from gapcheck.report.writer import Renderer

    codes = ["a", "b", "c", "d"]
    assert Renderer.mostly_kept(["a", "b"], codes) and Renderer.mostly_kept(codes, codes)
    assert not Renderer.mostly_kept(["a"], codes) and not Renderer.mostly_kept(["x", "y", "z"], codes)
    assert not Renderer.mostly_kept([], []) and not Renderer.mostly_kept(["a"], [])


def test_an_undated_report_reads_the_day_once_for_its_keys_and_its_content(many: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by review: the sections' keys and the report read today's date apart, so a run crossing midnight
    could store one day's sheets under the other day's keys."""
    import json

    from gapcheck.analysis import cache
    from gapcheck.report.incremental import update_reports

    day = dt.date(2026, 9, 30)  # not the real today: every date the run uses must come from this one reading
    monkeypatch.setattr(cache, "today", lambda: day)
    keys: list[dt.date | None] = []
    import gapcheck.report.incremental as incremental

    real = incremental.section_keys

    def spy(checked: Any, formats: Any, as_of: dt.date | None, options: Any) -> Any:
        keys.append(as_of)
        return real(checked, formats, as_of, options)

    import gapcheck.readiness.cached as cached

    built: list[dt.date] = []
    real_report = cached.report

    def report_spy(*args: Any, **kwargs: Any) -> Any:
        got = real_report(*args, **kwargs)
        built.append(got.readiness.as_of)
        return got

    monkeypatch.setattr(incremental, "section_keys", spy)
    monkeypatch.setattr(cached, "report", report_spy)
    checked = check_project(load_config("."))
    update_reports(checked, load_config("."), [], "out", force=True)
    assert keys == [day] and built == [day]
    assert json.loads((many / "out" / "report.json").read_text("utf-8"))["as_of"] is None  # undated all the same
