"""The results file (``results.parquet``): one municipality's finished results, for roll-ups across many.

One Parquet file holds two kinds of row, told apart by the column
``record``: one ``operation`` row per operation (its readiness) and one
``requirement`` row per requirement of every analysed operation (its state).
Columns that do not apply to a kind of row are null there.  The operation
rows come first, in a row group of their own, so a reader that wants only
them (``WHERE record = 'operation'``) skips the requirement rows by the row
groups' statistics.  Every row also carries who and when (団体コード, name,
as-of date, gapcheck version, schema version, the ``sample`` flag), and the
file's key-value metadata holds the same under :data:`METADATA_KEY`, so a
reader can check a file from its footer alone.

:data:`COLUMNS` is the schema (the README's "Results file" section documents
it); :data:`SCHEMA_VERSION` changes whenever a column is removed, renamed or
changes meaning (new nullable columns at the end do not).  The bytes are the
same for the same results: no timestamps, fixed row order, fixed writer
options.
"""

from __future__ import annotations

import json
from typing import Any

from gapcheck.core.version import __version__
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions

SCHEMA_VERSION = 1
SCHEMA_NAME = f"results/{SCHEMA_VERSION}"
METADATA_KEY = b"gapcheck.results"
"""The Parquet key-value metadata entry holding the file's header as JSON."""
FILE_NAME = "results.parquet"

COLUMNS: tuple[tuple[str, str, str], ...] = (
    # name, type, rows (both | operation | requirement)
    ("record", "string", "both"),
    ("municipality_code", "string", "both"),
    ("municipality", "string", "both"),
    ("as_of", "date", "both"),
    ("gapcheck_version", "string", "both"),
    ("schema_version", "int16", "both"),
    ("sample", "bool", "both"),
    ("operation", "string", "both"),
    ("operation_name", "string", "both"),
    ("spec_version", "string", "both"),
    ("vendor", "string", "both"),
    ("product", "string", "both"),
    ("status", "string", "operation"),
    ("verdict", "string", "operation"),
    ("deadline", "date", "operation"),
    ("days_left", "int32", "operation"),
    ("planned_go_live", "date", "operation"),
    ("actual_go_live", "date", "operation"),
    ("steps_total", "int32", "operation"),
    ("completion_rate", "float64", "operation"),
    ("in_progress_rate", "float64", "operation"),
    ("not_started_rate", "float64", "operation"),
    ("mandatory_fit_rate", "float64", "operation"),
    ("fit_rate_functions", "float64", "operation"),
    ("fit_rate_forms", "float64", "operation"),
    ("open_gaps", "int32", "operation"),
    ("partial", "int32", "operation"),
    ("deferrals", "int32", "operation"),
    ("expired_deferrals", "int32", "operation"),
    ("violations", "int32", "operation"),
    ("custom", "int32", "operation"),
    ("undecided", "int32", "operation"),
    ("extension_reason", "int8", "operation"),
    ("extension_deadline", "date", "operation"),
    ("extension_approved", "date", "operation"),
    ("kind", "string", "requirement"),
    ("requirement_id", "string", "requirement"),
    ("class", "string", "requirement"),
    ("state", "string", "requirement"),
    ("deferred_until", "date", "requirement"),
)
"""Every column of schema version :data:`SCHEMA_VERSION`, in file order."""


def arrow_schema(metadata: dict[str, Any] | None = None) -> Any:
    """The Arrow schema of :data:`COLUMNS`, with the header in the metadata when given."""
    import pyarrow as pa

    types = {"string": pa.string(), "date": pa.date32(), "int8": pa.int8(), "int16": pa.int16(), "int32": pa.int32(),
             "float64": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([pa.field(name, types[kind]) for name, kind, _ in COLUMNS])
    if metadata is not None:
        schema = schema.with_metadata({METADATA_KEY: json.dumps(metadata, ensure_ascii=False, sort_keys=True)})
    return schema


def header(report: Any) -> dict[str, Any]:
    """Who and when: the file's key-value metadata (and the constant columns of every row)."""
    return {"schema": SCHEMA_NAME, "schema_version": SCHEMA_VERSION, "gapcheck_version": __version__,
            "municipality_code": report.code, "municipality": report.municipality,
            "as_of": report.as_of.isoformat(), "sample": bool(report.sample or report.sample_inputs),
            "operations": len(report.readiness.operations), "requirements": len(report.analysis.requirements)}


def render(report: Any, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
    """The results of one municipality as Parquet bytes (identical for identical results)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    head = header(report)
    schema = arrow_schema(head)
    operations = _table(_operation_columns(report), len(report.readiness.operations), head, "operation", schema)
    requirements = _table(_requirement_columns(report), len(report.analysis.requirements), head, "requirement", schema)
    sink = pa.BufferOutputStream()
    with pq.ParquetWriter(sink, schema, compression="zstd", compression_level=3, use_dictionary=True,
                          write_statistics=True, store_schema=True) as writer:
        writer.write_table(operations)  # a row group of its own, first
        writer.write_table(requirements, row_group_size=1 << 20)
    return bytes(sink.getvalue().to_pybytes())


def _table(columns: dict[str, Any], rows: int, head: dict[str, Any], record: str, schema: Any) -> Any:
    """The rows of one kind as an Arrow table of the whole schema (constant columns repeated, others null)."""
    import pyarrow as pa

    constant = {"record": record, "municipality_code": head["municipality_code"], "municipality": head["municipality"],
                "as_of": head["as_of"], "gapcheck_version": head["gapcheck_version"],
                "schema_version": SCHEMA_VERSION, "sample": head["sample"]}
    arrays = []
    for field in schema:
        if field.name in columns:
            arrays.append(pa.array(columns[field.name], type=field.type) if field.type != pa.date32()
                          else pa.array(columns[field.name], type=pa.string()).cast(pa.date32()))
        elif field.name in constant:
            value = pa.scalar(constant[field.name]).cast(field.type) if field.name == "as_of" else \
                pa.scalar(constant[field.name], type=field.type)
            arrays.append(pa.repeat(value, rows))
        else:
            arrays.append(pa.nulls(rows, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _iso(d: Any) -> str | None:
    return d.isoformat() if d is not None else None


def _operation_columns(report: Any) -> dict[str, list[Any]]:
    """One value per operation of the readiness, per operation column."""
    summaries = {s.operation: s for s in report.analysis.summaries}
    systems = {s.operation: s for s in report.systems}
    rows = []
    for o in report.readiness.operations:
        s, sy = summaries.get(o.operation), systems.get(o.operation)
        rows.append({
            "operation": o.operation, "operation_name": o.name, "spec_version": s.spec_version if s else None,
            "vendor": sy.vendor if sy else None, "product": sy.product if sy else None,
            "status": o.status, "verdict": report.readiness.verdict, "deadline": _iso(o.deadline),
            "days_left": o.days_left, "planned_go_live": _iso(o.planned_go_live), "actual_go_live": _iso(o.actual_go_live),
            "steps_total": o.steps_total, "completion_rate": o.completion_rate, "in_progress_rate": o.in_progress_rate,
            "not_started_rate": o.not_started_rate, "mandatory_fit_rate": o.mandatory_fit_rate,
            "fit_rate_functions": s.fit_rate_functions if s else None, "fit_rate_forms": s.fit_rate_forms if s else None,
            "open_gaps": o.open_gaps, "partial": o.partial, "deferrals": len(o.deferrals),
            "expired_deferrals": sy.expired_deferrals if sy else 0, "violations": o.violations,
            "custom": s.custom if s else 0, "undecided": o.undecided,
            "extension_reason": sy.extension_reason if sy else None,
            "extension_deadline": _iso(sy.extension_deadline) if sy else None,
            "extension_approved": _iso(sy.extension_approved) if sy else None,
        })
    return {name: [r[name] for r in rows] for name in (rows[0] if rows else {})}


def _requirement_columns(report: Any) -> dict[str, Any]:
    """The requirement columns, straight from the analysis' requirement table (vectorised)."""
    req = report.analysis.requirements
    names = {s.operation: s.name for s in report.analysis.summaries}
    systems = {s.operation: s for s in report.systems}
    op = req["operation"]

    def text(series: Any) -> list[Any]:
        values: list[Any] = series.astype(object).where(series.notna(), None).tolist()
        return values

    return {
        "operation": text(op), "operation_name": text(op.map(names)), "spec_version": text(req["spec_version"]),
        "vendor": text(op.map({c: s.vendor for c, s in systems.items()})),
        "product": text(op.map({c: s.product for c, s in systems.items()})),
        "kind": text(req["kind"]), "requirement_id": text(req["id"]), "class": text(req["class"]),
        "state": text(req["state"]), "deferred_until": text(req["deferred_until"]),
    }
