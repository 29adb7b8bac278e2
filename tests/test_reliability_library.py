"""Library use is safe: worker processes never run the caller's script again.

The README's library example, run as a plain script (no ``if __name__ ==
"__main__"`` guard) on a cold parse cache at full scale, takes the parallel
parsing path; so does a script that renders reports with a second process.
Both used ``multiprocessing``'s ``spawn``, which re-imports ``__main__`` in
every worker, and died with ``BrokenProcessPool``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gapcheck.loading import discovery, parsecache

REPO = Path(__file__).resolve().parents[1]


def readme_example() -> str:
    """The Python block of the README's "Library use" section, exactly as a user would copy it."""
    section = (REPO / "README.md").read_text("utf-8").split("\n## Library use\n", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def run_script(script: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    (cwd / "example.py").write_text(script, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "GAPCHECK_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "example.py"], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def full_scale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("full") / "project"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), str(out)], check=True, capture_output=True)
    return out


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="with one CPU gapcheck never parses in parallel")
def test_the_readme_library_example_runs_as_a_plain_script_on_a_cold_cache(full_scale: Path, tmp_path: Path) -> None:
    script = readme_example()
    assert "__main__" not in script and "gapcheck.load_project" in script
    large = [p.stat().st_size for p in full_scale.rglob("*.yaml") if p.stat().st_size >= parsecache.MIN_BYTES]
    assert len(large) >= 2 and sum(large) >= discovery.PARALLEL_BYTES  # the parallel path is taken
    cache = tmp_path / "cold-cache"
    run = run_script(script + "print(result.summary('kaigo').fit_rate_functions)\n", full_scale, cache)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stderr == ""
    assert float(run.stdout.strip().splitlines()[-1]) > 0
    assert len([p for p in cache.rglob("*") if p.is_file()]) >= len(large)  # the workers filled the cache


RENDER = """
import datetime
import gapcheck
from gapcheck.report.writer import Renderer

config = gapcheck.load_config(".")
with Renderer(2) as renderer:  # the Excel workbook in a second process
    report = gapcheck.build_report(gapcheck.load_project(config), config, datetime.date(2026, 11, 29))
    status = gapcheck.write_report(report, [], "out", renderer=renderer)
print(sorted(status.items()))
"""


def test_a_script_rendering_with_a_second_process_runs_without_a_main_guard(small: Path, tmp_path: Path) -> None:
    run = run_script(RENDER, small, tmp_path / "cache")
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout == ("[('report.html', 'created'), ('report.json', 'created'), ('report.junit.xml', 'created'), "
                          "('report.md', 'created'), ('report.xlsx', 'created'), ('results.parquet', 'created')]\n")
    import datetime as dt

    import gapcheck
    from gapcheck.render.formats import ReportFormat, render

    config = gapcheck.load_config(".")
    here = render(gapcheck.build_report(gapcheck.load_project(config), config, dt.date(2026, 11, 29)), ReportFormat.xlsx)
    assert (small / "out" / "report.xlsx").read_bytes() == here  # the worker's workbook is the one rendered here


def test_a_failing_render_worker_costs_only_time(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that dies at once (here ``false`` stands in for Python) leaves the workbook to this process."""
    import datetime as dt
    import shutil

    import gapcheck
    from gapcheck.report.writer import Renderer

    config = gapcheck.load_config(".")
    report = gapcheck.build_report(gapcheck.load_project(config), config, dt.date(2026, 11, 29))
    monkeypatch.setattr(sys, "executable", shutil.which("false"))
    with Renderer(2) as renderer:
        assert gapcheck.write_report(report, ["xlsx", "markdown"], small / "out", renderer=renderer) == {
            "report.xlsx": "created", "report.md": "created"}


def test_a_report_that_cannot_be_handed_to_the_worker_is_rendered_here_without_a_hang(
        small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pickling the report for the Excel worker fails with an error that is not an OSError (as a report whose
    caches were being filled by the rendering did: "dictionary changed size during iteration"): the worker's
    input is closed all the same, so it ends, and this process renders the workbook.  It hung for ever."""
    import datetime as dt
    import threading

    import gapcheck
    from gapcheck.readiness.bundle import Report
    from gapcheck.report.writer import Renderer

    config = gapcheck.load_config(".")
    report = gapcheck.build_report(gapcheck.load_project(config), config, dt.date(2026, 11, 29))

    def refuse(self: object, protocol: object) -> object:
        raise RuntimeError("dictionary changed size during iteration")

    monkeypatch.setattr(Report, "__reduce_ex__", refuse, raising=False)
    done: dict[str, object] = {}

    def write() -> None:
        with Renderer(2) as renderer:
            done["result"] = gapcheck.write_report(report, ["xlsx", "markdown"], small / "out", renderer=renderer)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "gapcheck report hung waiting for its Excel worker"
    assert done["result"] == {"report.xlsx": "created", "report.md": "created"}
    assert (small / "out" / "report.xlsx").read_bytes().startswith(b"PK")
