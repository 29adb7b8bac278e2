"""Time ``gapcheck report`` (all five formats) at full synthetic scale (a benchmark, not a test).

    python benchmarks/bench_report.py [--repeat 3] [--out benchmarks/out/full] [--no-browser]

Generates the synthetic municipality with benchmarks/generate.py (20,000
requirements, 20,000 items, 30,000 links) unless it exists, then:

1. runs ``gapcheck report --as-of 2026-11-29`` as a user would (a new process
   each time, default ``--jobs``) and prints the best and median wall time;
2. renders each format once in-process and prints its time and size;
3. opens the HTML report in headless Chromium (if installed) and prints when
   the page became interactive (DOMContentLoaded, load) and how long
   filtering the largest table takes.

Targets (issue 4): all five formats <= 8 s wall on a 2-core machine; the
HTML <= 5 MB and interactive in Chromium within 3 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
AS_OF = "2026-11-29"


def timed(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "gapcheck", *args], cwd=cwd, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"gapcheck {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return elapsed


def per_format(data: Path) -> None:
    from gapcheck.core.config import load_config
    from gapcheck.readiness.bundle import build_report
    from gapcheck.render.formats import ReportFormat, render
    from gapcheck.validation.project import load_project

    cwd = Path.cwd()
    os.chdir(data)
    try:
        cfg = load_config(".")
        start = time.perf_counter()
        project = load_project(cfg)
        loaded = time.perf_counter()
        report = build_report(project, cfg, dt.date.fromisoformat(AS_OF))
        built = time.perf_counter()
        print(f"{'load project':24} {loaded - start:7.2f}s")
        print(f"{'analyse + readiness':24} {built - loaded:7.2f}s")
        for fmt in ReportFormat:
            t = time.perf_counter()
            out = render(report, fmt)
            size = len(out.encode("utf-8") if isinstance(out, str) else out)
            print(f"{'render ' + fmt.value:24} {time.perf_counter() - t:7.2f}s {size / 1e6:8.2f} MB")
    finally:
        os.chdir(cwd)


def browser(html: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from chromium import HOW_TO_ENABLE, Chromium, find_chromium

    exe = find_chromium()
    if exe is None:
        print(f"browser: skipped: {HOW_TO_ENABLE}")
        return
    with Chromium(exe) as page:
        page.open(html)
        nav = page.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])")
        import json

        timing = json.loads(nav)
        print(f"{'chromium DOMContentLoaded':24} {timing['domContentLoadedEventEnd'] / 1000:7.2f}s")
        print(f"{'chromium load':24} {timing['loadEventEnd'] / 1000:7.2f}s  (interactive: script ready = "
              f"{page.evaluate('document.documentElement.dataset.ready')})")
        took = page.evaluate("""(() => {
            const tables = Array.from(document.querySelectorAll('details.table'));
            const big = tables.reduce((a, b) => a.querySelectorAll('tbody tr').length >= b.querySelectorAll('tbody tr').length ? a : b);
            big.open = true;
            const box = big.querySelector('input.filter');
            const t = performance.now();
            box.value = 'ギャップ';
            box.dispatchEvent(new Event('input', {bubbles: true}));
            return new Promise(done => setTimeout(() => done([performance.now() - t - 120, big.querySelectorAll('tbody tr').length]), 120));
        })()""")
        print(f"{'chromium filter':24} {max(took[0], 0) / 1000:7.2f}s  (largest table, {took[1]} rows)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=HERE / "out" / "full")
    ap.add_argument("--no-browser", action="store_true")
    opts = ap.parse_args()
    data = opts.out.resolve()
    if not (data / "specs").is_dir():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(data)], check=True)
    print(f"# {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPU(s), {platform.machine()}")
    print(f"# data: {data}")
    args = ["report", "--as-of", AS_OF, "--output", "reports-bench", "--force"]
    times = [timed(args, data) for _ in range(opts.repeat)]
    print(f"{'gapcheck report (5 formats)':24} {min(times):7.2f}s best, {statistics.median(times):.2f}s median of {len(times)}")
    for name in sorted((data / "reports-bench").iterdir()):
        if not name.name.startswith("."):
            print(f"  {name.name:22} {name.stat().st_size / 1e6:8.2f} MB")
    per_format(data)
    if not opts.no_browser:
        browser(data / "reports-bench" / "report.html")


if __name__ == "__main__":
    main()
