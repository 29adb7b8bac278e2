"""The roll-up command: many 団体's results.parquet side by side (by operation, prefecture or vendor)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from gapcheck.cli.app import EXIT_USAGE, DebugOpt, app
from gapcheck.cli.common import err, fail, file_status, out, print_problems, run, say
from gapcheck.cli.readiness import parse_date
from gapcheck.render.formats import RollupFormat


class By(str, Enum):
    """How ``gapcheck rollup`` groups its summary."""

    operation = "operation"
    prefecture = "prefecture"
    vendor = "vendor"


FILE_ONLY = (RollupFormat.html, RollupFormat.xlsx)


@app.command()
def rollup(
    sources: Annotated[list[Path], typer.Argument(
        help="Results files (results.parquet), folders of them, municipality folders (with gapcheck.toml) "
             "or list files (one of those per line).", show_default=False)],
    by: Annotated[By, typer.Option("--by", help="Group the summary by operation, prefecture or vendor (and product).")] = By.operation,
    as_of: Annotated[str | None, typer.Option("--as-of",
                     help="Per 団体, the newest results on or before this date, YYYY-MM-DD (default: the newest).")] = None,
    fmt: Annotated[RollupFormat, typer.Option("--format", "-f",
                   help="table, json or csv on standard output; html and xlsx (and any with --output) into a folder.")
                   ] = RollupFormat.table,
    output: Annotated[Path | None, typer.Option("--output", file_okay=False,
                      help="Folder to write rollup.<format> into (csv: one rollup.<table>.csv per table).")] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Requirements listed (per vendor and product with --by vendor).")] = 20,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Terminal: at most this many 団体 and requirements (0 = all).")] = 10,
    codes: Annotated[bool, typer.Option("--codes",
                     help="CSV with ASCII column names and status codes, for machines (default: Japanese labels).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace files in --output that gapcheck did not write.")] = False,
    debug: DebugOpt = False,
) -> None:
    """Roll up many 団体's saved results: statuses, distributions, gaps, 特定移行支援 (DuckDB over the results files)."""
    if fmt in FILE_ONLY and output is None:
        fail(EXIT_USAGE, say("cli-format-writes-file", fmt=fmt.value))
    day = parse_date(as_of) if as_of is not None else None

    def body() -> None:
        from gapcheck.render.base import RenderOptions
        from gapcheck.render.formats import ROLLUP_RENDERERS, rollup_files
        from gapcheck.rollup.api import rollup as roll_up

        result = roll_up(sources, by.value, day, top)
        print_problems(result.problems)
        left_out = sum(p.severity == "error" for p in result.problems)
        if output is None:
            from gapcheck.render.terminal import stdout_console

            console = stdout_console()
            options = RenderOptions(limit=limit, width=console.width, color=console.is_terminal, codes=codes)
            out(str(ROLLUP_RENDERERS[fmt].render(result, options)))
        else:
            from gapcheck.core.output import write_files

            for name, what in write_files(output, rollup_files(result, fmt, RenderOptions(codes=codes)), force).items():
                err(f"{file_status(what)}: {output / name}")
        gone = say("cli-rollup-left-out", n=left_out) if left_out else ""
        err(say("cli-rollup-done", n=len(result.files), gone=gone))

    run(debug, body)
