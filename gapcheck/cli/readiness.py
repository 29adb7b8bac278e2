"""Readiness commands: readiness, snapshot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer

from gapcheck.cli.app import (
    EXIT_USAGE,
    ConfigOpt,
    DebugOpt,
    InventoryOpt,
    MappingsOpt,
    SpecsOpt,
    app,
)
from gapcheck.cli.common import (
    config_from,
    err,
    fail,
    load_checked,
    out,
    run,
    split_codes,
)

AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help="The date to assess, YYYY-MM-DD (default: today).")]
HistoryOpt = Annotated[Optional[Path], typer.Option("--history", help="History file (default: reports/history.jsonl).", dir_okay=False)]


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
        fail(EXIT_USAGE, f"--as-of takes a date YYYY-MM-DD, not {value!r}")
    if not DATE_MIN <= day <= DATE_MAX:
        fail(EXIT_USAGE, f"--as-of must be a date from {DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}, not {value}")
    return day


def assess_project(config: Path | None, specs: Path | None, current_system: Path | None, mappings: Path | None,
                   history: Path | None, operation: list[str] | None, as_of: dt.date):  # type: ignore[no-untyped-def]
    """Load, analyse and assess; raises InvalidInput for bad input or history."""
    from gapcheck.analysis.classify import analyze
    from gapcheck.core.errors import InvalidInput
    from gapcheck.loading.history import load_history
    from gapcheck.readiness.status import assess

    cfg = config_from(config, specs, current_system, mappings, history=history)
    project = load_checked(cfg)
    operation = split_codes(operation)
    analysis = analyze(project, operation)
    snaps, problems = load_history(cfg.history_path)
    if any(p.severity == "error" for p in problems):
        raise InvalidInput(problems)
    return cfg, assess(project, analysis, as_of, snaps, operation or None)


@app.command()
def readiness(
    operation: Annotated[Optional[list[str]], typer.Option("--operation", "-o", help="Operation code (repeatable; default: all).")] = None,
    as_of: AsOfOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or markdown.")] = "table",
    history: HistoryOpt = None,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Readiness toward the deadline per operation: step rates, fit rate, days left, status, forecast."""
    if fmt not in ("table", "json", "markdown"):
        fail(EXIT_USAGE, f"--format must be table, json or markdown, not '{fmt}'")
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
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Record the day's readiness measures per operation in the history file (same date: replaced)."""
    day = parse_date(as_of)

    def body() -> None:
        from gapcheck.readiness.history import record

        cfg, result = assess_project(config, specs, current_system, mappings, history, None, day)
        snaps = [o.snapshot(day) for o in result.operations if o.status != "not-applicable"]
        merged = record(cfg.history_path, snaps)
        dates = len({s.date for s in merged})
        err(f"recorded {len(snaps)} operation(s) for {day.isoformat()} in {cfg.history_path} ({dates} snapshot date(s) in all)")

    run(debug, body)
