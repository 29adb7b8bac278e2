"""Fit & Gap worksheets: template, import, both round trips, every bad cell one exact line."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gapcheck.core.config import Config
from gapcheck.core.errors import InvalidInput
from gapcheck.core.model import Project
from gapcheck.validation.project import load_project
from gapcheck.vendor.kinds import kind_rule
from gapcheck.vendor.worksheet import (
    CUSTOM,
    INFO,
    REQS,
    build_template,
    import_worksheet,
    mapping_document,
    mapping_yaml,
    template_xlsx,
    template_yaml,
)

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py


def _project() -> Project:
    project = load_project(Config.defaults("."))
    assert project.valid, [p.format("en") for p in project.problems]
    return project


def _template(project: Project, mapping: dict[str, Any] | None) -> bytes:
    cat = project.catalogue("kaigo")
    assert cat is not None
    items = [i for i in project.inventory.items if i.operation == "kaigo"]  # type: ignore[union-attr]
    return template_xlsx(build_template(cat, items, mapping, "介護保険"))


def _document(project: Project, mapping: Any, raw: dict[str, Any] | None = None) -> dict[str, Any]:
    """The mapping as its document, saying kind: where the catalogue and the items need it (as the CLI does)."""
    return mapping_document(mapping, raw, kind_rule(project, mapping.operation, mapping.spec_version))


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def _ordered(value: Any) -> Any:
    """A value with dict key order made visible, for exact comparisons."""
    if isinstance(value, dict):
        return [(k, _ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    return value


# -- round trips ----------------------------------------------------------------------------


def test_blank_template_import_template_again_is_the_same(small: Path) -> None:
    project = _project()
    first = _template(project, None)
    (small / "t.xlsx").write_bytes(first)
    imported = import_worksheet(small / "t.xlsx", project).mapping
    assert imported == {"gapcheck": "mapping/1", "operation": "kaigo", "spec_version": "6.0"}
    assert _template(project, imported) == first  # byte for byte


def test_filled_template_imports_to_exactly_the_mapping_it_came_from(small: Path) -> None:
    project = _project()
    original = _document(project, project.mappings[0], {"note": "備考=あり", "source": "テスト"})
    (small / "t.xlsx").write_bytes(_template(project, original))
    imported = import_worksheet(small / "t.xlsx", project).mapping
    assert _ordered(imported) == _ordered(original)
    assert _template(project, imported) == (small / "t.xlsx").read_bytes()


def test_imported_yaml_loads_to_the_same_mapping(small: Path) -> None:
    project = _project()
    before = project.mappings[0]
    (small / "t.xlsx").write_bytes(_template(project, _document(project, before)))
    text = mapping_yaml(import_worksheet(small / "t.xlsx", project).mapping, "t.xlsx")
    (small / "mappings/kaigo.yaml").write_text(text, "utf-8")
    after = _project().mappings[0]
    strip = {"file": "", "line": 0}
    assert [replace(x, **strip) for x in after.links] == [replace(x, **strip) for x in before.links]
    assert [replace(x, **strip) for x in after.custom] == [replace(x, **strip) for x in before.custom]
    assert [replace(x, **strip) for x in after.optional_unused] == [replace(x, **strip) for x in before.optional_unused]
    assert [replace(x, **strip) for x in after.deferrals] == [replace(x, **strip) for x in before.deferrals]
    assert (after.vendor, after.spec_version) == (before.vendor, before.spec_version)


def test_template_bytes_are_reproducible(small: Path) -> None:
    project = _project()
    assert _template(project, None) == _template(project, None)


# -- what a vendor sees and fills -----------------------------------------------------------------


def test_template_layout_and_drop_downs(small: Path) -> None:
    project = _project()
    (small / "t.xlsx").write_bytes(_template(project, _document(project, project.mappings[0])))
    cells = _cells(small / "t.xlsx")
    assert list(cells) == [INFO, REQS, CUSTOM, "現行機能", "記入方法"]
    assert cells[INFO][:5] == [("項目キー", "項目", "値"), ("gapcheck", "様式", "mapping-worksheet/1"),
                               ("operation", "業務コード", "kaigo"), ("operation_name", "業務名（参考）", "介護保険"),
                               ("spec_version", "仕様書の版", "6.0")]
    assert cells[REQS][0] == ("要件ID", "種別", "実装区分", "名称", "要件の概要", "現行機能ID", "現行機能名（参考）",
                              "判定（○/△/×）", "備考", "判定日", "オプション不使用", "不使用の理由", "経過措置の期限",
                              "経過措置の備考", "改定による再確認（参考）")
    assert cells[REQS][1][:8] == ("0230265", "機能", "実装必須", "住民異動に伴う資格異動", None, "F1", "資格異動", "○")
    rows = {(r[0], r[5]): r for r in cells[REQS][1:]}
    assert rows[("0230286", "F3")][7] == "×" and rows[("0230286", "F1")][7] == "△"
    assert rows[("0230291", None)][12] == dt.datetime(2027, 3, 31)
    assert rows[("0230301", None)][10:12] == ("不使用", "使わない")
    assert cells[CUSTOM] == [("現行機能ID", "種別", "名称", "対応方針", "代替する要件ID", "備考", "代替要件の種別"),
                             ("F4", "機能", "独自機能（未決定）", None, None, None, None),
                             ("F5", "機能", "独自機能（廃止）", "業務見直しで廃止", None, None, None),
                             ("R2", "帳票", "独自帳票", None, None, None, None)]
    wb = openpyxl.load_workbook(small / "t.xlsx")
    lists = {(ws.title, str(dv.sqref), dv.formula1) for ws in wb.worksheets for dv in ws.data_validations.dataValidation}
    assert lists == {
        (REQS, "H2:H212", '"○,△,×"'), (REQS, "K2:K212", '"不使用"'), (REQS, "F2:F212", "'現行機能'!$A$2:$A$9"),
        (CUSTOM, "D2:D203", '"未決定,業務見直しで廃止,標準・オプション機能で代替,EUC で対応,標準外で疎結合に構築"'),
    }


def test_vendor_fills_a_blank_template(small: Path) -> None:
    project = _project()
    (small / "t.xlsx").write_bytes(_template(project, None))
    wb = openpyxl.load_workbook(small / "t.xlsx")
    ws, cu = wb[REQS], wb[CUSTOM]
    ws["F2"], ws["H2"], ws["I2"], ws["J2"] = "F1", "○", "'=SUM(A1)", dt.datetime(2026, 3, 31)
    ws["F3"], ws["H3"] = "F2", "△"
    ws["F4"], ws["H4"], ws["I4"] = "F3", "×", "改修予定"
    ws["M6"], ws["N6"] = "2027/3/31", "システム改修後"
    ws["F7"], ws["H7"] = "F2", " ○ "
    ws["K8"], ws["L8"] = "不使用", "使わない"
    ws["F9"], ws["H9"] = "F6", "fit"
    ws["F11"], ws["H11"], ws["J11"] = "R1", "〇", "2026-04-01"
    ws.append([230286, None, None, None, None, "F1", None, "◯"])  # a second item for 0230286, typed as a number
    assert [c.value for c in cu["A"]] == ["現行機能ID", "F1", "F2", "F3", "F4", "F5", "F6", "R1", "R2"]
    cu["D5"], cu["D6"], cu["F6"] = "未決定", "業務見直しで廃止", "窓口で対応"
    cu["D9"], cu["E9"] = "標準・オプション機能で代替", "０２３０３００"
    wb.save(small / "t.xlsx")
    assert _ordered(import_worksheet(small / "t.xlsx", project).mapping) == _ordered({
        "gapcheck": "mapping/1", "operation": "kaigo", "spec_version": "6.0",
        "links": [
            {"item": "F1", "requirement": "0230265", "judgement": "fit", "note": "=SUM(A1)", "date": "2026-03-31"},
            {"item": "F2", "requirement": "0230275", "judgement": "partial"},
            {"item": "F3", "requirement": "0230286", "judgement": "gap", "note": "改修予定"},
            {"item": "F2", "requirement": "0230300", "judgement": "fit"},
            {"item": "F6", "requirement": "0230400", "judgement": "fit"},
            {"item": "R1", "requirement": "0230010", "judgement": "fit", "date": "2026-04-01"},
            {"item": "F1", "requirement": "0230286", "judgement": "fit"},
        ],
        "custom": [
            {"item": "F4", "disposition": "undecided"},
            {"item": "F5", "disposition": "abolish", "note": "窓口で対応"},
            {"item": "R2", "disposition": "replace", "requirement": "0230300"},
        ],
        "optional_unused": [{"requirement": "0230301", "note": "使わない"}],
        "deferrals": [{"requirement": "0230291", "until": "2027-03-31", "note": "システム改修後"}],
    })


def test_formula_like_text_is_neutralised_and_comes_back(small: Path) -> None:
    project = _project()
    doc = _document(project, project.mappings[0])
    doc["links"][0]["note"] = "=HYPERLINK(\"http://x\")"
    (small / "t.xlsx").write_bytes(_template(project, doc))
    ws = openpyxl.load_workbook(small / "t.xlsx")[REQS]
    assert ws["I2"].value == "'=HYPERLINK(\"http://x\")" and ws["I2"].data_type == "s"
    assert import_worksheet(small / "t.xlsx", project).mapping["links"][0]["note"] == "=HYPERLINK(\"http://x\")"


def test_yaml_template_is_a_valid_mapping(small: Path) -> None:
    project = _project()
    cat = project.catalogue("kaigo")
    assert cat is not None
    items = [i for i in project.inventory.items if i.operation == "kaigo"]  # type: ignore[union-attr]
    doc = _document(project, project.mappings[0])
    text = template_yaml(build_template(cat, items, doc), cat, doc)
    assert "  # 0230290 [実装必須] 架空の必須機能A\n  # - {item: '', requirement: '0230290', judgement: ''}\n" in text
    assert "  # - {item: F4, disposition: undecided}\n" in text
    (small / "mappings/kaigo.yaml").write_text(text, "utf-8")
    again = _project().mappings[0]
    assert _document(project, again) == doc
    blank = template_yaml(build_template(cat, items, None), cat, None)
    (small / "mappings/kaigo.yaml").write_text(blank, "utf-8")
    assert _project().mappings[0].links == ()


# -- bad cells -----------------------------------------------------------------------------------


def _filled(small: Path, edits: dict[tuple[str, str], Any]) -> Path:
    project = _project()
    (small / "t.xlsx").write_bytes(_template(project, None))
    wb = openpyxl.load_workbook(small / "t.xlsx")
    for (sheet, ref), value in edits.items():
        wb[sheet][ref] = value
    wb.save(small / "t.xlsx")
    return small / "t.xlsx"


def _problems(small: Path, edits: dict[tuple[str, str], Any]) -> list[str]:
    path = _filled(small, edits)
    with pytest.raises(InvalidInput) as exc:
        import_worksheet(path, _project())
    return [p.format("en") for p in exc.value.problems]


BAD_CELLS = [
    ({(REQS, "F2"): "F1", (REQS, "H2"): "◎"},
     "t.xlsx:2:8: worksheet-invalid-value: 要件一覧!H2: not a judgement (expected ○, △ or ×, found '◎')"),
    ({(REQS, "F2"): "F1"},
     "t.xlsx:2:8: worksheet-missing-value: 要件一覧!H2: no judgement for item F1 and 0230265 (expected ○, △ or ×, found an empty cell)"),
    ({(REQS, "H2"): "○"},
     "t.xlsx:2:6: worksheet-missing-value: 要件一覧!F2: a judgement for 0230265 but no current item "
     "(expected a current item ID (sheet 現行機能), found an empty cell)"),
    ({(REQS, "F2"): "F9", (REQS, "H2"): "○"},
     "t.xlsx:2:6: unknown-item: 要件一覧!F2: no such item in the inventory; nearest: F1, F2, F3 "
     "(expected an item ID of sheet 現行機能, found 'F9')"),
    ({(REQS, "A2"): "0230266", (REQS, "F2"): "F1", (REQS, "H2"): "○"},
     "t.xlsx:2:1: unknown-requirement: 要件一覧!A2: no requirement 0230266 in kaigo 6.0; nearest: 0230265, 0230286, 0230275 "
     "(expected a requirement ID of specs/kaigo/6.0.yaml, found '0230266')"),
    ({(REQS, "A2"): None, (REQS, "F2"): "F1", (REQS, "H2"): "○"},
     "t.xlsx:2:1: missing-id: 要件一覧!A2: row 2 is filled in but has no requirement ID "
     "(expected a requirement ID of the catalogue, found an empty cell)"),
    ({(REQS, "F2"): "F1", (REQS, "H2"): "○", (REQS, "J2"): "2026-02-30"},
     "t.xlsx:2:10: invalid-date: 要件一覧!J2: not a real calendar date (expected a date YYYY-MM-DD, found '2026-02-30')"),
    ({(REQS, "K2"): "不使用"},
     "t.xlsx:2:11: not-optional: 要件一覧!K2: 0230265 is 実装必須, not 標準オプション; only optional requirements can be left unused "
     "(expected an optional requirement, found '不使用')"),
    ({(REQS, "K7"): "使わない"},
     "t.xlsx:7:11: worksheet-invalid-value: 要件一覧!K7: mark an unused option with 不使用 (expected 不使用, found '使わない')"),
    ({(REQS, "M7"): "2027-03-31"},
     "t.xlsx:7:13: deferral-not-mandatory: 要件一覧!M7: 0230300 is 標準オプション; 経過措置 defers mandatory requirements only "
     "(expected a mandatory requirement, found '2027-03-31')"),
    ({(CUSTOM, "D2"): "保留"},
     "t.xlsx:2:4: worksheet-invalid-value: 独自機能!D2: not a disposition (expected one of 未決定, 業務見直しで廃止, "
     "標準・オプション機能で代替, EUC で対応, 標準外で疎結合に構築, found '保留')"),
    ({(CUSTOM, "D2"): "標準・オプション機能で代替"},
     "t.xlsx:2:5: worksheet-missing-value: 独自機能!E2: disposition 'replace' names the standard requirement that replaces "
     "the item (expected a requirement ID, found an empty cell)"),
    ({(CUSTOM, "F2"): "検討中"},
     "t.xlsx:2:4: worksheet-missing-value: 独自機能!D2: no disposition for item F1 (expected one of 未決定, 業務見直しで廃止, "
     "標準・オプション機能で代替, EUC で対応, 標準外で疎結合に構築, found an empty cell)"),
    ({(REQS, "F2"): "F1", (REQS, "H2"): "○", (CUSTOM, "D2"): "未決定"},
     "t.xlsx:2:1: custom-item-linked: 独自機能!A2: item F1 is linked on sheet 要件一覧 and also given a disposition here "
     "(expected either links or a disposition, found 'F1')"),
    ({(INFO, "C3"): "kaigoo"},
     "t.xlsx:3:3: unknown-operation: 情報!C3: 'kaigoo' is not an operation of the registry "
     "(expected a code listed by `gapcheck operations`, found 'kaigoo')"),
    ({(INFO, "C5"): "第5.0版"},
     "t.xlsx:5:3: unknown-spec-version: 情報!C5: no catalogue of kaigo version 第5.0版 is loaded (expected one of 6.0, found '第5.0版')"),
    ({(INFO, "C8"): "来月"},
     "t.xlsx:8:3: invalid-date: 情報!C8: not a real calendar date (expected a date YYYY-MM-DD, found '来月')"),
]


@pytest.mark.parametrize("edits, line", BAD_CELLS, ids=[b[1].split(": ")[1] + "-" + b[1].split(": ")[2] for b in BAD_CELLS])
def test_bad_cell(small: Path, edits: dict[tuple[str, str], Any], line: str) -> None:
    assert _problems(small, edits) == [line]


def test_every_bad_cell_at_once(small: Path) -> None:
    lines = _problems(small, {(REQS, "F2"): "F1", (REQS, "H2"): "◎", (REQS, "H3"): "○", (CUSTOM, "D2"): "保留"})
    assert [ln.split(": ")[2] for ln in lines] == ["要件一覧!H2", "要件一覧!F3", "独自機能!D2"]


def test_a_second_row_must_agree(small: Path) -> None:
    path = _filled(small, {(REQS, "K8"): "不使用", (REQS, "L8"): "使わない"})
    wb = openpyxl.load_workbook(path)
    wb[REQS].append(["0230301", None, None, None, None, None, None, None, None, None, "不使用", "別の理由"])
    wb.save(path)
    with pytest.raises(InvalidInput) as exc:
        import_worksheet(path, _project())
    assert [p.format("en") for p in exc.value.problems] == [
        "t.xlsx:13:11: worksheet-conflict: 要件一覧!K13: 0230301 already has a different decision on an earlier row "
        "(expected the same values on every row of a requirement, or on one row only, "
        "found {'requirement': '0230301', 'note': '別の理由'})",
    ]


def test_not_a_worksheet(small: Path) -> None:
    (small / "a.xlsx").write_bytes(b"PK\x03\x04 truncated")
    (small / "b.xlsx").write_text("plain text", "utf-8")
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.save(small / "c.xlsx")
    project = _project()
    for name, line in (
        ("a.xlsx", "a.xlsx:0:0: xlsx-not-a-workbook: $: not a readable Excel workbook "
                   "(expected an .xlsx workbook, found a damaged or truncated file (BadZipFile))"),
        ("b.xlsx", "b.xlsx:0:0: xlsx-not-a-workbook: $: not a readable Excel workbook "
                   "(expected an .xlsx workbook, found not a zip archive)"),
        ("c.xlsx", "c.xlsx:0:0: xlsx-sheet-missing: $: no sheet named '情報': not a gapcheck mapping worksheet "
                   "(expected the sheets 情報, 要件一覧 and 独自機能 of `gapcheck mapping template`, found sheets 'Sheet1')"),
    ):
        with pytest.raises(InvalidInput) as exc:
            import_worksheet(small / name, project)
        assert [p.format("en") for p in exc.value.problems] == [line]


# -- the commands ----------------------------------------------------------------------------------


def test_cli_template_then_import(small: Path, cli: Any) -> None:
    res = cli("mapping", "template", "--operation", "kaigo")
    assert res.exit_code == 0, res.stderr
    assert res.stderr.splitlines()[-3:] == [
        "wrote: reports/mapping-template-kaigo-6.0.xlsx",
        "kaigo 6.0: 11 requirement(s), 3 item(s) without counterpart",
        "filled in from mappings/kaigo.yaml",
    ]
    again = cli("mapping", "template", "--operation", "kaigo")
    assert again.exit_code == 0 and "unchanged: reports/mapping-template-kaigo-6.0.xlsx" in again.stderr
    import openpyxl

    book = small / "reports" / "mapping-template-kaigo-6.0.xlsx"
    openpyxl.load_workbook(book).save(book)  # the vendor saves the workbook in place: no longer gapcheck's own file
    blank = cli("mapping", "template", "--operation", "kaigo", "--blank")
    assert blank.exit_code == 2
    assert blank.stderr == ("gapcheck: 1 file(s) exist with content gapcheck did not write: "
                            "reports/mapping-template-kaigo-6.0.xlsx; move them away or use --force\n")
    out = cli("mapping", "import", "reports/mapping-template-kaigo-6.0.xlsx")
    assert out.exit_code == 0, out.stderr
    assert out.stdout.startswith("# Imported by `gapcheck mapping import` from mapping-template-kaigo-6.0.xlsx.\n"
                                 "gapcheck: mapping/1\noperation: kaigo\nspec_version: '6.0'\nvendor: テストベンダー\nlinks:\n"
                                 "- item: F1\n  requirement: '0230265'\n  judgement: fit\n")
    written = cli("mapping", "import", "reports/mapping-template-kaigo-6.0.xlsx", "--output", "mappings/kaigo.yaml", "--force")
    assert written.exit_code == 0, written.stderr
    assert written.stderr == "wrote: mappings/kaigo.yaml\nkaigo 6.0: 7 link(s), 1 custom item(s)\n"
    assert _project().mappings[0].links == load_project(Config.defaults(".")).mappings[0].links
    yaml_res = cli("mapping", "template", "--operation", "kaigo", "--format", "yaml", "--output", "t.yaml")
    assert yaml_res.exit_code == 0 and (small / "t.yaml").read_text("utf-8").startswith("# gapcheck mapping template: kaigo")


def test_cli_import_bad_cell_exits_3_and_writes_nothing(small: Path, cli: Any) -> None:
    _filled(small, {(REQS, "F2"): "F1", (REQS, "H2"): "◎"})
    res = cli("mapping", "import", "t.xlsx", "--output", "out.yaml")
    assert res.exit_code == 3
    assert res.stderr.splitlines() == [
        "t.xlsx:2:8: worksheet-invalid-value: 要件一覧!H2: not a judgement (expected ○, △ or ×, found '◎')",
        "gapcheck: 1 error(s) in the input; nothing was written",
    ]
    assert not (small / "out.yaml").exists()


def test_cli_template_usage_errors(small: Path, cli: Any) -> None:
    res = cli("mapping", "template", "--operation", "kaigo", "--spec-version", "5.0")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: no catalogue of kaigo version 5.0 is loaded (loaded versions: 6.0)\n")
    res = cli("mapping", "template", "--operation", "juki")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: no catalogue of juki is loaded; import one with `gapcheck spec import`\n")


# -- a revision: the old mapping carried over to the new version -------------------------------------


def _cat(version: str, *reqs: tuple[str, str, str, str]) -> Any:
    from gapcheck.core.model import Catalogue, Requirement

    return Catalogue("kaigo", version, "介護保険システム標準仕様書", None, "023", False, "", f"specs/kaigo/{version}.yaml",
                     tuple(Requirement("kaigo", version, rid, "function", klass, title, summary=text) for rid, klass, title, text in reqs))


def test_carry_over_keeps_what_applies_and_flags_what_changed() -> None:
    from gapcheck.vendor.worksheet import carry_over

    old = _cat("5.0", ("0230001", "mandatory", "据え置き", "できること。"), ("0230002", "mandatory", "消える", "できること。"),
               ("0230003", "optional", "必須化", "できること。"), ("0230004", "optional", "不使用のまま", "できること。"),
               ("0230005", "mandatory", "文言変更", "旧。"))
    new = _cat("6.0", ("0230001", "mandatory", "据え置き", "できること。"), ("0230003", "mandatory", "必須化", "できること。"),
               ("0230004", "optional", "不使用のまま", "できること。"), ("0230005", "mandatory", "文言変更", "新。"),
               ("0230006", "mandatory", "追加", "できること。"))
    doc = {"gapcheck": "mapping/1", "operation": "kaigo", "spec_version": "5.0", "vendor": "V",
           "links": [{"item": "F1", "requirement": "0230001", "judgement": "fit"},
                     {"item": "F2", "requirement": "0230002", "judgement": "gap"},
                     {"item": "F3", "requirement": "0230005", "judgement": "partial", "note": "旧メモ", "date": "2025-01-01"},
                     {"item": "F5", "requirement": "0230003", "judgement": "fit"}],
           "custom": [{"item": "F4", "disposition": "replace", "requirement": "0230002", "note": "代替"}],
           "optional_unused": [{"requirement": "0230003"}, {"requirement": "0230004", "note": "使わない"}],
           "deferrals": [{"requirement": "0230001", "until": "2027-03-31"}]}
    moved = carry_over(doc, old, new)
    assert _ordered(moved.mapping) == _ordered({
        "gapcheck": "mapping/1", "operation": "kaigo", "spec_version": "6.0", "vendor": "V",
        "links": [{"item": "F1", "requirement": "0230001", "judgement": "fit"},
                  # re-worded: the judgement (and its date) is not carried over as one, only kept for review
                  {"item": "F3", "requirement": "0230005", "note": "旧メモ",
                   "review": {"judgement": "partial", "version": "5.0", "date": "2025-01-01"}},
                  # re-classified only: the judgement holds
                  {"item": "F5", "requirement": "0230003", "judgement": "fit"}],
        "custom": [{"item": "F4", "disposition": "undecided", "note": "代替"}],
        "optional_unused": [{"requirement": "0230004", "note": "使わない"}],
        "deferrals": [{"requirement": "0230001", "until": "2027-03-31"}]})
    assert moved.review == {("function", "0230003"): "第5.0版から実装区分変更（標準オプション→実装必須）",
                            ("function", "0230005"): "第5.0版から要件文変更",
                            ("function", "0230006"): "第6.0版で追加"}
    assert tuple(d.render("en") for d in moved.dropped) == (  # type: ignore[attr-defined]
        "link F2 -> 0230002 (removed in 6.0)",
        "custom F4: replacing requirement 0230002 (removed in 6.0); disposition reset to undecided",
        "optional_unused 0230003 (no longer 標準オプション in 6.0)",
    )
    assert [(ln["item"], ln["requirement"]) for ln in moved.needs_review] == [("F3", "0230005")]
    template = build_template(new, [], moved.mapping, "介護保険", moved.review)
    assert [(r["requirement"], r["item"], r["judgement"], r["note"], r["date"], r["review"]) for r in template.requirements] == [
        ("0230001", "F1", "○", "", "", ""), ("0230003", "F5", "○", "", "", "第5.0版から実装区分変更（標準オプション→実装必須）"),
        ("0230004", "", "", "", "", ""),
        ("0230005", "F3", "", "旧メモ", "", "要再確認: 旧版 5.0 で △ (F3, 2025-01-01)。第5.0版から要件文変更"),
        ("0230006", "", "", "", "", "第6.0版で追加")]
    assert template.changes == moved.review


def test_cli_template_carries_an_older_mapping_over(small: Path, cli: Any) -> None:
    v7 = (small / "specs/kaigo/6.0.yaml").read_text("utf-8").replace('version: "6.0"', 'version: "7.0"')
    v7 = v7.replace('  - {id: "0230275", kind: function, class: 実装必須, title: 被保険者番号の付番}\n', "")
    v7 = v7.replace("title: 被保険者証の出力}", "title: 被保険者証の出力（改）}")
    (small / "specs/kaigo/7.0.yaml").write_text(v7, "utf-8")
    res = cli("mapping", "template", "--operation", "kaigo")
    assert res.exit_code == 0, res.stderr
    assert res.stderr.splitlines()[-4:] == [
        "wrote: reports/mapping-template-kaigo-7.0.xlsx",
        "kaigo 7.0: 10 requirement(s), 3 item(s) without counterpart",
        "filled in from mappings/kaigo.yaml, made against 6.0: 6 link(s) carried over to 7.0, 2 to judge again, 1 dropped",
        "dropped: link F2 -> 0230275 (removed in 7.0)",
    ]
    ws = openpyxl.load_workbook(small / "reports/mapping-template-kaigo-7.0.xlsx")[REQS]
    assert [tuple(c.value for c in ws[r])[:8] + (ws[f"O{r}"].value,) for r in (3, 4)] == [
        ("0230286", "機能", "実装必須", "被保険者証の出力（改）", None, "F3", "証出力", None,
         "要再確認: 旧版 6.0 で × (F3)。第6.0版から名称変更"),
        ("0230286", "機能", "実装必須", "被保険者証の出力（改）", None, "F1", "資格異動", None,
         "要再確認: 旧版 6.0 で △ (F1)。第6.0版から名称変更"),
    ]
    assert ws["H3"].fill.fgColor.rgb == "00F8CBAD" and ws["H2"].fill.fgColor.rgb == "00000000"


def _seven(small: Path, cli: Any) -> Path:
    """kaigo 7.0 (0230286 re-titled), and the 6.0 mapping carried over into a 7.0 worksheet."""
    v7 = (small / "specs/kaigo/6.0.yaml").read_text("utf-8").replace('version: "6.0"', 'version: "7.0"')
    (small / "specs/kaigo/7.0.yaml").write_text(v7.replace("title: 被保険者証の出力}", "title: 被保険者証の出力（改）}"), "utf-8")
    assert cli("mapping", "template", "--operation", "kaigo").exit_code == 0
    return small / "reports/mapping-template-kaigo-7.0.xlsx"


def test_an_unedited_carried_over_worksheet_does_not_import(small: Path, cli: Any) -> None:
    _seven(small, cli)
    res = cli("mapping", "import", "reports/mapping-template-kaigo-7.0.xlsx", "--output", "mappings/kaigo.yaml", "--force")
    assert res.exit_code == 3
    assert res.stderr.splitlines() == [
        ("reports/mapping-template-kaigo-7.0.xlsx:4:8: worksheet-needs-review: 要件一覧!H4: 0230286 changed since 6.0: "
         "judge it again (○/△/×) or clear the item (expected a new judgement ○, △ or ×, found an empty cell (旧版 6.0 で ×))"),
        ("reports/mapping-template-kaigo-7.0.xlsx:5:8: worksheet-needs-review: 要件一覧!H5: 0230286 changed since 6.0: "
         "judge it again (○/△/×) or clear the item (expected a new judgement ○, △ or ×, found an empty cell (旧版 6.0 で △))"),
        "gapcheck: 2 error(s) in the input; nothing was written",
    ]
    assert _project().mappings[0].spec_version == "6.0"  # the old mapping is still there


def test_a_reviewed_carried_over_worksheet_imports(small: Path, cli: Any) -> None:
    path = _seven(small, cli)
    wb = openpyxl.load_workbook(path)
    ws = wb[REQS]
    assert (ws["A4"].value, ws["F4"].value, ws["A5"].value, ws["F5"].value) == ("0230286", "F3", "0230286", "F1")
    ws["I5"] = "要確認"  # a note added, the judgement still missing
    ws["J4"] = "2026-04-01"  # a date added, the judgement still missing
    wb.save(path)
    res = cli("mapping", "import", str(path))
    assert res.exit_code == 3
    assert res.stderr.splitlines() == [
        ("reports/mapping-template-kaigo-7.0.xlsx:4:8: worksheet-needs-review: 要件一覧!H4: 0230286 changed since 6.0: judge it again "
         "(○/△/×) or clear the item and its date (expected a new judgement ○, △ or ×, found an empty cell (旧版 6.0 で ×))"),
        ("reports/mapping-template-kaigo-7.0.xlsx:5:8: worksheet-needs-review: 要件一覧!H5: 0230286 changed since 6.0: judge it again "
         "(○/△/×) or clear the item and its note (expected a new judgement ○, △ or ×, found an empty cell (旧版 6.0 で △))"),
        "gapcheck: 2 error(s) in the input; nothing was written",
    ]
    assert res.stdout == ""
    ws["H4"] = "△"  # judged again
    ws["F5"] = ws["I5"] = None  # the link dropped
    wb.save(path)
    res = cli("mapping", "import", str(path), "--output", "mappings/kaigo.yaml", "--force")
    assert res.exit_code == 0, res.stderr
    after = _project().mappings[0]
    assert after.spec_version == "7.0"
    assert [(ln.item, ln.requirement, ln.judgement) for ln in after.links if ln.requirement == "0230286"] == [("F3", "0230286", "partial")]
    assert len(after.links) == 6
    # made against 7.0 now: a template of it is that mapping again, with nothing to review
    again = cli("mapping", "template", "--operation", "kaigo", "--output", "again.xlsx")
    assert again.exit_code == 0, again.stderr
    assert not [r for r in _cells(small / "again.xlsx")[REQS][1:] if r[14]]
    assert _ordered(import_worksheet(small / "again.xlsx", _project()).mapping) == _ordered(_document(_project(), after))


def test_a_changed_item_on_a_review_row_is_an_ordinary_missing_judgement(small: Path, cli: Any) -> None:
    path = _seven(small, cli)
    wb = openpyxl.load_workbook(path)
    wb[REQS]["F4"] = "F2"
    wb.save(path)
    with pytest.raises(InvalidInput) as exc:
        import_worksheet(path, _project())
    assert [p.format("en") for p in exc.value.problems] == [
        ("reports/mapping-template-kaigo-7.0.xlsx:4:8: worksheet-missing-value: 要件一覧!H4: no judgement for item F2 and 0230286 "
         "(expected ○, △ or ×, found an empty cell)"),
        ("reports/mapping-template-kaigo-7.0.xlsx:5:8: worksheet-needs-review: 要件一覧!H5: 0230286 changed since 6.0: "
         "judge it again (○/△/×) or clear the item (expected a new judgement ○, △ or ×, found an empty cell (旧版 6.0 で △))"),
    ]


def test_yaml_template_leaves_stale_links_out(small: Path, cli: Any) -> None:
    _seven(small, cli)
    res = cli("mapping", "template", "--operation", "kaigo", "--format", "yaml", "--output", "t.yaml")
    assert res.exit_code == 0, res.stderr
    text = (small / "t.yaml").read_text("utf-8")
    assert text.splitlines()[3] == (
        "# 2 link(s) marked 要再確認 were made against an older version and the requirement changed since: they are not links yet. "
        "Judge each again and uncomment it, or leave it out.")
    assert ("  # 0230286 [実装必須] 被保険者証の出力（改）\n"
            "  #   改定による再確認: 第6.0版から名称変更\n"
            "  # 要再確認: 旧版 6.0 で × (F3): judge it again\n"
            "  # - {item: F3, requirement: '0230286', judgement: ''}\n"
            "  # 要再確認: 旧版 6.0 で △ (F1): judge it again\n"
            "  # - {item: F1, requirement: '0230286', judgement: ''}\n") in text
    (small / "mappings/kaigo.yaml").write_text(text, "utf-8")
    loaded = _project().mappings[0]
    assert loaded.spec_version == "7.0" and "0230286" not in {ln.requirement for ln in loaded.links}
    assert len(loaded.links) == 5


def test_cli_import_ignores_errors_in_the_mapping_it_replaces(small: Path, cli: Any) -> None:
    assert cli("mapping", "template", "--operation", "kaigo").exit_code == 0
    (small / "mappings/kaigo.yaml").write_text("gapcheck: mapping/1\noperation: kaigo\nspec_version: '6.0'\nlinks: [{item: F1}]\n", "utf-8")
    res = cli("mapping", "import", "reports/mapping-template-kaigo-6.0.xlsx", "--output", "mappings/kaigo.yaml", "--force")
    assert res.exit_code == 0, res.stderr
    assert _project().mappings[0].vendor == "テストベンダー"
    (small / "current_system/inventory.yaml").write_text("gapcheck: inventory/1\n", "utf-8")
    broken = cli("mapping", "import", "reports/mapping-template-kaigo-6.0.xlsx")
    assert broken.exit_code == 3
    assert broken.stderr.splitlines()[0].startswith("current_system/inventory.yaml:1:1: missing-field:")


NOTE_TEXT = st.text(alphabet=st.sampled_from(list("abcXYZ019 要件対応済み（）・、。=+-@'\"\t\n○△×")), min_size=1, max_size=30)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(notes=st.lists(NOTE_TEXT, min_size=3, max_size=3), vendor=NOTE_TEXT)
@example(notes=["'=x", "''", "-1"], vendor="@v")
def test_any_text_survives_the_round_trip(small: Path, notes: list[str], vendor: str) -> None:
    from gapcheck.vendor.cells import cell_text

    notes = [cell_text(n) or "x" for n in notes]  # what a cell can hold: no outer white space, \n line breaks
    vendor = cell_text(vendor) or "v"
    project = _project()
    doc = _document(project, project.mappings[0])
    doc["vendor"] = vendor
    for link, note in zip(doc["links"], notes, strict=False):
        link["note"] = note
    (small / "t.xlsx").write_bytes(_template(project, doc))
    assert _ordered(import_worksheet(small / "t.xlsx", project).mapping) == _ordered(doc)


def test_the_worksheet_guards_its_read_only_columns_and_explains_itself(small: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """Autofilter on every list, read-only columns locked (no password; filter, sort, insert rows allowed),
    the input columns open, and a 記入方法 sheet."""
    import openpyxl

    assert cli("mapping", "template", "--operation", "kaigo", "--output", "t.xlsx").exit_code == 0
    wb = openpyxl.load_workbook(small / "t.xlsx")
    reqs = wb[REQS]
    assert reqs.auto_filter.ref and wb[CUSTOM].auto_filter.ref
    p = reqs.protection
    assert p.sheet and not p.password
    assert (p.autoFilter, p.sort, p.insertRows, p.deleteRows) == (False, False, False, False)
    header = [c.value for c in reqs[1]]
    judgement, rid = header.index("判定（○/△/×）") + 1, header.index("要件ID") + 1
    assert reqs.cell(2, rid).protection.locked and not reqs.cell(2, judgement).protection.locked
    letter = openpyxl.utils.get_column_letter(judgement)
    assert not reqs.column_dimensions[letter].protection.locked  # rows added later are open too
    guide = [row[0] for row in wb["記入方法"].iter_rows(values_only=True)]
    assert guide[0] == "Fit & Gap 比較分析ワークシートの記入方法" and any("シート保護の解除" in line for line in guide)
