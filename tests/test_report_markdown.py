"""Markdown report: golden file on the small fixture; input text cannot break tables or open HTML."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from report_helpers import SCRIPT, inject

GOLDEN = Path(__file__).parent / "golden" / "report-small.md"


def test_golden_small_fixture(small: Path, cli) -> None:
    res = cli("report", "--format", "markdown", "--as-of", "2026-11-29")
    assert res.exit_code == 0
    text = (small / "reports" / "report.md").read_text("utf-8")
    if os.environ.get("GAPCHECK_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, "utf-8")
    assert text == GOLDEN.read_text("utf-8")


def test_summary_comes_before_the_folded_tables(small: Path, cli) -> None:
    cli("report", "--format", "markdown", "--as-of", "2026-11-29")
    text = (small / "reports" / "report.md").read_text("utf-8")
    summary, _, folded = text.partition("<details>")
    assert ("**期限超過あり: 介護保険 が期限を過ぎて未移行、19 業務は準備中（判定に必要なデータが未登録）。"
            "対象 20 業務（期限超過 1・準備中 19）**") in summary
    assert "| 介護保険 (kaigo) | 期限超過 | 令和7年度末（2026-03-31） | 243 日超過 | 28.6% |" in summary
    assert "## 主なギャップ（上位 5 件）" in summary
    assert folded.count("<details>") == 0 and text.count("</details>") == 1


def test_markup_and_pipes_are_escaped(small: Path, cli) -> None:
    inject(small)
    cli("report", "--format", "markdown", "--as-of", "2026-11-29")
    text = (small / "reports" / "report.md").read_text("utf-8")
    assert SCRIPT not in text and "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;window.\\_\\_pwned = 1&lt;/script&gt;" in text
    row = next(line for line in text.splitlines() if line.startswith("| 0230291 "))
    assert row.count(" | ") == 8  # nine cells: nothing in the note split the row


def test_the_markdown_report_stays_within_a_pull_request_comment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Past the limit, the remaining operations' tables are left out with a note saying where they are."""
    import datetime as dt

    from gapcheck.core.config import load_config
    from gapcheck.readiness.bundle import build_report
    from gapcheck.render import report_markdown
    from gapcheck.render.base import RenderOptions
    from gapcheck.validation.project import load_project

    assert report_markdown.MAX_CHARS <= 60_000
    repo = Path(__file__).resolve().parents[1]
    cfg = load_config(repo)
    report = build_report(load_project(cfg), cfg, dt.date(2026, 11, 29))
    full = report_markdown.render(report, RenderOptions(full=True))
    monkeypatch.setattr(report_markdown, "MAX_CHARS", 20_000)
    cut = report_markdown.render(report)
    assert len(cut) <= 20_000 < len(full)
    assert cut.count("<details>") < full.count("<details>") == len(report.analysis.summaries)
    left = len(report.analysis.summaries) - cut.count("<details>")
    assert cut.rstrip().splitlines()[-1] == (
        f"> 文字数の上限（20,000 字）のため、以降の業務の表は省略しました（{left} 業務）。全件は report.html・"
        "report.json（CI の成果物）を参照するか、`gapcheck report --format markdown --full` で出力してください。")
    assert full.startswith(cut[: cut.index("<details>")])  # verdict, operations and worst gaps always in full


_TEXT = st.text(alphabet=st.sampled_from(list("ab|*_`[]<>&@#~\\\n\r\t\x1b\u200b\u202e\uffff 住民票 https://x.jp/a|b www.")), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, max_size=8))
def test_a_column_is_escaped_as_each_cell_alone(values: list[str]) -> None:
    """escape_column translates a whole column in one pass; every value comes out as cell() makes it, the
    separator it joins with, URLs and invisible characters included."""
    import pandas as pd

    from gapcheck.render.markdown import cell, escape_column

    s = pd.Series(values, index=range(10, 10 + len(values)), dtype=object).astype(str)
    out = escape_column(s)
    assert list(out.index) == list(s.index)
    assert out.tolist() == [cell(v) for v in values]
