"""The municipality's own data: ``init``, ``inventory import|template``, ``plan template|import``.

Each command parses its options, calls one library function
(:mod:`gapcheck.vendor.project_init`, :mod:`gapcheck.vendor.inventory_import`,
:mod:`gapcheck.vendor.inventory_template`, :mod:`gapcheck.vendor.plan_template`,
:mod:`gapcheck.vendor.plan_import`), says what it wrote and exits: 0 success,
2 usage error (including a file that exists and would be replaced without
``--force``), 3 invalid input (one line per problem, ``sheet!cell`` for cells;
nothing is written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gapcheck.cli.app import (
    LOCK_TIMEOUT,
    ConfigOpt,
    DebugOpt,
    InventoryOpt,
    LockTimeoutOpt,
    MappingsOpt,
    SpecsOpt,
    app,
)
from gapcheck.cli.common import config_from, err, file_status, print_problems, run, say, split_codes
from gapcheck.cli.vendor import ForceOpt, OperationOpt, _write_output

inventory_app = typer.Typer(help="The current system's function and form lists (機能一覧 / 帳票一覧): import them, "
                                 "or get an empty one to fill in.",
                            no_args_is_help=True, rich_markup_mode=None)
plan_app = typer.Typer(help="The migration plan in Excel: a workbook of steps × operations, and back into the plan.",
                       no_args_is_help=True, rich_markup_mode=None)
app.add_typer(inventory_app, name="inventory")
app.add_typer(plan_app, name="plan")

OutputOpt = Annotated[Path | None, typer.Option("--output", help="File to write (default: under reports/).", dir_okay=False)]


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(metavar="[DIR]", help="The working folder to make (default: the current one).",
                                           file_okay=False)] = Path("."),
    municipality: Annotated[str | None, typer.Option("--municipality",
                                                     help="The municipality's name (default: the folder's name).")] = None,
    code: Annotated[str | None, typer.Option("--code", help="Its 6-digit 全国地方公共団体コード, e.g. 131016.")] = None,
    operations: Annotated[list[str] | None, typer.Option(
        "--operations", help="The operations that apply (the others do not), comma-separated.")] = None,
    not_applicable: Annotated[list[str] | None, typer.Option(
        "--not-applicable", help="The operations that do not apply (e.g. seikatsu-hogo for a town).")] = None,
    debug: DebugOpt = False,
) -> None:
    """Make a working folder: gapcheck.toml, specs/, current_system/ (inventory, plan), policy.yaml, mappings/; never overwrites."""
    from gapcheck.vendor.project_init import init_project

    def body() -> None:
        result = init_project(folder, municipality, code, split_codes(operations) if operations is not None else None,
                              split_codes(not_applicable) if not_applicable is not None else None)
        for path in result.files:
            err(f"{file_status('wrote')}: {path}")
        where = "" if municipality else say("cli-init-name-from-folder")
        err(f"{result.municipality}{where}: " + say("cli-init-in-scope", n=len(result.in_scope))
            + (say("cli-init-not-applicable", codes=", ".join(result.not_applicable)) if result.not_applicable else ""))
        err(say("cli-init-next"))

    run(debug, body)


@inventory_app.command("import")
def inventory_import(
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE", help="Workbook(s) (.xlsx) or CSV file(s) of the current functions and forms.")],
    operation: OperationOpt,
    columns: Annotated[Path | None, typer.Option(
        "--columns", help="Column map YAML (inventory-columns/1) overriding the default headers and 種別 spellings.",
        dir_okay=False)] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Read only this sheet (default: every sheet with a header row).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the items an inventory file already holds for the operation.")] = False,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Read a 機能一覧 / 帳票一覧 into the inventory of one operation (current_system/CODE.yaml, or the file that holds it)."""
    from gapcheck.vendor.columnmap import (
        DEFAULT_INVENTORY_COLUMNS,
        load_inventory_columns,
    )
    from gapcheck.vendor.inventory_import import import_inventory

    def body() -> None:
        cfg = config_from(config, specs, current_system, mappings)
        cmap = load_inventory_columns(columns) if columns is not None else DEFAULT_INVENTORY_COLUMNS
        result = import_inventory(files, operation, cfg, columns=cmap, sheet=sheet, force=force)
        print_problems(result.read.warnings)
        err(f"{file_status('wrote' if result.written else 'unchanged')}: {result.path}")
        sheets = say("cli-sep").join(say("cli-sheet-header-row", name=s, row=row) for _, s, row, _ in result.read.sheets)
        err(f"{result.operation}: " + say("cli-inventory-imported", functions=result.functions, forms=result.forms, sheets=sheets))
        for file, name in result.read.skipped:
            err(say("cli-sheet-skipped", file=file, name=name))
        for iid, name in result.removed:
            err(say("cli-item-removed", item=iid, name=name))

    run(debug, body)


@inventory_app.command("template")
def inventory_template(
    operation: OperationOpt,
    output: OutputOpt = None,
    force: ForceOpt = False,
    lock_timeout: LockTimeoutOpt = LOCK_TIMEOUT,
    config: ConfigOpt = None, debug: DebugOpt = False,
) -> None:
    """An empty 機能・帳票一覧 workbook for one operation, with a 種別 drop-down, to fill in and import."""
    from gapcheck.vendor.inventory_template import inventory_workbook

    def body() -> None:
        cfg = config_from(config)
        data = inventory_workbook(cfg, operation)
        _write_output(output or cfg.reports / f"inventory-template-{operation}.xlsx", data, force, lock_timeout)

    run(debug, body)


@plan_app.command("template")
def plan_template(
    output: OutputOpt = None,
    force: ForceOpt = False,
    lock_timeout: LockTimeoutOpt = LOCK_TIMEOUT,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """The plan as a workbook: one row per operation in scope and step, with a status drop-down and dates."""
    from gapcheck.vendor.plan_template import plan_workbook

    def body() -> None:
        cfg = config_from(config, specs, current_system, mappings)
        result = plan_workbook(cfg)
        _write_output(output or cfg.reports / "plan-template.xlsx", result.data, force, lock_timeout)
        err(f"{result.plan}: " + say("cli-plan-template", operations=result.operations, steps=result.steps))

    run(debug, body)


@plan_app.command("import")
def plan_import(
    file: Annotated[Path, typer.Argument(metavar="FILE.xlsx", help="A workbook made by `gapcheck plan template`, filled in.")],
    force: Annotated[bool, typer.Option("--force", help="Replace a plan file edited since the workbook was made.")] = False,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Write a filled plan workbook back into the plan file; bad cells are reported as sheet!cell."""
    from gapcheck.vendor.plan_import import import_plan

    def body() -> None:
        result = import_plan(file, config_from(config, specs, current_system, mappings), force)
        err(f"{file_status('wrote' if result.written else 'unchanged')}: {result.path}")
        if result.changed:
            err(say("cli-plan-changed", what=", ".join(result.changed)))

    run(debug, body)
