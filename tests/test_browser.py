"""The HTML report in a real browser: headless Chromium (Debian's ``chromium`` package).

Skipped, with a message saying how to enable them, where Chromium is not
installed.  The screenshot is saved as ``report.png`` in the folder named by
$GAPCHECK_ARTIFACTS (created if needed), else in the test's temporary folder.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from chromium import HOW_TO_ENABLE, Chromium, find_chromium
from report_helpers import SCRIPT, inject

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-29"


@pytest.fixture(scope="module")
def browser() -> Chromium:
    exe = find_chromium()
    if exe is None:
        pytest.skip(HOW_TO_ENABLE)
    with Chromium(exe) as page:
        yield page


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's sample data (18 operations in scope and 共通機能) as the working directory."""
    dest = tmp_path / "sample"
    for name in ("specs", "current_system", "mappings"):
        shutil.copytree(REPO / name, dest / name)
    (dest / "reports").mkdir()
    shutil.copy(REPO / "reports" / "history.jsonl", dest / "reports" / "history.jsonl")
    monkeypatch.chdir(dest)
    return dest


def _artifacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("GAPCHECK_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_sample_report_renders_in_chromium(sample: Path, cli, browser: Chromium, tmp_path: Path) -> None:
    from gapcheck.core.config import load_config
    from gapcheck.readiness.bundle import build_report
    from gapcheck.validation.project import load_project

    assert cli("report", "--format", "html", "--as-of", AS_OF).exit_code == 0
    cfg = load_config(".")
    report = build_report(load_project(cfg), cfg, dt.date.fromisoformat(AS_OF))
    browser.open(sample / "reports" / "report.html")
    assert browser.evaluate("document.documentElement.dataset.ready") == "true"  # the script ran under the CSP
    assert browser.evaluate("document.getElementById('verdict').textContent") == report.readiness.verdict
    assert browser.evaluate("document.getElementById('days').textContent") == "243 日超過"
    sections = browser.evaluate("Array.from(document.querySelectorAll('section.operation')).map(s => s.dataset.operation)")
    assert sections == [s.operation for s in report.analysis.summaries]
    assert len(sections) == 19  # 18 of the 20 operations in scope, and 共通機能
    # The charts are images that decoded (inline SVG), shown at a readable width.
    widths = browser.evaluate("Array.from(document.images).map(i => i.complete && i.naturalWidth > 0 ? i.width : 0)")
    assert len(widths) == 2 and all(w >= 600 for w in widths)
    shot = browser.screenshot(_artifacts(tmp_path) / "report.png")
    assert shot.stat().st_size > 10_000
    assert browser.console_errors() == []


def test_filtering_hides_rows_and_sorting_reorders(sample: Path, cli, browser: Chromium) -> None:
    assert cli("report", "--format", "html", "--as-of", AS_OF).exit_code == 0
    browser.open(sample / "reports" / "report.html")
    table = "document.querySelector('#op-kaigo details[data-table=\"gap\"]')"
    visible = f"Array.from({table}.querySelectorAll('tbody tr')).filter(r => !r.hidden && r.offsetParent !== null).length"
    total = browser.evaluate(f"{table}.querySelectorAll('tbody tr').length")
    assert browser.evaluate(visible) == total > 2
    wanted = browser.evaluate(f"{table}.querySelector('tbody tr td').textContent")  # the first row's ID
    browser.evaluate(f"{table}.querySelector('input.filter').focus()")
    browser.insert_text(wanted)
    browser.evaluate("new Promise(r => setTimeout(r, 400))")  # the filter waits for typing to pause
    assert browser.evaluate(visible) == 1
    assert browser.evaluate(f"{table}.querySelector('output.shown').textContent") == f"1 / {total} 件"
    # Clearing the filter shows every row again; a click on the ID header sorts descending after ascending.
    browser.evaluate(f"(b => {{ b.value = ''; b.dispatchEvent(new Event('input', {{bubbles: true}})); }})"
                     f"({table}.querySelector('input.filter'))")
    browser.evaluate("new Promise(r => setTimeout(r, 400))")
    assert browser.evaluate(visible) == total
    ids = f"Array.from({table}.querySelectorAll('tbody tr')).map(r => r.cells[0].textContent)"
    header = f"{table}.querySelector('th')"
    browser.evaluate(f"{header}.click()")
    ascending = browser.evaluate(ids)
    browser.evaluate(f"{header}.click()")
    assert browser.evaluate(ids) == list(reversed(ascending))
    assert browser.evaluate(f"{header}.getAttribute('aria-sort')") == "descending"


def test_injected_markup_neither_shows_as_markup_nor_runs(small: Path, cli, browser: Chromium) -> None:
    inject(small)
    assert cli("report", "--format", "html", "--as-of", AS_OF).exit_code == 0
    browser.open(small / "reports" / "report.html")
    assert browser.evaluate("window.__pwned === undefined")
    assert browser.evaluate("document.querySelectorAll('script').length") == 1
    assert browser.evaluate("document.querySelectorAll('main img').length") == 2  # the two charts only
    cells = browser.evaluate("Array.from(document.querySelectorAll('td')).map(td => td.textContent.trim())")
    assert SCRIPT in cells


def _pdf_pages(pdf: Path) -> int:
    import subprocess

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _pdf_text(pdf: Path) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_the_report_prints_on_a4_landscape_without_losing_a_column(sample: Path, cli, browser: Chromium,
                                                                    tmp_path: Path) -> None:
    """Printed (A4 landscape): at most 12 pages, every 業務一覧 header on paper, gap and violation tables whole."""
    import re

    if shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None:
        pytest.fail("pdfinfo/pdftotext missing: apt-get install poppler-utils (CI installs it)")
    assert cli("report", "--format", "html", "--as-of", AS_OF).exit_code == 0
    browser.open(sample / "reports" / "report.html")
    pdf = browser.print_pdf(_artifacts(tmp_path) / "report.pdf")
    pages = _pdf_pages(pdf)
    assert pages <= 12, f"{pages} A4 pages"
    text = _pdf_text(pdf)
    flat = re.sub(r"\s+", "", text)
    headers = browser.evaluate("Array.from(document.querySelectorAll('#overview thead th')).map(h => h.textContent)")
    assert len(headers) == 10
    for header in headers:
        assert re.sub(r"\s+", "", header) in flat, f"column {header} is not on paper"
    gaps = browser.evaluate("Array.from(document.querySelectorAll('details[data-table=gap] tbody tr td:first-child,"
                            " details[data-table=violation] tbody tr td:first-child')).map(td => td.textContent)")
    assert len(gaps) > 100
    missing = [g for g in gaps if g not in flat]
    assert not missing, f"{len(missing)} gap/violation rows not printed, e.g. {missing[:3]}"
    browser.emulate_media("print")
    try:
        smallest = browser.evaluate("Math.min(...Array.from(document.querySelectorAll('body, td, th, li, p, dd, dt'))"
                                    ".filter(e => e.offsetParent !== null).map(e => parseFloat(getComputedStyle(e).fontSize)))")
    finally:
        browser.emulate_media("screen")
    assert smallest >= 8 * 96 / 72 - 0.01, f"smallest printed text {smallest}px (< 8 pt)"


def test_rollup_page_shows_the_verdict_one_row_per_municipality_and_the_heat_map(browser: Chromium, tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch, cli) -> None:
    from rollup_helpers import small_results, variant

    good = small_results(tmp_path / "in" / "a.parquet")
    variant(good, tmp_path / "in" / "b.parquet", municipality_code="990027", municipality=SCRIPT)
    variant(good, tmp_path / "in" / "c.parquet", municipality_code="990001", municipality="架空県", as_of="2026-05-31")
    monkeypatch.chdir(tmp_path)
    res = cli("rollup", "in", "--format", "html", "--output", "out")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(cli("rollup", "in", "--format", "json").stdout)
    browser.open(tmp_path / "out" / "rollup.html")
    assert browser.evaluate("document.documentElement.dataset.ready") == "true"  # the script ran under the CSP
    assert browser.evaluate("document.getElementById('verdict').textContent") == doc["verdict"]
    assert browser.evaluate("window.__pwned === undefined")
    assert browser.evaluate("document.querySelectorAll('script').length") == 1
    assert browser.evaluate("document.getElementById('sample').textContent").startswith("サンプルデータによる結果を含みます（3 団体）")
    # One row per 団体 in the list and in the heat map, in code order; the markup in a name is shown as text.
    codes = browser.evaluate("Array.from(document.querySelectorAll('#municipalities tbody tr')).map(r => r.cells[0].textContent)")
    assert codes == [m["code"] for m in doc["municipalities"]] == ["990001", "990027", "999997"]
    names = browser.evaluate("Array.from(document.querySelectorAll('#municipalities tbody tr')).map(r => r.cells[1].textContent)")
    assert names[1] == SCRIPT
    heat = browser.evaluate("Array.from(document.querySelectorAll('#heatmap tbody tr')).map(r => "
                            "[r.dataset.code, Array.from(r.querySelectorAll('td')).map(c => c.className.replace('cell st-', ''))])")
    columns = browser.evaluate("Array.from(document.querySelectorAll('#heatmap thead th.op')).map(h => h.dataset.operation)")
    assert columns == [o["code"] for o in doc["operations"]]
    assert heat == [[m["code"], [m["statuses"].get(op, "none") for op in columns]] for m in doc["municipalities"]]
    colours = browser.evaluate("Array.from(document.querySelectorAll('#heatmap tbody td')).map(c => getComputedStyle(c).backgroundColor)")
    assert len(set(colours)) >= 2  # statuses differ in colour
    assert "2026-05-31（1 団体）" in browser.evaluate("document.getElementById('dates').textContent")
    # Filtering the list hides rows.
    browser.evaluate("document.querySelector('.municipalities input.filter').focus()")
    browser.insert_text("架空県")
    browser.evaluate("new Promise(r => setTimeout(r, 400))")
    shown = browser.evaluate("Array.from(document.querySelectorAll('#municipalities tbody tr')).filter(r => !r.hidden).length")
    assert shown == 1
    shot = browser.screenshot(_artifacts(tmp_path) / "rollup.png", full_page=True)
    assert shot.stat().st_size > 10_000
    assert browser.console_errors() == []
