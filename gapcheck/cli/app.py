"""The Typer application and the options shared by its commands."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gapcheck.cli.coercion import install
from gapcheck.core.lock import DEFAULT_TIMEOUT

install()  # option values without pydantic where Typer's answer is certain (gapcheck/cli/coercion.py)

if TYPE_CHECKING:
    from gapcheck.core.messages import Lang

EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_INVALID = 0, 1, 2, 3
EXIT_LOCKED = 75
"""Another run held the lock of a shared file too long: try again (EX_TEMPFAIL of sysexits.h, as 70 is EX_SOFTWARE)."""

app = typer.Typer(
    name="gapcheck",
    help="Fit & Gap (比較分析) and migration readiness of municipal core systems"
         " against the national standard specifications (標準仕様書).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

ConfigOpt = Annotated[Path | None, typer.Option("--config",
                      help="gapcheck.toml to read (default: ./gapcheck.toml if present).", dir_okay=False)]
SpecsOpt = Annotated[Path | None, typer.Option("--specs", help="Folder of spec catalogues (default: specs/).", file_okay=False)]
InventoryOpt = Annotated[Path | None, typer.Option("--current-system",
                         help="Folder of inventory files (default: current_system/).", file_okay=False)]
MappingsOpt = Annotated[Path | None, typer.Option("--mappings", help="Folder of vendor mappings (default: mappings/).", file_okay=False)]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show a traceback on unexpected errors.")]
LOCK_TIMEOUT = DEFAULT_TIMEOUT
LockTimeoutOpt = Annotated[float, typer.Option("--lock-timeout", min=0, metavar="SECONDS",
                                               help="Wait this long for another gapcheck run writing the same file"
                                                    " or folder, then exit 75.")]


class _Settings:
    """What the root options chose for this command (set by :func:`_root` before every command)."""

    lang: Lang = "ja"


SETTINGS = _Settings()
"""The language of messages for people: ``--lang``, else ``GAPCHECK_LANG``, else Japanese (never the machine's locale)."""


def _lang(value: str | None) -> Lang:
    import os

    from gapcheck.core.messages import parse_lang

    chosen = value if value is not None else os.environ.get("GAPCHECK_LANG")
    if chosen is None or (value is None and chosen == ""):  # an empty variable is no variable
        return "ja"
    lang = parse_lang(chosen)
    if lang is None:
        where = "--lang" if value is not None else "GAPCHECK_LANG"
        raise typer.BadParameter(f"{where} must be ja or en, not '{chosen}' / ja か en を指定してください", param_hint="--lang")
    return lang


def _version(value: bool) -> None:
    if value:
        from gapcheck.core.version import __version__

        typer.echo(f"gapcheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
    lang: Annotated[str | None, typer.Option("--lang", metavar="ja|en",
                    help="Language of messages for people: ja (default) or en; also GAPCHECK_LANG. Codes, paths and"
                         " JSON keys stay ASCII; the machine's locale (LANG, LC_*) is never read.")] = None,
) -> None:
    """Fit & Gap (比較分析) and migration readiness of municipal core systems against the national standard specifications (標準仕様書)."""
    SETTINGS.lang = _lang(lang)
