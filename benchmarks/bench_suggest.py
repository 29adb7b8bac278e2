#!/usr/bin/env python3
"""Time suggested links at full synthetic scale (a benchmark, not a test).

    python benchmarks/bench_suggest.py [--repeat 3] [--out benchmarks/out/full] [--top 5]

Generates the synthetic municipality of benchmarks/generate.py (20 operations,
20,000 requirements, 20,000 inventory items) unless it exists, then, in a new
process each run (``--all``, so every one of the 20,000 items is ranked, not
only the unlinked ones):

* ``library, all operations``: load the project (warm parse cache) and call
  ``gapcheck.suggest(project, code, top, all_items=True)`` for every operation
  in scope; wall time, CPU time and peak memory (maximum resident set size) of
  the process (on a busy machine the CPU time says more than the wall time);
* ``gapcheck mapping suggest -o CODE --all --format json``: one operation
  through the command line, as a user runs it (the largest operation).

Figures go into the README's Performance section.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

LIBRARY_RUN = """
import resource, sys, time
start = time.perf_counter()
import gapcheck
project = gapcheck.load_project(gapcheck.load_config("."))
loaded = time.perf_counter()
items = suggestions = 0
for op in project.operations:
    if project.in_scope(op.code) and project.catalogue(op.code) is not None:
        result = gapcheck.suggest(project, op.code, top=int(sys.argv[1]), all_items=True)
        items += len(result.items)
        suggestions += sum(len(i.suggestions) for i in result.items)
done = time.perf_counter()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(f"{done - start:.3f} {loaded - start:.3f} {done - loaded:.3f} {usage.ru_maxrss / 1024:.0f} {items} {suggestions} "
      f"{usage.ru_utime + usage.ru_stime:.3f}")
"""


def library_run(cwd: Path, cache: Path, top: int) -> list[float]:
    env = dict(os.environ, GAPCHECK_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", LIBRARY_RUN, str(top)], cwd=cwd, env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    return [float(x) for x in out]


def cli_run(cwd: Path, cache: Path, operation: str) -> float:
    env = dict(os.environ, GAPCHECK_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "gapcheck", "mapping", "suggest", "-o", operation, "--all", "--format", "json"],
                   cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def largest_operation(data: Path) -> str:
    sizes = {p.stem: p.stat().st_size for p in (data / "current_system").glob("*.yaml")}
    return max(sizes, key=lambda k: sizes[k])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=HERE / "out" / "full")
    ap.add_argument("--top", type=int, default=5)
    opts = ap.parse_args()
    if not (opts.out / "specs").is_dir():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(opts.out)], check=True)
    print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPU(s), {platform.machine()}")
    print(f"# data: {opts.out}; --top {opts.top} --all")
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "warm"
        library_run(opts.out, cache, opts.top)  # fills the parse cache
        runs = [library_run(opts.out, cache, opts.top) for _ in range(opts.repeat)]
        total = [r[0] for r in runs]
        best = min(runs, key=lambda r: r[0])
        print(f"library, all operations: best {min(total):.2f}s, median {statistics.median(total):.2f}s "
              f"(loading {best[1]:.2f}s, suggesting {best[2]:.2f}s; CPU time {best[6]:.2f}s); "
              f"peak memory {max(r[3] for r in runs):.0f} MB; {best[4]:.0f} items, {best[5]:.0f} suggestions")
        op = largest_operation(opts.out)
        times = [cli_run(opts.out, cache, op) for _ in range(opts.repeat)]
        print(f"gapcheck mapping suggest -o {op} --all --format json: best {min(times):.2f}s, "
              f"median {statistics.median(times):.2f}s")


if __name__ == "__main__":
    main()
