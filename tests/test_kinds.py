"""A function and a form with the same ID (機能ID and 帳票ID are separate namespaces), through every output.

tests/fixtures/pair holds 住民基本台帳 function and form 0010001, 0010002 and 0010003.  Hand count:
function 0010001 fit (JF1), form 0010001 partial (JR1), function 0010002 optional, judged gap (JF2),
form 0010002 fit (JF2 with kind: form), function 0010003 deferred, form 0010003 declared unused; items
JF1, JF2, JR1 linked, JR2 undecided, JF3 replaced by function 0010003.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from gapcheck.core.config import Config, load_config
from gapcheck.readiness.bundle import build_report
from gapcheck.render.formats import render
from gapcheck.validation.project import load_project
from gapcheck.vendor.kinds import kind_rule, template_items
from gapcheck.vendor.oscal import export_oscal
from gapcheck.vendor.worksheet import (
    build_template,
    import_worksheet,
    mapping_document,
    mapping_yaml,
    template_xlsx,
)

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

PAIR = Path(__file__).parent / "fixtures" / "pair"


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    dest = tmp_path / "pair"
    shutil.copytree(PAIR, dest)
    monkeypatch.chdir(dest)
    return dest


def _project() -> Any:
    project = load_project(Config.defaults("."))
    assert [p.format("en") for p in project.problems] == []
    return project


REQUIREMENTS = [  # id, ref, kind, state, judgement, items
    ("0010001", "function:0010001", "function", "fit", "fit", "JF1"),
    ("0010001", "form:0010001", "form", "partial", "partial", "JR1"),
    ("0010002", "function:0010002", "function", "optional-unused", "gap", "JF2"),
    ("0010002", "form:0010002", "form", "fit", "fit", "JF2"),
    ("0010003", "function:0010003", "function", "deferred", None, None),
    ("0010003", "form:0010003", "form", "optional-unused", None, None),
]
ITEMS = [  # id, state, disposition, requirements, replacement
    ("JR2", "custom", "undecided", None, None),
    ("JF3", "custom", "replace", None, "function:0010003"),
    ("JF1", "linked", None, "function:0010001", None),
    ("JF2", "linked", None, "form:0010002, function:0010002", None),
    ("JR1", "linked", None, "form:0010001", None),
]


def test_the_pair_validates_and_links_resolve_by_the_items_kind(pair: Path) -> None:
    project = _project()
    links = [(ln.item, ln.kind, ln.requirement) for ln in project.mappings[0].links]
    assert links == [("JF1", "function", "0010001"), ("JR1", "form", "0010001"), ("JF2", "function", "0010002"),
                     ("JF2", "form", "0010002")]
    m = project.mappings[0]
    assert [(c.item, c.kind, c.requirement) for c in m.custom] == [("JF3", "function", "0010003"), ("JR2", None, None)]
    assert [(d.kind, d.requirement) for d in m.optional_unused] == [("form", "0010003")]
    assert [(d.kind, d.requirement) for d in m.deferrals] == [("function", "0010003")]


def test_the_json_names_each_requirement_by_kind_and_id(pair: Path, cli: Any) -> None:
    res = cli("analyze", "--format", "json")
    assert res.exit_code == 0, res.stderr
    (op,) = json.loads(res.stdout)["operations"]
    assert [(r["id"], r["ref"], r["kind"], r["state"], r["judgement"], r["items"]) for r in op["requirements"]] == REQUIREMENTS
    assert [(i["id"], i["state"], i["disposition"], i["requirements"], i["replacement"]) for i in op["items"]] == ITEMS
    s = op["summary"]
    assert (s["requirements"], s["mandatory_functions"], s["mandatory_forms"], s["fit_rate_functions"], s["fit_rate_forms"]) == (
        6, 2, 2, 0.5, 0.5)
    report = json.loads(render(build_report(_project(), load_config("."), dt.date(2026, 3, 31)), "json"))
    assert report["gapcheck"] == "report/2"
    assert report["readiness"]["operations"][0]["deferrals"] == [
        {"requirement": "0010003", "kind": "function", "until": "2027-03-31"}]
    assert [r["ref"] for r in report["analysis"]["operations"][0]["requirements"]] == [r[1] for r in REQUIREMENTS]


def test_people_see_the_kind_where_both_exist(pair: Path, cli: Any) -> None:
    report = build_report(_project(), load_config("."), dt.date(2026, 3, 31))
    junit = str(render(report, "junit"))
    assert '<testcase name="機能 0010001 架空の交付機能"' in junit and '<testcase name="帳票 0010001 架空の写し"' in junit
    names = [line.split('name="')[1].split('"')[0] for line in junit.splitlines() if "<testcase " in line]
    assert len(names) == len(set(names)) == 4  # mandatory ones: unique although the IDs repeat
    markdown = str(render(report, "markdown"))
    assert "| JF3 | 機能 | 独自の届出処理 |  | 標準・オプション機能で代替 | 機能 0010003 |" in markdown
    html = str(render(report, "html"))
    assert "<td>機能 0010003<td>" in html
    wb = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))  # type: ignore[arg-type]
    custom = [r for r in wb["住民基本台帳 独自"].iter_rows(values_only=True)]
    assert custom[2][:6] == ("JF3", "機能", "独自の届出処理", None, "標準・オプション機能で代替", "機能 0010003")
    show = cli("show", "0010001")
    assert show.exit_code == 0
    assert "機能要件 0010001（juki 第1.0版）" in show.stdout and "帳票要件 0010001（juki 第1.0版）" in show.stdout
    found = json.loads(cli("show", "0010001", "--format", "json").stdout)
    assert [(f["kind"], f["state"], [ln["item"] for ln in f["links"]]) for f in found] == [
        ("function", "fit", ["JF1"]), ("form", "partial", ["JR1"])]


def test_the_worksheet_keeps_the_kinds_apart_and_round_trips(pair: Path) -> None:
    project = _project()
    cat = project.catalogue("juki")
    doc = mapping_document(project.mappings[0], None, kind_rule(project, "juki", "1.0"))
    assert doc["links"] == [
        {"item": "JF1", "requirement": "0010001", "judgement": "fit"},
        {"item": "JR1", "requirement": "0010001", "judgement": "partial"},
        {"item": "JF2", "requirement": "0010002", "judgement": "gap"},
        {"item": "JF2", "requirement": "0010002", "kind": "form", "judgement": "fit"},  # only where the item's kind is not it
    ]
    assert doc["custom"][0] == {"item": "JF3", "disposition": "replace", "requirement": "0010003", "kind": "function"}
    assert doc["optional_unused"] == [{"requirement": "0010003", "kind": "form", "note": "使わない"}]
    assert doc["deferrals"] == [{"requirement": "0010003", "kind": "function", "until": "2027-03-31"}]
    (pair / "t.xlsx").write_bytes(template_xlsx(build_template(cat, template_items(project, "juki"), doc, "住民基本台帳")))
    wb = openpyxl.load_workbook(pair / "t.xlsx")
    rows = [r[:8] for r in wb["要件一覧"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[1], r[5], r[7]) for r in rows] == [
        ("0010001", "機能", "JF1", "○"), ("0010001", "帳票", "JR1", "△"), ("0010002", "機能", "JF2", "×"),
        ("0010002", "帳票", "JF2", "○"), ("0010003", "機能", None, None), ("0010003", "帳票", None, None)]
    custom = [r for r in wb["独自機能"].iter_rows(values_only=True)]
    assert custom[0][-1] == "代替要件の種別"
    assert custom[1] == ("JF3", "機能", "独自の届出処理", "標準・オプション機能で代替", "0010003", None, "機能")
    imported = import_worksheet(pair / "t.xlsx", project).mapping
    assert imported == doc
    (pair / "mappings" / "juki.yaml").write_text(mapping_yaml(imported, "t.xlsx"), "utf-8")
    again = _project().mappings[0]
    assert [(ln.item, ln.kind, ln.requirement, ln.judgement) for ln in again.links] == [
        (ln.item, ln.kind, ln.requirement, ln.judgement) for ln in project.mappings[0].links]


def test_a_worksheet_row_without_its_kind_cannot_name_a_shared_id(pair: Path) -> None:
    project = _project()
    doc = mapping_document(project.mappings[0], None, kind_rule(project, "juki", "1.0"))
    (pair / "t.xlsx").write_bytes(template_xlsx(build_template(project.catalogue("juki"), template_items(project, "juki"), doc)))
    wb = openpyxl.load_workbook(pair / "t.xlsx")
    wb["要件一覧"]["B3"] = None  # 0010001 names a function and a form: the row no longer says which
    wb["要件一覧"]["B4"] = "帳票"  # the row of function 0010002 now says form: JF2's form link is given twice
    wb.save(pair / "t.xlsx")
    from gapcheck.core.errors import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        import_worksheet(pair / "t.xlsx", project)
    assert [p.format("en") for p in exc.value.problems] == [
        "t.xlsx:3:2: requirement-kind-ambiguous: 要件一覧!B3: 0010001 is both a 機能要件 and a 帳票要件: say which "
        "(機能 or 帳票) (expected 機能 or 帳票, found an empty cell)",
        "t.xlsx:5:6: link-duplicate: 要件一覧!F5: item JF2 is linked to form 0010002 again (first on row 4) "
        "(expected each link once, found 'JF2')",
    ]


def test_oscal_gives_each_kind_its_own_control(pair: Path) -> None:
    doc = export_oscal(_project(), "juki")
    (mapping,) = doc["mapping-collection"]["mappings"]
    assert [(x["sources"][0]["id-ref"], x["targets"][0]["id-ref"], x["relationship"]) for x in mapping["maps"]] == [
        ("juki-item-JF1", "juki-function-0010001", "equivalent-to"),
        ("juki-item-JR1", "juki-form-0010001", "subset-of"),
        ("juki-item-JF2", "juki-function-0010002", "no-relationship"),
        ("juki-item-JF2", "juki-form-0010002", "equivalent-to"),
    ]
    assert mapping["target-gap-summary"]["unmapped-controls"] == [{"with-ids": ["juki-function-0010003", "juki-form-0010003"]}]
    assert len({x["uuid"] for x in mapping["maps"]}) == 4
    # in scope: the 4 mandatory ones and optional function 0010002 (form 0010003 is declared unused):
    # 1 + 0.5 + 0 + 1 + 0 over 5
    assert mapping["coverage"]["target-coverage"] == 0.5


def test_show_explains_each_kind_apart(pair: Path) -> None:
    from gapcheck.analysis.explain import show

    shown = show(_project(), "0010002", dt.date(2026, 3, 31))
    assert [(f["kind"], f["state"], f["reasons"]) for f in shown.found] == [
        ("function", "optional-unused", ["現行 JF2 が × と判定（mappings/juki.yaml:9、第1.0版に対して）"]),
        ("form", "fit", ["現行 JF2 が ○ と判定（mappings/juki.yaml:10、第1.0版に対して）"]),
    ]
    (item,) = show(_project(), "JF2", dt.date(2026, 3, 31)).found
    assert item["reasons"] == ["要件 機能 0010002 に ×（mappings/juki.yaml:9）", "要件 帳票 0010002 に ○（mappings/juki.yaml:10）"]
