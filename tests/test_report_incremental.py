"""`gapcheck report` renders only the formats whose inputs changed (gapcheck/report/incremental.py).

A format is skipped only when the manifest records, for its file, the key of
exactly the inputs, options, date and history of this run, and the file is
still what gapcheck wrote.  Every other case renders again, and the files
then equal those of a run that cannot skip (``GAPCHECK_CACHE=off``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import gapcheck.report.writer
from gapcheck.render.formats import FILE_NAMES, ReportFormat
from tests.conftest import invoke

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

NAMES = [FILE_NAMES[f] for f in ReportFormat]
ALL = [f.value for f in ReportFormat]
ARGS = ("report", "--as-of", "2026-11-29", "--jobs", "1")


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The formats rendered, in order (the renderer of gapcheck.report.writer, counted; with --jobs 1 all are
    rendered in this process)."""
    seen: list[str] = []
    real = gapcheck.report.writer.render_sections

    def counting(report: object, fmt: object, options: object, kept: object) -> tuple[str | bytes, dict[str, object]]:
        seen.append(str(getattr(fmt, "value", fmt)))
        return real(report, fmt, options, kept)  # type: ignore[arg-type]

    monkeypatch.setattr(gapcheck.report.writer, "render_sections", counting)
    return seen


def files(folder: Path) -> dict[str, bytes]:
    return {n: (folder / n).read_bytes() for n in NAMES}


def uncached(monkeypatch: pytest.MonkeyPatch, *args: str) -> dict[str, bytes]:
    """The files of a run that cannot skip anything, in a folder of their own."""
    with monkeypatch.context() as m:
        m.setenv("GAPCHECK_CACHE", "off")
        res = invoke(*ARGS, "--output", "fresh-reports", *args)
        assert res.exit_code == 0, res.stderr
    return files(Path("fresh-reports"))


def test_unchanged_inputs_render_nothing_and_say_so(project: Path, rendered: list[str]) -> None:
    first = invoke(*ARGS)
    assert first.stderr.splitlines() == [f"created: reports/{n}" for n in NAMES]
    assert rendered == ALL
    manifest = json.loads((project / "reports" / ".gapcheck-manifest.json").read_text("utf-8"))
    assert sorted(k for k in manifest if k.endswith("#inputs")) == sorted(f"{n}#inputs" for n in NAMES)
    rendered.clear()
    second = invoke(*ARGS)
    assert second.exit_code == 0
    assert second.stderr.splitlines() == [f"unchanged: reports/{n}" for n in NAMES]
    assert rendered == []


def test_force_render_renders_every_format_again(project: Path, rendered: list[str]) -> None:
    invoke(*ARGS)
    rendered.clear()
    res = invoke(*ARGS, "--force-render")
    assert res.stderr.splitlines() == [f"unchanged: reports/{n}" for n in NAMES]  # the same bytes, rendered again
    assert rendered == ALL


@pytest.mark.parametrize("change", ["mapping", "catalogue", "inventory", "new-file", "removed-file", "history"])
def test_a_changed_input_renders_again_and_matches_a_run_that_cannot_skip(project: Path, rendered: list[str],
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         change: str) -> None:
    invoke(*ARGS)
    before = files(project / "reports")
    mapping = project / "mappings" / "kaigo.yaml"
    if change == "mapping":
        mapping.write_text(mapping.read_text("utf-8").replace('{item: F6, requirement: "0230400", judgement: ○}',
                                                              '{item: F6, requirement: "0230400", judgement: ×}'), "utf-8")
    elif change == "catalogue":
        spec = project / "specs" / "kaigo" / "6.0.yaml"
        spec.write_text(spec.read_text("utf-8").replace("class: 実装必須", "class: 標準オプション", 1), "utf-8")
    elif change == "inventory":
        inv = project / "current_system" / "inventory.yaml"
        inv.write_text(inv.read_text("utf-8").replace("テスト町", "テスト村"), "utf-8")
    elif change == "new-file":
        shutil.copy(mapping, project / "mappings" / "kaigo-b.yaml")
        mapping.unlink()
    elif change == "removed-file":
        mapping.unlink()
    else:
        assert invoke("snapshot", "--as-of", "2026-10-01").exit_code == 0
    rendered.clear()
    res = invoke(*ARGS)
    assert res.exit_code == 0, res.stderr
    assert sorted(rendered) == sorted(ALL)
    after = files(project / "reports")
    assert after == uncached(monkeypatch)
    assert after["report.json"] != before["report.json"] or change == "new-file"


def test_another_date_or_option_renders_again(project: Path, rendered: list[str]) -> None:
    invoke(*ARGS)
    rendered.clear()
    invoke("report", "--as-of", "2026-12-01", "--jobs", "1")
    assert len(rendered) == len(ALL)
    rendered.clear()
    invoke("report", "--as-of", "2026-12-01", "--jobs", "1", "--full")  # every render option keys every format
    assert len(rendered) == len(ALL)
    rendered.clear()
    invoke("report", "--as-of", "2026-12-01", "--jobs", "1", "--full", "-f", "markdown")  # the same key: skipped
    assert rendered == []
    rendered.clear()
    invoke("report", "--jobs", "1")  # no --as-of: today, undated
    assert len(rendered) == len(ALL)


def test_a_file_edited_by_hand_is_rendered_again_and_not_overwritten_without_force(project: Path, rendered: list[str]) -> None:
    invoke(*ARGS)
    (project / "reports" / "report.md").write_text("my notes\n", "utf-8")
    rendered.clear()
    res = invoke(*ARGS)
    assert res.exit_code == 2 and "reports/report.md" in res.stderr
    assert (project / "reports" / "report.md").read_text("utf-8") == "my notes\n"
    res = invoke(*ARGS, "--force")
    assert res.exit_code == 0
    assert "updated: reports/report.md" in res.stderr.splitlines()


def test_a_removed_report_file_is_rendered_alone(project: Path, rendered: list[str]) -> None:
    invoke(*ARGS)
    (project / "reports" / "report.xlsx").unlink()
    rendered.clear()
    res = invoke(*ARGS)
    assert rendered == ["xlsx"]
    assert "created: reports/report.xlsx" in res.stderr.splitlines()


def test_a_manifest_without_input_keys_renders_every_format(project: Path, rendered: list[str]) -> None:
    invoke(*ARGS)
    path = project / "reports" / ".gapcheck-manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    path.write_text(json.dumps({k: v for k, v in manifest.items() if "#" not in k}), "utf-8")
    rendered.clear()
    invoke(*ARGS)
    assert len(rendered) == len(ALL)


def test_with_the_cache_off_every_format_is_rendered(project: Path, rendered: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAPCHECK_CACHE", "off")
    invoke(*ARGS)
    rendered.clear()
    res = invoke(*ARGS)
    assert len(rendered) == len(ALL)
    assert res.stderr.splitlines() == [f"unchanged: reports/{n}" for n in NAMES]
    manifest = json.loads((project / "reports" / ".gapcheck-manifest.json").read_text("utf-8"))
    assert not any(k.endswith("#inputs") for k in manifest)


def test_a_file_rewritten_without_a_key_loses_its_old_key(project: Path, rendered: list[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    invoke(*ARGS)
    mapping = project / "mappings" / "kaigo.yaml"
    original = mapping.read_bytes()
    mapping.write_bytes(original.replace(b"judgement: fit}", b"judgement: gap}", 1))
    with monkeypatch.context() as m:
        m.setenv("GAPCHECK_CACHE", "off")
        invoke(*ARGS)  # files of the edited inputs, recorded without a key
    mapping.write_bytes(original)  # back to the inputs of the first run
    rendered.clear()
    invoke(*ARGS)
    assert len(rendered) == len(ALL)  # their old keys went with the first files: rendered again, not skipped
