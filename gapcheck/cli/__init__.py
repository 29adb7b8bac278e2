"""The ``gapcheck`` command line: parse, call one library function, render, exit.

No loading or formatting logic lives here; every command calls one library
function and hands its result to a renderer.  Exit codes (README, "Exit
codes"): 0 success, 1 a state or policy named by the user was found, 2 usage
error, 3 invalid input, 70 internal error.  May import every room.
"""


from __future__ import annotations

import sys

# Subcommand registration: each command module adds its commands to ``app`` when imported.
from gapcheck.cli import core, owndata, readiness, reports, rollup, vendor  # noqa: F401,E402  (imported for their commands)
from gapcheck.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app(prog_name="gapcheck")
    sys.exit(0)  # pragma: no cover - typer exits itself
