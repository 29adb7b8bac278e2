"""Time ``gapcheck rollup`` at national scale (a benchmark, not a test).

    python benchmarks/national.py [--repeat 3] [--out benchmarks/out/national] [--regenerate]

Generates (unless present) 1,741 synthetic municipalities' and 47 synthetic
prefectures' results files, valid ``results/1`` files written straight with
pyarrow (about 20,000 requirement rows per municipality, about 35 million in
all; a few seconds, not 40 minutes of gapcheck runs).  Everything in them is
invented and marked so: ``sample: true``, names 合成市町村…, random states.
Only the prefecture codes and names are real; municipality codes are
``PP9NN`` plus the check digit, a range no real municipality uses.
Prefecture 08 has 44 municipalities, as 茨城県 does, for the prefecture
benchmark.

Then it times, each in a new process, best and median of ``--repeat`` runs,
with the peak resident memory of the process (the targets of issue 14):

- the national roll-up (1,788 団体) to JSON and to HTML: <= 60 s, <= 2 GB;
- one prefecture of 44 municipalities plus the prefecture itself (a list file): <= 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from gapcheck.core.municipality import check_digit, prefectures  # noqa: E402
from gapcheck.core.version import __version__  # noqa: E402
from gapcheck.render.results import SCHEMA_VERSION, arrow_schema  # noqa: E402
from gapcheck.validation.project import load_registry  # noqa: E402

NAMES = {o.code: o.name for o in load_registry(None)[0]}

MUNICIPALITIES = 1741
PREFECTURE_OF_44 = "08"
REQUIREMENTS_PER_OPERATION = 1070
"""About 20,000 requirement rows per municipality (18 or 20 operations), about 35 million in all."""
AS_OF = "2026-06-30"
OPERATIONS = ("juki", "senkyo", "kotei-shisanzei", "kojin-juminzei", "hojin-juminzei", "keijidoshazei", "shugaku",
              "kokumin-nenkin", "kokuho", "koki-korei", "kaigo", "shogai-fukushi", "seikatsu-hogo", "kenko-kanri",
              "jido-teate", "jido-fuyo-teate", "inkan", "koseki", "koseki-fuhyo", "kodomo-kosodate")
PREFECTURE_OPERATIONS = ("seikatsu-hogo", "jido-fuyo-teate")
STATES = np.array(["fit", "partial", "gap", "deferred", "stale", "optional-used", "optional-unused", "violation",
                   "forbidden-absent"])
STATE_NAMES = pa.array(STATES.tolist())
STATE_P = {"mandatory": [0.78, 0.07, 0.08, 0.02, 0.05, 0, 0, 0, 0], "optional": [0, 0, 0, 0, 0.02, 0.5, 0.48, 0, 0],
           "forbidden": [0, 0, 0, 0, 0, 0, 0, 0.05, 0.95]}
STATUSES = np.array(["migrated", "on-track", "at-risk", "overdue", "extended"])
STATUS_P = [0.55, 0.08, 0.12, 0.10, 0.15]
VENDORS = [f"合成ベンダー{n}" for n in range(12)]


def codes() -> list[tuple[str, str, bool]]:
    """(団体コード, name, is prefecture) of the 1,741 synthetic municipalities and the 47 prefectures."""
    prefs = [p for c, p in prefectures().items() if c != "99"]
    others = [p.code for p in prefs if p.code != PREFECTURE_OF_44]
    counts = {PREFECTURE_OF_44: 44}
    rest = MUNICIPALITIES - 44
    for n, code in enumerate(others):
        counts[code] = rest // len(others) + (1 if n < rest % len(others) else 0)
    out = []
    for p in prefs:
        out.append((p.lg_code or "", f"{p.name}（合成データ）", True))
        for i in range(counts[p.code]):
            five = f"{p.code}9{i:02d}"
            out.append((five + check_digit(five), f"合成市町村{p.code}-{i:02d}", False))
    return out


class Catalogue:
    """The requirement columns shared by every file (one synthetic spec version per operation), built once."""

    def __init__(self, rng: np.random.Generator):
        n = REQUIREMENTS_PER_OPERATION
        self.ops = {}
        for k, op in enumerate(OPERATIONS):
            ids = pa.array([f"{900 + k:03d}{j:04d}" for j in range(n)])
            klass = rng.choice(["mandatory", "optional", "forbidden"], n, p=[0.7, 0.25, 0.05])
            kind = pa.array(np.where(rng.random(n) < 0.15, "form", "function"))
            self.ops[op] = (ids, pa.array(klass), kind, klass)


def _operation_table(schema: pa.Schema, head: dict, ops: list[str], rng: np.random.Generator, in_scope: set[str]) -> pa.Table:
    n = len(ops)
    status = np.where(np.isin(ops, list(in_scope)), rng.choice(STATUSES, n, p=STATUS_P), "not-applicable")
    na = status == "not-applicable"
    ext = np.where(status == "extended", rng.integers(1, 5, n), 0)
    days = np.where(np.isin(status, ["migrated", "not-applicable"]), None, rng.integers(-200, 900, n))
    rate = np.where(na, np.nan, rng.beta(5, 2, n).round(4))
    fit = np.where(na, np.nan, rng.beta(8, 2, n).round(4))
    cols = {
        "operation": ops, "operation_name": [NAMES[op] for op in ops], "spec_version": [None if x else "1.0" for x in na],
        "vendor": [None if x else VENDORS[int(v)] for x, v in zip(na, rng.integers(0, len(VENDORS), n), strict=True)],
        "product": [None if x else f"合成製品 {op}" for x, op in zip(na, ops, strict=True)],
        "status": status.tolist(), "verdict": [f"合成データの判定（{head['municipality']}）"] * n,
        "days_left": days.tolist(), "completion_rate": pc.if_else(pa.array(na), None, pa.array(rate)),
        "mandatory_fit_rate": pc.if_else(pa.array(na), None, pa.array(fit)),
        "open_gaps": np.where(na, 0, rng.integers(0, 120, n)).astype("int32"),
        "violations": np.where(na, 0, rng.integers(0, 6, n)).astype("int32"),
        "undecided": np.where(na, 0, rng.integers(0, 10, n)).astype("int32"),
        "expired_deferrals": np.zeros(n, "int32"),
        "extension_reason": pa.array(np.where(ext > 0, ext, 0).astype("int8"), mask=ext == 0),
        "extension_approved": pa.array([AS_OF if e else None for e in ext]).cast(pa.date32()),
    }
    return _fill(schema, head, "operation", n, cols)


def _requirement_table(schema: pa.Schema, head: dict, ops: list[str], cat: Catalogue, rng: np.random.Generator,
                       vendors: dict[str, str]) -> pa.Table:
    parts: dict[str, list] = {k: [] for k in ("operation", "requirement_id", "class", "kind", "state", "vendor")}
    for op in ops:
        ids, klass, kind, raw = cat.ops[op]
        n = len(ids)
        state = np.zeros(n, dtype=np.int64)
        for c, p in STATE_P.items():
            mask = raw == c
            state[mask] = rng.choice(len(STATES), int(mask.sum()), p=p)
        parts["operation"].append(pa.repeat(pa.scalar(op), n))
        parts["requirement_id"].append(ids)
        parts["class"].append(klass)
        parts["kind"].append(kind)
        parts["state"].append(STATE_NAMES.take(pa.array(state)))
        parts["vendor"].append(pa.repeat(pa.scalar(vendors[op]), n))
    cols = {k: pa.concat_arrays(v) for k, v in parts.items()}
    total = len(cols["operation"])
    cols["operation_name"] = pa.concat_arrays([pa.repeat(pa.scalar(NAMES[op]), len(cat.ops[op][0])) for op in ops])
    cols["product"] = pc.binary_join_element_wise("合成製品 ", cols["operation"], "")
    cols["spec_version"] = pa.repeat(pa.scalar("1.0"), total)
    return _fill(schema, head, "requirement", total, cols)


def _fill(schema: pa.Schema, head: dict, record: str, n: int, cols: dict) -> pa.Table:
    constant = {"record": record, "municipality_code": head["municipality_code"], "municipality": head["municipality"],
                "gapcheck_version": head["gapcheck_version"], "schema_version": SCHEMA_VERSION, "sample": True}
    arrays = []
    for field in schema:
        if field.name in cols:
            arrays.append(pa.array(cols[field.name], type=field.type) if not isinstance(cols[field.name], pa.Array)
                          else cols[field.name].cast(field.type))
        elif field.name == "as_of":
            arrays.append(pa.repeat(pa.scalar(AS_OF).cast(pa.date32()), n))
        elif field.name in constant:
            arrays.append(pa.repeat(pa.scalar(constant[field.name], type=field.type), n))
        else:
            arrays.append(pa.nulls(n, field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def generate(out: Path) -> tuple[int, int]:
    """Write every file into ``out``; returns (files, requirement rows)."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(14)
    cat = Catalogue(rng)
    rows = 0
    entities = codes()
    for code, name, is_pref in entities:
        town = not is_pref and rng.random() < 0.6
        in_scope = set(PREFECTURE_OPERATIONS) if is_pref else set(OPERATIONS) - (set(PREFECTURE_OPERATIONS) if town else set())
        ops = list(OPERATIONS)
        analysed = [op for op in ops if op in in_scope]
        vendors = {op: VENDORS[int(v)] for op, v in zip(ops, rng.integers(0, len(VENDORS), len(ops)), strict=True)}
        n_req = len(analysed) * REQUIREMENTS_PER_OPERATION
        head = {"schema": f"results/{SCHEMA_VERSION}", "schema_version": SCHEMA_VERSION, "gapcheck_version": __version__,
                "municipality_code": code, "municipality": name, "as_of": AS_OF, "sample": True,
                "operations": len(ops), "requirements": n_req}
        schema = arrow_schema(head)
        with pq.ParquetWriter(out / f"{code}.parquet", schema, compression="zstd", compression_level=1) as writer:
            writer.write_table(_operation_table(schema, head, ops, rng, in_scope))
            writer.write_table(_requirement_table(schema, head, analysed, cat, rng, vendors), row_group_size=1 << 20)
        rows += n_req
    return len(entities), rows


def _run(args: list[str], cwd: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak resident MB) of one ``gapcheck`` process.

    CPU time (user + system, all threads) says what the run costs when other
    work shares the two cores; wall time is what a person waits.
    """
    script = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
              "rc = subprocess.call([sys.executable, '-m', 'gapcheck', *sys.argv[1:]], stdout=subprocess.DEVNULL); "
              "w = time.perf_counter() - t; u = resource.getrusage(resource.RUSAGE_CHILDREN); "
              "print(rc, w, u.ru_utime + u.ru_stime, u.ru_maxrss / 1024)")
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    out = subprocess.run([sys.executable, "-c", script, *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    rc, wall, cpu, rss = out.stdout.split()
    if rc != "0":
        raise SystemExit(f"gapcheck {' '.join(args)} exited {rc}: {out.stderr}")
    return float(wall), float(cpu), float(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "national")
    parser.add_argument("--regenerate", action="store_true")
    a = parser.parse_args()
    folder = a.out / "results"
    if a.regenerate or not folder.is_dir():
        start = time.perf_counter()
        files, rows = generate(folder)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"generated {files} results files, {rows:,} requirement rows, {size:.0f} MB in {time.perf_counter() - start:.1f} s",
              flush=True)
    pref = a.out / f"prefecture-{PREFECTURE_OF_44}.txt"
    members = sorted(p.name for p in folder.iterdir() if p.name.startswith(PREFECTURE_OF_44))
    pref.write_text("".join(f"results/{m}\n" for m in members), "utf-8")
    runs = {
        f"national: rollup --format json ({len(list(folder.iterdir()))} 団体)": ["rollup", "results", "--format", "json",
                                                                                "--output", "out-json", "--force"],
        "national: rollup --format html": ["rollup", "results", "--format", "html", "--output", "out-html", "--force"],
        "national: rollup --by vendor --format json": ["rollup", "results", "--by", "vendor", "--format", "json",
                                                       "--output", "out-vendor", "--force"],
        f"prefecture {PREFECTURE_OF_44} ({len(members)} 団体): rollup --format html": [
            "rollup", pref.name, "--format", "html", "--output", "out-pref", "--force"],
    }
    load = os.getloadavg()[0]
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, load average {load:.1f}",
          flush=True)
    for name, args in runs.items():
        walls, cpus, peaks = zip(*(_run(args, a.out) for _ in range(a.repeat)), strict=True)
        print(f"{name}: wall best {min(walls):.2f} s, median {statistics.median(walls):.2f} s; "
              f"CPU best {min(cpus):.2f} s; peak RSS {max(peaks):.0f} MB", flush=True)
    html = a.out / "out-html" / "rollup.html"
    print(f"national HTML {html.stat().st_size / 1e6:.1f} MB; JSON "
          f"{(a.out / 'out-json' / 'rollup.json').stat().st_size / 1e6:.1f} MB")
    doc = json.loads((a.out / "out-json" / "rollup.json").read_text("utf-8"))
    print(f"check: {doc['totals']['municipalities']} 団体 ({doc['totals']['prefectures']} prefectures), "
          f"{doc['totals']['systems']:,} systems in scope, {len(doc['problems'])} problem(s)")


if __name__ == "__main__":
    main()
