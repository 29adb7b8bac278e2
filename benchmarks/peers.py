"""gapcheck side by side with Doorstop and StrictDoc on the same workload (a benchmark, not a test).

    python benchmarks/peers.py --install            # once: the peers into benchmarks/out/peers-venv
    python benchmarks/peers.py [-n 2000] [--repeat 7]

Writes one workload in each tool's own format: N requirements, N current
items (Doorstop: a child document; StrictDoc: a second document; gapcheck:
an inventory), and two links from every item to requirements (gapcheck: a
mapping with 2N links, judged ○/△/×).  Then times, a new process each
time, alternated within every repeat so that a busy machine slows all of
them alike, and prints medians and ratios:

* checking: ``doorstop`` (its validation of the whole tree) against
  ``gapcheck validate`` (parse cache warm) and ``gapcheck analyze --format json``
  (result cache warm);
* publishing from scratch: ``doorstop publish all`` and ``strictdoc export
  --formats html`` into an empty folder, against ``gapcheck report`` with
  empty caches;
* publishing again with nothing changed, the output folder kept (each
  tool's incremental path): ``strictdoc export`` into its previous folder
  against ``gapcheck report`` (which skips formats whose inputs did not change).

The peers are installed only with ``--install``, only into this script's own
virtual environment (the ``bench`` extra of pyproject.toml names them), never
into gapcheck's environment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
VENV = HERE / "out" / "peers-venv"


def venv_bin(name: str) -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin") / name


def install() -> None:
    """The peers of the ``bench`` extra into :data:`VENV` (created when missing)."""
    extra = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["optional-dependencies"]["bench"]
    if not venv_bin("python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(venv_bin("python")), "-m", "pip", "install", "--quiet", *extra], check=True)


# -- the workload in three formats ------------------------------------------------------------------------


def write_gapcheck(root: Path, n: int) -> None:
    (root / "specs" / "kaigo").mkdir(parents=True)
    (root / "current_system").mkdir()
    (root / "mappings").mkdir()
    reqs = "".join(f'  - {{id: "023{i:04d}", kind: function, class: 実装必須, title: "要件 {i}"}}\n' for i in range(1, n + 1))
    (root / "specs" / "kaigo" / "6.0.yaml").write_text(
        f'gapcheck: catalogue/1\noperation: kaigo\nversion: "6.0"\nrequirements:\n{reqs}', "utf-8")
    items = "".join(f"      - {{id: F{i:05d}, kind: function, name: 機能 {i}}}\n" for i in range(1, n + 1))
    (root / "current_system" / "inventory.yaml").write_text(
        f"gapcheck: inventory/1\nmunicipality: {{name: 比較町, code: '999997'}}\noperations:\n  kaigo:\n    items:\n{items}",
        "utf-8")
    marks = ("○", "△", "×")
    links = "".join(f'  - {{item: F{i:05d}, requirement: "023{r:04d}", judgement: {marks[(i + k) % 3]}}}\n'
                    for i in range(1, n + 1) for k, r in enumerate((i, i % n + 1)))
    (root / "mappings" / "kaigo.yaml").write_text(
        f'gapcheck: mapping/1\noperation: kaigo\nspec_version: "6.0"\nvendor: 比較ベンダー\nlinks:\n{links}', "utf-8")


def write_doorstop(root: Path, n: int) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)  # Doorstop finds its tree from the working copy's root
    req, itm = root / "reqs", root / "items"
    req.mkdir()
    itm.mkdir()
    (req / ".doorstop.yml").write_text("settings:\n  digits: 5\n  prefix: REQ\n  sep: ''\n", "utf-8")
    (itm / ".doorstop.yml").write_text("settings:\n  digits: 5\n  parent: REQ\n  prefix: ITM\n  sep: ''\n", "utf-8")
    for i in range(1, n + 1):
        (req / f"REQ{i:05d}.yml").write_text(
            f"active: true\nderived: false\nheader: ''\nlevel: 1.{i}\nlinks: []\nnormative: true\nref: ''\n"
            f"reviewed: null\ntext: |\n  Requirement {i}\n", "utf-8")
        links = "".join(f"- REQ{r:05d}: null\n" for r in (i, i % n + 1))
        (itm / f"ITM{i:05d}.yml").write_text(
            f"active: true\nderived: false\nheader: ''\nlevel: 1.{i}\nlinks:\n{links}normative: true\nref: ''\n"
            f"reviewed: null\ntext: |\n  Current function {i}\n", "utf-8")


def write_strictdoc(root: Path, n: int) -> None:
    root.mkdir(parents=True)
    reqs = "".join(f"[REQUIREMENT]\nUID: REQ-{i:05d}\nTITLE: Requirement {i}\nSTATEMENT: Requirement {i}\n\n"
                   for i in range(1, n + 1))
    (root / "requirements.sdoc").write_text(f"[DOCUMENT]\nTITLE: Requirements\n\n{reqs}", "utf-8")
    items = "".join(f"[REQUIREMENT]\nUID: ITM-{i:05d}\nTITLE: Current function {i}\nSTATEMENT: Current function {i}\n"
                    f"RELATIONS:\n- TYPE: Parent\n  VALUE: REQ-{i:05d}\n- TYPE: Parent\n  VALUE: REQ-{i % n + 1:05d}\n\n"
                    for i in range(1, n + 1))
    (root / "items.sdoc").write_text(f"[DOCUMENT]\nTITLE: Current functions\n\n{items}", "utf-8")


# -- timing ----------------------------------------------------------------------------------------------


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0, 1)) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    took = time.perf_counter() - start
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return took


class Workload:
    def __init__(self, tmp: Path, n: int):
        self.tmp = tmp
        self.gap, self.door, self.sdoc = tmp / "gapcheck", tmp / "doorstop", tmp / "strictdoc"
        self.gap.mkdir()
        write_gapcheck(self.gap, n)
        write_doorstop(self.door, n)
        write_strictdoc(self.sdoc, n)
        self.warm = tmp / "gapcheck-cache"
        self.count = 0

    def gapcheck(self, *args: str, cache: Path | None = None) -> float:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GAPCHECK_")}
        env["GAPCHECK_CACHE_DIR"] = str(cache or self.warm)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
        return timed([sys.executable, "-m", "gapcheck", *args], self.gap, env)

    def fresh(self) -> Path:
        self.count += 1
        return self.tmp / f"scratch-{self.count}"

    def cases(self) -> dict[str, Callable[[], float]]:
        door, sdoc = str(venv_bin("doorstop")), str(venv_bin("strictdoc"))
        sdoc_kept = self.tmp / "strictdoc-kept"

        def cold_report() -> float:
            cache, out = self.fresh(), self.fresh()
            took = self.gapcheck("report", "--output", str(out), cache=cache)
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            return took

        def publish(cmd: list[str], cwd: Path) -> Callable[[], float]:
            def run() -> float:
                out = self.fresh()
                took = timed([*cmd, str(out)], cwd, ok=(0, 1))
                shutil.rmtree(out, ignore_errors=True)
                return took
            return run

        return {
            "doorstop (validate)": lambda: timed([door], self.door, ok=(0, 1)),
            "gapcheck validate": lambda: self.gapcheck("validate"),
            "gapcheck analyze --format json": lambda: self.gapcheck("analyze", "--format", "json"),
            "doorstop publish all (from scratch)": publish([door, "publish", "all"], self.door),
            "strictdoc export html (from scratch)": publish([sdoc, "export", ".", "--formats", "html", "--output-dir"],
                                                            self.sdoc),
            "gapcheck report (from scratch)": cold_report,
            "strictdoc export html (output kept)": lambda: timed(
                [sdoc, "export", ".", "--formats", "html", "--output-dir", str(sdoc_kept)], self.sdoc, ok=(0, 1)),
            "gapcheck report (output kept)": lambda: self.gapcheck("report", "--output", "kept-reports"),
        }


RATIOS = (("doorstop (validate)", "gapcheck validate", 50.0), ("doorstop (validate)", "gapcheck analyze --format json", 50.0),
          ("doorstop publish all (from scratch)", "gapcheck report (from scratch)", None),
          ("strictdoc export html (from scratch)", "gapcheck report (from scratch)", None),
          ("strictdoc export html (output kept)", "gapcheck report (output kept)", 5.0))


def main() -> None:
    global VENV
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=2000, help="requirements and items (each item links to two requirements)")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--install", action="store_true", help="install Doorstop and StrictDoc into the virtual environment")
    ap.add_argument("--venv", type=Path, default=VENV, help=f"the peers' virtual environment (default: {VENV})")
    opts = ap.parse_args()
    VENV = opts.venv
    if opts.install:  # install only, as the docstring says: the timing is a separate run
        install()
        return
    if not venv_bin("doorstop").exists() or not venv_bin("strictdoc").exists():
        raise SystemExit(f"the peers are not installed in {VENV}: run python benchmarks/peers.py --install")
    if not 0 < opts.n <= 9999:
        raise SystemExit("-n: 1 to 9999 (one operation's 4-digit serials)")
    with tempfile.TemporaryDirectory(prefix="gapcheck-peers-") as tmp:
        work = Workload(Path(tmp), opts.n)
        cases = work.cases()
        for warm_up in ("gapcheck validate", "gapcheck analyze --format json", "strictdoc export html (output kept)",
                        "gapcheck report (output kept)"):
            cases[warm_up]()
        times: dict[str, list[float]] = {name: [] for name in cases}
        for r in range(opts.repeat):
            for name, case in cases.items():
                times[name].append(case())
            print(f"# repeat {r + 1}/{opts.repeat} done", file=sys.stderr, flush=True)
    med = {name: statistics.median(t) for name, t in times.items()}
    print(f"N = {opts.n} requirements, {opts.n} items, {2 * opts.n} links; medians of {opts.repeat} alternated runs, "
          f"{dt.date.today().isoformat()}, {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPU(s); load average at the end {os.getloadavg()[0]:.1f}\n")
    print("| command | median |\n|---|---|")
    for name, value in med.items():
        print(f"| `{name}` | {value:.2f} s |")
    print("\n| peer | gapcheck | gapcheck is faster by | target |\n|---|---|---|---|")
    for peer, ours, target in RATIOS:
        ratio = med[peer] / med[ours]
        verdict = "" if target is None else f"≥ {target:g}x: " + ("met" if ratio >= target else "**not met**")
        print(f"| `{peer}` | `{ours}` | {ratio:.1f}x | {verdict} |")


if __name__ == "__main__":
    main()
