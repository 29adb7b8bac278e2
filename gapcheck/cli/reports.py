"""Report commands: report (HTML, Markdown, JSON, JUnit, Excel) and check (the policy gate)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gapcheck.cli.app import (
    EXIT_FOUND,
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
    file_status,
    lang,
    load_checked,
    progress_bar,
    run,
    say,
    split_codes,
)
from gapcheck.cli.readiness import AsOfOpt, HistoryOpt, parse_date
from gapcheck.render.formats import ReportFormat

if TYPE_CHECKING:
    from gapcheck.analysis.cache import Checked
    from gapcheck.core.config import Config

OperationOpt = Annotated[list[str] | None, typer.Option("--operation", "-o",
                         help="Operation code (repeatable, or comma-separated; default: all in scope).")]


def _load(config: Path | None, specs: Path | None, current_system: Path | None, mappings: Path | None,
          history: Path | None, policy: Path | None = None,
          operations: list[str] | None = None, whole: bool = False) -> tuple[Config, Checked]:
    """The configuration and the loaded project (warnings printed, progress bar on a terminal).

    All operations: after a small edit only the part is loaded (Checked.readiness_project); chosen ones
    (``operations``, or ``whole`` for a command that chooses them without their errors turned into warnings)
    are analysed from the whole project, so it is loaded at once."""
    cfg = config_from(config, specs, current_system, mappings, history=history, policy=policy)
    return cfg, load_checked(cfg, operations, whole=whole or bool(operations))


def _jobs() -> int:
    """Processes to render with: two where the machine has two cores (or more), else one."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 2 if cores >= 2 else 1


@app.command()
def report(
    fmt: Annotated[list[ReportFormat] | None, typer.Option("--format", "-f",
                   help="Format to write (repeatable; default: all six;"
                        " results = results.parquet, the input of `gapcheck rollup`).")] = None,
    output: Annotated[Path | None, typer.Option("--output", help="Folder to write into (default: reports/).", file_okay=False)] = None,
    as_of: Annotated[str | None, typer.Option("--as-of",
                     help="The date readiness is judged on, YYYY-MM-DD (default: today)."
                         " The JSON report holds the date and the readiness only when it is given.")] = None,
    operation: OperationOpt = None,
    history: HistoryOpt = None,
    force: Annotated[bool, typer.Option("--force",
                     help="Replace report files gapcheck did not write (or that were edited since).")] = False,
    force_render: Annotated[bool, typer.Option("--force-render",
                            help="Render every format again, even those whose inputs did not change since they were written.")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", min=1,
                    help="Processes to render with (default: 2 on a machine with two or more cores).")] = None,
    full: Annotated[bool, typer.Option("--full",
                    help="The Markdown report with every table, however long"
                         " (default: at most 60,000 characters, fit for a pull-request comment).")] = False,
    lock_timeout: LockTimeoutOpt = LOCK_TIMEOUT,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Write the reports: HTML dashboard, Markdown (for pull requests), JSON, JUnit XML and the Excel workbook.

    A format whose inputs, options and gapcheck are unchanged since it wrote the file is not rendered again
    (``unchanged``); --force-render renders every one.
    """
    day = parse_date(as_of) if as_of is not None else None

    formats = list(dict.fromkeys(fmt or ReportFormat))

    def body() -> None:
        from gapcheck.render.base import RenderOptions
        from gapcheck.report.incremental import font_note, update_reports

        cfg, checked = _load(config, specs, current_system, mappings, history, None, split_codes(operation))
        folder = output if output is not None else cfg.reports
        with progress_bar(say("cli-reporting")) as progress:
            status = update_reports(checked, cfg, formats, folder, day, split_codes(operation), force, force_render,
                                    progress, jobs or _jobs(), RenderOptions(full=full), lock_timeout)
        for name, what in status.items():
            err(f"{file_status(what)}: {folder / name}")
        if ReportFormat.html in formats:
            warning = font_note(checked)
            if warning is not None:
                err(warning)

    run(debug, body)


@app.command()
def check(
    policy: Annotated[Path | None, typer.Option("--policy", help="Policy file (default: policy.yaml).", dir_okay=False)] = None,
    report_only: Annotated[bool, typer.Option("--report-only", help="List breached rules but exit 0 (for a soft roll-out).")] = False,
    as_of: AsOfOpt = None,
    operation: OperationOpt = None,
    history: HistoryOpt = None,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Check the project against a policy of thresholds; exit 1 listing every breached rule."""
    day = parse_date(as_of)

    def body() -> None:
        from gapcheck.core.errors import UsageError
        from gapcheck.core.messages import Msg
        from gapcheck.core.paths import display_path
        from gapcheck.readiness.cached import report as build_report
        from gapcheck.readiness.policy import evaluate, load_policy

        cfg, project = _load(config, specs, current_system, mappings, history, policy,
                             whole=bool(split_codes(operation)))
        path = cfg.policy_path
        if not os.path.lexists(path):  # a folder, a device or a dangling link is the reader's problem to report
            raise UsageError(Msg("cli-no-policy", path=display_path(path)))
        rules = load_policy(path, [o.code for o in project.operations], display_path(path))
        result = build_report(project, cfg, day, split_codes(operation))
        breaches = evaluate(rules, result.analysis, result.readiness)
        for b in breaches:
            sys.stdout.write(b.format(lang()) + "\n")
        checked = sum(o.status != "not-applicable" for o in result.readiness.operations)  # preparing ones are judged by their deadline
        if not breaches:
            err(f"OK: {rules.file}: " + say("cli-check-ok", rules=len(rules.rules), checked=checked))
            return
        soft = say("cli-report-only") if report_only else ""
        err("gapcheck: " + say("cli-check-breached", n=len(breaches), checked=checked, file=rules.file, soft=soft))
        if not report_only:
            raise typer.Exit(EXIT_FOUND)

    run(debug, body)
