"""Loading: YAML typing rules, the parse cache, the configuration file."""

from __future__ import annotations

from pathlib import Path

import pytest

from gapcheck.core.config import load_config
from gapcheck.core.errors import UsageError
from gapcheck.loading import parsecache, yamlio
from gapcheck.validation.project import load_project


def test_yaml_typing_rules() -> None:
    doc, problems = yamlio.loads(
        "a: true\nb: yes\nc: 0230265\nd: 12\ne: 1.5\nf: ~\ng: 2026-03-31\nh: '0010'\ni: 1e3\nj: -7\n", "t.yaml")
    assert doc is not None
    assert doc.data == {"a": True, "b": "yes", "c": "0230265", "d": 12, "e": 1.5, "f": None, "g": "2026-03-31",
                        "h": "0010", "i": 1000.0, "j": -7}
    assert [(p.code, p.severity, p.line) for p in problems] == [
        ("yaml-boolean-word", "warning", 2), ("yaml-leading-zero", "warning", 3)]
    assert doc.lines == {}
    doc, _ = yamlio.loads("xs:\n  - {a: 1}\n  - {a: 2}\n", "t.yaml")
    assert doc.lines == {("xs",): [2, 3]}
    assert doc.locate(("xs", 1, "a")) == (3, 9)
    assert doc.locate(("xs", 1, "a"), key=True) == (3, 6)


def test_parse_cache_gives_the_same_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAPCHECK_CACHE_DIR", str(tmp_path / "cache"))
    body = "".join(f"  - {{id: 'I{i:05d}', flag: yes}}\n" for i in range(3000))
    path = tmp_path / "big.yaml"
    path.write_text("items:\n" + body, "utf-8")
    assert path.stat().st_size >= parsecache.MIN_BYTES
    first, p1 = yamlio.load(path, "big.yaml")
    assert first is not None and first.text is not None  # parsed: the text is kept for positions
    assert len(list((tmp_path / "cache").rglob("*"))) == 2  # one folder, one entry
    second, p2 = yamlio.load(path, "big.yaml")
    assert second is not None and second.text is None and second.node is None  # from the cache: no text, no tree
    assert second.data == first.data and p2 == p1 and second.lines == first.lines
    assert len(p2) == 3000 and p2[-1].line == 3001
    assert second.locate(("items", 2999, "flag")) == (3001, 26)  # composed again on demand
    path.write_text("items:\n" + body.replace("yes", "true"), "utf-8")  # an edit is never served from the cache
    third, p3 = yamlio.load(path, "big.yaml")
    assert third is not None and third.text is not None and p3 == []


def test_parse_cache_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAPCHECK_CACHE", "off")
    assert parsecache.directory() is None


def test_config_file_moves_the_data_folders(small: Path, cli) -> None:
    (small / "data").mkdir()
    for name in ("specs", "mappings"):
        (small / name).rename(small / "data" / name)
    (small / "gapcheck.toml").write_text('[paths]\nspecs = "data/specs"\nmappings = "data/mappings"\n', "utf-8")
    cfg = load_config(small)
    assert (cfg.specs, cfg.mappings) == (small / "data" / "specs", small / "data" / "mappings")
    assert load_project(cfg).valid
    assert cli("analyze", "--format", "json").exit_code == 0
    res = cli("analyze", "--format", "json", "--specs", "nowhere")
    assert res.exit_code == 3  # mappings name a spec version that is no longer loaded
    assert "unknown-spec-version" in res.stderr
    (small / "gapcheck.toml").write_text('[paths]\nspecz = "x"\n', "utf-8")
    with pytest.raises(UsageError, match="未知のキー specz"):
        load_config(small)


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from gapcheck.cli.common import progress_bar

    monkeypatch.setattr(sys, "stderr", io.StringIO())  # a pipe or a file: no bar, no escape codes
    with progress_bar("読み込み中") as update:
        assert update is None
    assert sys.stderr.getvalue() == ""

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Tty())
    with progress_bar("読み込み中") as update:
        assert update is not None
        update(1, 2, "a.yaml")
        update(2, 2, "b.yaml")


def test_a_plan_outside_the_inventory_folder_is_read_from_the_config(small: Path) -> None:
    (small / "plans").mkdir()
    (small / "plans" / "plan.yaml").write_text(
        'gapcheck: plan/1\nstart: "2022-04-01"\nsteps:\n  - {id: S1, phase: 計画立案, name: 一}\n'
        'operations:\n  kaigo: {planned_go_live: "2026-03-31"}\n', "utf-8")
    (small / "gapcheck.toml").write_text('[paths]\nplan = "plans/plan.yaml"\n', "utf-8")
    project = load_project(load_config(small))
    assert project.valid and project.plan is not None and project.plan.file == "plans/plan.yaml"
    (small / "gapcheck.toml").write_text('[paths]\nplan = "plans/nope.yaml"\n', "utf-8")
    missing = load_project(load_config(small))
    assert [(p.file, p.code) for p in missing.problems] == [("plans/nope.yaml", "file-missing")]
