"""JSON report: the complete result, valid against the packaged schema, byte-identical across runs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from gapcheck.core.config import load_config
from gapcheck.loading.schema import schema
from gapcheck.readiness.bundle import build_report
from gapcheck.render.formats import render
from gapcheck.validation.project import load_project

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py


def _validate(doc: object) -> None:
    validator = jsonschema.Draft202012Validator(schema("report"), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == []


def test_dated_report_validates_and_holds_readiness(small: Path, cli) -> None:
    assert cli("report", "--format", "json", "--as-of", "2026-11-29").exit_code == 0
    doc = json.loads((small / "reports" / "report.json").read_text("utf-8"))
    _validate(doc)
    assert doc["as_of"] == "2026-11-29"
    assert doc["readiness"]["verdict"] == ("期限超過あり: 介護保険 が期限を過ぎて未移行、19 業務は準備中（判定に必要なデータが未登録）。"
        "対象 20 業務（期限超過 1・準備中 19）")
    assert doc["readiness"]["operations"][0]["days_left"] == -243
    assert doc["analysis"]["overall"]["states"]["violation"] == 1
    assert list(doc) == ["gapcheck", "municipality", "sample", "as_of", "analysis", "readiness", "history"]


def test_undated_report_has_no_date_and_validates(small: Path, cli) -> None:
    assert cli("report", "--format", "json").exit_code == 0
    text = (small / "reports" / "report.json").read_text("utf-8")
    doc = json.loads(text)
    _validate(doc)
    assert doc["as_of"] is None and doc["readiness"] is None
    assert dt.date.today().isoformat() not in text


def test_identical_bytes_across_two_runs(small: Path, cli) -> None:
    first = cli("report", "--format", "json")
    data = (small / "reports" / "report.json").read_bytes()
    second = cli("report", "--format", "json")
    assert (first.exit_code, second.exit_code) == (0, 0)
    assert second.stderr == "unchanged: reports/report.json\n"
    assert (small / "reports" / "report.json").read_bytes() == data


def test_cli_json_equals_the_library_result(small: Path, cli) -> None:
    cli("report", "--format", "json", "--as-of", "2026-11-29")
    cfg = load_config(".")
    report = build_report(load_project(cfg), cfg, dt.date(2026, 11, 29))
    assert json.loads((small / "reports" / "report.json").read_text("utf-8")) == report.to_dict()
    assert render(report, "json") == (small / "reports" / "report.json").read_bytes()


def test_sample_project_report_validates() -> None:
    repo = Path(__file__).resolve().parents[1]
    cfg = load_config(repo)
    report = build_report(load_project(cfg), cfg, dt.date(2026, 11, 29))
    doc = json.loads(render(report, "json"))
    _validate(doc)
    assert doc == report.to_dict()  # pandas' C writer for the tables, the same data as the plain records
    assert len(doc["analysis"]["operations"]) == len(report.analysis.summaries) == 19  # 18 of the 20 in scope, and 共通機能
    assert doc["history"] and all(h["date"] <= "2026-11-29" for h in doc["history"])
