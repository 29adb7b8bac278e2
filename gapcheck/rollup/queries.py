"""The roll-up's SQL: DuckDB over the chosen results files, in process, out of core.

The operation rows of every file (one per 団体 and operation: 35,760 at
national scale) are read once into a small table, ``ops``; every view of
operations, 団体 and 特定移行支援 is a query of it.  The requirement rows
(about 35 million nationally) are only ever aggregated, straight from the
Parquet files, by (operation, kind, requirement ID, spec version), and by
vendor and product for the vendor view: DuckDB streams them and spills to
its own temporary folder if memory runs short, so the roll-up never holds
them.  Results come back as small pandas frames.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from gapcheck.readiness.status import WORST_FIRST as STATUS_ORDER

SEVERITY = {s: len(STATUS_ORDER) - 1 - n for n, s in enumerate(STATUS_ORDER)}
OPEN = "(state IN ('gap', 'partial', 'violation') OR (state = 'stale' AND class = 'mandatory'))"
"""A requirement that is a gap or a violation in a 団体 (stale counts only where mandatory, as open gaps do)."""
MEMORY_LIMIT = "1GB"
"""DuckDB's own memory limit: beyond it, it spills to a temporary folder (the 2 GB peak target)."""

_STATUS_COUNTS = ", ".join(f"count(*) FILTER (WHERE status = '{s}') AS \"{s}\"" for s in STATUS_ORDER)
_MEASURES = f"""
    count(*) FILTER (WHERE status <> 'not-applicable') AS systems, {_STATUS_COUNTS},
    CAST(sum(open_gaps) AS BIGINT) AS open_gaps, CAST(sum(violations) AS BIGINT) AS violations,
    CAST(sum(undecided) AS BIGINT) AS undecided, CAST(sum(expired_deferrals) AS BIGINT) AS expired_deferrals,
    count(*) FILTER (WHERE special) AS special"""
_QUARTILES = ", ".join(
    f"round(quantile_cont({col}, {q}) FILTER (WHERE status <> 'not-applicable'), 4) AS {name}_{label}"
    for col, name in (("completion_rate", "completion"), ("mandatory_fit_rate", "fit"))
    for q, label in ((0.25, "q1"), (0.5, "median"), (0.75, "q3")))
GROUP_KEYS = {
    "operation": (["operation"], "min(operation_name) AS name, min(position) AS position", "TRUE"),
    "prefecture": (["substr(municipality_code, 1, 2) AS prefecture"], "NULL AS name", "TRUE"),
    "vendor": (["coalesce(vendor, '') AS vendor", "coalesce(product, '') AS product"], "NULL AS name",
               "status <> 'not-applicable'"),
}
"""``--by``: the grouping columns, the name column, and which operation rows count."""


@contextmanager
def connect(files: list[str], registry: list[str], threads: int | None = None) -> Iterator[Any]:
    """A DuckDB connection with ``ops`` loaded from ``files`` and the registry order in ``registry``."""
    import duckdb

    with tempfile.TemporaryDirectory(prefix="gapcheck-rollup-") as spill:
        config: dict[str, Any] = {"memory_limit": MEMORY_LIMIT, "temp_directory": spill,
                                  "preserve_insertion_order": False}
        if threads:
            config["threads"] = threads
        con = duckdb.connect(":memory:", config=config)
        try:
            con.execute("SET enable_progress_bar = false")  # DuckDB would draw one on the terminal for long queries
            con.execute("CREATE TEMP TABLE registry (operation VARCHAR, position INTEGER)")
            if registry:
                con.executemany("INSERT INTO registry VALUES (?, ?)", [(c, n) for n, c in enumerate(registry)])
            severity = " ".join(f"WHEN '{s}' THEN {n}" for s, n in SEVERITY.items())
            con.execute(f"""
                CREATE TEMP TABLE ops AS
                SELECT o.*, coalesce(r.position, 10000) AS position, CASE o.status {severity} ELSE 0 END AS severity,
                       (o.extension_approved IS NOT NULL AND o.extension_approved <= o.as_of
                        AND o.status <> 'not-applicable') AS special
                FROM (SELECT municipality_code, municipality, as_of, sample, gapcheck_version, operation, operation_name,
                             spec_version, vendor, product, status, verdict, deadline, days_left, completion_rate,
                             mandatory_fit_rate, open_gaps, violations, undecided, expired_deferrals, extension_reason,
                             extension_approved
                      FROM read_parquet($files) WHERE record = 'operation') o
                LEFT JOIN registry r USING (operation)""", {"files": files})
            yield con
        finally:
            con.close()


def frame(con: Any, sql: str, params: dict[str, Any] | None = None) -> Any:
    """A query's rows as a pandas frame (dates stay ``datetime.date``, counts plain integers)."""
    import pandas as pd

    cur = con.execute(sql, params or {})
    return pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description], dtype=object)


def groups(con: Any, by: str) -> Any:
    """One row per group of ``by`` (operation, prefecture or vendor and product), statuses and distributions."""
    keys, name, where = GROUP_KEYS[by]
    cols = ", ".join(keys)
    aliases = ", ".join(k.rsplit(" AS ", 1)[-1] for k in keys)
    order = "position, operation" if by == "operation" else aliases
    return frame(con, f"""
        SELECT {cols}, {name}, count(DISTINCT municipality_code) AS municipalities,
               count(DISTINCT municipality_code) FILTER (WHERE sample) AS sample, {_MEASURES}, {_QUARTILES}
        FROM ops WHERE {where} GROUP BY {aliases} ORDER BY {order}""")


def municipalities(con: Any) -> Any:
    """One row per 団体: its verdict, worst operation, status counts and totals."""
    return frame(con, f"""
        WITH ranked AS (
            SELECT *, row_number() OVER (PARTITION BY municipality_code
                ORDER BY severity DESC, days_left ASC NULLS LAST, position, operation) AS rank
            FROM ops)
        SELECT municipality_code AS code, min(municipality) AS name, min(as_of) AS as_of, bool_or(sample) AS sample,
               min(gapcheck_version) AS gapcheck_version, min(verdict) AS verdict,
               min(status) FILTER (WHERE rank = 1) AS worst_status,
               min(operation) FILTER (WHERE rank = 1 AND severity >= {SEVERITY['on-track']}) AS worst_operation,
               min(operation_name) FILTER (WHERE rank = 1 AND severity >= {SEVERITY['on-track']}) AS worst_operation_name,
               min(days_left) FILTER (WHERE status NOT IN ('migrated', 'not-applicable')) AS days_to_deadline,
               {_MEASURES}
        FROM ranked GROUP BY municipality_code ORDER BY municipality_code""")


def heatmap(con: Any) -> Any:
    """(団体コード, operation, status) of every operation row."""
    return frame(con, "SELECT municipality_code AS code, operation, status FROM ops ORDER BY code, position, operation")


def operations(con: Any) -> list[tuple[str, str]]:
    """(code, name) of every operation in the results, registry order first."""
    rows = con.execute("SELECT operation, min(operation_name) FROM ops GROUP BY operation "
                       "ORDER BY min(position), operation").fetchall()
    return [(str(c), str(n)) for c, n in rows]


def requirements(con: Any, files: list[str], by_vendor: bool, top: int) -> Any:
    """The requirements that are gaps or violations in the most 団体 (per vendor and product when ``by_vendor``)."""
    vendor = "coalesce(vendor, '') AS vendor, coalesce(product, '') AS product, " if by_vendor else ""
    group = "vendor, product, " if by_vendor else ""
    window = "PARTITION BY vendor, product " if by_vendor else ""
    ranking = "open DESC, violation DESC, position, operation, kind, requirement_id, spec_version"
    return frame(con, f"""
        WITH keyed AS (
            SELECT {vendor}operation, kind, requirement_id, spec_version, min(class) AS class,
                   min(operation_name) AS operation_name, count(*) AS municipalities,
                   count(*) FILTER (WHERE state = 'gap') AS gap, count(*) FILTER (WHERE state = 'partial') AS partial,
                   count(*) FILTER (WHERE state = 'stale' AND class = 'mandatory') AS stale,
                   count(*) FILTER (WHERE state = 'violation') AS violation,
                   count(*) FILTER (WHERE state = 'deferred') AS deferred,
                   count(*) FILTER (WHERE sample AND {OPEN}) AS sample
            FROM read_parquet($files) WHERE record = 'requirement'
            GROUP BY {group}operation, kind, requirement_id, spec_version),
        counted AS (
            SELECT k.*, gap + partial + stale + violation AS open, coalesce(r.position, 10000) AS position
            FROM keyed k LEFT JOIN registry r USING (operation)
            WHERE gap + partial + stale + violation > 0)
        SELECT * EXCLUDE (position) FROM counted
        QUALIFY row_number() OVER ({window}ORDER BY {ranking}) <= $top
        ORDER BY {group}{ranking}""", {"files": files, "top": top})


def extensions(con: Any) -> Any:
    """特定移行支援システム by reason (approved on the 団体's as-of date), and the total over all reasons."""
    measures = """count(*) FILTER (WHERE special) AS systems,
        count(DISTINCT municipality_code) FILTER (WHERE special) AS municipalities,
        count(*) FILTER (WHERE special AND status = 'migrated') AS migrated,
        count(*) FILTER (WHERE NOT special AND status <> 'not-applicable') AS pending,
        count(DISTINCT municipality_code) FILTER (WHERE special AND sample) AS sample"""
    return frame(con, f"""
        SELECT extension_reason AS reason, {measures} FROM ops WHERE extension_reason IS NOT NULL GROUP BY reason
        UNION ALL
        SELECT NULL AS reason, {measures} FROM ops WHERE extension_reason IS NOT NULL
        ORDER BY reason NULLS LAST""")
