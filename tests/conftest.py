"""Shared fixtures: a copy of a small hand-countable project, and the CLI runner."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ["GAPCHECK_STRICT_CODES"] = "1"  # before gapcheck is imported: every emitted code must be registered

import pytest  # noqa: E402
from typer.testing import CliRunner

from gapcheck.cli.commands import app

HERE = Path(__file__).parent
SMALL = HERE / "fixtures" / "small"
REPO = HERE.parent


@pytest.fixture(autouse=True)
def private_parse_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the user's parse cache."""
    monkeypatch.setenv("GAPCHECK_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "parse-cache"))


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of tests/fixtures/small as the working directory."""
    dest = tmp_path / "project"
    shutil.copytree(SMALL, dest)
    monkeypatch.chdir(dest)
    return dest


@pytest.fixture
def project(small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small project as the working directory, with a cache folder of its own (``tmp_path / "cache"``)."""
    monkeypatch.setenv("GAPCHECK_CACHE_DIR", str(tmp_path / "cache"))
    return small


class Result:
    def __init__(self, code: int, stdout: str, stderr: str):
        self.exit_code, self.stdout, self.stderr = code, stdout, stderr


def invoke(*args: str) -> Result:
    """Run the gapcheck CLI in-process; stdout and stderr kept apart."""
    runner = CliRunner()
    res = runner.invoke(app, list(args), catch_exceptions=False)
    return Result(res.exit_code, res.stdout, res.stderr)


@pytest.fixture
def cli():
    return invoke


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages for people in English (``GAPCHECK_LANG=en``, read by the command line, in-process and in child
    processes alike): for the tests that pin exact English lines; the Japanese default is pinned by
    ``tests/cases/invalid/*/expected.txt`` and ``tests/test_lang.py``."""
    monkeypatch.setenv("GAPCHECK_LANG", "en")
