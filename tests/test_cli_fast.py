"""The command line's short cuts change nothing that is printed.

Option values without pydantic (gapcheck/cli/coercion.py) are exactly Typer's, for every option of every
command: each option's value is coerced twice, by Typer's own coercion (pydantic) and by the fast one, for its
default and for a range of texts a user might type, valid and not: the same value of the same type, or the
same error with the same message; and a cached run of the everyday commands does not import pydantic at all.
The application narrowed to the command named (gapcheck/cli/commands.py ``for_args``) prints what the whole
application prints, for every command's help and for usage errors.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer import core
from typer.testing import CliRunner

from gapcheck.cli.coercion import _MISS, FastParam, plain
from gapcheck.cli.commands import for_args
from tests.conftest import REPO, app

TEXTS = ["", " ", "0", "-0", "007", "10", "-1", "2.5", "-2.5", "1e3", "inf", "nan", " 5", "5_000", "1.", ".5",
         "99999999999999999999", "json", "JSON", "table", "csv", "html", "markdown", "xlsx", "kaigo", "a,b", "x//y",
         "file.txt", "folder", "missing/thing", "-", "2026-11-29", "true", "false", "yes", "0x10", "٣"]


def _params() -> Iterator[tuple[str, Any, Any]]:
    root = typer.main.get_command(app)

    def walk(command: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
        ctx = core._click.Context(command, info_name=path)
        for param in command.params:
            if hasattr(param, "type_descriptor"):
                yield f"{path} {param.name}", param, ctx
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, f"{path} {name}")

    yield from walk(root, "gapcheck")


def _outcome(coerce: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        got = coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # noqa: BLE001 - the error itself is compared
        return "error", (type(exc).__name__, str(getattr(exc, "message", exc)))
    return "value", (type(got).__name__, got, [type(v).__name__ for v in got] if isinstance(got, (list, tuple)) else None)


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "folder").mkdir()
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "y").write_text("y")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_option_gets_typers_value_or_typers_error(files: Path) -> None:
    checked = answered = 0
    for name, param, ctx in _params():
        real = core.build_runtime_param(param.type_descriptor)
        fast = FastParam(param.type_descriptor, core.build_runtime_param)
        multi = param.multiple or param.nargs == -1
        values: list[Any] = [] if callable(param.default) else [param.default]
        values += [(t,) for t in TEXTS] + [tuple(TEXTS[:3]), ()] if multi else TEXTS
        for value in values:
            expected = _outcome(real.coerce, value, param, ctx)
            assert _outcome(fast.coerce, value, param, ctx) == expected, (name, value)
            checked += 1
            answered += value is not None and plain(param.type_descriptor, value, param, ctx) is not _MISS
    assert checked > 2000 and answered > 500, (checked, answered)  # the fast rules do answer, and were compared


def test_defaults_of_the_everyday_options_need_no_pydantic(files: Path) -> None:
    for name, param, ctx in _params():
        if callable(param.default) or param.default is None or isinstance(param.default, bool):
            continue
        assert plain(param.type_descriptor, param.default, param, ctx) is not _MISS, name


@pytest.mark.parametrize("args", [["analyze", "--format", "json"], ["readiness", "--as-of", "2026-11-29"],
                                  ["report", "--output", "out", "--force"], ["validate"]])
def test_a_cached_run_imports_no_pydantic(small: Path, tmp_path: Path, args: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAPCHECK_")}
    env.update(PYTHONPATH=str(REPO), GAPCHECK_CACHE_DIR=str(tmp_path / "cache"))
    command = [sys.executable, "-X", "importtime", "-m", "gapcheck", *args]
    first = subprocess.run(command, capture_output=True, text=True, env=env, cwd=small, timeout=300)
    assert first.returncode in (0, 1), first.stderr[-2000:]
    again = subprocess.run(command, capture_output=True, text=True, env=env, cwd=small, timeout=300)
    assert again.returncode == first.returncode
    imported = {line.rpartition("|")[2].strip() for line in again.stderr.splitlines() if line.startswith("import time:")}
    assert "pydantic" not in imported and "typer._adapters" not in imported
    if args[0] == "analyze":  # the answer is read back: nothing that loads or analyses is needed
        assert not {"pandas", "numpy", "yaml", "jsonschema", "jsonschema_rs", "gapcheck.validation.project",
                    "gapcheck.loading.schema", "gapcheck.loading.yamlio"} & imported


def _run(application: Any, args: list[str]) -> tuple[int, str, str]:
    res = CliRunner().invoke(application, args, prog_name="gapcheck", catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr


def _command_lines() -> list[list[str]]:
    root = typer.main.get_command(app)
    lines = []
    for name, command in sorted(root.commands.items()):
        lines.append([name, "--help"])
        lines += [[name, sub, "--help"] for sub in sorted(getattr(command, "commands", {}))]
    return lines


def test_every_command_is_narrowed_to_itself_alone() -> None:
    names = sorted(typer.main.get_command(app).commands)
    assert len(names) >= 15
    for name in names:
        narrow = for_args([name, "--help"])
        assert narrow is not app and len(narrow.registered_commands) + len(narrow.registered_groups) == 1, name
        assert sorted(typer.main.get_command(narrow).commands) == [name]
    for args in ([], ["--help"], ["--version"], ["analyz"], ["--debug", "analyze"]):
        assert for_args(args) is app


@pytest.mark.parametrize("args", _command_lines(), ids=" ".join)
def test_a_narrowed_command_prints_what_the_whole_application_prints(args: list[str]) -> None:
    assert _run(for_args(args), args) == _run(app, args)


@pytest.mark.parametrize("args", [["analyze", "--format", "xml"], ["analyze", "--bogus"], ["analyze", "--limit", "x"],
                                  ["analyze", "--lock-timeout", "-1"], ["spec"], ["spec", "nope"], ["mapping", "import"],
                                  ["show"], ["readiness", "--as-of"], ["analyz"]], ids=" ".join)
def test_usage_errors_are_the_same_narrowed(small: Path, args: list[str]) -> None:
    narrow = _run(for_args(args), args)
    assert narrow == _run(app, args)
    assert narrow[0] == 2
