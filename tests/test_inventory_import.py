"""inventory import / template: the lists staff keep (機能一覧 / 帳票一覧) read exactly; every bad input one exact line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gapcheck.core.config import Config
from gapcheck.core.errors import InvalidInput, OutputExists
from gapcheck.validation.project import load_project
from gapcheck.vendor.inventory_import import import_inventory
from gapcheck.vendor.inventory_sheet import generated_id, read_inventory_rows

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

INVENTORY = """\
gapcheck: inventory/1
municipality: {name: 試験町, code: "999997"}
not_applicable:
  - {operation: seikatsu-hogo, reason: 県が実施}
operations: {}
"""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project naming its municipality (what `gapcheck init` leaves), as the working directory."""
    for d in ("specs", "mappings", "current_system"):
        (tmp_path / d).mkdir()
    (tmp_path / "current_system" / "inventory.yaml").write_text(INVENTORY, "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def vendor_list(path: Path) -> Path:
    """A current vendor's 機能一覧 and 帳票一覧, as untidy as real ones."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "機能一覧"
    ws["A1"] = "介護保険システム　現行機能一覧"
    ws.merge_cells("A1:H1")
    ws["A2"] = "令和８年４月１日現在"
    ws.append([])
    ws.append(["No.", "管理番号", "種別", "機能名", "概要", "所管課", "年間件数", "年間時間"])  # row 4
    ws.append([1, 101, "機能", "資格異動\n処理", "住民異動に伴う\n資格の異動", "介護保険課", "1,200件", 80])  # 5
    ws.append([2, 102.0, None, "　番号付番　", "被保険者番号の付番", None, 300, "１２．５"])  # 6: kind, department merged
    ws.append([3, "ＫＧ－１０３", None, "証の再発行", None, None, "-", None])  # 7: full-width ID
    ws.merge_cells("C5:C7")
    ws.merge_cells("F5:F7")
    ws.append([])  # 8
    ws.append([None, None, None, "【賦課】"])  # 9: a heading row
    ws.append([4, "KG-201", "機能", "保険料の本算定", "一括計算", "介護保険課", 5, 0.5])  # 10
    ws.append(["※ 件数は令和７年度の実績"])  # 11: note rows
    ws.append(["注1：時間は概算"])
    forms = wb.create_sheet("帳票一覧")
    forms.append(["帳票ID", "帳票名", "説明", "所管課"])
    forms.append(["R-01", "介護保険被保険者証", "被保険者証の印刷", "介護保険課"])
    forms.append(["R-02", "納入通知書", None, "税務課"])
    wb.create_sheet("表紙").append(["現行システム概要調査票"])
    wb.save(path)
    return path


EXPECTED: list[dict[str, Any]] = [
    {"id": "101", "kind": "function", "name": "資格異動処理", "description": "住民異動に伴う\n資格の異動",
     "department": "介護保険課", "workload": {"cases": 1200, "hours": 80}},
    {"id": "102", "kind": "function", "name": "番号付番", "description": "被保険者番号の付番", "department": "介護保険課",
     "workload": {"cases": 300, "hours": 12.5}},
    {"id": "KG-103", "kind": "function", "name": "証の再発行", "department": "介護保険課"},
    {"id": "KG-201", "kind": "function", "name": "保険料の本算定", "description": "一括計算", "department": "介護保険課",
     "workload": {"cases": 5, "hours": 0.5}},
    {"id": "R-01", "kind": "form", "name": "介護保険被保険者証", "description": "被保険者証の印刷", "department": "介護保険課"},
    {"id": "R-02", "kind": "form", "name": "納入通知書", "department": "税務課"},
]


def items_of(path: Path, code: str = "kaigo") -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text("utf-8"))["operations"][code]["items"]


def problems(call: Any) -> list[str]:
    with pytest.raises(InvalidInput) as exc:
        call()
    return [p.format("en") for p in exc.value.problems]


# -- reading exactly --------------------------------------------------------------------------


def test_vendor_list_imports_exactly_and_loads(here: Path) -> None:
    result = import_inventory([vendor_list(here / "list.xlsx")], "kaigo", Config.defaults(here))
    path = here / "current_system" / "kaigo.yaml"
    assert (result.path, result.written, result.functions, result.forms, result.removed) == (path, True, 4, 2, ())
    assert result.read.sheets == (("list.xlsx", "機能一覧", 4, "ID column"), ("list.xlsx", "帳票一覧", 1, "ID column"))
    assert result.read.skipped == (("list.xlsx", "表紙"),)
    assert result.read.warnings == ()
    assert items_of(path) == EXPECTED
    doc = yaml.safe_load(path.read_text("utf-8"))
    assert doc["municipality"] == {"name": "試験町", "code": "999997"}  # the municipality of the existing inventory
    project = load_project(Config.defaults(here))
    assert [p.format("en") for p in project.problems if p.code != "catalogue-missing"] == []  # no catalogue here
    assert [(i.id, i.kind, i.cases, i.hours) for i in project.inventory.items] == [
        (e["id"], e["kind"], e.get("workload", {}).get("cases"), e.get("workload", {}).get("hours")) for e in EXPECTED]


def test_cp932_csv_with_kinds_imports_exactly(here: Path) -> None:
    csv = here / "一覧.csv"
    csv.write_bytes("管理番号,種別,名称,概要,所管課\r\nF-1,機能,資格取得,取得の登録,介護保険課\r\nR-1,帳票,被保険者証,,介護保険課\r\n"
                    .encode("cp932"))
    import_inventory([csv], "kaigo", Config.defaults(here))
    assert items_of(here / "current_system" / "kaigo.yaml") == [
        {"id": "F-1", "kind": "function", "name": "資格取得", "description": "取得の登録", "department": "介護保険課"},
        {"id": "R-1", "kind": "form", "name": "被保険者証", "department": "介護保険課"}]


def test_utf8_bom_csv_kind_from_its_headers(here: Path) -> None:
    csv = here / "forms.csv"
    csv.write_bytes("\ufeff帳票ID,帳票名\nR-9,決定通知書\n".encode("utf-8"))
    rows = read_inventory_rows([csv], "kaigo")
    assert [r.item for r in rows.rows] == [{"id": "R-9", "kind": "form", "name": "決定通知書"}]


def test_a_list_without_ids_gets_stable_ids_from_kind_and_name(here: Path) -> None:
    def book(names: list[str]) -> Path:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "機能一覧"
        ws.append(["機能名", "概要"])
        for n in names:
            ws.append([n, "説明"])
        wb.save(here / "noid.xlsx")
        return here / "noid.xlsx"

    first = read_inventory_rows([book(["資格取得", "資格喪失"])], "kaigo")
    moved = read_inventory_rows([book(["新しい機能", "資格喪失", "資 格 取 得"])], "kaigo")  # a row inserted, one reordered, spaces
    ids = {r.item["name"]: r.item["id"] for r in first.rows}
    assert ids == {"資格取得": generated_id("kaigo", "function", "資格取得"), "資格喪失": generated_id("kaigo", "function", "資格喪失")}
    assert ids["資格取得"].startswith("kaigo-F-") and len(ids["資格取得"]) == len("kaigo-F-") + 10
    assert {r.item["name"]: r.item["id"] for r in moved.rows}["資 格 取 得"] == ids["資格取得"]
    assert [p.format("en") for p in first.warnings] == [
        ("warning: noid.xlsx:1:1: item-id-generated: 機能一覧!A1: sheet '機能一覧' has no item IDs: 2 ID(s) generated from the "
        "operation, kind and name (stable when rows move; renaming an item gives it a new ID) "
        "(expected an ID column (機能ID/管理番号) with every item's own ID, found none)")]
    assert first.sheets == (("noid.xlsx", "機能一覧", 1, "generated"),)


def test_a_column_map_names_other_headers_and_kinds(here: Path) -> None:
    from gapcheck.vendor.columnmap import load_inventory_columns

    (here / "cols.yaml").write_text("gapcheck: inventory-columns/1\ncolumns:\n  id: 整理番号\n  name: [業務機能]\n"
                                    "  kind: 分類\nkinds: {画面: 機能, 出力物: 帳票}\n", "utf-8")
    csv = here / "list.csv"
    csv.write_text("整理番号,分類,業務機能\nA1,画面,照会\nA2,出力物,一覧表\n", "utf-8")
    rows = read_inventory_rows([csv], "kaigo", load_inventory_columns(here / "cols.yaml"))
    assert [r.item for r in rows.rows] == [{"id": "A1", "kind": "function", "name": "照会"},
                                            {"id": "A2", "kind": "form", "name": "一覧表"}]


def _numbered_from_one(path: Path) -> Path:
    """A 機能一覧 and a 帳票一覧 each numbered from 1, as lists kept by different people often are."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "機能一覧"
    ws.append(["管理番号", "機能名"])
    ws.append([1, "資格取得"])
    ws.append([2, "資格喪失"])
    forms = wb.create_sheet("帳票一覧")
    forms.append(["管理番号", "帳票名"])
    forms.append([1, "被保険者証"])
    wb.save(path)
    return path


def test_a_function_and_a_form_with_the_same_number_say_how_to_tell_them_apart(here: Path, cli: Any) -> None:
    _numbered_from_one(here / "lists.xlsx")
    assert _cli_fails(cli, here, ["lists.xlsx", "-o", "kaigo"]) == [
        ("lists.xlsx:2:1: duplicate-item: 帳票一覧!A2: item ID 1 is already used on sheet '機能一覧' row 2 (a function and a "
         "form with the same number: give each kind its own prefix with 'id_prefix: {機能: F, 帳票: R}' in a --columns file) "
         "(expected unique item IDs per operation (functions and forms together), found '1')")]


def test_an_id_prefix_per_kind_keeps_both_lists_numbered_from_one(here: Path, cli: Any) -> None:
    _numbered_from_one(here / "lists.xlsx")
    (here / "cols.yaml").write_text("gapcheck: inventory-columns/1\nid_prefix: {機能: KF-, 帳票: KR-}\n", "utf-8")
    res = cli("inventory", "import", "lists.xlsx", "-o", "kaigo", "--columns", "cols.yaml")
    assert res.exit_code == 0, res.stderr
    assert items_of(here / "current_system" / "kaigo.yaml") == [
        {"id": "KF-1", "kind": "function", "name": "資格取得"}, {"id": "KF-2", "kind": "function", "name": "資格喪失"},
        {"id": "KR-1", "kind": "form", "name": "被保険者証"}]


def test_an_id_prefix_must_be_short_ascii(here: Path, cli: Any) -> None:
    _numbered_from_one(here / "lists.xlsx")
    (here / "cols.yaml").write_text("gapcheck: inventory-columns/1\nid_prefix: {機能: 機能-}\n", "utf-8")
    res = cli("inventory", "import", "lists.xlsx", "-o", "kaigo", "--columns", "cols.yaml")
    assert res.exit_code == 3
    assert res.stderr.splitlines()[0] == (
        "cols.yaml:2:17: invalid-format: $.id_prefix['機能']: value has the wrong form (expected 1 to 16 letters, digits, "
        "'-', '_' or '.' (ASCII), starting with a letter or digit, found '機能-')")


def test_ids_whose_leading_zeros_excel_dropped_are_warned_about_once(here: Path, cli: Any) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "機能一覧"
    ws.append(["管理番号", "機能名"])
    for iid, name in (("0101", "資格取得"), ("0102", "資格喪失"), (103, "住所変更"), (104.0, "転出"), (1000, "統計")):
        ws.append([iid, name])
    wb.save(here / "zeros.xlsx")
    res = cli("inventory", "import", "zeros.xlsx", "-o", "kaigo")
    assert res.exit_code == 0, res.stderr
    assert res.stderr.splitlines()[0] == (
        "warning: zeros.xlsx:4:1: id-leading-zero-lost: 機能一覧!A4: 2 item ID(s) of sheet '機能一覧' are number cells "
        "shorter than its other IDs: Excel may have dropped their leading zeros (check whether 0103 was meant; the IDs "
        "are read as they are) (expected IDs of 4 digits typed as text (format the cells as text, or start them with '), "
        "found '103')")
    assert [i["id"] for i in items_of(here / "current_system" / "kaigo.yaml")] == ["0101", "0102", "103", "104", "1000"]


def test_number_ids_without_zero_padded_ones_are_not_warned_about(here: Path, cli: Any) -> None:
    (here / "plain.csv").write_text("管理番号,機能名\n0101,資格取得\n0102,資格喪失\n", "utf-8")  # CSV keeps the zeros
    _numbered_from_one(here / "lists.xlsx")
    for args in (["plain.csv"], ["lists.xlsx", "--columns", "cols.yaml"]):
        (here / "cols.yaml").write_text("gapcheck: inventory-columns/1\nid_prefix: {機能: F, 帳票: R}\n", "utf-8")
        res = cli("inventory", "import", *args, "-o", "kaigo", "--force")
        assert res.exit_code == 0, res.stderr
        assert "id-leading-zero-lost" not in res.stderr


def test_template_filled_in_imports(here: Path, cli: Any) -> None:
    res = cli("inventory", "template", "--operation", "kaigo")
    assert (res.exit_code, res.stderr) == (0, "wrote: reports/inventory-template-kaigo.xlsx\n")
    book = here / "reports" / "inventory-template-kaigo.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["機能・帳票一覧"]
    assert [c.value for c in ws[1]] == ["管理番号", "種別", "名称", "概要", "所管課", "年間件数", "年間時間"]
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert lists == {"B2:B1001": '"機能,帳票"'}
    assert wb.sheetnames == ["機能・帳票一覧", "記入方法"]
    ws.append([None, "機能", "資格取得", None, "介護保険課", 10, 2])
    ws.append(["", "帳票", "被保険者証"])
    wb.save(book)
    res = cli("inventory", "import", str(book), "--operation", "kaigo")
    assert res.exit_code == 0, res.stderr
    assert items_of(here / "current_system" / "kaigo.yaml") == [
        {"id": generated_id("kaigo", "function", "資格取得"), "kind": "function", "name": "資格取得", "department": "介護保険課",
         "workload": {"cases": 10, "hours": 2}},
        {"id": generated_id("kaigo", "form", "被保険者証"), "kind": "form", "name": "被保険者証"}]
    assert cli("inventory", "template", "--operation", "kaigo").exit_code == 2  # the filled one is not replaced silently


def test_template_bytes_are_reproducible(here: Path) -> None:
    from gapcheck.vendor.inventory_template import inventory_workbook

    assert inventory_workbook(Config.defaults(here), "kaigo") == inventory_workbook(Config.defaults(here), "kaigo")


# -- merging into an existing file ---------------------------------------------------------------


MAPPING = """\
gapcheck: mapping/1
operation: kaigo
spec_version: "6.0"
links:
  - {item: "102", requirement: "0230265", judgement: fit}
custom:
  - {item: R-02, disposition: abolish}
"""
CATALOGUE = """\
gapcheck: catalogue/1
operation: kaigo
version: "6.0"
requirements:
  - {id: "0230265", kind: function, class: 実装必須, title: 資格異動}
"""


def test_merging_needs_force_and_lists_what_it_removes(here: Path, cli: Any) -> None:
    book = vendor_list(here / "list.xlsx")
    assert cli("inventory", "import", str(book), "-o", "kaigo").exit_code == 0
    path = here / "current_system" / "kaigo.yaml"
    before = path.read_text("utf-8")
    res = cli("inventory", "import", str(book), "-o", "kaigo")
    assert (res.exit_code, res.stderr.splitlines()[0]) == (0, "unchanged: current_system/kaigo.yaml")  # same content: no --force needed
    wb = openpyxl.load_workbook(book)
    wb["機能一覧"].delete_rows(7)  # KG-103
    wb.save(book)
    res = cli("inventory", "import", str(book), "-o", "kaigo")
    assert res.exit_code == 2
    assert res.stderr == ("gapcheck: current_system/kaigo.yaml: already holds the inventory of kaigo (6 item(s)); use --force to "
                          "replace it with the 5 item(s) read; 1 item(s) would be removed: KG-103\n")
    assert path.read_text("utf-8") == before
    res = cli("inventory", "import", str(book), "-o", "kaigo", "--force")
    assert res.exit_code == 0, res.stderr
    assert res.stderr.splitlines()[-1] == "removed: KG-103 証の再発行"
    assert [i["id"] for i in items_of(path)] == ["101", "102", "KG-201", "R-01", "R-02"]


def test_merging_into_the_file_that_holds_the_operation_keeps_the_rest(here: Path) -> None:
    inv = here / "current_system" / "inventory.yaml"
    inv.write_text(INVENTORY.replace("operations: {}", "operations:\n  juki:\n    system: 住記\n    items:\n"
                                     "      - {id: J1, kind: function, name: 異動}\n"
                                     "  kaigo:\n    system: 現行介護\n    items: []\n"), "utf-8")
    import_inventory([vendor_list(here / "list.xlsx")], "kaigo", Config.defaults(here), force=True)
    doc = yaml.safe_load(inv.read_text("utf-8"))
    assert doc["operations"]["juki"] == {"system": "住記", "items": [{"id": "J1", "kind": "function", "name": "異動"}]}
    assert doc["operations"]["kaigo"]["system"] == "現行介護"
    assert doc["operations"]["kaigo"]["items"] == EXPECTED
    assert not (here / "current_system" / "kaigo.yaml").exists()


def test_an_existing_file_is_not_merged_without_force(here: Path) -> None:
    inv = here / "current_system" / "inventory.yaml"
    inv.write_text(INVENTORY.replace("operations: {}", "operations:\n  kaigo:\n    items:\n"
                                     "      - {id: X1, kind: function, name: 旧機能}\n"), "utf-8")
    with pytest.raises(OutputExists):
        import_inventory([vendor_list(here / "list.xlsx")], "kaigo", Config.defaults(here))


# -- bad input: one exact line each, exit 3, nothing written ------------------------------------------


def _cli_fails(cli: Any, here: Path, args: list[str]) -> list[str]:
    res = cli("inventory", "import", *args)
    assert res.exit_code == 3, res.stderr
    assert not (here / "current_system" / "kaigo.yaml").exists()
    lines = res.stderr.splitlines()
    assert lines[-1].endswith("error(s) in the input; nothing was written")
    return lines[:-1]


def test_no_recognisable_header(here: Path, cli: Any) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "機能一覧"
    wb.active.append(["番号", "項目"])
    wb.active.append([1, "資格取得"])
    wb.save(here / "bad.xlsx")
    assert _cli_fails(cli, here, ["bad.xlsx", "-o", "kaigo"]) == [
        ("bad.xlsx:1:1: xlsx-no-header: 機能一覧!A1: no header row in the first 30 rows of sheet '機能一覧' "
        "(expected a row with a name header (機能名/機能名称/帳票名/帳票名称/機能・帳票名/名称) and another known header "
        "(機能ID/帳票ID/管理番号/機能番号/帳票番号/ID/種別/機能・帳票/機能/帳票 ...), found first row '番号', '項目')")]


def test_duplicate_item_ids(here: Path, cli: Any) -> None:
    (here / "dup.csv").write_text("機能ID,機能名\nF1,資格取得\nF2,資格喪失\nF1,住所変更\n", "utf-8")
    assert _cli_fails(cli, here, ["dup.csv", "-o", "kaigo"]) == [
        ("dup.csv:4:1: duplicate-item: dup!A4: item ID F1 is already used on sheet 'dup' row 2 "
        "(expected unique item IDs per operation (functions and forms together), found 'F1')")]


def test_a_kind_outside_function_and_form(here: Path, cli: Any) -> None:
    (here / "kind.csv").write_text("管理番号,種別,名称\nF1,機能,資格取得\nF2,画面,照会画面\n", "utf-8")
    assert _cli_fails(cli, here, ["kind.csv", "-o", "kaigo"]) == [
        ("kind.csv:3:2: unknown-kind: kind!B3: an item is a function (機能) or a form (帳票); add other spellings to the 'kinds' "
        "table of a --columns file (expected 機能 or 帳票, found '画面')")]


def test_a_row_for_an_operation_marked_not_applicable(here: Path, cli: Any) -> None:
    (here / "seikatsu.csv").write_text("管理番号,機能名\nS1,保護決定\n", "utf-8")
    res = cli("inventory", "import", "seikatsu.csv", "-o", "seikatsu-hogo")
    assert res.exit_code == 3
    assert res.stderr.splitlines()[0] == (
        "seikatsu.csv:2:2: operation-not-applicable: seikatsu!B2: 生活保護 is marked not applicable for 試験町 (県が実施); "
        "its 1 row(s) cannot be imported (expected an operation in scope (or remove it from not_applicable first), found 1 row(s))")
    assert not (here / "current_system" / "seikatsu-hogo.yaml").exists()


def test_a_merge_that_drops_an_item_a_mapping_still_names(here: Path, cli: Any) -> None:
    book = vendor_list(here / "list.xlsx")
    assert cli("inventory", "import", str(book), "-o", "kaigo").exit_code == 0
    (here / "specs" / "kaigo").mkdir()
    (here / "specs" / "kaigo" / "6.0.yaml").write_text(CATALOGUE, "utf-8")
    (here / "mappings" / "kaigo.yaml").write_text(MAPPING, "utf-8")
    path = here / "current_system" / "kaigo.yaml"
    before = path.read_text("utf-8")
    wb = openpyxl.load_workbook(book)
    wb["機能一覧"].delete_rows(6)  # 102, linked
    wb["帳票一覧"].delete_rows(3)  # R-02, a custom item
    wb.save(book)
    res = cli("inventory", "import", str(book), "-o", "kaigo", "--force")
    assert res.exit_code == 3
    assert res.stderr.splitlines()[:-1] == [
        ("mappings/kaigo.yaml:5:12: item-still-mapped: $.links[0].item: item 102 is not in the imported list, but this mapping "
        "still names it; change the mapping first, or keep the item in the list (expected an item of the imported list, found '102')"),
        ("mappings/kaigo.yaml:7:12: item-still-mapped: $.custom[0].item: item R-02 is not in the imported list, but this mapping "
        "still names it; change the mapping first, or keep the item in the list (expected an item of the imported list, found 'R-02')")]
    assert path.read_text("utf-8") == before


def test_a_value_the_loader_refuses_is_reported_at_its_cell(here: Path, cli: Any) -> None:
    (here / "jp.csv").write_text("管理番号,機能名\n介-1,資格取得\n", "utf-8")  # not an ASCII ID: the schema says so
    assert _cli_fails(cli, here, ["jp.csv", "-o", "kaigo"]) == [
        ("jp.csv:2:1: invalid-format: jp!A2: value has the wrong form (expected a local ID of ASCII letters, digits, '-', '_' "
        "or '.', e.g. 'KG-F001', found '介-1')")]


def test_bad_numbers_and_missing_names(here: Path) -> None:
    (here / "n.csv").write_text("管理番号,機能名,概要,年間件数,年間時間\nF1,取得,,12.5,\nF2,喪失,,,約3\nF3,,説明だけ,,\n", "utf-8")
    assert problems(lambda: read_inventory_rows([here / "n.csv"], "kaigo")) == [
        "n.csv:2:4: invalid-value: n!D2: not a number (年間件数/年間処理件数/件数) "
        "(expected a whole number of cases, 0 or more, found '12.5')",
        "n.csv:3:5: invalid-value: n!E3: not a number (年間時間/年間処理時間/時間) (expected a number of hours, 0 or more, found '約3')",
        "n.csv:4:2: missing-value: n!B4: row 4 has no name "
        "(expected 機能名/機能名称/帳票名/帳票名称/機能・帳票名/名称, found an empty cell)"]


def test_a_sheet_with_some_ids_missing(here: Path) -> None:
    (here / "m.csv").write_text("管理番号,機能名\nF1,取得\n,喪失\n", "utf-8")
    assert problems(lambda: read_inventory_rows([here / "m.csv"], "kaigo")) == [
        ("m.csv:3:1: missing-id: m!A3: row 3 (喪失) has no item ID while other rows of the sheet have one "
        "(expected an item ID (or no IDs at all in the sheet, to have them generated), found an empty cell)")]


def test_a_sheet_that_does_not_say_its_kind(here: Path) -> None:
    (here / "list.csv").write_text("管理番号,名称\nF1,取得\n", "utf-8")
    assert problems(lambda: read_inventory_rows([here / "list.csv"], "kaigo")) == [
        ("list.csv:1:1: xlsx-missing-column: list!A1: sheet 'list' has no 種別/機能・帳票/機能/帳票 column, and neither its name "
        "nor its headers say 機能 or 帳票 (expected a 種別 column (機能/帳票), or a sheet named …機能… or …帳票…, "
        "found first row '管理番号', '名称')")]


def test_unknown_sheet_and_usage_errors(here: Path, cli: Any) -> None:
    book = vendor_list(here / "list.xlsx")
    res = cli("inventory", "import", str(book), "-o", "kaigo", "--sheet", "台帳")
    assert (res.exit_code, res.stderr.splitlines()[0]) == (3, ("list.xlsx:0:0: xlsx-sheet-missing: $: no sheet named '台帳' "
                                                              "(expected a sheet '台帳', found sheets '機能一覧', '帳票一覧', '表紙')"))
    res = cli("inventory", "import", str(book), "-o", "kiago")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: unknown operation 'kiago'; did you mean 'kaigo'? (see `gapcheck operations`)\n")
    (here / "current_system" / "inventory.yaml").unlink()
    res = cli("inventory", "import", str(book), "-o", "kaigo")
    assert (res.exit_code, res.stderr) == (
        2, "gapcheck: no inventory file names the municipality in current_system: run `gapcheck init` first\n")


# -- any list gives items or problems, never a traceback ---------------------------------------------

WORDS = ["管理番号", "機能名", "帳票名", "種別", "概要", "所管課", "年間件数", "年間時間", "機能", "帳票", "画面", "※注",
         "【見出し】", "F1", "F2", "R-1", "101", "1,200件", "-", "１２．５", "=1+1", "", " ", "介-1"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=6), max_size=8))
def test_any_csv_gives_items_or_problems(here: Path, rows: list[list[str]]) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path = here / "fuzz.csv"
    path.write_text(buf.getvalue(), "utf-8")
    try:
        read = read_inventory_rows([path], "kaigo")
    except InvalidInput as exc:
        assert exc.problems and all(p.file == "fuzz.csv" for p in exc.problems)
        return
    ids = [r.item["id"] for r in read.rows]
    assert len(ids) == len(set(ids)) and all(r.item["kind"] in ("function", "form") and r.item["name"] for r in read.rows)


def test_a_merge_that_drops_an_item_the_shared_mapping_names(here: Path, cli: Any) -> None:
    """共通機能 links the items of other operations' systems: dropping one it names is refused at that link too."""
    book = vendor_list(here / "list.xlsx")
    assert cli("inventory", "import", str(book), "-o", "kaigo").exit_code == 0
    (here / "specs" / "kyotsu").mkdir(parents=True)
    (here / "specs" / "kyotsu" / "2.7.yaml").write_text(
        'gapcheck: catalogue/1\noperation: kyotsu\nversion: "2.7"\nrequirements:\n'
        '  - {id: "0320001", kind: function, class: 【類型1 実装必須機能】, title: 架空の統合宛名機能}\n', "utf-8")
    (here / "mappings" / "kyotsu.yaml").write_text(
        'gapcheck: mapping/1\noperation: kyotsu\nspec_version: "2.7"\nlinks:\n'
        '  - {item: "102", item_operation: kaigo, requirement: "0320001", judgement: fit}\n', "utf-8")
    assert cli("validate").exit_code == 0
    wb = openpyxl.load_workbook(book)
    wb["機能一覧"].delete_rows(6)  # 102
    wb.save(book)
    res = cli("inventory", "import", str(book), "-o", "kaigo", "--force")
    assert res.exit_code == 3
    assert res.stderr.splitlines()[:-1] == [
        ("mappings/kyotsu.yaml:5:12: item-still-mapped: $.links[0].item: item 102 is not in the imported list, but this mapping "
         "still names it; change the mapping first, or keep the item in the list (expected an item of the imported list, found '102')")]
