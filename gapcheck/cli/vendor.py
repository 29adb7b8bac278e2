"""Vendor and revision workflow commands: ``spec import|diff``, ``mapping template|import``, ``export oscal``.

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
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from gapcheck.cli.app import (
    ConfigOpt,
    DebugOpt,
    InventoryOpt,
    MappingsOpt,
    SpecsOpt,
    app,
)
from gapcheck.cli.common import config_from, err, out, print_problems, run
from gapcheck.core.errors import InvalidInput, UsageError
from gapcheck.render.formats import DIFF_RENDERERS, DiffFormat

if TYPE_CHECKING:
    from gapcheck.core.config import Config
    from gapcheck.core.model import Project

spec_app = typer.Typer(help="Spec catalogues: import the official requirement workbooks, compare two versions.",
                       no_args_is_help=True, rich_markup_mode=None)
mapping_app = typer.Typer(help="Fit & Gap worksheets for vendors: make a template, import a filled one.",
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
    errors = [p for p in project.problems if p.severity == "error"]
    if ignore_mappings:
        root = cfg.mappings.resolve()
        errors = [p for p in errors if not Path(p.file).resolve().is_relative_to(root)]
    if errors:
        raise InvalidInput(errors)
    print_problems([p for p in project.problems if p.severity == "warning"])
    return project


def _written(path: Path, changed: bool) -> None:
    err(f"{'wrote' if changed else 'unchanged'}: {path}")


def _write_output(path: Path, data: bytes | str, force: bool) -> None:
    """Write a generated file through the folder's manifest: gapcheck replaces its own unedited output freely,
    but not a file someone has edited since (a worksheet the vendor filled in place) without ``--force``."""
    from gapcheck.core.output import write_files

    status = write_files(path.parent, {path.name: data}, force)[path.name]
    _written(path, status != "unchanged")


# -- spec import ---------------------------------------------------------------------------


@spec_app.command("import")
def spec_import(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help="Official-style workbook (.xlsx) or CSV file(s) of the requirement lists.")],
    operation: OperationOpt,
    version: Annotated[str, typer.Option("--version", help="Spec version, e.g. 6.0 or 第6.0版.")],
    published: Annotated[Optional[str], typer.Option("--published", help="Publication date YYYY-MM-DD.")] = None,
    columns: Annotated[Optional[Path], typer.Option("--columns", help="Column map YAML overriding the default headers and class spellings.", dir_okay=False)] = None,
    force: ForceOpt = False,
    config: ConfigOpt = None, specs: SpecsOpt = None, debug: DebugOpt = False,
) -> None:
    """Read the 機能要件/帳票要件 sheets of a workbook (or CSV) into specs/CODE/VERSION.yaml."""
    from gapcheck.core.dates import is_real_date
    from gapcheck.core.ids import nearest_ids, normalise_version
    from gapcheck.validation.project import load_registry
    from gapcheck.vendor.columnmap import DEFAULT_COLUMNS, load_column_map
    from gapcheck.vendor.specimport import catalogue_path, import_spec, write_catalogue

    def body() -> None:
        cfg = config_from(config, specs)
        operations, problems = load_registry(cfg.registry)
        if any(p.severity == "error" for p in problems):
            raise InvalidInput(problems)
        op = next((o for o in operations if o.code == operation), None)
        if op is None:
            near = nearest_ids(operation, [o.code for o in operations])
            raise UsageError(f"unknown operation '{operation}'" + (f"; did you mean '{near[0]}'?" if near else "") + " (see `gapcheck operations`)")
        norm = normalise_version(version)
        if norm is None:
            raise UsageError(f"--version takes a spec version such as 6.0 or 第6.0版, not '{version}'")
        if published is not None and not is_real_date(published):
            raise UsageError(f"--published takes a date YYYY-MM-DD, not '{published}'")
        cmap = load_column_map(columns) if columns is not None else DEFAULT_COLUMNS
        result = import_spec(files, op, norm, published=published, columns=cmap)
        print_problems(result.warnings)
        path = catalogue_path(cfg.specs, op.code, norm)
        changed = write_catalogue(result, path, force)
        counts = {k: sum(r["kind"] == k for r in result.catalogue["requirements"]) for k in ("function", "form")}
        sheets = ", ".join(f"'{name}' (header row {row})" for _, name, row in result.sheets)
        _written(path, changed)
        err(f"{op.code} {norm}: {counts['function']} function(s), {counts['form']} form(s) from {sheets}")

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
        out(str(DIFF_RENDERERS[fmt].render(diff)))

    run(debug, body)


# -- mapping template / import -------------------------------------------------------------------


@mapping_app.command("template")
def mapping_template(
    operation: OperationOpt,
    spec_version: Annotated[Optional[str], typer.Option("--spec-version", help="Spec version to list (default: the newest loaded).")] = None,
    fmt: Annotated[TemplateFormat, typer.Option("--format", "-f", help="xlsx (a workbook with drop-downs) or yaml.")] = TemplateFormat.xlsx,
    output: Annotated[Optional[Path], typer.Option("--output", help="File to write (default: reports/mapping-template-CODE-VERSION.xlsx|yaml).", dir_okay=False)] = None,
    mapping: Annotated[Optional[Path], typer.Option("--mapping", help="Mapping file to fill the template from (default: the mapping made against this version, else the newest older one, carried over).", dir_okay=False)] = None,
    blank: Annotated[bool, typer.Option("--blank", help="Do not fill the template from an existing mapping.")] = False,
    force: ForceOpt = False,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """A Fit & Gap worksheet listing every requirement of one spec version, with columns for the vendor to fill."""
    from gapcheck.analysis.specdiff import resolve_version
    from gapcheck.core.paths import display_path
    from gapcheck.vendor.worksheet import build_template, template_xlsx, template_yaml

    def body() -> None:
        cfg = config_from(config, specs, current_system, mappings)
        project = _load_project(cfg)
        op = project.operation(operation)
        if op is None:
            raise UsageError(f"unknown operation '{operation}' (see `gapcheck operations`)")
        if not project.versions(operation):
            raise UsageError(f"no catalogue of {operation} is loaded; import one with `gapcheck spec import`")
        version = resolve_version(project, operation, spec_version) if spec_version else project.versions(operation)[-1]
        catalogue = project.catalogue(operation, version)
        assert catalogue is not None
        doc, review, notes = (None, {}, []) if blank else _prefill(project, operation, version, mapping)
        items = [i for i in project.inventory.items if i.operation == operation] if project.inventory else []
        template = build_template(catalogue, items, doc, op.name, review)
        path = output or cfg.reports / f"mapping-template-{operation}-{version}.{fmt.value}"
        data: bytes | str = (template_xlsx(template, display_path(path)) if fmt is TemplateFormat.xlsx
                             else template_yaml(template, catalogue, doc))
        _write_output(path, data, force)
        err(f"{operation} {version}: {len(catalogue.requirements)} requirement(s), {len(template.custom)} item(s) without counterpart")
        for line in notes:
            err(line)

    run(debug, body)


def _prefill(project: Project, operation: str, version: str, mapping: Path | None
             ) -> tuple[dict[str, Any] | None, dict[str, str], list[str]]:
    """The mapping to fill the template from: the one made against ``version``, else the newest older one carried over.

    Returns (document, review, lines to report); (None, {}, []) when there is none.
    """
    from gapcheck.core.ids import version_key
    from gapcheck.loading import yamlio
    from gapcheck.vendor.worksheet import carry_over, mapping_document

    mine = [m for m in project.mappings if m.operation == operation and version_key(m.spec_version) <= version_key(version)]
    if mapping is not None:
        mine = [m for m in mine if Path(m.file).resolve() == mapping.resolve()]
        if not mine:
            raise UsageError(f"{mapping}: not a loaded mapping of {operation} made against version {version} or older")
    elif mine:
        best = max((m.spec_version for m in mine), key=version_key)
        mine = [m for m in mine if m.spec_version == best]
    if not mine:
        return None, {}, []
    if len(mine) > 1:
        raise UsageError(f"{len(mine)} mappings of {operation} {mine[0].spec_version} ({', '.join(m.file for m in mine)}); "
                         "choose one with --mapping, or use --blank")
    found = mine[0]
    raw, _ = yamlio.load(Path(found.file))
    doc = mapping_document(found, raw.data if raw is not None and isinstance(raw.data, dict) else None)
    if found.spec_version == version:
        return doc, {}, [f"filled in from {found.file}"]
    old, new = project.catalogue(operation, found.spec_version), project.catalogue(operation, version)
    assert old is not None and new is not None
    moved = carry_over(doc, old, new)
    review = len(moved.needs_review)  # judgements to make again; a class change alone keeps its judgement
    lines = [f"filled in from {found.file}, made against {found.spec_version}: {len(moved.mapping.get('links', []))} link(s) "
             f"carried over to {version}, {review} to judge again, {len(moved.dropped)} dropped"]
    lines += [f"dropped: {d}" for d in moved.dropped]
    return moved.mapping, moved.review, lines


@mapping_app.command("import")
def mapping_import(
    file: Annotated[Path, typer.Argument(metavar="FILE.xlsx", help="A worksheet made by `gapcheck mapping template`, filled in.")],
    output: Annotated[Optional[Path], typer.Option("--output", help="Mapping YAML file to write (default: standard output).", dir_okay=False)] = None,
    force: ForceOpt = False,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Turn a filled worksheet back into mapping YAML; bad cells are reported as sheet!cell."""
    from gapcheck.core.output import write_atomic
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
        _written(output, write_atomic(output, text, overwrite=force))
        m = result.mapping
        err(f"{m['operation']} {m['spec_version']}: {len(m.get('links', []))} link(s), {len(m.get('custom', []))} custom item(s)")

    run(debug, body)


# -- export oscal --------------------------------------------------------------------------------


@export_app.command("oscal")
def export_oscal(
    operation: OperationOpt,
    output: Annotated[Optional[Path], typer.Option("--output", help="JSON file to write (default: standard output).", dir_okay=False)] = None,
    timestamp: Annotated[Optional[str], typer.Option("--timestamp", help="last-modified, e.g. 2026-03-31T00:00:00+09:00 (default: the latest mapping date).")] = None,
    force: ForceOpt = False,
    config: ConfigOpt = None, specs: SpecsOpt = None, current_system: InventoryOpt = None, mappings: MappingsOpt = None,
    debug: DebugOpt = False,
) -> None:
    """The operation's mappings as an OSCAL 1.2 mapping-collection (JSON)."""
    import re

    from gapcheck.render.jsonfmt import dumps
    from gapcheck.vendor.oscal import export_oscal as do_export

    def body() -> None:
        if timestamp is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", timestamp):
            raise UsageError(f"--timestamp takes a date-time with time zone, e.g. 2026-03-31T00:00:00+09:00, not '{timestamp}'")
        project = _load_project(config_from(config, specs, current_system, mappings))
        text = dumps(do_export(project, operation, timestamp))
        if output is None:
            sys.stdout.write(text)
        else:
            _write_output(output, text, force)

    run(debug, body)
