"""One folder per failure mode under tests/cases/invalid/: its files are laid over the small
fixture project, `gapcheck validate` (or the case's ``command``) runs, and its standard error and
exit code must equal expected.txt exactly (the last line of expected.txt is ``[exit N]``); no file
of the project changes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "cases"))
from conftest import invoke  # noqa: E402
from run_case import prepare  # noqa: E402

CASES = sorted(p for p in (Path(__file__).parent / "cases" / "invalid").iterdir() if p.is_dir())


def _contents(project: Path) -> dict[Path, object]:
    """Every file's bytes (a sparse file of a case over 16 MB: its size and time of change)."""
    return {p: p.read_bytes() if p.stat().st_size < 1 << 24 else (p.stat().st_size, p.stat().st_mtime_ns)
            for p in project.rglob("*") if p.is_file()}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = prepare(case, tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    before = _contents(tmp_path / "project")
    res = invoke(*args)
    got = res.stderr + f"[exit {res.exit_code}]\n"
    assert got == (case / "expected.txt").read_text("utf-8")
    after = _contents(tmp_path / "project")
    assert after == before, "bad input must not change any file"


def test_every_error_code_of_the_readme_has_a_case() -> None:
    """Each case's expected output names at least one problem; the set of codes covered is pinned."""
    codes = set()
    for case in CASES:
        for line in (case / "expected.txt").read_text("utf-8").splitlines():
            parts = line.removeprefix("warning: ").split(": ")
            if len(parts) > 2 and ":" in parts[0]:
                codes.add(parts[1])
    assert codes >= {
        "yaml-syntax", "duplicate-key", "unknown-field", "missing-field", "wrong-type", "invalid-value",
        "yaml-boolean-word", "yaml-leading-zero", "invalid-date", "invalid-id", "id-fullwidth", "duplicate-id",
        "id-prefix-mismatch", "unknown-requirement", "unknown-item", "requirement-other-operation", "link-conflict",
        "link-duplicate", "file-empty", "file-missing", "not-utf8", "yaml-tag", "unknown-operation",
        "operation-not-applicable", "not-applicable-has-items", "unknown-spec-version", "custom-item-linked",
        "duplicate-custom", "decision-conflict", "not-optional", "deferral-not-mandatory",
        "requirement-wrong-kind", "requirement-kind-ambiguous", "id-prefix-unverified", "unknown-class",
        "prefix-and-prefixes", "duplicate-prefix", "item-other-operation", "inventory-missing",
    }


def _cells(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def _rows(data: bytes) -> tuple[object, ...]:
    """A Parquet file's schema, metadata and rows (its bytes also name the writer's version)."""
    import io

    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(data))
    return (table.schema, table.schema.metadata, table.to_pylist())


def test_the_binary_inputs_are_what_make_workbooks_builds() -> None:
    """Nobody edits a case's .xlsx or non-UTF-8 file by hand: each holds what tests/cases/make_workbooks.py builds."""
    from make_workbooks import build

    for path, data in build().items():
        committed = path.read_bytes()
        same = (_cells(committed) == _cells(data) if path.suffix == ".xlsx" and data.startswith(b"PK") else
                _rows(committed) == _rows(data) if path.suffix == ".parquet" else committed == data)
        assert same, f"{path.relative_to(Path(__file__).parent)} differs: run tests/cases/make_workbooks.py"


def test_debug_shows_no_traceback_for_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prepare(Path(__file__).parent / "cases" / "invalid" / "yaml-syntax", tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p")
    res = invoke("analyze")
    assert res.exit_code == 3
    assert "Traceback" not in res.stderr
    assert res.stderr.splitlines()[-1] == "gapcheck: 入力に誤りが 1 件あります。何も書き込んでいません"
