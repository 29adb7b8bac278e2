"""The Typer application with every command registered: import ``app`` from here to run or test a command.

Each command module adds its commands to :data:`gapcheck.cli.app.app` when
it is imported; this module imports them all.  ``gapcheck.cli`` itself
imports none of them, so that ``gapcheck --help`` answered from the help
cache (:mod:`gapcheck.cli.helpcache`) loads neither Typer nor a command.
"""

from __future__ import annotations

import copy
from typing import Any

import typer

import gapcheck.cli.core  # noqa: F401  (imported for its commands)
import gapcheck.cli.owndata  # noqa: F401  (imported for its commands)
import gapcheck.cli.readiness  # noqa: F401  (imported for its commands)
import gapcheck.cli.reports  # noqa: F401  (imported for its commands)
import gapcheck.cli.rollup  # noqa: F401  (imported for its commands)
import gapcheck.cli.vendor  # noqa: F401  (imported for its commands)
from gapcheck.cli.app import app

__all__ = ["app", "for_args"]


def for_args(args: list[str]) -> typer.Typer:
    """The application that runs ``gapcheck ARGS``: the root with only the command that ``ARGS`` starts with.

    Typer builds the Click command of every registered command before it parses anything (about 40 functions'
    signatures read); with one command registered it builds that one.  What a command prints is its own (its
    usage line, options and errors name no other command); when the first word names no command (``--help``,
    a typo that Click answers with the list of commands) the whole application runs.
    """
    if not args:
        return app
    commands = [c for c in app.registered_commands if _command_name(c) == args[0]]
    groups = [g for g in app.registered_groups if g.name == args[0]]
    if len(commands) + len(groups) != 1:
        return app
    narrow = copy.copy(app)
    narrow.registered_commands = commands
    narrow.registered_groups = groups
    return narrow


def _command_name(info: Any) -> str | None:
    """The name Typer gives a registered command (its own, or its function's with ``_`` as ``-``)."""
    if info.name:
        return str(info.name)
    callback = info.callback
    return callback.__name__.lower().replace("_", "-") if callback is not None else None
