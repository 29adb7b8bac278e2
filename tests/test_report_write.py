"""`gapcheck report`: every format by default, atomic writes, never over a file gapcheck did not write."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

import gapcheck.core.output
from gapcheck.core.config import load_config
from gapcheck.core.errors import OutputError
from gapcheck.readiness.bundle import build_report
from gapcheck.render.formats import FILE_NAMES, ReportFormat
from gapcheck.report.writer import Renderer, write_report
from gapcheck.validation.project import load_project

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

NAMES = ["report.html", "report.md", "report.json", "report.junit.xml", "report.xlsx", "results.parquet"]


def test_writes_all_six_formats_then_nothing_changes(small: Path, cli) -> None:
    first = cli("report", "--as-of", "2026-11-29", "--jobs", "1")
    assert first.exit_code == 0, first.stderr
    assert first.stderr.splitlines() == [f"created: reports/{n}" for n in NAMES]
    assert sorted(p.name for p in (small / "reports").iterdir()) == sorted(
        NAMES + [".gapcheck-manifest.json", ".gapcheck-manifest.json.lock"])
    second = cli("report", "--as-of", "2026-11-29", "--jobs", "1")
    assert second.stderr.splitlines() == [f"unchanged: reports/{n}" for n in NAMES]


def test_chosen_formats_and_output_folder(small: Path, cli) -> None:
    res = cli("report", "-f", "junit", "-f", "markdown", "--output", "out", "--as-of", "2026-11-29")
    assert res.exit_code == 0
    assert res.stderr.splitlines() == ["created: out/report.junit.xml", "created: out/report.md"]


def test_two_jobs_give_the_same_files(small: Path, cli) -> None:
    assert cli("report", "--as-of", "2026-11-29", "--jobs", "1", "--output", "one").exit_code == 0
    assert cli("report", "--as-of", "2026-11-29", "--jobs", "2", "--output", "two").exit_code == 0
    for name in NAMES:
        assert (small / "one" / name).read_bytes() == (small / "two" / name).read_bytes(), name


def test_a_foreign_file_is_not_overwritten_without_force(small: Path, cli) -> None:
    (small / "reports").mkdir(exist_ok=True)
    (small / "reports" / "report.md").write_text("my notes\n", "utf-8")
    res = cli("report", "--as-of", "2026-11-29", "-f", "markdown")
    assert res.exit_code == 2
    assert res.stderr == ("gapcheck: 1 file(s) exist with content gapcheck did not write: reports/report.md; "
                          "move them away or use --force\n")
    assert (small / "reports" / "report.md").read_text("utf-8") == "my notes\n"
    assert cli("report", "--as-of", "2026-11-29", "-f", "markdown", "--force").exit_code == 0


def test_failing_write_midway_keeps_the_whole_old_set(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = load_config(".")
    project = load_project(cfg)
    write_report(build_report(project, cfg, dt.date(2026, 11, 29)), [], small / "reports")
    good = {n: (small / "reports" / n).read_bytes() for n in NAMES + [".gapcheck-manifest.json"]}
    real_write = os.write
    json_writes: list[int] = []

    def full_disk(fd: int, data: bytes) -> int:
        """The disk fills up half-way through the third report file (the writer writes every byte with os.write)."""
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).startswith(".report.json."):
            json_writes.append(len(data))
            if len(json_writes) == 1:
                return real_write(fd, data[: len(data) // 2])  # half fits
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    later = build_report(project, cfg, dt.date(2026, 12, 1))  # different content: every file is rewritten
    with monkeypatch.context() as patch:
        patch.setattr(gapcheck.core.output.os, "write", full_disk)
        with pytest.raises(OutputError) as caught:
            write_report(later, [], small / "reports")
    assert caught.value.text("en") == ("reports/report.json: cannot write: No space left on device; nothing was replaced, "
                                       "the previous files are kept")
    assert str(caught.value) == "reports/report.json: 書き込めません: No space left on device。何も置き換えず、元のファイルはそのままです"
    after = {n: (small / "reports" / n).read_bytes() for n in NAMES + [".gapcheck-manifest.json"]}
    assert after == good  # every file, and the manifest, as they were
    assert sorted(p.name for p in (small / "reports").iterdir()) == sorted(
        NAMES + [".gapcheck-manifest.json", ".gapcheck-manifest.json.lock"])  # no temporary file, no journal
    status = write_report(later, [], small / "reports")  # space again: the set is gapcheck's own
    assert status == dict.fromkeys(NAMES, "updated")


def test_progress_reports_each_format(small: Path) -> None:
    cfg = load_config(".")
    report = build_report(load_project(cfg), cfg, dt.date(2026, 11, 29))
    seen: list[tuple[int, int]] = []
    with Renderer(1) as renderer:
        out = renderer.render_all(report, list(ReportFormat), lambda done, total, _name: seen.append((done, total)))
    assert list(out) == list(ReportFormat)
    assert seen == [(n, 6) for n in range(7)]
    assert set(FILE_NAMES.values()) == set(NAMES)


def test_bad_as_of_is_a_usage_error(small: Path, cli) -> None:
    res = cli("report", "--as-of", "2026-02-30")
    assert res.exit_code == 2
    assert res.stderr == "gapcheck: --as-of takes a date YYYY-MM-DD, not '2026-02-30'\n"


def test_invalid_input_writes_nothing(small: Path, cli) -> None:
    (small / "mappings" / "kaigo.yaml").write_text("gapcheck: mapping/1\noperation: kaigo\n", "utf-8")
    res = cli("report")
    assert res.exit_code == 3
    assert not (small / "reports").exists()


def test_the_worker_renders_the_workbook_and_the_results_file(small: Path) -> None:
    """What the second process of --jobs 2 is handed (the report and both formats) comes back rendered, byte for
    byte as this process renders them, so the fallback to rendering here is never what makes the files match."""
    import io
    import pickle

    from gapcheck.core.config import load_config
    from gapcheck.readiness.bundle import build_report
    from gapcheck.render.base import DEFAULT_OPTIONS
    from gapcheck.render.formats import ReportFormat, render
    from gapcheck.report.writer import Renderer, serve
    from gapcheck.validation.project import load_project

    cfg = load_config(".")
    report = build_report(load_project(cfg), cfg, dt.date(2026, 11, 29))
    assert Renderer.PARALLEL == (ReportFormat.xlsx, ReportFormat.results)
    from gapcheck.render.html import chart_uris

    # the workbook's sections asked for (none kept yet) and the charts drawn, or neither
    for kept, charts in (({}, False), ({ReportFormat.xlsx: {}}, True)):
        job = io.BytesIO(pickle.dumps((report, Renderer.PARALLEL, DEFAULT_OPTIONS, kept, charts)))
        answer = io.BytesIO()
        serve(job, answer, charts=charts)  # told to prepare for the charts, or not
        kind, (value, made, drawn) = pickle.loads(answer.getvalue())
        assert kind == "ok" and set(value) == set(Renderer.PARALLEL)
        for fmt in Renderer.PARALLEL:
            assert value[fmt] == render(report, fmt), fmt
        assert set(made) == set(kept)
        assert drawn == (chart_uris(report) if charts else None)
        if kept:
            assert sorted(made[ReportFormat.xlsx]) == sorted(s.operation for s in report.analysis.summaries)
