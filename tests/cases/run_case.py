"""Run one invalid-input case the way the tests do (used to inspect or refresh expected.txt by hand).

    python tests/cases/run_case.py tests/cases/invalid/duplicate-key
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SMALL = HERE.parent / "fixtures" / "small"


def prepare(case: Path, dest: Path) -> list[str]:
    """Copy the small project to ``dest`` and lay the case's files over it; the validate arguments."""
    shutil.copytree(SMALL, dest)
    for f in case.rglob("*"):
        rel = f.relative_to(case)
        if f.is_file() and rel.name not in ("expected.txt", "args", "exit_code"):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest / rel)
    args = case / "args"
    return args.read_text("utf-8").split() if args.exists() else []


if __name__ == "__main__":
    from typer.testing import CliRunner

    from gapcheck.cli.app import app

    case = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        args = prepare(case, Path(tmp) / "project")
        os.chdir(Path(tmp) / "project")
        res = CliRunner().invoke(app, ["validate", *args])
        sys.stdout.write(res.stderr)
        sys.stdout.write(f"[exit {res.exit_code}]\n")
