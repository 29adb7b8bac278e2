"""The result cache never serves a stale answer (gapcheck/analysis/cache.py).

Every test compares a run that may use the cache with one that cannot
(``GAPCHECK_CACHE=off``), and checks which results came from the cache: any
change of any input, of the file set, of a name, of the date or of an option
must give a fresh result.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
from pathlib import Path

import pytest

from gapcheck.analysis.cache import RESULTS, Checked, check_project
from gapcheck.core.config import load_config
from tests.conftest import SMALL, invoke

DAY = dt.date(2026, 11, 29)


def checked() -> Checked:
    return check_project(load_config("."))


def analysis_json(*args: str) -> str:
    res = invoke("analyze", "--format", "json", "--as-of", DAY.isoformat(), *args)
    return res.stdout + "\n--stderr--\n" + res.stderr


def fresh(monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    """The output of a run that cannot use the cache."""
    with monkeypatch.context() as m:
        m.setenv("GAPCHECK_CACHE", "off")
        return analysis_json(*args)


def test_a_second_run_on_unchanged_inputs_reads_the_problems_and_the_analysis_back(project: Path) -> None:
    first = checked()
    a = first.analyze(as_of=DAY)
    assert first.hits == []
    second = checked()
    b = second.analyze(as_of=DAY)
    assert second.hits == ["header", "analysis"]
    assert a.to_dict() == b.to_dict()
    assert analysis_json() == analysis_json()


def test_the_cli_gives_the_same_output_cached_and_uncached(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    analysis_json()
    assert analysis_json() == fresh(monkeypatch)


def _files(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in root.rglob("*.yaml"))


@pytest.mark.parametrize("name", [str(p) for p in _files(SMALL)])
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_one_byte_changed_in_any_input_gives_a_fresh_result(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                           name: str, where: str) -> None:
    analysis_json()
    checked().analyze(as_of=DAY)
    path = project / name
    raw = bytearray(path.read_bytes())
    lines = raw.split(b"\n")
    # a byte of a value, not of a comment: the start of the first value line, the middle line, the last one
    value_lines = [i for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith(b"#")]
    index = {"start": value_lines[0], "middle": value_lines[len(value_lines) // 2], "end": value_lines[-1]}[where]
    line = lines[index]
    pos = max(i for i, c in enumerate(line) if chr(c).isalnum())
    line[pos] = ord("7") if line[pos] != ord("7") else ord("8")
    lines[index] = line
    path.write_bytes(b"\n".join(lines))
    run = checked()
    assert run.hits == []
    if run.valid:
        run.analyze(as_of=DAY)
    assert run.hits == []
    assert analysis_json() == fresh(monkeypatch)


def test_a_changed_comment_is_a_changed_input_too(project: Path) -> None:
    checked().analyze(as_of=DAY)
    path = project / "mappings" / "kaigo.yaml"
    path.write_bytes(path.read_bytes().replace(b"# Test fixture", b"# Test fixturE", 1))
    run = checked()
    run.analyze(as_of=DAY)
    assert run.hits == []


def test_an_added_file_gives_a_fresh_result(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    analysis_json()
    checked().analyze(as_of=DAY)
    shutil.copy(project / "specs" / "kaigo" / "6.0.yaml", project / "specs" / "kaigo" / "6.1.yaml")
    text = (project / "specs" / "kaigo" / "6.1.yaml").read_text("utf-8").replace('version: "6.0"', 'version: "6.1"')
    (project / "specs" / "kaigo" / "6.1.yaml").write_text(text, "utf-8")
    assert checked().hits == []
    out = analysis_json()
    assert out == fresh(monkeypatch)
    assert '"spec_version": "6.1"' in out  # the new catalogue is the one analysed


def test_an_added_file_that_is_an_exact_copy_still_gives_a_fresh_result(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    analysis_json()
    shutil.copy(project / "mappings" / "kaigo.yaml", project / "mappings" / "kaigo-copy.yaml")
    assert checked().hits == []
    out = analysis_json()
    assert out == fresh(monkeypatch)
    assert "duplicate-mapping" in out and "kaigo-copy.yaml" in out


def test_a_removed_file_gives_a_fresh_result(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    analysis_json()
    (project / "mappings" / "kaigo.yaml").unlink()
    assert checked().hits == []
    out = analysis_json()
    assert out == fresh(monkeypatch)
    assert '"fit": 0' in out


def test_a_file_renamed_with_the_same_content_gives_a_fresh_result(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "mappings" / "kaigo.yaml").write_text(
        (project / "mappings" / "kaigo.yaml").read_text("utf-8").replace("judgement: fit}", "judgement: fit, extra: 1}", 1),
        "utf-8")  # an error that names the file
    before = analysis_json()
    assert "mappings/kaigo.yaml" in before
    (project / "mappings" / "kaigo.yaml").rename(project / "mappings" / "vendor-a.yaml")
    assert checked().hits == []
    after = analysis_json()
    assert after == fresh(monkeypatch)
    assert "mappings/vendor-a.yaml" in after and "mappings/kaigo.yaml" not in after


def test_a_moved_folder_with_the_same_files_gives_a_fresh_result(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checked().analyze(as_of=DAY)
    (project / "specs" / "kaigo").rename(project / "specs" / "kaigo-b")
    assert checked().hits == []


def test_another_working_directory_gives_a_fresh_result(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Problems name files relative to the working directory, so it is part of the key."""
    checked().analyze(as_of=DAY)
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    run = check_project(load_config(".").with_overrides(specs=Path("../specs"), current_system=Path("../current_system"),
                                                        mappings=Path("../mappings")))
    assert run.hits == []


def test_another_date_gives_a_fresh_analysis(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checked().analyze(as_of=DAY)
    run = checked()
    run.analyze(as_of=dt.date(2027, 4, 1))
    assert run.hits == ["header"]  # the problems do not depend on the date; the analysis does
    late = invoke("analyze", "--format", "json", "--as-of", "2027-04-01").stdout
    assert '"deferral-expired": 1' in late
    with monkeypatch.context() as m:
        m.setenv("GAPCHECK_CACHE", "off")
        assert invoke("analyze", "--format", "json", "--as-of", "2027-04-01").stdout == late


def test_without_as_of_the_key_holds_today(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Tomorrow:
        @classmethod
        def today(cls) -> dt.date:
            return dt.date(2027, 4, 1)

    first = checked()
    first.analyze()
    monkeypatch.setattr("gapcheck.analysis.cache.today", Tomorrow.today)
    run = checked()
    result = run.analyze()
    assert run.hits == ["header"]
    assert result.overall.states["deferral-expired"] == 1


@pytest.mark.parametrize("args", [("-o", "kaigo"), ("--spec-version", "kaigo=6.0")])
def test_another_option_gives_a_fresh_analysis(project: Path, args: tuple[str, str]) -> None:
    checked().analyze(as_of=DAY)
    run = checked()
    if args[0] == "-o":
        run.analyze([args[1]], as_of=DAY)
    else:
        run.analyze(None, {"kaigo": "6.0"}, as_of=DAY)
    assert run.hits == ["header"]


def test_a_changed_environment_setting_gives_a_fresh_result(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gapcheck.analysis import inputs

    checked()
    monkeypatch.setenv("GAPCHECK_SOMETHING", "1")
    inputs.environment.cache_clear()
    try:
        assert checked().hits == []
    finally:
        monkeypatch.delenv("GAPCHECK_SOMETHING")
        inputs.environment.cache_clear()


def test_a_changed_gapcheck_source_gives_a_fresh_result(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gapcheck.analysis import inputs

    checked()
    real = Path.read_bytes

    def patched(self: Path) -> bytes:
        data = real(self)
        return data + b"# changed" if self.name == "classify.py" else data

    monkeypatch.setattr(Path, "read_bytes", patched)
    inputs.environment.cache_clear()
    try:
        assert checked().hits == []
    finally:
        monkeypatch.undo()
        inputs.environment.cache_clear()


def test_warnings_print_on_a_cached_run_exactly_as_on_a_fresh_one(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = project / "mappings" / "kaigo.yaml"
    text = path.read_text("utf-8").replace("links:\n", 'links:\n  - {item: F1, requirement: "0230265", judgement: fit}\n', 1)
    path.write_text(text, "utf-8")  # a repeated link: a warning
    first = invoke("analyze", "--format", "json", "--as-of", DAY.isoformat())
    assert "link-duplicate" in first.stderr
    assert checked().hits == ["header"]
    second = invoke("analyze", "--format", "json", "--as-of", DAY.isoformat())
    assert (second.exit_code, second.stdout, second.stderr) == (first.exit_code, first.stdout, first.stderr)
    assert second.stderr == fresh(monkeypatch).split("\n--stderr--\n")[1]


def test_errors_stop_a_cached_run_as_they_stop_a_fresh_one(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = project / "mappings" / "kaigo.yaml"
    path.write_text(path.read_text("utf-8").replace('requirement: "0230265"', 'requirement: "0239999"', 1), "utf-8")
    first = invoke("analyze", "--format", "json")
    second = invoke("analyze", "--format", "json")
    assert first.exit_code == second.exit_code == 3
    assert first.stderr == second.stderr and "unknown-requirement" in second.stderr


def test_cache_off_writes_and_reads_nothing(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAPCHECK_CACHE", "off")
    checked().analyze(as_of=DAY)
    run = checked()
    run.analyze(as_of=DAY)
    assert run.hits == []
    assert not (tmp_path / "cache").exists()


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / RESULTS).iterdir())


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "wrong-key", "bad-pickle"])
def test_a_corrupt_entry_is_ignored_and_rebuilt(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               damage: str) -> None:
    from gapcheck.loading import cachedir

    expected = analysis_json()
    entries = _entries(tmp_path)
    # the problems, the clean project's base, the JSON, and per operation (one here) its rows and its JSON block
    assert len(entries) == 5
    originals = {e: e.read_bytes() for e in entries}
    for entry in entries:
        raw = originals[entry]
        if damage == "truncate":
            entry.write_bytes(raw[: len(raw) // 2])
        elif damage == "flip":
            entry.write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))
        elif damage == "garbage":
            entry.write_bytes(os.urandom(len(raw)))
        elif damage == "empty":
            entry.write_bytes(b"")
        elif damage == "wrong-key":  # a valid entry under another name: never read as this one
            entry.write_bytes(originals[entries[0] if entry != entries[0] else entries[1]])
        else:  # header and checksum right, payload not a pickle gapcheck can load
            cachedir.write_entry(entry, entry.name, pickle.dumps(1)[:-1])
    assert checked().hits == []
    assert analysis_json() == expected
    assert checked().hits == ["header"]  # rebuilt


def test_a_pickle_in_a_folder_others_can_write_is_never_loaded(project: Path, tmp_path: Path) -> None:
    checked().analyze(as_of=DAY)
    (tmp_path / "cache" / RESULTS).chmod(0o777)
    run = checked()
    run.analyze(as_of=DAY)
    assert run.hits == []


def test_the_cache_stays_within_its_size_bound_oldest_out_first(project: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from gapcheck.loading import cachedir

    days = [DAY + dt.timedelta(days=n) for n in range(6)]
    for n, day in enumerate(days):
        checked().analyze(as_of=day)
        for entry in _entries(tmp_path):  # what this run wrote or read is older than what the next one will
            if entry.stat().st_mtime > 2_000_000:
                os.utime(entry, (1_000_000 + n, 1_000_000 + n))
    everything = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    oldest = [e for e in _entries(tmp_path) if e.stat().st_mtime == 1_000_000]  # the first day's analysis, its pieces
    assert len(oldest) >= 2
    limit = sum(p.stat().st_size for p in everything) - sum(e.stat().st_size for e in oldest)  # room for all but those
    monkeypatch.setenv("GAPCHECK_CACHE_MB", str(limit / 1024 / 1024))
    assert cachedir.prune() > 0
    assert sum(p.stat().st_size for p in (tmp_path / "cache").rglob("*") if p.is_file()) <= limit
    run = checked()
    run.analyze(as_of=days[-1])  # the newest survived
    assert "analysis" in run.hits
    run = checked()
    run.analyze(as_of=days[0])  # the oldest went
    assert "analysis" not in run.hits


def test_an_input_changed_while_loading_leaves_no_entry(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file edited between the key and the end of the load: nothing is stored under the old key."""
    import gapcheck.validation.project as loader

    path = project / "mappings" / "kaigo.yaml"
    original = path.read_bytes()
    real = loader.load_project

    def load_then_edit(*args: object, **kwargs: object) -> object:
        path.write_bytes(original.replace(b"judgement: fit}", b"judgement: gap}", 1))
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        path.write_bytes(original)  # and back: the same content as when the key was taken
        return result

    monkeypatch.setattr(loader, "load_project", load_then_edit)
    checked().analyze(as_of=DAY)
    monkeypatch.setattr(loader, "load_project", real)
    run = checked()
    run.analyze(as_of=DAY)
    assert run.hits == []


def test_readiness_show_and_check_are_cached_and_fresh_after_a_change(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commands = [("readiness", "--format", "json", "--as-of", "2026-11-29"), ("show", "0230265", "--format", "json"),
                ("check", "--as-of", "2026-11-29")]
    (project / "policy.yaml").write_text("gapcheck: policy/1\nall:\n  max_violations: 0\n  max_undecided: 1\n", "utf-8")
    first = [invoke(*c) for c in commands]
    second = [invoke(*c) for c in commands]
    assert [(r.exit_code, r.stdout, r.stderr) for r in first] == [(r.exit_code, r.stdout, r.stderr) for r in second]
    path = project / "mappings" / "kaigo.yaml"
    path.write_text(path.read_text("utf-8").replace('{item: F6, requirement: "0230400", judgement: ○}',
                                                    '{item: F6, requirement: "0230400", judgement: ×}'), "utf-8")
    changed = [invoke(*c) for c in commands]
    with monkeypatch.context() as m:
        m.setenv("GAPCHECK_CACHE", "off")
        uncached = [invoke(*c) for c in commands]
    assert [(r.exit_code, r.stdout, r.stderr) for r in changed] == [(r.exit_code, r.stdout, r.stderr) for r in uncached]
    assert [r.stdout for r in changed] != [r.stdout for r in first]


def test_a_changed_history_gives_a_fresh_readiness(project: Path) -> None:
    from gapcheck.readiness.cached import readiness

    cfg = load_config(".")
    readiness(checked(), cfg, DAY)
    run = checked()
    readiness(run, cfg, DAY)
    assert run.hits == ["header", "readiness"]
    invoke("snapshot", "--as-of", "2026-10-01")
    run = checked()
    readiness(run, cfg, DAY)
    assert "readiness" not in run.hits


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown"])
def test_the_rendered_text_is_kept_per_format_and_fail_on_reads_its_counts(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                                          fmt: str) -> None:
    from gapcheck.render.cached import analysis_output
    from gapcheck.render.formats import AnalysisFormat

    args = ("analyze", "--format", fmt, "--as-of", DAY.isoformat(), "--fail-on", "gap,violation,custom")
    first = invoke(*args)
    run = checked()
    text, counts = analysis_output(run, None, None, DAY, AnalysisFormat(fmt))
    assert run.hits == ["header", "analysis-output"]
    assert text == first.stdout
    assert {s: counts.get(s, 0) for s in ("gap", "violation", "custom", "undecided", "broken")} == \
        {"gap": 2, "violation": 1, "custom": 3, "undecided": 2, "broken": 0}
    second = invoke(*args)
    with monkeypatch.context() as m:
        m.setenv("GAPCHECK_CACHE", "off")
        uncached = invoke(*args)
    assert (first.exit_code, first.stdout, first.stderr) == (second.exit_code, second.stdout, second.stderr) \
        == (uncached.exit_code, uncached.stdout, uncached.stderr)
    assert second.exit_code == 1 and "gapcheck: 見つかりました: gap 2 件、violation 1 件、custom 3 件（--fail-on）" in second.stderr
    english = invoke("--lang", "en", *args)
    assert english.stdout == first.stdout and "gapcheck: found 2 gap, 1 violation, 3 custom (--fail-on)" in english.stderr


def test_the_language_is_in_the_key_and_cached_messages_follow_it(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Problems are kept as catalogue messages, not as text: a warning cached by a Japanese run prints in English
    under --lang en, exactly as a run without the cache prints it; rendered text is keyed by the language too."""
    from dataclasses import asdict

    from gapcheck.analysis.cache import analysis_options
    from gapcheck.render.base import RenderOptions

    path = project / "mappings" / "kaigo.yaml"
    text = path.read_text("utf-8").replace("links:\n", 'links:\n  - {item: F1, requirement: "0230265", judgement: fit}\n', 1)
    path.write_text(text, "utf-8")  # a repeated link: a warning
    ja = invoke("analyze", "--format", "json", "--as-of", DAY.isoformat())
    en = invoke("--lang", "en", "analyze", "--format", "json", "--as-of", DAY.isoformat())
    assert "link-duplicate" in ja.stderr and "は" in ja.stderr
    assert "is linked to 0230265 again (first on line" in en.stderr and en.stdout == ja.stdout
    with monkeypatch.context() as m:
        m.setenv("GAPCHECK_CACHE", "off")
        uncached = invoke("--lang", "en", "analyze", "--format", "json", "--as-of", DAY.isoformat())
    assert en.stderr == uncached.stderr
    run = checked()
    keys = {run.result_key("analysis-output", {**analysis_options([], None, DAY), "format": "json",
                                               "render": asdict(RenderOptions(lang=lang))}) for lang in ("ja", "en")}
    assert len(keys) == 2 and None not in keys


def test_result_cache_off_alone_keeps_the_parse_cache(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAPCHECK_RESULT_CACHE", "off")
    checked().analyze(as_of=DAY)
    run = checked()
    run.analyze(as_of=DAY)
    assert run.hits == []
    assert not (tmp_path / "cache" / RESULTS).exists()
    assert any(p.is_file() for p in (tmp_path / "cache").rglob("*"))  # parsed files are still kept


def test_a_result_that_is_none_is_kept_too(project: Path) -> None:
    calls: list[int] = []

    def compute() -> None:
        calls.append(1)

    checked().memo("nothing", {}, compute)
    run = checked()
    assert run.memo("nothing", {}, compute) is None
    assert calls == [1] and run.hits == ["header", "nothing"]
