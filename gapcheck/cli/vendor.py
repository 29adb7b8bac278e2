"""Vendor and revision workflow commands: ``spec import|diff``, ``mapping template|import|suggest``, ``export oscal``.

Each command parses its options, calls one library function
(:mod:`gapcheck.specimport`, :mod:`gapcheck.specdiff`,
:mod:`gapcheck.worksheet`, :mod:`gapcheck.oscal`), renders the result and
exits: 0 success, 2 usage error (including an existing output file without
``--force``), 3 invalid input (one ``file:line:column: code: path: message``
line per problem on standard error; nothing is written).
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
from gapcheck.cli.common import config_from, err, file_status, out, print_problems, run, say
from gapcheck.core.errors import InvalidInput, UsageError
from gapcheck.core.messages import Msg
from gapcheck.render.formats import (
    DIFF_RENDERERS,
    SUGGEST_RENDERERS,
    DiffFormat,
    SuggestFormat,
)

if TYPE_CHECKING:
    from gapcheck.core.config import Config
    from gapcheck.core.model import Project

spec_app = typer.Typer(help="Spec catalogues: import the official requirement workbooks, compare two versions.",
                       no_args_is_help=True, rich_markup_mode=None)
mapping_app = typer.Typer(help="Fit & Gap worksheets for vendors: make a template, import a filled one, suggest links.",
                          no_args_is_help=True, rich_markup_mode=None)
export_app = typer.Typer(help="Export the mappings to other formats.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(spec_app, name="spec")
app.add_typer(mapping_app, name="mapping")
app.add_typer(export_app, name="export")

OperationOpt = Annotated[str, typer.Option("--operation", "-o", help="Operation code, e.g. kaigo (see `gapcheck operations`).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing output file that holds other content.")]


class TemplateFormat(str, Enum):
    xlsx = "xlsx"
    yaml = "yaml"


def _load_project(cfg: Config, ignore_mappings: bool = False) -> Project:
    """The project, or InvalidInput when its inputs have errors (optionally ignoring mapping files)."""
    from gapcheck.validation.project import load_project

    project = load_project(cfg)
    # a vendor's spec and worksheet work needs no municipality inventory
    errors = [p for p in project.problems if p.severity == "error" and p.code != "no-inputs"]
    if ignore_mappings:
        root = cfg.mappings.resolve()
        errors = [p for p in errors if not Path(p.file).resolve().is_relative_to(root)]
    if errors:
        raise InvalidInput(errors)
    print_problems([p for p in project.problems if p.severity == "warning"])
    return project


def _written(path: Path, changed: bool) -> None:
    err(f"{file_status('wrote' if changed else 'unchanged')}: {path}")


def _write_output(path: Path, data: bytes | str, force: bool, lock_timeout: float) -> None:
    """Write a generated file through the folder's manifest: gapcheck replaces its own unedited output freely,
    but not a file someone has edited since (a worksheet the vendor filled in place) without ``--force``."""
    from gapcheck.core.output import write_files

    status = write_files(path.parent, {path.name: data}, force, lock_timeout)[path.name]
    _written(path, status != "unchanged")


# -- spec import ---------------------------------------------------------------------------


@spec_app.command("import")
def spec_import(
    files: Annotated[list[Path], typer.Argument(metavar="FILE",
                     help="Official-style workbook (.xlsx) or CSV file(s) of the requirement lists.")],
    operation: OperationOpt,
    version: Annotated[str, typer.Option("--version", help="Spec version, e.g. 6.0 or 第6.0版.")],
    published: Annotated[str | None, typer.Option("--published", help="Publication date YYYY-MM-DD.")] = None,
    columns: Annotated[Path | None, typer.Option("--columns",
                       help="Column map YAML overriding the default headers and class spellings.", dir_okay=False)] = None,
    functions_only: Annotated[bool, typer.Option("--functions-only",
                              help="The spec has function requirements (機能要件) only: import without a form sheet.")] = False,
    forms_only: Annotated[bool, typer.Option("--forms-only",
                          help="The spec has form requirements (帳票要件) only: import without a function sheet.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing catalogue with other content; import a version "
                                        "with under half the requirements of the previous one.")] = False,
    config: ConfigOpt = None, specs: SpecsOpt = None, debug: DebugOpt = False,
) -> None:
    """Read the 機能要件/帳票要件 sheets of a workbook (or CSV) into specs/CODE/VERSION.yaml."""
    from gapcheck.core.dates import is_real_date
    from gapcheck.core.ids import normalise_version
    from gapcheck.validation.project import load_registry, registry_operation
    from gapcheck.vendor.columnmap import DEFAULT_COLUMNS, load_column_map
    from gapcheck.vendor.specimport import (
        catalogue_path,
        import_spec,
        previous_version,
        write_catalogue,
    )

    def body() -> None:
        cfg = config_from(config, specs)
        op = registry_operation(cfg.registry, operation)
        operations, _ = load_registry(cfg.registry)  # every 業務ID, to name the operation an ID belongs to
        norm = normalise_version(version)
        if norm is None:
            raise UsageError(Msg("cli-version-form", value=version))
        if published is not None and not is_real_date(published):
            raise UsageError(Msg("cli-published-form", value=published))
        if functions_only and forms_only:
            raise UsageError(Msg("cli-kinds-exclusive"))
        kinds = ("function",) if functions_only else ("form",) if forms_only else ("function", "form")
        cmap = load_column_map(columns) if columns is not None else DEFAULT_COLUMNS
        result = import_spec(files, op, norm, published=published, columns=cmap, registry=operations, kinds=kinds,
                             previous=previous_version(cfg.specs, op.code, norm), force=force)
        print_problems(result.warnings)
        path = catalogue_path(cfg.specs, op.code, norm)
        changed = write_catalogue(result, path, force)
        counts = {k: sum(r["kind"] == k for r in result.catalogue["requirements"]) for k in ("function", "form")}
        sheets = say("cli-sep").join(say("cli-sheet-header-row", name=name, row=row) for _, name, row in result.sheets)
        _written(path, changed)
        err(f"{op.code} {norm}: " + say("cli-spec-imported", functions=counts['function'], forms=counts['form'], sheets=sheets))

    run(debug, body)


# -- spec diff ------------------------------------------------------------------------------


@spec_app.command("diff")
def spec_diff(
    operation: Annotated[str, typer.Argument(metavar="OPERATION", help="Operation code, e.g. kaigo.")],
    old_version: Annotated[str, typer.Argument(metavar="OLD_VERSION", help="The older spec version, e.g. 5.0.")],
    new_version: Annotated[str, typer.Argument(metavar="NEW_VERSION", help="The newer spec version, e.g. 6.0.")],
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="text or json.")] = DiffFormat.text,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Added, removed, re-worded, re-titled and re-classified requirements, and their impact on the mappings."""
    from gapcheck.analysis.specdiff import spec_diff as do_diff

    def body() -> None:
        project = _load_project(config_from(config, specs, current_system, mappings))
        diff = do_diff(project, operation, old_version, new_version)
        from gapcheck.render.base import RenderOptions
        from gapcheck.render.terminal import stdout_console

        out(str(DIFF_RENDERERS[fmt].render(diff, RenderOptions(width=stdout_console().width))))

    run(debug, body)


# -- mapping template / import -------------------------------------------------------------------


@mapping_app.command("template")
def mapping_template(
    operation: OperationOpt,
    spec_version: Annotated[str | None, typer.Option("--spec-version", help="Spec version to list (default: the newest loaded).")] = None,
    fmt: Annotated[TemplateFormat, typer.Option("--format", "-f", help="xlsx (a workbook with drop-downs) or yaml.")] = TemplateFormat.xlsx,
    output: Annotated[Path | None, typer.Option("--output",
                      help="File to write (default: reports/mapping-template-CODE-VERSION.xlsx|yaml).", dir_okay=False)] = None,
    mapping: Annotated[Path | None, typer.Option("--mapping",
                       help="Mapping file to fill the template from (default: the mapping made against this version,"
                            " else the newest older one, carried over).", dir_okay=False)] = None,
    blank: Annotated[bool, typer.Option("--blank", help="Do not fill the template from an existing mapping.")] = False,
    with_suggestions: Annotated[bool, typer.Option(
        "--suggest", help="Add suggested links for the items without one: a 候補 column and a 候補 sheet to judge (xlsx).")] = False,
    force: ForceOpt = False,
    lock_timeout: LockTimeoutOpt = LOCK_TIMEOUT,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """A Fit & Gap worksheet listing every requirement of one spec version, with columns for the vendor to fill."""
    from gapcheck.core.paths import display_path
    from gapcheck.vendor.prefill import mapping_template

    def body() -> None:
        cfg = config_from(config, specs, current_system, mappings)
        shown = display_path(output) if output else "<mapping template>"  # names a cell too long for Excel
        made = mapping_template(_load_project(cfg), operation, spec_version, fmt.value, mapping, blank, with_suggestions,
                                shown)
        path = output or cfg.reports / f"mapping-template-{operation}-{made.version}.{fmt.value}"
        _write_output(path, made.data, force, lock_timeout)
        err(f"{operation} {made.version}: " + say("cli-template-made", requirements=made.requirements, custom=made.custom)
            + (say("cli-template-suggestions", n=made.suggestions, items=made.suggested) if with_suggestions else ""))
        for line in made.notes:
            err(line)

    run(debug, body)


@mapping_app.command("import")
def mapping_import(
    file: Annotated[Path, typer.Argument(metavar="FILE.xlsx", help="A worksheet made by `gapcheck mapping template`, filled in.")],
    output: Annotated[Path | None, typer.Option("--output",
                      help="Mapping YAML file to write (default: standard output).", dir_okay=False)] = None,
    force: ForceOpt = False,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Turn a filled worksheet back into mapping YAML; bad cells are reported as sheet!cell."""
    from gapcheck.core.merge import write_kept
    from gapcheck.core.paths import display_path
    from gapcheck.vendor.worksheet import import_worksheet, mapping_yaml

    def body() -> None:
        cfg = config_from(config, specs, current_system, mappings)
        project = _load_project(cfg, ignore_mappings=True)
        result = import_worksheet(file, project)
        text = mapping_yaml(result.mapping, file.name, display_path(output) if output else "<standard output>")
        if output is None:
            sys.stdout.write(text)
            return
        _written(output, write_kept(output, text, force))
        m = result.mapping
        err(f"{m['operation']} {m['spec_version']}: " + say("cli-mapping-imported", links=len(m.get('links', [])),
                                                               custom=len(m.get('custom', []))))

    run(debug, body)


@mapping_app.command("suggest")
def mapping_suggest(
    operation: OperationOpt,
    top: Annotated[int, typer.Option("--top", "-k", help="Suggestions per item, 1 to 50.")] = 5,
    all_items: Annotated[bool, typer.Option("--all", help="Every inventory item, also those already linked or decided.")] = False,
    spec_version: Annotated[str | None, typer.Option(
        "--spec-version", help="Spec version to suggest from (default: the newest loaded).")] = None,
    fmt: Annotated[SuggestFormat, typer.Option("--format", "-f", help="table, json or csv.")] = SuggestFormat.table,
    codes: Annotated[bool, typer.Option(
        "--codes", help="CSV with ASCII column names and codes, for machines (default: Japanese labels).")] = False,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """For each current item with no link (or undecided), the standard requirements it most likely corresponds to.

    A suggestion is never a judgement: it becomes a link only when a person
    judges it (the 候補 sheet of `mapping template --suggest`).
    """
    from gapcheck.analysis.specdiff import resolve_version
    from gapcheck.analysis.suggest import check_top, suggest

    def body() -> None:
        check_top(top)
        project = _load_project(config_from(config, specs, current_system, mappings))
        code = project.operation_code(operation) or operation
        version = resolve_version(project, code, spec_version) if spec_version and project.operation(code) else spec_version
        result = suggest(project, code, top=top, all_items=all_items, spec_version=version)
        print_problems(list(result.problems))
        from gapcheck.render.base import RenderOptions
        from gapcheck.render.terminal import stdout_console

        console = stdout_console()
        options = RenderOptions(width=console.width, color=console.is_terminal, codes=codes)
        out(str(SUGGEST_RENDERERS[fmt].render(result, options)))

    run(debug, body)


# -- export oscal --------------------------------------------------------------------------------


@export_app.command("oscal")
def export_oscal(
    operation: OperationOpt,
    output: Annotated[Path | None, typer.Option("--output", help="JSON file to write (default: standard output).", dir_okay=False)] = None,
    timestamp: Annotated[str | None, typer.Option("--timestamp",
                         help="last-modified, e.g. 2026-03-31T00:00:00+09:00 (default: the latest mapping date).")] = None,
    force: ForceOpt = False,
    lock_timeout: LockTimeoutOpt = LOCK_TIMEOUT,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """The operation's mappings as an OSCAL 1.2 mapping-collection (JSON)."""
    import re

    from gapcheck.render.jsonfmt import dumps
    from gapcheck.vendor.oscal import export_oscal as do_export

    def body() -> None:
        if timestamp is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", timestamp):
            raise UsageError(Msg("cli-timestamp-form", value=timestamp))
        project = _load_project(config_from(config, specs, current_system, mappings))
        text = dumps(do_export(project, operation, timestamp))
        if output is None:
            sys.stdout.write(text)
        else:
            _write_output(output, text, force, lock_timeout)

    run(debug, body)
