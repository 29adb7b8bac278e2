"""The parse cache on the cold path: small files cached too, entries probed by stat, catalogues cached at
import time (gapcheck/loading/parsecache.py, discovery.warm_cache, vendor/specimport.write_catalogue)."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

import pytest

from gapcheck.loading import discovery, parsecache, yamlio
from tests.test_specimport import official_workbook


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("GAPCHECK_CACHE_DIR", str(folder))
    return folder


def test_a_small_file_is_cached_too(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text("a: 1\nb: [x, y]\n", "utf-8")
    first, _ = yamlio.load(path, "tiny.yaml")
    assert first is not None and first.text is not None  # parsed: the text is kept for positions
    assert parsecache.has(path.read_bytes())
    second, _ = yamlio.load(path, "tiny.yaml")
    assert second is not None and second.text is None and second.data == first.data  # read back


def test_the_probe_of_the_parallel_parse_reads_no_entry(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = []
    for n in range(3):
        path = tmp_path / f"f{n}.yaml"
        path.write_text(f"n: {n}\n", "utf-8")
        yamlio.load(path, path.name)
        paths.append(path)

    def no_reading(data: Any) -> Any:
        raise AssertionError("an entry was unmarshalled to see whether it exists")

    monkeypatch.setattr(marshal, "loads", no_reading)
    assert discovery.warm_cache(paths) == 0  # every file cached: nothing to parse, and no entry read


def test_spec_import_fills_the_parse_cache(small: Path, cli: Any, cache: Path) -> None:
    official_workbook(small / "book.xlsx")
    res = cli("spec", "import", "book.xlsx", "--operation", "kaigo", "--version", "7.0")
    assert res.exit_code == 0, res.stderr
    assert parsecache.has((small / "specs" / "kaigo" / "7.0.yaml").read_bytes())
