"""Time gapcheck end to end at full synthetic scale (a benchmark, not a test).

    python benchmarks/run.py [--repeat 3] [--out benchmarks/out/full]

Generates a synthetic municipality with benchmarks/generate.py (20 operations,
20,000 requirements, 20,000 inventory items, 30,000 links) unless it exists,
then runs each command as a user would (a new process each time) and prints
the best and median wall time of ``--repeat`` runs, both with an empty parse
cache ("cold": a first run, or CI on a fresh machine) and with the cache filled
by an earlier run ("warm": every later run on unchanged files).  Figures go into the
README's Performance section.
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

COMMANDS = {
    "gapcheck --help": ["--help"],
    "gapcheck validate": ["validate"],
    "gapcheck analyze --format json": ["analyze", "--format", "json"],
    "gapcheck analyze (table)": ["analyze"],
    "gapcheck analyze --format csv --output DIR": ["analyze", "--format", "csv", "--output", "out-csv", "--force"],
    "gapcheck readiness --as-of 2026-11-29": ["readiness", "--as-of", "2026-11-29"],
}


def timed(args: list[str], cwd: Path, cache: Path) -> float:
    env = dict(os.environ, GAPCHECK_CACHE_DIR=str(cache))
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "gapcheck", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=HERE / "out" / "full")
    ap.add_argument("--only", help="run only commands whose label contains this text")
    opts = ap.parse_args()
    if not (opts.out / "specs").is_dir():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(opts.out)], check=True)
    print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPU(s), {platform.machine()}")
    print(f"# data: {opts.out}")
    print(f"{'command':48} {'cache':>6} {'best':>8} {'median':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm"
        timed(["validate"], opts.out, warm)  # fills the parse cache
        for label, args in COMMANDS.items():
            if opts.only and opts.only not in label:
                continue
            for kind in ("cold", "warm"):
                if kind == "cold" and label == "gapcheck --help":
                    continue
                caches = [Path(tmp) / f"cold-{label}-{n}" for n in range(opts.repeat)] if kind == "cold" else [warm] * opts.repeat
                times = [timed(args, opts.out, c) for c in caches]
                print(f"{label:48} {kind:>6} {min(times):7.2f}s {statistics.median(times):7.2f}s")


if __name__ == "__main__":
    main()
