"""Readiness commands: readiness, snapshot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gapcheck.cli.app import (
    EXIT_USAGE,
    LOCK_TIMEOUT,
    ConfigOpt,
    DebugOpt,
    InventoryOpt,
    LockTimeoutOpt,
    MappingsOpt,
    SpecsOpt,
    app,
)
from gapcheck.cli.common import (
    config_from,
    err,
    fail,
    file_status,
    load_checked,
    out,
    run,
    say,
    split_codes,
)

if TYPE_CHECKING:
    from gapcheck.core.config import Config
    from gapcheck.readiness.status import Readiness

AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="The date to assess, YYYY-MM-DD (default: today).")]
HistoryOpt = Annotated[Path | None, typer.Option("--history", help="History file (default: reports/history.jsonl).", dir_okay=False)]


def parse_date(value: str | None) -> dt.date:
    """``--as-of``: a date YYYY-MM-DD from 2000-01-01 to 2100-12-31 (default today); otherwise a usage error."""
    from gapcheck.core.dates import DATE_MAX, DATE_MIN

    if value is None:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        fail(EXIT_USAGE, say("cli-as-of-form", value=repr(value)))
    if not DATE_MIN <= day <= DATE_MAX:
        fail(EXIT_USAGE, say("cli-as-of-range", first=DATE_MIN.isoformat(), last=DATE_MAX.isoformat(), value=value))
    return day


def assess_project(config: Path | None, specs: Path | None, current_system: Path | None, mappings: Path | None,
                   history: Path | None, operation: list[str] | None, as_of: dt.date) -> tuple[Config, Readiness]:
    """The command's options to a configuration and a checked project, then its readiness
    (:func:`gapcheck.readiness.cached.readiness`: :func:`gapcheck.readiness.assessment.assess_project`, cached)."""
    from gapcheck.readiness.cached import readiness as assess

    cfg = config_from(config, specs, current_system, mappings, history=history)
    codes = split_codes(operation) or None
    return cfg, assess(load_checked(cfg, codes, whole=bool(codes)), cfg, as_of, codes)


@app.command()
def readiness(
    operation: Annotated[list[str] | None, typer.Option("--operation", "-o", help="Operation code (repeatable; default: all).")] = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or markdown.")] = "table",
    history: HistoryOpt = None,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Readiness toward the deadline per operation: step rates, fit rate, days left, status, forecast."""
    if fmt not in ("table", "json", "markdown"):
        fail(EXIT_USAGE, say("cli-format-must", choices="table, json, markdown", value=fmt))
    day = parse_date(as_of)

    def body() -> None:
        _, result = assess_project(config, specs, current_system, mappings, history, operation, day)
        from gapcheck.render.base import RenderOptions
        from gapcheck.render.formats import READINESS_RENDERERS, ReadinessFormat
        from gapcheck.render.terminal import stdout_console

        console = stdout_console()
        options = RenderOptions(width=console.width, color=console.is_terminal)
        out(str(READINESS_RENDERERS[ReadinessFormat(fmt)].render(result, options)))

    run(debug, body)


@app.command()
def snapshot(
    as_of: AsOfOpt = None,
    history: HistoryOpt = None,
    lock_timeout: LockTimeoutOpt = LOCK_TIMEOUT,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Record the day's readiness measures per operation in the history file (same date: replaced), and write the results file."""
    day = parse_date(as_of)

    def body() -> None:
        from gapcheck.report.writer import snapshot_with_results

        cfg = config_from(config, specs, current_system, mappings, history=history)
        done, written = snapshot_with_results(load_checked(cfg, whole=True).project, cfg, day, lock_timeout=lock_timeout)
        err(say("cli-snapshot-recorded", n=len(done.recorded), day=day.isoformat(), path=cfg.history_path, dates=done.dates))
        for name, what in written.items():
            err(f"{file_status(what)}: {cfg.reports / name}")

    run(debug, body)
