"""One meaning of an expired 経過措置 everywhere: the same count in every output, from one fixture.

tests/fixtures/small defers 0230291 until 2027-03-31; judged on 2027-04-01 it
has expired: an open gap (経過措置期限切れ), a JUnit failure, counted by
readiness, shown by analyze and show.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

from conftest import SMALL
from openpyxl import load_workbook

from gapcheck.core.config import Config
from gapcheck.core.labels import STATE_LABELS
from gapcheck.readiness.bundle import build_report
from gapcheck.render.formats import render
from gapcheck.validation.project import load_project

AFTER = dt.date(2027, 4, 1)
LABEL = STATE_LABELS["deferral-expired"]


def _report():  # type: ignore[no-untyped-def]
    cfg = Config.defaults(SMALL)
    return build_report(load_project(cfg), cfg, AFTER)


def test_every_format_counts_the_expired_deferral_once() -> None:
    report = _report()
    assert report.analysis.summary("kaigo").states["deferral-expired"] == 1
    kaigo = report.operation("kaigo")
    assert kaigo.open_gaps == 5  # gap 2 + partial 2 + the expired deferral
    doc = json.loads(render(report, "json"))
    op = doc["analysis"]["operations"][0]
    assert op["summary"]["states"]["deferral-expired"] == 1
    assert [r["id"] for r in op["requirements"] if r["state"] == "deferral-expired"] == ["0230291"]
    junit = ET.fromstring(render(report, "junit"))
    failures = [f for f in junit.iter("failure") if f.get("type") == "deferral-expired"]
    assert len(failures) == 1 and "0230291" in failures[0].get("message", "")
    assert junit.find("testsuite").get("skipped") == "0"  # type: ignore[union-attr]
    html = str(render(report, "html"))
    assert html.count('class="s-deferral-expired"') == 1 and LABEL in html
    markdown = str(render(report, "markdown"))
    assert LABEL in markdown or "うち期限切れ" in markdown
    book = load_workbook(io.BytesIO(render(report, "xlsx")))  # type: ignore[arg-type]
    summary, *sheets = book.worksheets
    header = [c.value for c in next(r for r in summary.iter_rows() if LABEL in [c.value for c in r])]
    kaigo_row = next(r for r in summary.iter_rows(values_only=True) if "kaigo" in r)
    assert kaigo_row[header.index(LABEL)] == 1
    cells = [c.value for ws in sheets for row in ws.iter_rows() for c in row]
    assert cells.count(LABEL) == 1


def test_analyze_and_show_judge_the_date_they_are_given(small, cli) -> None:  # type: ignore[no-untyped-def]
    before = json.loads(cli("analyze", "--format", "json", "--as-of", "2027-03-31").stdout)
    after = json.loads(cli("analyze", "--format", "json", "--as-of", "2027-04-01").stdout)
    assert before["overall"]["states"]["deferral-expired"] == 0 and before["overall"]["states"]["deferred"] == 1
    assert after["overall"]["states"]["deferral-expired"] == 1 and after["overall"]["states"]["deferred"] == 0
    shown = json.loads(cli("show", "0230291", "--format", "json", "--as-of", "2027-04-01").stdout)
    assert shown[0]["state"] == "deferral-expired"
    res = cli("analyze", "--as-of", "2027-04-01", "--fail-on", "deferral-expired", "--format", "json")
    assert res.exit_code == 1
