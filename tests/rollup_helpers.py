"""Helpers shared by the roll-up tests (not a test module): results files made by gapcheck, and edited copies."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from gapcheck.render.results import METADATA_KEY

SMALL = Path(__file__).parent / "fixtures" / "small"


def small_results(path: Path, as_of: dt.date = dt.date(2026, 6, 30)) -> Path:
    """The small fixture's results file (テスト町, 999997) as gapcheck writes it."""
    from gapcheck.core.config import load_config
    from gapcheck.readiness.bundle import build_report
    from gapcheck.render.formats import render
    from gapcheck.validation.project import load_project

    cfg = load_config(SMALL)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(build_report(load_project(cfg), cfg, as_of), "results"))  # type: ignore[arg-type]
    return path


def variant(good: Path, dest: Path, drop: tuple[str, ...] = (), **head: Any) -> Path:
    """A copy of a results file with header fields (and the matching columns) changed, or columns dropped."""
    table = pq.read_table(good)
    meta = json.loads(table.schema.metadata[METADATA_KEY])
    meta.update(head)
    for key in ("municipality_code", "municipality", "gapcheck_version"):
        if key in head:
            i = table.schema.get_field_index(key)
            table = table.set_column(i, key, pa.repeat(pa.scalar(head[key], pa.string()), len(table)))
    if "as_of" in head:
        i = table.schema.get_field_index("as_of")
        table = table.set_column(i, "as_of", pa.repeat(pa.scalar(str(head["as_of"])).cast(pa.date32()), len(table)))
    table = table.drop_columns(list(drop)).replace_schema_metadata({METADATA_KEY: json.dumps(meta, ensure_ascii=False)})
    dest.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, dest)
    return dest
