"""Terminal layout: on the shipped sample, at 80 and 160 columns, values people read or type are never cut."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from typing import Any

import pytest
from conftest import REPO
from rich.console import Console

import gapcheck
from gapcheck.analysis.lookup import lookup, operation_rows
from gapcheck.loading.history import load_history
from gapcheck.readiness.status import STATUS_LABELS, assess
from gapcheck.render import readiness as readiness_render
from gapcheck.render import terminal
from gapcheck.render.markdown import percent

WIDTHS = (80, 160)
AS_OF = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The shipped sample: project, analysis and readiness on 2026-11-29 (loaded once, private parse cache)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GAPCHECK_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "parse-cache"))
        project = gapcheck.load_project(gapcheck.load_config(REPO))
        analysis = gapcheck.analyze(project)
        history, problems = load_history(REPO / "reports" / "history.jsonl")
    assert not [p for p in problems if p.severity == "error"]
    return {"project": project, "analysis": analysis, "readiness": assess(project, analysis, AS_OF, history)}


def console(width: int) -> Console:
    return Console(width=width, record=True, file=io.StringIO())


def shown(width: int, draw: Any) -> str:
    """What ``draw(console)`` prints on a console ``width`` cells wide, as plain text."""
    con = console(width)
    draw(con)
    text = con.export_text()
    assert not [line for line in text.splitlines() if "…" in line and "ほか" not in line], text  # nothing cut
    return text


def unwrapped(text: str) -> str:
    """Free text wrapped onto several lines of a borderless table, joined back."""
    return re.sub(r"\s*\n\s*", "", text)


def in_label_parts(label: str, text: str) -> bool:
    """A label shown whole, on one line or broken before its parenthesis (narrow layouts)."""
    return label in text or all(part in text for part in re.split(r"(?=（)", label))


@pytest.mark.parametrize("width", WIDTHS)
def test_analyze_summary_shows_codes_and_rates_whole(sample: dict[str, Any], width: int) -> None:
    analysis = sample["analysis"]
    text = shown(width, lambda con: terminal.render(analysis, con))
    for s in analysis.summaries:
        assert f"({s.operation})" in text, s.operation
    for s in [*analysis.summaries, analysis.overall]:
        for rate in (s.fit_rate_functions, s.fit_rate_forms):
            assert percent(rate) in text, (s.operation, rate)
    total = analysis.overall.states
    for count in (total["fit"], total["partial"], total["gap"], total["deferred"], analysis.overall.undecided):
        assert re.search(rf"(?<![\d.]){count}(?![\d.])", text), count
    assert f"リンク切れ {analysis.overall.broken_links} 件: 介護保険 (kaigo) 3 件" in text
    assert "リンク切れ:" in text and "0230230" in text  # the custom item whose link is broken names the requirement


@pytest.mark.parametrize("width", WIDTHS)
def test_analyze_operation_tables_show_ids_states_and_deferrals_whole(sample: dict[str, Any], width: int) -> None:
    analysis = sample["analysis"]
    text = shown(width, lambda con: terminal.render(analysis, con, limit=0))
    req = analysis.requirements
    listed = req[req["state"].isin(["fit", "partial", "optional-used", "gap", "deferred", "stale", "violation"])]
    for rid in set(listed["id"]):
        assert re.search(rf"[│┃] {re.escape(rid)} +│", text), rid
    for state in ("適合 ○", "部分適合 △", "ギャップ ×", "経過措置", "オプション利用", "実装不可違反"):
        assert state in text, state
    assert in_label_parts("要再確認（版改定）", text)
    for until in set(listed["deferred_until"].dropna()):
        assert until in text, until
    items = analysis.items
    for iid in set(items[items["state"] == "custom"]["id"]):
        assert re.search(rf"[│┃] {re.escape(iid)} +│", text), iid


@pytest.mark.parametrize("width", WIDTHS)
def test_readiness_shows_status_deadline_days_and_rates_whole(sample: dict[str, Any], width: int) -> None:
    result = sample["readiness"]
    text = shown(width, lambda con: readiness_render.terminal(result, con))
    for o in result.operations:
        assert f"({o.operation})" in text, o.operation
        assert in_label_parts(STATUS_LABELS[o.status], text), o.status
        if o.deadline:
            assert o.deadline.isoformat() in text, o.operation
    for days in ("243 日超過", "残り 488 日", "残り 853 日"):
        assert days in text, days
    if width >= 160:  # room for 和暦, the whole status label and bars
        assert "令和9年度末（2028-03-31）" in text and "令和10年度末（2029-03-31）" in text
        assert "特定移行支援（期限延長）" in text
        assert "██████░░░░  62%" in text
    else:
        for o in result.operations:
            for rate in (o.completion_rate, o.mandatory_fit_rate):
                assert percent(rate) in text, (o.operation, rate)


@pytest.mark.parametrize("width", WIDTHS)
def test_readiness_says_why_and_forecasts(sample: dict[str, Any], width: int) -> None:
    result = sample["readiness"]
    text = shown(width, lambda con: readiness_render.terminal(result, con))
    risky = next(o for o in result.operations if o.status == "at-risk")
    assert risky.reasons == ("稼働予定日が未定", "予測では期限までに完了しない",
                             "経過措置の期限切れ 1 件（未解消ギャップに計上）")  # 9100208 was due 2026-09-30
    for reason in risky.reasons:
        assert f"・{reason}" in text
    assert "・期限 令和7年度末（2026-03-31）を 243 日超過" in text
    # the history counts the expired 経過措置 from 2026-10-01 on:
    assert "・予測 ギャップ0: 2029-02-10 / 手順100%: 2033-04-01（期限後）" in text
    flat = unwrapped(text)
    for o in result.operations:
        if o.status == "not-applicable":
            assert all(reason.replace(" ", "") in flat for reason in o.reasons), o.operation
    assert "2025-12-01 稼働" not in text  # migrated operations need no explanation


def test_readiness_of_one_operation_at_80_columns(sample: dict[str, Any]) -> None:
    project, analysis = sample["project"], gapcheck.analyze(sample["project"], ["juki"])
    result = assess(project, analysis, AS_OF, [], ["juki"])
    text = shown(80, lambda con: readiness_render.terminal(result, con))
    assert "(juki)" in text and "移行済み" in text and "2026-03-31" in text and "100.0%" in text


def test_readiness_markdown_has_the_reasons(sample: dict[str, Any]) -> None:
    md = readiness_render.markdown(sample["readiness"])
    header = next(line for line in md.splitlines() if line.startswith("| 業務"))
    assert header.endswith("| 予測 | 理由 |")
    row = next(line for line in md.splitlines() if "(shogai-fukushi)" in line)
    assert row.endswith("| 稼働予定日が未定 / 予測では期限までに完了しない / 経過措置の期限切れ 1 件（未解消ギャップに計上） |")
    assert "令和10年度末（2029-03-31）" in row


def test_readiness_text_from_inputs_is_not_markup(sample: dict[str, Any]) -> None:
    result = sample["readiness"]
    ops = list(result.operations)
    ops[0] = dataclasses.replace(ops[0], name="[bold red]X[/bold red]", status="at-risk", reasons=("[link]y[/link]",))
    text = shown(80, lambda con: readiness_render.terminal(dataclasses.replace(result, operations=tuple(ops)), con))
    assert "[bold red]X[/bold red]" in text and "・[link]y[/link]" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_operations_show_codes_and_mappings_whole(sample: dict[str, Any], width: int) -> None:
    rows = operation_rows(sample["project"])
    text = shown(width, lambda con: terminal.print_operations(rows, con))
    for r in rows:
        assert re.search(rf"^[│┃] {re.escape(r['code'])} +[│┃]", text, re.MULTILINE), r["code"]
        for path in r["mappings"]:
            assert path in text, path
    assert "5.0, 6.0" in text and "こども家庭庁" in text


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("ident", ["0230265", "KG-F001"])
def test_show_wraps_long_text_instead_of_cutting(sample: dict[str, Any], width: int, ident: str) -> None:
    found = lookup(sample["project"], ident)
    text = shown(width, lambda con: terminal.print_lookup(found, con))
    flat = unwrapped(text)
    for f in found:
        for value in (f.get("summary"), f.get("description"), f.get("title"), f.get("name")):
            if value:
                assert value.replace(" ", "") in flat, value
        assert f"{f['file']}:{f['line']}" in text
