"""The results file (results.parquet) that `gapcheck report` and `gapcheck snapshot` write for roll-ups."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gapcheck.core.config import load_config
from gapcheck.core.version import __version__
from gapcheck.readiness.bundle import build_report
from gapcheck.render.formats import render
from gapcheck.render.results import COLUMNS, METADATA_KEY, arrow_schema
from gapcheck.validation.project import load_project

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-29"


def _rows(path: Path, record: str) -> list[dict]:
    table = pq.read_table(path)
    return [r for r in table.to_pylist() if r["record"] == record]


def test_report_writes_a_results_file_matching_readiness_and_analysis(small: Path, cli) -> None:
    assert cli("report", "-f", "results", "-f", "json", "--as-of", AS_OF).exit_code == 0
    path = small / "reports" / "results.parquet"
    assert pq.read_schema(path).remove_metadata() == arrow_schema().remove_metadata()
    head = json.loads(pq.read_metadata(path).metadata[METADATA_KEY])
    readiness = json.loads(cli("readiness", "--format", "json", "--as-of", AS_OF).stdout)
    assert head == {"schema": "results/1", "schema_version": 1, "gapcheck_version": __version__,
                    "municipality_code": "999997", "municipality": "テスト町", "as_of": AS_OF, "sample": True,
                    "operations": len(readiness["operations"]), "requirements": 11}
    ops = _rows(path, "operation")
    assert [o["operation"] for o in ops] == [o["operation"] for o in readiness["operations"]]
    assert {o["operation"]: o["status"] for o in ops if o["status"] != "preparing"} == {
        "kaigo": "overdue", "seikatsu-hogo": "not-applicable"}  # the other 18 have no catalogue in the fixture
    for got, want in zip(ops, readiness["operations"], strict=True):
        for key in ("status", "days_left", "completion_rate", "in_progress_rate", "not_started_rate",
                    "mandatory_fit_rate", "open_gaps", "violations", "undecided", "partial", "extension_reason"):
            assert got[key] == want[key], key
        assert got["deadline"] == (dt.date.fromisoformat(want["deadline"]) if want["deadline"] else None)
        assert got["verdict"] == readiness["verdict"] and got["deferrals"] == len(want["deferrals"])
        assert (got["municipality_code"], got["as_of"], got["sample"]) == ("999997", dt.date(2026, 11, 29), True)
    report = json.loads((small / "reports" / "report.json").read_text("utf-8"))
    kaigo = report["analysis"]["operations"][0]
    assert ops[0]["fit_rate_functions"] == kaigo["summary"]["fit_rate_functions"]
    assert ops[0]["spec_version"] == kaigo["spec_version"] and ops[0]["custom"] == kaigo["summary"]["custom"]
    reqs = _rows(path, "requirement")
    assert [(r["requirement_id"], r["kind"], r["class"], r["state"]) for r in reqs] == [
        (r["id"], r["kind"], r["class"], r["state"]) for r in kaigo["requirements"]]
    assert {r["operation"] for r in reqs} == {"kaigo"} and {r["spec_version"] for r in reqs} == {kaigo["spec_version"]}
    assert all(r["status"] is None and r["open_gaps"] is None for r in reqs)  # operation columns are null there
    assert all(o["requirement_id"] is None for o in ops)


def test_vendor_and_extension_come_from_the_plan_else_the_mapping(tmp_path: Path, monkeypatch) -> None:
    import shutil

    for name in ("specs", "current_system", "mappings"):
        shutil.copytree(REPO / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    cfg = load_config(".")
    report = build_report(load_project(cfg), cfg, dt.date(2026, 6, 30))
    path = tmp_path / "r.parquet"
    path.write_bytes(render(report, "results"))
    ops = {o["operation"]: o for o in _rows(path, "operation")}
    plan = load_project(cfg).plan
    kokuho = plan.for_operation("kokuho")
    assert (ops["kokuho"]["vendor"], ops["kokuho"]["product"]) == (kokuho.vendor, kokuho.product)
    assert ops["kokuho"]["extension_reason"] == kokuho.extension.reason
    assert ops["kokuho"]["extension_deadline"] == kokuho.extension.deadline
    assert ops["kokuho"]["extension_approved"] == kokuho.extension.approved
    reqs = [r for r in _rows(path, "requirement") if r["operation"] == "kokuho"]
    assert {(r["vendor"], r["product"]) for r in reqs} == {(kokuho.vendor, kokuho.product)}
    assert ops["seikatsu-hogo"]["status"] == "not-applicable" and ops["seikatsu-hogo"]["vendor"] is None


def test_identical_results_give_identical_bytes(small: Path) -> None:
    cfg = load_config(".")
    one = render(build_report(load_project(cfg), cfg, dt.date(2026, 11, 29)), "results")
    two = render(build_report(load_project(cfg), cfg, dt.date(2026, 11, 29)), "results")
    later = render(build_report(load_project(cfg), cfg, dt.date(2026, 11, 30)), "results")
    assert isinstance(one, bytes) and one == two and one != later


def test_snapshot_writes_the_results_file_too(small: Path, cli) -> None:
    res = cli("snapshot", "--as-of", "2026-02-05")
    assert res.exit_code == 0, res.stderr
    assert res.stderr.splitlines()[-1] == "created: reports/results.parquet"
    assert _rows(small / "reports" / "results.parquet", "operation")[0]["as_of"] == dt.date(2026, 2, 5)


def test_snapshot_records_nothing_when_the_results_file_cannot_be_written(small: Path, cli) -> None:
    (small / "reports").mkdir()
    (small / "reports" / "results.parquet").write_bytes(b"my own file")
    res = cli("snapshot", "--as-of", "2026-02-05")
    assert res.exit_code == 2
    assert res.stderr == ("gapcheck: 1 file(s) exist with content gapcheck did not write: reports/results.parquet; "
                          "move them away or use --force\n")
    assert not (small / "reports" / "history.jsonl").exists()


def test_every_column_is_documented_in_the_readme() -> None:
    text = (REPO / "README.md").read_text("utf-8")
    section = text[text.index("### Results file"):]
    section = section[: section.index("\n## ")]
    missing = [name for name, _, _ in COLUMNS if f"`{name}`" not in section]
    assert not missing
