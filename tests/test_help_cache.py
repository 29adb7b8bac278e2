"""``gapcheck --help`` from the help cache prints exactly what Typer prints, and never a page of other code.

gapcheck/cli/helpcache.py.  Real processes: the point is what a new ``gapcheck`` process imports and prints.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gapcheck.cli import helpcache
from tests.conftest import REPO, invoke


def _gapcheck(*args: str, cache: Path | None, columns: int = 80, importtime: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAPCHECK_") and k != "COLUMNS"}
    env.update(PYTHONPATH=str(REPO), COLUMNS=str(columns))
    if cache is None:
        env["GAPCHECK_CACHE"] = "off"
    else:
        env["GAPCHECK_CACHE_DIR"] = str(cache)
    flags = ["-X", "importtime"] if importtime else []
    return subprocess.run([sys.executable, *flags, "-m", "gapcheck", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def _imported(stderr: str) -> set[str]:
    """Top-level module names in ``-X importtime`` output."""
    return {line.rpartition("|")[2].strip().split(".")[0] for line in stderr.splitlines() if line.startswith("import time:")}


@pytest.mark.parametrize("columns", [80, 60, 200, 30])
def test_help_from_the_cache_is_typers_page_byte_for_byte(tmp_path: Path, columns: int) -> None:
    typer_page = _gapcheck("--help", cache=None, columns=columns)
    assert typer_page.returncode == 0 and typer_page.stderr == ""
    assert typer_page.stdout.startswith("Usage: gapcheck [OPTIONS] COMMAND [ARGS]...\n")
    first = _gapcheck("--help", cache=tmp_path, columns=columns)  # through Typer; keeps the page
    assert (first.returncode, first.stdout, first.stderr) == (0, typer_page.stdout, "")
    assert len(list((tmp_path / "help").iterdir())) == 1
    second = _gapcheck("--help", cache=tmp_path, columns=columns, importtime=True)
    assert second.returncode == 0 and second.stdout == typer_page.stdout
    assert "typer" not in _imported(second.stderr) and "click" not in _imported(second.stderr)
    assert "typer" in _imported(_gapcheck("--help", cache=None, columns=columns, importtime=True).stderr)


def test_each_width_has_its_own_page(tmp_path: Path) -> None:
    wide, narrow = _gapcheck("--help", cache=tmp_path, columns=80), _gapcheck("--help", cache=tmp_path, columns=60)
    assert wide.stdout != narrow.stdout
    assert _gapcheck("--help", cache=tmp_path, columns=60).stdout == narrow.stdout
    assert _gapcheck("--help", cache=tmp_path, columns=120).stdout == wide.stdout  # Click stops at 80 columns
    assert len(list((tmp_path / "help").iterdir())) == 2


def test_a_corrupt_or_forged_entry_is_never_printed(tmp_path: Path) -> None:
    page = _gapcheck("--help", cache=tmp_path).stdout
    (entry,) = (tmp_path / "help").iterdir()
    data = entry.read_bytes()
    entry.write_bytes(data.replace(b"Commands:", b"Commandz:"))  # same header, payload changed: checksum fails
    assert _gapcheck("--help", cache=tmp_path).stdout == page
    assert entry.read_bytes() == data  # rebuilt
    entry.write_bytes(b"garbage")
    assert _gapcheck("--help", cache=tmp_path).stdout == page
    assert _gapcheck("--help", cache=tmp_path).stdout == page


def test_the_key_changes_with_any_cli_module_the_width_and_the_environment(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cli = tmp_path / "cli"
    shutil.copytree(Path(helpcache.__file__).parent, cli, ignore=shutil.ignore_patterns("__pycache__"))
    before = helpcache.help_key(78, cli)
    assert helpcache.help_key(78, cli) == before
    assert helpcache.help_key(58, cli) != before
    for module in sorted(cli.glob("*.py")):
        text = module.read_bytes()
        module.write_bytes(text + b"\n")
        assert helpcache.help_key(78, cli) != before, module.name
        module.write_bytes(text)
    assert helpcache.help_key(78, cli) == before
    (cli / "extra.py").write_text("")
    assert helpcache.help_key(78, cli) != before
    (cli / "extra.py").unlink()
    monkeypatch.setenv("_TYPER_FORCE_DISABLE_TERMINAL", "1")
    assert helpcache.help_key(78, cli) != before


def test_click_width_follows_columns_within_clicks_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    for columns, width in ((200, 78), (80, 78), (79, 77), (60, 58), (30, 50)):
        monkeypatch.setenv("COLUMNS", str(columns))
        assert helpcache.click_width() == width


def test_version_is_typers_line_without_typer(tmp_path: Path) -> None:
    fast = _gapcheck("--version", cache=tmp_path, importtime=True)
    assert fast.returncode == 0 and fast.stdout == invoke("--version").stdout
    assert "typer" not in _imported(fast.stderr)


def test_other_command_lines_still_go_through_typer(tmp_path: Path) -> None:
    no_args = _gapcheck(cache=tmp_path)
    assert no_args.returncode == 2 and no_args.stdout == ""
    assert no_args.stderr.startswith("Usage: gapcheck [OPTIONS] COMMAND [ARGS]...")
    sub = _gapcheck("validate", "--help", cache=tmp_path)
    assert sub.returncode == 0 and sub.stdout.startswith("Usage: gapcheck validate [OPTIONS]")
    assert not (tmp_path / "help").exists() or not any((tmp_path / "help").iterdir())


def test_help_to_a_reader_that_stops_early_ends_quietly(tmp_path: Path) -> None:
    _gapcheck("--help", cache=tmp_path)
    env = dict(os.environ, PYTHONPATH=str(REPO), GAPCHECK_CACHE_DIR=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-m", "gapcheck", "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # nobody reads: the write meets a broken pipe
    try:
        assert proc.wait(timeout=60) == 0
        assert proc.stderr.read() == b""
    finally:
        proc.stderr.close()
