"""HTML report: self-contained, Japanese, every input value escaped, one section per operation in scope."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from report_helpers import SCRIPT, inject

from gapcheck.core.config import load_config
from gapcheck.readiness.bundle import build_report
from gapcheck.render import html as html_renderer
from gapcheck.render.formats import render
from gapcheck.validation.project import load_project


def _report(as_of: dt.date = dt.date(2026, 11, 29)):  # type: ignore[no-untyped-def]
    cfg = load_config(".")
    return build_report(load_project(cfg), cfg, as_of)


def test_markup_in_a_vendor_note_is_escaped(small: Path, cli) -> None:
    inject(small)
    assert cli("report", "--format", "html", "--as-of", "2026-11-29").exit_code == 0
    page = (small / "reports" / "report.html").read_text("utf-8")
    assert SCRIPT not in page
    assert "<script>window" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;&lt;img src=x onerror=&#34;window.__pwned = 2&#34;&gt;" in page
    doc = lxml_html.fromstring(page)
    assert len(doc.findall(".//script")) == 1  # the page's own, nothing injected
    assert any(td.text_content().strip() == SCRIPT for td in doc.iter("td"))


def test_self_contained_no_network_at_view_time(small: Path) -> None:
    page = render(_report(), "html")
    doc = lxml_html.fromstring(page)
    assert doc.find(".//link") is None
    assert [s for s in doc.iter("script") if s.get("src")] == []
    assert all(img.get("src").startswith("data:image/svg+xml;base64,") for img in doc.iter("img"))
    assert all(a.get("href").startswith("#") for a in doc.iter("a"))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page


def test_csp_allows_only_the_page_script(small: Path) -> None:
    page = render(_report(), "html")
    doc = lxml_html.fromstring(page)
    csp = doc.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
    [script] = doc.iter("script")
    digest = base64.b64encode(hashlib.sha256(script.text.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "img-src data:" in csp


PREPARING = ["住民基本台帳", "選挙人名簿管理", "固定資産税", "個人住民税", "法人住民税", "軽自動車税", "就学", "国民年金",
             "国民健康保険", "後期高齢者医療", "障害者福祉", "健康管理", "児童手当", "児童扶養手当", "印鑑登録", "戸籍",
             "戸籍の附票", "子ども・子育て支援", "共通機能"]
"""The operations in scope with no catalogue in the small fixture: listed as 準備中 after the analysed one."""


def test_verdict_days_and_one_section_per_operation(small: Path) -> None:
    report = _report()
    doc = lxml_html.fromstring(render(report, "html"))
    assert doc.get("lang") == "ja"
    assert doc.get_element_by_id("verdict").text_content() == report.readiness.verdict
    assert doc.get_element_by_id("days").text_content() == "243 日超過"
    sections = doc.find_class("operation")
    assert [s.get("data-operation") for s in sections] == ["kaigo"]
    kaigo = sections[0]
    tables = {d.get("data-table"): d for d in kaigo.iter("details")}
    assert list(tables) == ["fit", "gap", "violation", "custom"]
    assert [len(t.findall(".//tbody/tr")) for t in tables.values()] == [3, 5, 1, 3]  # fit (○, option used); gap (× △ deferred stale)
    assert all(t.find(".//input[@class='filter']") is not None for t in tables.values())
    overview = doc.get_element_by_id("overview")
    assert [tr.find("td").text_content().split()[0] for tr in overview.findall(".//tbody/tr")] == ["介護保険", *PREPARING, "生活保護"]


def test_rows_are_coloured_by_state(small: Path) -> None:
    doc = lxml_html.fromstring(render(_report(), "html"))
    gap_rows = doc.get_element_by_id("op-kaigo").find(".//details[@data-table='gap']").findall(".//tbody/tr")
    assert sorted(tr.get("class") for tr in gap_rows) == ["s-deferred", "s-gap", "s-gap", "s-partial", "s-partial"]


def test_charts_are_svg_with_japanese_labels_when_a_font_exists(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gapcheck.render import charts

    svg = html_renderer.readiness_svg(_report())
    assert svg.startswith("<svg")
    if charts.japanese_font() is not None:
        assert "介護保険" in svg
    monkeypatch.setattr(charts, "japanese_font", lambda: None)  # a machine with no Japanese font
    svg = html_renderer.readiness_svg(_report())
    assert "kaigo" in svg and "介護保険" not in svg  # codes and English, never empty boxes


def test_no_history_still_draws_a_burndown(small: Path) -> None:
    report = _report()
    assert [(p.open_gaps, p.recorded) for p in report.burndown] == [(4, False)]
    assert html_renderer.burndown_svg(report).startswith("<svg")


def test_a_japanese_font_installed_after_matplotlib_built_its_cache_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """matplotlib's font cache knows no Japanese font (installed later): the font is found by its file."""
    from matplotlib import font_manager

    from gapcheck.render import charts

    files = charts._font_files()
    if not files:
        pytest.skip(f"no Japanese font file on this machine (CI installs {charts.FONT_PACKAGE})")
    stale = [f for f in font_manager.fontManager.ttflist if f.name not in charts.JAPANESE_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    charts.japanese_font.cache_clear()
    try:
        assert charts.japanese_font() in charts.JAPANESE_FONTS
        assert charts.font_warning() is None
        assert "介護保険" in html_renderer.readiness_svg(_report())  # the SVG text, not the lookup
    finally:
        charts.japanese_font.cache_clear()


def test_without_a_japanese_font_the_report_says_what_to_install(project: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # a cache folder of its own: the warning is kept per machine's fonts, and this machine has them
    from gapcheck.render import charts

    monkeypatch.setattr(charts, "japanese_font", lambda: None)
    res = cli("report", "--format", "html", "--as-of", "2026-11-29")
    assert res.exit_code == 0
    assert res.stderr.splitlines()[-1] == (
        "warning: 日本語のフォントが見つからないため、グラフは英語と業務コードで表示します。"
        "フォントを入れて（例: apt-get install fonts-noto-cjk）もう一度実行してください")
    english = cli("--lang", "en", "report", "--format", "html", "--as-of", "2026-11-29")
    assert english.stderr.splitlines()[-1] == (
        "warning: no Japanese font found: the charts are labelled in English with operation codes; "
        "install one (e.g. apt-get install fonts-noto-cjk) and run again")


def test_the_burndown_has_a_line_per_operation_and_deadlines_say_whose(monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from gapcheck.render import charts

    repo = Path(__file__).resolve().parents[1]
    cfg = load_config(repo)
    report = build_report(load_project(cfg), cfg, dt.date(2026, 11, 29))
    pending = [o for o in report.readiness.operations if o.status not in ("migrated", "not-applicable")]
    assert [b.operation for b in report.operation_burndown] == [o.operation for o in pending]
    monkeypatch.setattr(charts, "japanese_font", lambda: None)  # codes: independent of the machine's fonts
    texts = re.findall(r"<!-- (.*?) -->", html_renderer.burndown_svg(report))
    assert all(o.operation in texts for o in pending)
    assert "open gaps, total" in texts
    kokuho = next(o for o in pending if o.operation == "kokuho")
    assert f"deadline {kokuho.deadline.isoformat()} (kokuho)" in texts


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet=st.sampled_from(list("ab&<>\"'\x00 住民票\n")), max_size=20), st.integers()),
                max_size=8))
def test_table_rows_escape_each_value_as_jinja_does(values: list[object]) -> None:
    """The rows of the report's tables are made outside the template, a whole column escaped at once; every value
    comes out as markupsafe (Jinja's autoescape) escapes it alone, the joining character included."""
    import numpy as np
    import pandas as pd
    from markupsafe import escape

    from gapcheck.render.html import _lines

    column = np.array(values, dtype=object)
    index = pd.Index(range(len(values)))
    rows = _lines("s", (index, [np.array(["gap"] * len(values), dtype=object), column]))[1]
    assert list(rows) == [f'<tr class="s-gap"><td>{escape(v)}\n' for v in values]


def test_the_font_warning_is_asked_once_whatever_the_inputs(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Asking matplotlib costs 0.15-0.35 s: an edited input must not ask again (the fonts did not change)."""
    from gapcheck.analysis.cache import check_project
    from gapcheck.render import charts
    from gapcheck.report.incremental import font_note

    asked: list[int] = []
    monkeypatch.setattr(charts, "font_warning", lambda: asked.append(1) or "no font")
    first = check_project(load_config("."))
    assert font_note(first) == "no font" and asked == [1]
    mapping = next((project / "mappings").glob("*.yaml"))
    mapping.write_text(mapping.read_text("utf-8") + "# edited\n", "utf-8")
    again = check_project(load_config("."))
    assert font_note(again) == "no font" and asked == [1] and "font-warning" in again.hits
    monkeypatch.setattr(charts, "font_files", lambda: ["/elsewhere/NotoSansCJK-Regular.ttc"])
    assert font_note(check_project(load_config("."))) == "no font" and asked == [1, 1]  # other fonts: asked again
