"""Time gapcheck end to end at three sizes and print a table ready for the README (a benchmark, not a test).

    python benchmarks/run.py [--repeat 7] [--sizes 5000,20000,80000] [--only TEXT] [--out benchmarks/out]

For each size N it generates a synthetic municipality with
benchmarks/generate.py (N requirements, N inventory items, 1.5 N links over
the 18 operations in scope; 20,000 is "full scale") unless it exists, then
runs each command as a user would, a new process each time, and reports the
median wall time of ``--repeat`` runs.  Every measurement of one repeat runs
before the next repeat starts (alternated), so a machine that is busy for a
while slows every figure alike instead of one.

What is measured (``cache`` column):

* ``hit``: the result cache holds this exact run (unchanged inputs, options, date);
* ``parse``: the result cache off (``GAPCHECK_RESULT_CACHE=off``), the parse cache
  filled: the loading and analysis path of a run after any change;
* ``cold``: both caches empty (a first run, or CI on a fresh machine);
* ``edit``: one mapping file changed since the last run (a new edit every
  run), everything else cached: the run after a vendor's edit.

It also prints the peak memory (largest resident set of one process) and the
scaling ratios 80k/20k with the result cache off (warm and cold), whose target
is at most 4.2 for 4x the data.  Figures go into the README's Performance section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FULL = 20000


@dataclass
class Case:
    """One measurement: a command on one size in one cache state."""

    label: str
    size: int
    cache: str
    args: list[str]
    target: float | None = None
    times: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peak_mb: float = 0.0

    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")

    def cpu(self) -> float:
        return statistics.median(self.cpus) if self.cpus else float("nan")


def data_folder(out: Path, size: int) -> Path:
    folder = out / f"n{size}"
    if not (folder / "specs").is_dir():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(folder), "--requirements", str(size),
                        "--items", str(size), "--links", str(size * 3 // 2)], check=True)
    return folder


def run_once(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """Wall time, CPU time (user + system, with the worker processes it waited for) and peak resident set (MB) of
    one ``python -m gapcheck ARGS``."""
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a run with many warnings must not block on it
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "gapcheck", *args], cwd=cwd, env=env,
                                stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"gapcheck {' '.join(args)} in {cwd} failed ({proc.returncode}):\n{stderr[-3000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def gapcheck_env(cache: Path, code: Path, results: bool = True) -> dict[str, str]:
    """The environment of a measured run: the gapcheck at ``code`` first on the path, caches in ``cache``, the
    result cache off unless ``results``, and bytecode cached as an installed gapcheck runs
    (``PYTHONDONTWRITEBYTECODE``, set in some sandboxes, would compile every module on every run: 0.05-0.1 s)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAPCHECK_") and k != "PYTHONDONTWRITEBYTECODE"}
    env["GAPCHECK_CACHE_DIR"] = str(cache)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(code), os.environ.get("PYTHONPATH")) if p)
    if not results:
        env["GAPCHECK_RESULT_CACHE"] = "off"
    return env


def edit_mapping(folder: Path, n: int) -> None:
    """Edit ``n`` of the project in ``folder``: every link of the first mapping's first requirement is judged
    gap (odd ``n``) or fit (even ``n``), in the spelling each link uses, and a comment that no earlier edit
    wrote is appended.  A requirement takes the best judgement of its links, so all of them are changed:
    every edit after the first changes the results, and no cache can hold them."""
    mapping = sorted((folder / "mappings").glob("*.yaml"))[0]
    lines = mapping.read_text("utf-8").split("\n# benchmark edit ")[0].split("\n")
    first = next((m for line in lines if (m := re.search(r'requirement: "?(\d{7})"?', line))), None)
    if first is None:
        raise SystemExit(f"{mapping}: no link to edit")
    wanted = {"fit": "gap", "gap": "gap", "partial": "gap"} if n % 2 else {"fit": "fit", "gap": "fit", "partial": "fit"}
    symbols = {"○": "fit", "△": "partial", "×": "gap"}
    back = {"fit": "○", "partial": "△", "gap": "×"}

    def judged(m: re.Match[str]) -> str:
        word = m[2]
        new = wanted[symbols.get(word, word)]
        return m[1] + (back[new] if word in symbols else new)

    own = re.compile(rf'requirement: "?{first[1]}"?(?=[\s,}}]|$)')
    lines = [re.sub(r"(judgement: )(fit|gap|partial|○|△|×)(?=[\s,}\]]|$)", judged, line) if own.search(line) else line
             for line in lines]
    mapping.write_text("\n".join(lines) + f"\n# benchmark edit {n} {time.time()}\n", "utf-8")


class Bench:
    """The data folders, cache folders and the environment of each kind of run."""

    def __init__(self, out: Path, sizes: list[int], tmp: Path):
        self.tmp = tmp
        self.data = {n: data_folder(out, n) for n in sizes}
        self.edit = {}
        for n, folder in self.data.items():  # edits go to a copy, so that the other runs keep their hits
            copy = tmp / f"edit-{n}"
            shutil.copytree(folder, copy)
            self.edit[n] = copy
        self.warm = {n: tmp / f"cache-{n}" for n in sizes}
        self.edits = 0
        self.colds = 0

    def env(self, cache: Path, results: bool = True) -> dict[str, str]:
        return gapcheck_env(cache, REPO, results)

    def prepare(self, cases: list[Case]) -> None:
        """Fill each size's caches with the runs that later count as hits (and the edit copies' parse caches)."""
        for case in cases:
            if case.cache in ("hit", "parse", "-"):  # "-": --help, whose page the help cache then holds
                run_once(case.args, self.data[case.size], self.env(self.warm[case.size]))
            elif case.cache == "edit":
                run_once(case.args, self.edit[case.size], self.env(self.warm[case.size]))

    def measure(self, case: Case) -> None:
        if case.cache in ("hit", "-"):
            took, cpu, peak = run_once(case.args, self.data[case.size], self.env(self.warm[case.size]))
        elif case.cache == "parse":
            took, cpu, peak = run_once(case.args, self.data[case.size], self.env(self.warm[case.size], results=False))
        elif case.cache == "cold":
            self.colds += 1
            cache = self.tmp / f"cold-{self.colds}"
            took, cpu, peak = run_once(case.args, self.data[case.size], self.env(cache))
            shutil.rmtree(cache, ignore_errors=True)
        else:
            self.edits += 1
            edit_mapping(self.edit[case.size], self.edits)
            took, cpu, peak = run_once(case.args, self.edit[case.size], self.env(self.warm[case.size]))
        case.times.append(took)
        case.cpus.append(cpu)
        case.peak_mb = max(case.peak_mb, peak)


def cases(sizes: list[int]) -> list[Case]:
    json_ = ["analyze", "--format", "json"]
    report = ["report", "--output", "bench-reports", "--force"]
    out = [Case("--help", FULL if FULL in sizes else sizes[0], "-", ["--help"], 0.15)]
    for n in sizes:
        full = n == FULL
        out += [Case("analyze --format json", n, "hit", json_, 0.5 if full else None),
                Case("analyze --format json", n, "edit", json_, 1.0 if full else None),
                Case("analyze --format json", n, "parse", json_),
                Case("analyze --format json", n, "cold", json_, 2.0 if full else None)]
        if n <= FULL:
            out += [Case("report (all formats)", n, "hit", report, 0.7 if full else None),
                    Case("report (all formats)", n, "edit", report, 4.0 if full else None)]
        if full:
            out += [Case("readiness --as-of 2026-11-29", n, "hit", ["readiness", "--as-of", "2026-11-29"]),
                    Case("validate", n, "parse", ["validate"])]
    return out


CALIBRATION = "s = 0\nfor i in range(10_000_000):\n    s += i\n"
"""A fixed pure-Python loop: its time says how fast this machine is today (it varies from day to day)."""


def calibrate(repeat: int = 5) -> str:
    """The machine's speed in two figures anyone can rerun: the median wall time of the fixed loop, and of
    ``python -c "import pandas"`` (a new process each time), so that figures of different days compare."""
    loops, imports = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", CALIBRATION], check=True)
        loops.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import pandas"], check=True)
        imports.append(time.perf_counter() - start)
    return (f"Machine speed at the start: the fixed loop of benchmarks/run.py (10 million additions) "
            f"{statistics.median(loops):.2f} s, `python -c \"import pandas\"` {statistics.median(imports):.2f} s "
            f"(medians of {repeat}).")


def load() -> str:
    """The load averages over 1, 5 and 15 minutes, as ``uptime`` prints them."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def table(all_cases: list[Case], sizes: list[int], repeat: int, started: str = "") -> str:
    """The README table: one row per command and cache state, one column per size, the target and whether met."""
    rows: dict[tuple[str, str], dict[int, Case]] = {}
    for c in all_cases:
        rows.setdefault((c.label, c.cache), {})[c.size] = c
    names = {n: f"{n // 1000}k" for n in sizes}
    head = "| command | cache | " + " | ".join(f"{names[n]} wall (CPU)" for n in sizes) + " | target (full scale, wall) |"
    lines = [head, "|" + "---|" * (len(sizes) + 3)]
    for (label, cache), by_size in rows.items():
        cells = [f"{by_size[n].median():.2f} s ({by_size[n].cpu():.2f})" if n in by_size else "" for n in sizes]
        target = next((c.target for c in by_size.values() if c.target is not None), None)
        verdict = ""
        if target is not None:
            got = by_size.get(FULL, next(iter(by_size.values()))).median()
            verdict = f"≤ {target:g} s: " + ("met" if got <= target else f"**not met** ({got / target:.1f}x)")
        lines.append(f"| `gapcheck {label}` | {cache} | " + " | ".join(cells) + f" | {verdict} |")
    full = [c for c in all_cases if c.size == FULL]
    top = max(full, key=lambda c: c.peak_mb, default=None)
    peak = top.peak_mb if top is not None else 0.0
    lines.append("")
    if top is None:
        lines.append("Peak memory at full scale: not measured (20000 not among the sizes).")
    else:
        lines.append(f"Peak memory of one process at full scale: {peak:.0f} MB (target ≤ 300 MB: "
                 + ("met" if peak <= 300 else "**not met**") + ")"
                 + (f", in `gapcheck {top.label}` ({top.cache}); per run: "
                    + ", ".join(f"{c.label.split()[0]} {c.cache} {c.peak_mb:.0f} MB" for c in full) if top else "") + ".")
    for cache, what in (("parse", "warm, result cache off"), ("cold", "cold")):
        a = rows.get(("analyze --format json", cache), {})
        if FULL in a and 4 * FULL in a:
            ratio = a[4 * FULL].median() / a[FULL].median()
            lines.append(f"Scaling 80k/20k, `analyze --format json` {what}: {ratio:.2f}x wall "
                         f"({a[4 * FULL].cpu() / a[FULL].cpu():.2f}x CPU) for 4x the data (target ≤ 4.2x: "
                         + ("met" if ratio <= 4.2 else "**not met**") + ").")
        if 5000 in a and FULL in a:
            lines.append(f"Scaling 20k/5k, `analyze --format json` {what}: {a[FULL].median() / a[5000].median():.2f}x wall "
                         f"({a[FULL].cpu() / a[5000].cpu():.2f}x CPU).")
    lines.append("")
    lines.append("Cells: median wall time (median CPU time, user + system of gapcheck and its worker processes).")
    lines.append(f"Medians of {repeat} alternated runs, measured {dt.date.today().isoformat()} on "
                 f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPU(s), "
                 f"{platform.machine()}; load average (1, 5, 15 min) at the start {started or '?'}, at the end {load()}.")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--sizes", default="5000,20000,80000", help="comma-separated numbers of requirements")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="where the generated data folders are kept")
    ap.add_argument("--only", help="run only the measurements whose command contains this text")
    opts = ap.parse_args()
    sizes = sorted(int(s) for s in opts.sizes.split(","))
    chosen = [c for c in cases(sizes) if not opts.only or opts.only in c.label]
    started = load()
    speed = calibrate()
    with tempfile.TemporaryDirectory(prefix="gapcheck-bench-") as tmp:
        bench = Bench(opts.out, sizes, Path(tmp))
        bench.prepare(chosen)
        for r in range(opts.repeat):
            for case in chosen:
                bench.measure(case)
            print(f"# repeat {r + 1}/{opts.repeat} done", file=sys.stderr, flush=True)
            if r + 1 < opts.repeat:  # the figures so far, in case the run is cut short
                print(table(chosen, sizes, r + 1, started), file=sys.stderr, flush=True)
    print(table(chosen, sizes, opts.repeat, started))
    print(speed)


if __name__ == "__main__":
    main()
