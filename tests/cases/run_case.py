"""Run one invalid-input case the way the tests do (used to inspect or refresh expected.txt by hand).

    python tests/cases/run_case.py tests/cases/invalid/duplicate-key

A case folder holds files laid over the small fixture project and
``expected.txt`` (standard error, then ``[exit N]``).  By default the case runs
``gapcheck validate`` (plus the words of an ``args`` file); a ``command`` file
names another command line instead (``spec import book.xlsx --operation kaigo
--version 6.0``), so import and worksheet codes get cases too.  A file
``NAME.sparse`` holding a number becomes ``NAME``, a sparse file of that many
bytes (an input over the 200 MB limit, without 200 MB in the repository).
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SMALL = HERE.parent / "fixtures" / "small"


CASE_FILES = ("expected.txt", "args", "command", "exit_code")


def prepare(case: Path, dest: Path) -> list[str]:
    """Copy the small project to ``dest`` and lay the case's files over it; the command line to run."""
    shutil.copytree(SMALL, dest)
    for f in case.rglob("*"):
        rel = f.relative_to(case)
        if f.is_file() and str(rel) not in CASE_FILES:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            if rel.suffix == ".sparse":
                with open(dest / rel.with_suffix(""), "wb") as fh:
                    fh.truncate(int(f.read_text("utf-8")))
            else:
                shutil.copyfile(f, dest / rel)
    command = case / "command"
    if command.exists():
        return shlex.split(command.read_text("utf-8"))
    args = case / "args"
    return ["validate", *(args.read_text("utf-8").split() if args.exists() else [])]


if __name__ == "__main__":
    from typer.testing import CliRunner

    from gapcheck.cli.commands import app

    case = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        args = prepare(case, Path(tmp) / "project")
        os.chdir(Path(tmp) / "project")
        res = CliRunner().invoke(app, args)
        sys.stdout.write(res.stderr)
        sys.stdout.write(f"[exit {res.exit_code}]\n")
