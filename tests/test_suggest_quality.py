"""The suggestion quality benchmark: the shipped method's figures are those the README records, and methods whose
packages are missing are skipped, not failed (benchmarks/suggest_quality.py, benchmarks/suggest_methods.py)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"


def _run(*args: str) -> list[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(BENCH / "suggest_quality.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return [" ".join(line.split()) for line in done.stdout.splitlines()]


def test_the_shipped_method_scores_what_the_readme_says() -> None:
    lines = _run("--method", "shipped", "--by-operation")
    assert lines[2:] == [
        "shipped all 153 0.725 0.908 0.805",
        "shipped dev 77 0.701 0.909 0.789",
        "shipped test 76 0.750 0.908 0.821",
        "shipped juki 62 0.484 0.774 0.604",
        "shipped kaigo 42 0.905 1.000 0.948",
        "shipped kojin-juminzei 28 0.893 1.000 0.946",
        "shipped kokuho 21 0.857 1.000 0.921",
    ]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ("| **reciprocal rank fusion of TF-IDF and BM25, equal scores sharing a rank (shipped)** "
            "| **0.725** | **0.908** | **0.805** |") in readme


def test_the_previous_ranking_alone_scores_what_the_readme_says() -> None:
    lines = _run("--method", "tfidf")
    assert lines[2:] == ["tfidf all 153 0.732 0.889 0.808", "tfidf dev 77 0.714 0.883 0.790", "tfidf test 76 0.750 0.895 0.825"]


def test_an_unknown_method_is_refused_by_name() -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, str(BENCH / "suggest_quality.py"), "--method", "nope"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "error: unknown method nope; known: shipped, tfidf, title, bm25, kana-split," in done.stderr


def test_a_method_whose_packages_are_missing_is_named_as_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import suggest_methods
    finally:
        sys.path.remove(str(BENCH))
    real = importlib.util.find_spec
    present = {"sudachipy", "sudachidict_core"}  # as if installed, whether or not this machine has them

    def spec(name: str, *a: object) -> object:
        return None if name in ("ja_ginza", "msgpack") else object() if name in present else real(name, *a)

    monkeypatch.setattr(importlib.util, "find_spec", spec)
    assert suggest_methods.missing("chive") == "needs msgpack, ja_ginza (see benchmarks/suggest_methods.py)"
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: real(name, *a) if name == "numpy" else None)
    assert suggest_methods.missing("sudachi") == "needs sudachipy, sudachidict_core (see benchmarks/suggest_methods.py)"


@pytest.mark.skipif(importlib.util.find_spec("ja_ginza") is None or importlib.util.find_spec("msgpack") is None,
                    reason="the chiVe vectors (pip install msgpack; pip install --no-deps ja-ginza) are not installed")
def test_words_are_found_in_the_word_vectors_by_their_hash() -> None:
    """The hash is right when real words hit keys among 480,443 of 2**64 and a made-up one does not."""
    sys.path.insert(0, str(BENCH))
    try:
        import suggest_methods
    finally:
        sys.path.remove(str(BENCH))
    found = {w: suggest_methods.word_vector(w) for w in ("人口", "付箋", "メモ", "住民票", "a", "xqzqxqzq")}
    assert [w for w, v in found.items() if v is None] == ["xqzqxqzq"]
    assert 0.6 < float(found["付箋"] @ found["メモ"]) < 0.8  # 0.685: neighbours that share no character
