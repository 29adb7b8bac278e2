"""JUnit XML: valid against the Ant JUnit schema (tests/data/junit.xsd); counts match the analysis."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lxml import etree

from gapcheck.core.config import load_config
from gapcheck.readiness.bundle import build_report
from gapcheck.render.formats import render
from gapcheck.validation.project import load_project

XSD = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "data" / "junit.xsd")))


def _parse(text: str) -> etree._Element:
    doc = etree.fromstring(text.encode("utf-8"))
    assert XSD.validate(doc), str(XSD.error_log)
    return doc


def test_small_fixture_counts_match_the_summary(small: Path, cli) -> None:
    assert cli("report", "--format", "junit", "--as-of", "2026-11-29").exit_code == 0
    doc = _parse((small / "reports" / "report.junit.xml").read_text("utf-8"))
    cfg = load_config(".")
    summary = build_report(load_project(cfg), cfg, dt.date(2026, 11, 29)).analysis.summary("kaigo")
    [suite] = doc.findall("testsuite")
    forbidden = summary.states["violation"] + summary.states["forbidden-absent"]
    assert suite.get("name") == "kaigo"
    assert int(suite.get("tests")) == summary.mandatory_functions + summary.mandatory_forms + forbidden == 9
    assert int(suite.get("failures")) == summary.states["gap"] + summary.states["partial"] + summary.states["stale"] == 4
    assert int(suite.get("errors")) == summary.violations == 1
    assert int(suite.get("skipped")) == summary.states["deferred"] == 1
    assert len(suite.findall("testcase")) == 9
    assert len(suite.findall("testcase/failure")) == 4
    assert suite.get("timestamp") == "2026-11-29T00:00:00"


def test_each_state_has_its_element(small: Path) -> None:
    cfg = load_config(".")
    doc = _parse(render(build_report(load_project(cfg), cfg, dt.date(2026, 11, 29)), "junit"))
    cases = {c.get("name").split()[0]: c for c in doc.iter("testcase")}
    assert list(cases["0230265"]) == []  # fit passes
    gap = cases["0230290"].find("failure")
    assert gap.get("type") == "gap" and gap.get("message") == "ギャップ ×: 0230290 架空の必須機能A"
    assert gap.text == "機能 / 実装必須\n判定: 現行機能の対応なし"
    assert cases["0230275"].find("failure").get("type") == "partial"
    assert cases["0230400"].find("error").get("type") == "violation"
    assert cases["0230400"].get("classname") == "kaigo.forbidden"
    assert list(cases["0230401"]) == []  # forbidden and absent passes
    assert cases["0230291"].find("skipped").get("message") == "経過措置: 2027-03-31 まで"
    assert "0230300" not in cases  # optional requirements are choices, not tests


def test_sample_project_validates_and_every_suite_adds_up() -> None:
    repo = Path(__file__).resolve().parents[1]
    cfg = load_config(repo)
    report = build_report(load_project(cfg), cfg, dt.date(2026, 11, 29))
    doc = _parse(render(report, "junit"))
    suites = doc.findall("testsuite")
    assert [s.get("name") for s in suites] == [s.operation for s in report.analysis.summaries]
    req = report.analysis.requirements
    for suite in suites:
        mine = req[(req["operation"] == suite.get("name")) & req["class"].isin(["mandatory", "forbidden"])]
        counts = mine["state"].value_counts()
        assert int(suite.get("tests")) == len(suite.findall("testcase")) == len(mine)
        assert int(suite.get("failures")) == sum(counts.get(s, 0) for s in ("gap", "partial", "stale", "deferral-expired"))
        assert int(suite.get("errors")) == counts.get("violation", 0)
        assert int(suite.get("skipped")) == counts.get("deferred", 0) == len(suite.findall("testcase/skipped"))
