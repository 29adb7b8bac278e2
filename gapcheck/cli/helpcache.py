"""``gapcheck --help`` and ``--version`` without importing Typer: the help page as Typer rendered it, kept.

Importing Typer (and Click inside it) and the command modules costs more than
everything else ``gapcheck --help`` does.  The first ``--help`` goes through
Typer as before and also keeps the page it prints in the cache folder
(``<cache>/help/<key>``, an entry of :mod:`gapcheck.loading.cachedir`: checked
header and checksum, owner-only folder); a later ``--help`` whose key matches
prints the kept page and never imports Typer.  The key holds everything the
page depends on: the bytes of every module of ``gapcheck.cli`` (where every
command and help text is declared), gapcheck's and Python's versions, the
Typer, Click and Rich installations on ``sys.path``, any ``TYPER_*`` setting,
and the width Click would format for (the terminal's, at most 80).  A changed
command, another version or a narrower terminal is another key, so the kept
page is the one Typer would print, byte for byte (``tests/test_cli.py`` checks
it).  ``GAPCHECK_CACHE=off`` sends every ``--help`` through Typer.

``--version`` prints the same line as Typer's ``--version`` callback.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

FOLDER = "help"
"""The folder of help entries inside the cache folder."""
FORMAT = "gapcheck-help 1"
"""Part of every key: a change of what is kept is a change of key."""
LIBRARIES = ("typer", "click", "rich")
"""Distributions whose installation is part of the key (their dist-info folder names and locations)."""


def answer(args: list[str]) -> bool:
    """Print ``--version`` or a kept ``--help`` page and return True; else False (Typer answers).

    On a ``--help`` whose page is not kept yet, the page is rendered through Typer and kept before
    returning False, so that this run prints it through Typer as always and the next one from the cache.
    """
    if args == ["--version"]:
        from gapcheck.core.version import __version__

        return _write(f"gapcheck {__version__}\n")
    if args != ["--help"]:
        return False
    from gapcheck.loading import cachedir

    folder = cachedir.private_folder(FOLDER)
    if folder is None:
        return False
    key = help_key(click_width())
    payload = cachedir.read_entry(folder / key, key)
    if payload is not None:
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is not None:
            return _write(text)
    cachedir.write_entry(folder / key, key, rendered_help().encode("utf-8"))
    return False


def _write(text: str) -> bool:
    """Print ``text``; a reader that stopped early (``gapcheck --help | head -1``) ends it quietly, as for every command."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return True


def click_width() -> int:
    """The width Click formats help for: the terminal's columns (``COLUMNS`` first) less 2, within 50..78."""
    return max(min(shutil.get_terminal_size().columns, 80) - 2, 50)


def help_key(width: int, cli_folder: Path | None = None) -> str:
    """The SHA-256 of everything ``gapcheck --help`` prints depends on (see the module's docstring)."""
    from gapcheck.core.version import __version__

    folder = cli_folder or Path(__file__).resolve().parent
    h = hashlib.sha256(f"{FORMAT}\ngapcheck {__version__}\npython {sys.version}\nwidth {width}\n".encode())
    for path in sorted(folder.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(repr(sorted((k, v) for k, v in os.environ.items() if k.lstrip("_").startswith("TYPER"))).encode())
    h.update(" ".join(_installed()).encode())
    return h.hexdigest()


def _installed() -> list[str]:
    """Where each of :data:`LIBRARIES` is installed and at which version (dist-info folder names on ``sys.path``)."""
    from gapcheck.core.version import installed

    found = installed(LIBRARIES)
    return [found.get(d, f"{d} absent") for d in LIBRARIES]


def rendered_help() -> str:
    """The root help page exactly as Typer's ``--help`` prints it (Click's help callback echoes ``ctx.get_help()``)."""
    import typer.main

    from gapcheck.cli.commands import app

    command = typer.main.get_command(app)
    with command.make_context("gapcheck", ["--help"], resilient_parsing=True) as ctx:
        return ctx.get_help() + "\n"
