"""The ``gapcheck`` command line: parse, call the library, render, exit.

No analysis happens here; every command calls one library function and
hands its result to a renderer.  Exit codes (README, "Exit codes"):
0 success, 1 a state or policy named by the user was found, 2 usage error,
3 invalid input.
"""

from __future__ import annotations

import sys

from gapcheck.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app(prog_name="gapcheck")
    sys.exit(0)  # pragma: no cover - typer exits itself
