"""`gapcheck report`: every format by default, atomic writes, never over a file gapcheck did not write."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

import gapcheck.core.output
from gapcheck.core.config import load_config
from gapcheck.readiness.bundle import build_report
from gapcheck.render.formats import FILE_NAMES, ReportFormat
from gapcheck.report.writer import Renderer, write_report
from gapcheck.validation.project import load_project

NAMES = ["report.html", "report.md", "report.json", "report.junit.xml", "report.xlsx", "results.parquet"]


def test_writes_all_six_formats_then_nothing_changes(small: Path, cli) -> None:
    first = cli("report", "--as-of", "2026-11-29", "--jobs", "1")
    assert first.exit_code == 0, first.stderr
    assert first.stderr.splitlines() == [f"created: reports/{n}" for n in NAMES]
    assert sorted(p.name for p in (small / "reports").iterdir()) == sorted(NAMES + [".gapcheck-manifest.json"])
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


def test_failing_write_midway_keeps_the_good_reports(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = load_config(".")
    project = load_project(cfg)
    write_report(build_report(project, cfg, dt.date(2026, 11, 29)), [], small / "reports")
    good = {n: (small / "reports" / n).read_bytes() for n in NAMES}
    real_fdopen = os.fdopen
    written: list[str] = []

    class HalfWriter:
        """A file that writes half of what it is given, then fails (a full disk, a killed process)."""

        def __init__(self, fh):  # type: ignore[no-untyped-def]
            self.fh = fh

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc):  # type: ignore[no-untyped-def]
            self.fh.close()

        def write(self, data: bytes) -> int:
            written.append(self.fh.name)
            if len(written) == 3:  # the third report file
                self.fh.write(data[: len(data) // 2])
                raise OSError(28, "No space left on device")
            return self.fh.write(data)

        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            return getattr(self.fh, name)

    later = build_report(project, cfg, dt.date(2026, 12, 1))  # different content: every file is rewritten
    with monkeypatch.context() as patch:
        patch.setattr(gapcheck.core.output.os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
        with pytest.raises(OSError, match="No space left"):
            write_report(later, [], small / "reports")
    after = {n: (small / "reports" / n).read_bytes() for n in NAMES}
    assert after["report.json"] == good["report.json"]  # the file that failed midway is the old, whole one
    assert after["report.html"] != good["report.html"] and after["report.md"] != good["report.md"]  # written before
    assert after["report.junit.xml"] == good["report.junit.xml"] and after["report.xlsx"] == good["report.xlsx"]
    assert after["results.parquet"] == good["results.parquet"]
    assert [p.name for p in (small / "reports").iterdir() if p.name.endswith(".tmp")] == []
    # The manifest knows the files already replaced, so the next run may update them without --force.
    status = write_report(later, [], small / "reports")
    assert status == {"report.html": "unchanged", "report.md": "unchanged", "report.json": "updated",
                      "report.junit.xml": "updated", "report.xlsx": "updated", "results.parquet": "updated"}


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
