#!/usr/bin/env python3
"""Concurrent snapshots on a large history: how many rounds lose records (a measurement, not a test).

    python benchmarks/concurrency.py [--processes 8] [--rounds 20] [--lines 20000] [--gapcheck PATH]

Writes a synthetic history of ``--lines`` lines (20 operations per date),
then, in each round, starts ``--processes`` real processes that each record
18 operations for a date of their own (``gapcheck.readiness.history.record``,
what ``gapcheck snapshot`` calls) at the same instant, and counts the rounds
after which a date is missing.  ``--gapcheck`` runs another checkout (e.g.
an older commit unpacked with ``git archive``), to compare.  The figures
are in the README's "Reliability" section.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

WORKER = """
import datetime as dt, sys, time
from pathlib import Path
from gapcheck.loading.history import Snapshot
from gapcheck.readiness.history import record
history, day, ready, go = Path(sys.argv[1]), dt.date.fromisoformat(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
ready.touch()
while not go.exists():
    time.sleep(0.001)
record(history, [Snapshot(day, f"op{n:02}", "on-track", n, 0.5, 0.25, 0, 1) for n in range(18)])
"""

SEED = """
import datetime as dt, sys
from pathlib import Path
from gapcheck.loading.history import Snapshot
lines = int(sys.argv[2])
start = dt.date(2000, 1, 1)
Path(sys.argv[1]).write_text("".join(
    Snapshot(start + dt.timedelta(days=n // 20), f"op{n % 20:02}", "on-track", 5, 0.5, 0.5, 0, 0).to_json() + "\\n"
    for n in range(lines)), "utf-8")
"""


def one_round(history: Path, work: Path, rnd: int, processes: int, env: dict[str, str]) -> tuple[int, list[int]]:
    """Run one round; the number of dates of this round missing afterwards, and the exit codes."""
    import datetime as dt

    go = work / f"go-{rnd}"
    days = [dt.date(3000, 1, 1) + dt.timedelta(days=rnd * processes + n) for n in range(processes)]
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(history), d.isoformat(), str(work / f"ready-{rnd}-{n}"),
                               str(go)], env=env, cwd=work, stderr=subprocess.DEVNULL) for n, d in enumerate(days)]
    while not all((work / f"ready-{rnd}-{n}").exists() for n in range(processes)):
        time.sleep(0.005)
    go.touch()
    codes = [p.wait() for p in procs]
    text = history.read_text("utf-8")
    return sum(f'"date": "{d.isoformat()}"' not in text for d in days), codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--lines", type=int, default=20000)
    parser.add_argument("--gapcheck", type=Path, default=HERE.parent, help="checkout whose gapcheck to run")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(args.gapcheck.resolve())}  # run in a temporary folder: no gapcheck/ in the way
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        history = work / "history.jsonl"
        subprocess.run([sys.executable, "-c", SEED, str(history), str(args.lines)], env=env, cwd=work, check=True)
        lossy, lost, failed = 0, 0, 0
        started = time.perf_counter()
        for rnd in range(args.rounds):
            missing, codes = one_round(history, work, rnd, args.processes, env)
            lossy += missing > 0
            lost += missing
            failed += sum(c != 0 for c in codes)
        took = time.perf_counter() - started
    print(f"{args.gapcheck}: {args.processes} processes x {args.rounds} rounds on {args.lines:,} lines: "
          f"{lossy} round(s) lost data ({lost} of {args.processes * args.rounds} dates), {failed} process(es) failed; "
          f"{took / args.rounds:.1f} s per round")


if __name__ == "__main__":
    main()
