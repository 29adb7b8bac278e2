"""Core commands: validate, analyze, operations, show."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gapcheck.cli.app import (
    EXIT_FOUND,
    EXIT_INVALID,
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
    lang,
    load_checked,
    out,
    print_problems,
    progress_bar,
    run,
    say,
    split_codes,
)
from gapcheck.cli.readiness import AsOfOpt, parse_date
from gapcheck.render.formats import AnalysisFormat

if TYPE_CHECKING:
    from gapcheck.analysis.result import Analysis


@app.command()
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders to report on (default: every input).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Check the spec catalogues, inventory and mappings; list every problem at once (exit 3 if any error)."""
    from gapcheck.validation.report import validate as do_validate

    if fmt not in ("text", "json"):
        fail(EXIT_USAGE, say("cli-format-must", choices="text, json", value=fmt))

    def body() -> None:
        cfg = config_from(config, specs, current_system, mappings)
        with progress_bar(say("cli-loading")) as progress:
            report = do_validate(cfg, paths or (), progress)
        if fmt == "json":
            from gapcheck.render.jsonfmt import dumps

            out(dumps(report.to_dict(lang())))
        else:
            print_problems(report.problems)
            verdict = "OK" if report.valid else "INVALID"
            err(f"{verdict}: " + say("cli-validate-summary", files=len(report.files), errors=report.errors,
                                     warnings=report.warnings))
        if not report.valid:
            raise typer.Exit(EXIT_INVALID)

    run(debug, body)


def parse_versions(values: list[str] | None) -> dict[str, str]:
    """``kaigo=5.0`` options to a dict (normalised versions)."""
    from gapcheck.core.ids import normalise_version

    out: dict[str, str] = {}
    for v in values or []:
        code, sep, version = v.partition("=")
        norm = normalise_version(version) if sep else None
        if not sep or not code or norm is None:
            fail(EXIT_USAGE, say("cli-spec-version-form", value=v))
        out[code] = norm
    return out


@app.command()
def analyze(
    operation: Annotated[list[str] | None, typer.Option("--operation", "-o",
                         help="Operation code (repeatable, or comma-separated; default: all in scope).")] = None,
    fmt: Annotated[AnalysisFormat, typer.Option("--format", "-f", help="Output format.")] = AnalysisFormat.table,
    output: Annotated[Path | None, typer.Option("--output",
                      help="Write one file per operation and table into this folder.", file_okay=False)] = None,
    fail_on: Annotated[str | None, typer.Option("--fail-on",
                       help="Comma-separated states; exit 1 if any is found (e.g. gap,violation,undecided).")] = None,
    spec_version: Annotated[list[str] | None, typer.Option("--spec-version",
                            help="CODE=VERSION to analyse against (default: newest).")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Rows per table on the terminal (0 = all).")] = 10,
    codes: Annotated[bool, typer.Option("--codes",
                     help="CSV with ASCII column names and state codes, for machines (default: Japanese labels).")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --output, replace files gapcheck did not write.")] = False,
    as_of: AsOfOpt = None,
    lock_timeout: LockTimeoutOpt = LOCK_TIMEOUT,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Fit & Gap per operation: fit, gap, custom and violation tables and a summary."""
    from gapcheck.analysis.result import FAIL_ON_STATES

    states = [s.strip() for s in (fail_on or "").split(",") if s.strip()]
    bad = [s for s in states if s not in FAIL_ON_STATES]
    if bad:
        fail(EXIT_USAGE, say("cli-fail-on-unknown", states=", ".join(bad), choices=", ".join(FAIL_ON_STATES)))
    versions = parse_versions(spec_version)
    day = parse_date(as_of)

    def body() -> None:
        checked = load_checked(config_from(config, specs, current_system, mappings), split_codes(operation))
        if output is None and fmt is not AnalysisFormat.table:  # text that depends on the analysis alone: cached
            from gapcheck.render.base import RenderOptions
            from gapcheck.render.cached import analysis_output

            text, counts = analysis_output(checked, split_codes(operation), versions, day, fmt,
                                           RenderOptions(codes=codes, lang=lang()))
            out(text)
            found = {s: counts[s] for s in states if counts.get(s)}
        else:
            result = checked.analyze(split_codes(operation), versions, as_of=day)
            render_analysis(result, fmt, output, limit, force, codes, lock_timeout)
            found = result.found(states)
        if found:
            err("gapcheck: " + say("cli-found", counts=say("cli-sep").join(say("cli-found-count", state=s, n=n)
                                                                 for s, n in found.items())))
            raise typer.Exit(EXIT_FOUND)

    run(debug, body)


def render_analysis(result: Analysis, fmt: AnalysisFormat, output: Path | None, limit: int, force: bool,
                    codes: bool = False, lock_timeout: float = LOCK_TIMEOUT) -> None:
    from gapcheck.render.base import RenderOptions
    from gapcheck.render.formats import analysis_files

    if output is not None:
        files = analysis_files(result, AnalysisFormat.csv if fmt is AnalysisFormat.table else fmt, RenderOptions(codes=codes))
        from gapcheck.core.output import write_files

        status = write_files(output, files, force, lock_timeout)
        for name, what in status.items():
            err(f"{file_status(what)}: {output / name}")
        return
    from gapcheck.render.formats import ANALYSIS_RENDERERS
    from gapcheck.render.terminal import stdout_console

    console = stdout_console()
    options = RenderOptions(limit=limit, width=console.width, color=console.is_terminal, codes=codes)
    out(str(ANALYSIS_RENDERERS[fmt].render(result, options)))


@app.command()
def operations(
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """The 20 operations and 共通機能: code, name, ministry, 業務IDs (未確認 ones marked), and whether each applies here."""
    from gapcheck.analysis.lookup import operation_rows

    if fmt not in ("table", "json"):
        fail(EXIT_USAGE, say("cli-format-must", choices="table, json", value=fmt))

    def body() -> None:
        from gapcheck.validation.project import load_project

        project = load_project(config_from(config, specs, current_system, mappings))
        rows = operation_rows(project)
        if fmt == "json":
            from gapcheck.render.jsonfmt import dumps

            out(dumps(rows))
            return
        from gapcheck.render.terminal import print_operations

        print_operations(rows)
        if not project.valid:
            err(say("cli-note-input-errors", n=sum(p.severity == 'error' for p in project.problems)))

    run(debug, body)


@app.command()
def show(
    ident: Annotated[str, typer.Argument(metavar="ID", help="A requirement ID (0230265) or an inventory item ID (KG-F001).")],
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    as_of: AsOfOpt = None,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """A requirement (the function and the form, where both kinds hold the ID) or an inventory item, with everything
    linked to it, and why its state is what it is."""
    day = parse_date(as_of)

    def body() -> None:
        from gapcheck.analysis.cache import check_project

        shown = check_project(config_from(config, specs, current_system, mappings)).show(ident, day)
        found = shown.found
        if not found:
            fail(EXIT_USAGE, say("cli-show-unknown-near", ident=ident, near=", ".join(shown.nearest)) if shown.nearest
                 else say("cli-show-unknown", ident=ident))
        from gapcheck.render.jsonfmt import dumps

        if fmt == "json":
            out(dumps(found))
            return
        from gapcheck.render.terminal import print_lookup

        print_lookup(found)

    run(debug, body)
