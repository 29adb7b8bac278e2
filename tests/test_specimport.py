"""spec import: official-style workbooks and CSV files read exactly; every bad input one exact line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from gapcheck.core.config import Config
from gapcheck.core.errors import InvalidInput, OutputExists
from gapcheck.core.model import Operation, Prefix
from gapcheck.validation.project import load_project
from gapcheck.vendor.cells import cell_id
from gapcheck.vendor.columnmap import DEFAULT_COLUMNS, load_column_map
from gapcheck.vendor.specimport import catalogue_path, import_spec, write_catalogue
from gapcheck.vendor.yamldump import dump_yaml

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

KAIGO = Operation("kaigo", "介護保険", "厚生労働省", (Prefix("023"),), "介護保険システム標準仕様書")
JUKI = Operation("juki", "住民基本台帳", "総務省", (Prefix("001"),), "住民記録システム標準仕様書")


def official_workbook(path: Path) -> Path:
    """A workbook shaped like the ministries' 別紙 機能・帳票要件, with everything untidy in it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "機能要件"
    ws["A1"] = "介護保険システム標準仕様書【第６．０版】　別紙　機能要件一覧"
    ws.merge_cells("A1:I1")
    ws["A2"] = "令和６年３月"
    ws.append([])
    ws.append(["大項目", "中項目", "小項目", "機能ＩＤ", "機能名称", "機能要件", "実装\n区分", "要件の考え方・理由", "備考"])  # row 4
    ws.append(["資格管理", "資格異動", None, 230265, "住民異動に伴う\n資格異動",
               "住民記録システムの異動情報を基に、\n資格の取得・喪失を登録できること。", "実装必須機能", "法定事務のため。", None])  # 5
    ws.append([None, None, None, "０２３０２７５", "　被保険者番号の付番　", "被保険者番号を自動で付番できること。",
               "実装必須", None, "※付番規則は別途"])  # 6
    ws.append([None, "被保険者証", None, "0230286", "被保険者証の出力", "被保険者証を出力できること。",
               "標準オプション機能", None, None])  # 7
    ws.merge_cells("A5:A7")  # 大項目 merged over three rows
    ws.merge_cells("B5:B6")  # 中項目 merged over two rows
    ws.append([])  # 8: blank row inside the table
    ws.append(["賦課", None, None, None, None, None, None, None, None])  # 9: category heading row
    ws.append([None, "保険料算定", "本算定", 230305.0, "本算定の一括計算", "本算定を一括計算できること。",
               "標準オプション", None, None])  # 10
    ws.append([None, None, None, "0230400", "独自帳票の直接出力", "帳票を直接出力できること。",
               "実装不可機能", "標準化の対象外。", None])  # 11
    ws.append([None, None, None, "0230401", "台帳の手修正", "台帳を手修正できること。", "実装\u3000不可", None, None])  # 12
    ws.append([])
    ws.append(["※ 実装区分の定義は本文第1章を参照。"])  # 14: note rows
    ws.append(["注1：本表は例示である。"])
    forms = wb.create_sheet("帳票要件")
    forms.append(["介護保険システム　帳票要件一覧"])
    forms.append(["帳票ID", "帳票名称", "帳票の要件", "実装区分", "備考"])  # row 2
    forms.append([230010, "介護保険被保険者証", "被保険者証を出力できること。", "実装必須帳票", None])
    forms.append(["0230014", "被保険者証等再交付申請書", None, "標準オプション帳票", "様式は参考"])
    forms.append(["※ 帳票レイアウトは別紙参照"])
    wb.save(path)
    return path


EXPECTED: list[dict[str, Any]] = [
    {"id": "0230265", "kind": "function", "class": "実装必須", "title": "住民異動に伴う資格異動",
     "category": ["資格管理", "資格異動"],
     "summary": "住民記録システムの異動情報を基に、\n資格の取得・喪失を登録できること。", "reason": "法定事務のため。"},
    {"id": "0230275", "kind": "function", "class": "実装必須", "title": "被保険者番号の付番",
     "category": ["資格管理", "資格異動"], "summary": "被保険者番号を自動で付番できること。", "note": "※付番規則は別途"},
    {"id": "0230286", "kind": "function", "class": "標準オプション", "title": "被保険者証の出力",
     "category": ["資格管理", "被保険者証"], "summary": "被保険者証を出力できること。"},
    {"id": "0230305", "kind": "function", "class": "標準オプション", "title": "本算定の一括計算",
     "category": ["賦課", "保険料算定", "本算定"], "summary": "本算定を一括計算できること。"},
    {"id": "0230400", "kind": "function", "class": "実装不可", "title": "独自帳票の直接出力",
     "category": ["賦課", "保険料算定", "本算定"], "summary": "帳票を直接出力できること。", "reason": "標準化の対象外。"},
    {"id": "0230401", "kind": "function", "class": "実装不可", "title": "台帳の手修正",
     "category": ["賦課", "保険料算定", "本算定"], "summary": "台帳を手修正できること。"},
    {"id": "0230010", "kind": "form", "class": "実装必須", "title": "介護保険被保険者証", "summary": "被保険者証を出力できること。"},
    {"id": "0230014", "kind": "form", "class": "標準オプション", "title": "被保険者証等再交付申請書", "note": "様式は参考"},
]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def problems_of(files: list[Path], **kw: Any) -> list[str]:
    """The problems of an import; the one-sheet workbooks of these tests hold functions only (as they say)."""
    kw.setdefault("kinds", ("function",))
    with pytest.raises(InvalidInput) as exc:
        import_spec(files, KAIGO, "6.0", **kw)
    return [p.format("en") for p in exc.value.problems]


# -- reading exactly ------------------------------------------------------------------------


def test_official_workbook_imports_exactly(here: Path) -> None:
    result = import_spec([official_workbook(here / "book.xlsx")], KAIGO, "6.0", published="2024-03-29")
    assert result.catalogue == {
        "gapcheck": "catalogue/1", "operation": "kaigo", "version": "6.0", "title": "介護保険システム標準仕様書",
        "published": "2024-03-29", "prefix": "023", "source": "book.xlsx を gapcheck spec import で読み込み（加工して作成）",
        "requirements": EXPECTED,
    }
    assert result.sheets == (("function", "機能要件", 4), ("form", "帳票要件", 2))


def test_written_catalogue_loads_with_no_problem(here: Path) -> None:
    result = import_spec([official_workbook(here / "book.xlsx")], KAIGO, "6.0", published="2024-03-29")
    path = catalogue_path(here / "specs", "kaigo", "6.0")
    assert write_catalogue(result, path) is True
    text = path.read_text("utf-8")
    assert "- id: '0230265'" in text and "version: '6.0'" in text
    project = load_project(Config.defaults(here))
    assert [p for p in project.problems if p.code not in ("folder-missing", "no-inputs")] == []  # no inventory here
    cat = project.catalogue("kaigo", "6.0")
    assert cat is not None
    assert [(r.id, r.kind, r.klass, r.title, r.category) for r in cat.requirements] == [
        (e["id"], e["kind"], {"実装必須": "mandatory", "標準オプション": "optional", "実装不可": "forbidden"}[e["class"]],
         e["title"], tuple(e.get("category", ()))) for e in EXPECTED]
    assert cat.requirements[0].summary == EXPECTED[0]["summary"]


def test_same_content_is_not_rewritten_and_other_content_needs_force(here: Path) -> None:
    result = import_spec([official_workbook(here / "book.xlsx")], KAIGO, "6.0")
    path = catalogue_path(here / "specs", "kaigo", "6.0")
    assert write_catalogue(result, path) is True
    assert write_catalogue(result, path) is False
    path.write_text("# edited by hand\n", "utf-8")
    with pytest.raises(OutputExists):
        write_catalogue(result, path)
    assert path.read_text("utf-8") == "# edited by hand\n"
    assert write_catalogue(result, path, force=True) is True
    assert path.read_text("utf-8").startswith("# Imported by `gapcheck spec import`")


CSV_TEXT = (
    "介護保険 機能要件一覧,,,,,,\n"
    ",,,,,,\n"
    "大項目,中項目,機能ID,機能名称,機能要件,実装区分,備考\n"
    "資格管理,資格異動,230265,住民異動に伴う資格異動,\"住民記録の異動を基に\n資格を登録できること。\",実装必須機能,\n"
    ",,０２３０２７５,被保険者番号の付番,付番できること。,実装必須,\n"
    "賦課,,0230400,独自帳票の直接出力,帳票を直接出力できること。,実装不可機能,\n"
    "※ 例示,,,,,,\n"
)
CSV_EXPECTED = [
    {"id": "0230265", "kind": "function", "class": "実装必須", "title": "住民異動に伴う資格異動", "category": ["資格管理", "資格異動"],
     "summary": "住民記録の異動を基に\n資格を登録できること。"},
    {"id": "0230275", "kind": "function", "class": "実装必須", "title": "被保険者番号の付番", "category": ["資格管理", "資格異動"],
     "summary": "付番できること。"},
    {"id": "0230400", "kind": "function", "class": "実装不可", "title": "独自帳票の直接出力", "category": ["賦課"],
     "summary": "帳票を直接出力できること。"},
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_in_every_encoding_imports_the_same(here: Path, encoding: str) -> None:
    path = here / "functions.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    result = import_spec([path], KAIGO, "6.0", kinds=("function",))
    assert result.catalogue["requirements"] == CSV_EXPECTED
    assert result.sheets == (("function", "functions", 3),)


def test_csv_functions_and_forms_as_two_files(here: Path) -> None:
    (here / "functions.csv").write_text(CSV_TEXT, "utf-8")
    (here / "forms.csv").write_bytes("帳票ID,帳票名称,帳票の要件,実装区分\n"
                                     "230010,介護保険被保険者証,出力できること。,実装必須帳票\n".encode("cp932"))
    result = import_spec([here / "functions.csv", here / "forms.csv"], KAIGO, "6.0")
    assert [r["id"] for r in result.catalogue["requirements"]] == ["0230265", "0230275", "0230400", "0230010"]
    assert result.catalogue["source"] == "forms.csv, functions.csv を gapcheck spec import で読み込み（加工して作成）"


@pytest.mark.parametrize("raw, expected", [
    (230265, "0230265"), (230265.0, "0230265"), ("０２３０２６５", "0230265"), (" 0230265\u3000", "0230265"),
    ("230265", "0230265"), (10265, "0010265"), ("023026", "023026"), (10, "10"), ("023-0265", "023-0265"),
])
def test_cell_id(raw: Any, expected: str) -> None:
    assert cell_id(raw) == expected


def test_column_map_overrides_headers_sheet_and_class_spellings(here: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "一覧"
    ws.append(["番号", "項目名", "内容", "区分"])
    ws.append(["0230265", "資格異動", "登録できること。", "◎"])
    ws.append(["0230300", "任意機能", "できること。", "実装必須"])
    wb.save(here / "vendor.xlsx")
    (here / "map.yaml").write_text(
        "gapcheck: columns/1\n"
        "functions:\n"
        "  sheet: 一覧\n"
        "  columns: {id: 番号, title: 項目名, summary: [内容, 説明], class: 区分}\n"
        "forms: {required: false}\n"
        "classes: {◎: 実装必須}\n", "utf-8")
    cmap = load_column_map(here / "map.yaml")
    result = import_spec([here / "vendor.xlsx"], KAIGO, "6.0", columns=cmap)
    assert result.catalogue["requirements"] == [
        {"id": "0230265", "kind": "function", "class": "実装必須", "title": "資格異動", "summary": "登録できること。"},
        {"id": "0230300", "kind": "function", "class": "実装必須", "title": "任意機能", "summary": "できること。"},
    ]
    assert DEFAULT_COLUMNS.classes.get("◎") is None  # the default is untouched


def test_bad_column_map_is_reported_with_its_line(here: Path) -> None:
    (here / "map.yaml").write_text("functions:\n  colums: {id: 番号}\nclasses: {◎: 必須}\n", "utf-8")
    with pytest.raises(InvalidInput) as exc:
        load_column_map(here / "map.yaml")
    assert [p.format("en") for p in exc.value.problems] == [
        "map.yaml:2:3: unknown-field: $.functions.colums: unknown field 'colums'; did you mean 'columns'? "
        "(expected one of columns, required, sheet, sheet_hint, found 'colums')",
        "map.yaml:3:14: invalid-value: $.classes['◎']: value not allowed; did you mean '実装必須'? "
        "(expected 実装必須, 標準オプション or 実装不可, found '必須')",
    ]


def test_yaml_output_quotes_ids_versions_and_dates() -> None:
    text = dump_yaml({"version": "6.0", "id": "0230289", "date": "2024-03-29", "text": "a\nb", "n": "KG-F001"})
    assert text == "version: '6.0'\nid: '0230289'\ndate: '2024-03-29'\ntext: |-\n  a\n  b\nn: KG-F001\n"


# -- bad input: one exact line each --------------------------------------------------------------


def _book(path: Path, rows: list[list[Any]], title: str = "機能要件", forms: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    if forms:
        f = wb.create_sheet("帳票要件")
        f.append(["帳票ID", "帳票名称", "実装区分"])
        f.append(["0230010", "介護保険被保険者証", "実装必須"])
    wb.save(path)
    return path


HEAD = ["機能ID", "機能名称", "機能要件", "実装区分"]


def test_no_header_row(here: Path) -> None:
    path = _book(here / "book.xlsx", [["介護保険 機能要件"], ["ID", "名前", "区分"], ["0230265", "資格異動", "実装必須"]])
    assert problems_of([path]) == [
        "book.xlsx:1:1: xlsx-no-header: 機能要件!A1: no header row in the first 30 rows of sheet '機能要件' (機能要件) "
        "(expected a row with the headers 機能ID/機能要件ID and 機能名称/機能名/実装区分, found first row '介護保険 機能要件')",
    ]


def test_required_sheet_missing(here: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "帳票要件"
    wb.active.append(["帳票ID", "帳票名称", "実装区分"])
    wb.active.append(["0230010", "介護保険被保険者証", "実装必須"])
    wb.create_sheet("改版履歴").append(["版", "日付"])
    wb.save(here / "book.xlsx")
    assert problems_of([here / "book.xlsx"], kinds=("function", "form")) == [
        "book.xlsx:0:0: spec-kind-missing: $: no 機能要件 sheet: no sheet has a header row with 機能ID/機能要件ID, but "
        "帳票要件 were found; import with --forms-only if the spec really has no 機能要件 (expected a 機能要件 sheet, or "
        "--forms-only, found sheets '帳票要件', '改版履歴')",
    ]
    result = import_spec([here / "book.xlsx"], KAIGO, "6.0", kinds=("form",))
    assert [(r["kind"], r["id"]) for r in result.catalogue["requirements"]] == [("form", "0230010")]


def test_named_sheet_missing(here: Path) -> None:
    path = _book(here / "book.xlsx", [HEAD, ["0230265", "資格異動", "", "実装必須"]])
    cmap = load_column_map(_write(here / "map.yaml", "functions: {sheet: 別紙1}\n"))
    assert problems_of([path], columns=cmap) == [
        "book.xlsx:0:0: xlsx-sheet-missing: $: no sheet named '別紙1' (機能要件) (expected a sheet '別紙1', found sheets '機能要件')",
    ]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def test_duplicate_ids_within_a_sheet(here: Path) -> None:
    path = _book(here / "book.xlsx", [["一覧"], HEAD, ["0230265", "資格異動", "", "実装必須"], ["0230275", "付番", "", "実装必須"],
                                      [230265, "資格異動（再掲）", "", "実装必須"]])
    assert problems_of([path]) == [
        "book.xlsx:5:1: duplicate-id: 機能要件!A5: function ID 0230265 is already used on sheet '機能要件' row 3 "
        "(expected unique IDs per kind, found 230265)",
    ]


def test_unknown_class_spelling(here: Path) -> None:
    path = _book(here / "book.xlsx", [HEAD, ["0230265", "資格異動", "", "必須機能（推奨）"]])
    assert problems_of([path]) == [
        "book.xlsx:2:4: unknown-class: 機能要件!D2: unknown spelling of the implementation class (実装区分); add it to the "
        "'classes' table of a --columns file if it is one (expected 実装必須, 標準オプション or 実装不可 (or 【類型1 実装必須機能】-style, "
        "or a spelling from the column map), found '必須機能（推奨）')",
    ]


@pytest.mark.parametrize("raw, found", [("023026", "'023026'"), ("0230-265", "'0230-265'"), ("02302651", "'02302651'")])
def test_id_not_seven_digits(here: Path, raw: Any, found: str) -> None:
    path = _book(here / "book.xlsx", [HEAD, [raw, "資格異動", "", "実装必須"]])
    assert problems_of([path]) == [
        f"book.xlsx:2:1: invalid-id: 機能要件!A2: not a requirement ID after normalisation (expected a 7-digit ID such "
        f"as '0230265', a legacy section number such as '1.1.2' or a 4-digit serial such as '0010', found {found})",
    ]


def test_legacy_ids_are_accepted_as_the_loader_accepts_them(here: Path) -> None:
    """Section numbers (住民記録 第1.0版) stay as they are; a 4-digit serial gets the spec number (023)."""
    path = _book(here / "book.xlsx", [HEAD, ["1.1.2", "外国人住民", "", "実装必須"], ["1.1.2-2", "外国人住民", "", "標準オプション"],
                                     ["０２７５", "番号", "", "実装必須"]])
    result = import_spec([path], KAIGO, "1.0", kinds=("function",))
    assert [r["id"] for r in result.catalogue["requirements"]] == ["1.1.2", "1.1.2-2", "0230275"]


def test_id_of_another_spec(here: Path) -> None:
    path = _book(here / "book.xlsx", [HEAD, ["0010265", "住民票の写し", "", "実装必須"]])
    assert problems_of([path]) == [
        "book.xlsx:2:1: id-prefix-mismatch: 機能要件!A2: IDs of 介護保険 start with its 業務ID 023 "
        "(expected an ID starting 023, found '0010265')",
    ]
    assert problems_of([path], registry=(KAIGO, JUKI)) == [
        "book.xlsx:2:1: id-prefix-mismatch: 機能要件!A2: 001 is the 業務ID of 住民基本台帳 (juki), not of 介護保険 "
        "(expected an ID starting 023, found '0010265')",
    ]


def test_text_without_id_and_rows_without_title_or_class(here: Path) -> None:
    path = _book(here / "book.xlsx", [HEAD, ["0230265", "資格異動", "", "実装必須"], [None, "続きの要件", "できること。", None],
                                      ["0230275", None, "付番できること。", "実装必須"], ["0230286", "証の出力", "", None]])
    assert problems_of([path]) == [
        "book.xlsx:3:1: missing-id: 機能要件!A3: row 3 has requirement text but no ID (expected a 7-digit ID such as '0230265', "
        "a legacy section number such as '1.1.2' or a 4-digit serial such as '0010', found an empty cell)",
        "book.xlsx:4:2: missing-value: 機能要件!B4: requirement 0230275 has no title (expected 機能名称/機能名, found an empty cell)",
        "book.xlsx:5:4: missing-value: 機能要件!D5: no implementation class (実装区分) "
        "(expected 実装必須, 標準オプション or 実装不可, found an empty cell)",
    ]


def test_a_missing_title_or_class_column_is_one_problem_not_one_per_row(here: Path) -> None:
    no_title = _book(here / "book.xlsx", [["機能ID", "機能要件", "実装区分"], ["0230265", "できること。", "実装必須"],
                                          ["0230275", "付番できること。", "実装必須"]])
    assert problems_of([no_title]) == [
        ("book.xlsx:1:1: xlsx-missing-column: 機能要件!A1: the header row of sheet '機能要件' has no 機能名称/機能名 column "
         "(expected a header cell 機能名称/機能名, found first row '機能ID', '機能要件', '実装区分')"),
    ]
    no_class = _book(here / "book.xlsx", [["機能ID", "機能名称", "機能要件"], ["0230265", "資格異動", ""], ["0230275", "付番", ""]])
    assert problems_of([no_class]) == [
        ("book.xlsx:1:1: xlsx-missing-column: 機能要件!A1: the header row of sheet '機能要件' has no 実装区分 column "
         "(expected a header cell 実装区分, found first row '機能ID', '機能名称', '機能要件')"),
    ]


def test_every_bad_row_is_reported_at_once(here: Path) -> None:
    path = _book(here / "book.xlsx", [HEAD, ["12", "a", "", "実装必須"], ["0230265", "b", "", "その他"], ["0230265", "c", "", "実装必須"],
                                      ["0230265", "d", "", "実装必須"]])
    assert [line.split(": ")[1] for line in problems_of([path])] == ["invalid-id", "unknown-class", "duplicate-id", "duplicate-id"]


def test_not_a_zip(here: Path) -> None:
    (here / "book.xlsx").write_text("this is not a workbook", "utf-8")
    assert problems_of([here / "book.xlsx"]) == [
        "book.xlsx:0:0: xlsx-not-a-workbook: $: not a readable Excel workbook (expected an .xlsx workbook, found not a zip archive)",
    ]


def test_truncated_workbook(here: Path) -> None:
    data = official_workbook(here / "full.xlsx").read_bytes()
    (here / "book.xlsx").write_bytes(data[: len(data) // 2])
    (line,) = problems_of([here / "book.xlsx"])
    assert line.startswith("book.xlsx:0:0: xlsx-not-a-workbook: $: not a readable Excel workbook "
                           "(expected an .xlsx workbook, found a damaged or truncated zip archive (")


def test_old_xls_file(here: Path) -> None:
    (here / "book.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert problems_of([here / "book.xls"]) == [
        "book.xls:0:0: xlsx-not-a-workbook: $: an old Excel 97-2003 (.xls) file; save it as .xlsx first "
        "(expected an .xlsx workbook or a CSV file, found an .xls file)",
    ]


def test_unreadable_csv_encoding(here: Path) -> None:
    (here / "functions.csv").write_bytes("機能ID,機能名称,実装区分\n".encode() + b"0230265,\x81\x20\xff,x\n")
    assert problems_of([here / "functions.csv"]) == [
        "functions.csv:2:0: csv-encoding: $: cannot decode the CSV file as UTF-8 or Shift_JIS/CP932 "
        "(it reads as UTF-8 up to line 2) (expected UTF-8 (with or without BOM) or Shift_JIS/CP932 text, "
        "found byte 0x81 on line 2)",
    ]


def test_missing_file(here: Path) -> None:
    assert problems_of([here / "nowhere.xlsx"]) == [
        "nowhere.xlsx:0:0: file-missing: $: file does not exist (expected a readable file, found nothing)",
    ]


# -- the command ------------------------------------------------------------------------------------


def test_cli_imports_into_specs_and_refuses_to_overwrite(small: Path, cli: Any) -> None:
    official_workbook(small / "book.xlsx")
    res = cli("spec", "import", "book.xlsx", "--operation", "kaigo", "--version", "第7.0版", "--published", "2025-03-31")
    assert res.exit_code == 0, res.stderr
    assert res.stderr == ("wrote: specs/kaigo/7.0.yaml\n"
                          "kaigo 7.0: 6 function(s), 2 form(s) from '機能要件' (header row 4), '帳票要件' (header row 2)\n")
    assert load_project(Config.defaults(small)).catalogue("kaigo", "7.0") is not None
    again = cli("spec", "import", "book.xlsx", "--operation", "kaigo", "--version", "7.0", "--published", "2025-03-31")
    assert again.exit_code == 0 and again.stderr.startswith("unchanged: specs/kaigo/7.0.yaml\n")
    before = (small / "specs/kaigo/7.0.yaml").read_bytes()
    other = cli("spec", "import", "book.xlsx", "--operation", "kaigo", "--version", "7.0")
    assert other.exit_code == 2
    assert other.stderr == "gapcheck: specs/kaigo/7.0.yaml: exists with different content; use --force to replace it\n"
    assert (small / "specs/kaigo/7.0.yaml").read_bytes() == before
    forced = cli("spec", "import", "book.xlsx", "--operation", "kaigo", "--version", "7.0", "--force")
    assert forced.exit_code == 0 and forced.stderr.startswith("wrote: specs/kaigo/7.0.yaml\n")


def test_cli_bad_input_exits_3_and_writes_nothing(small: Path, cli: Any) -> None:
    _book(small / "book.xlsx", [HEAD, ["0230265", "資格異動", "", "必須かも"]])
    res = cli("spec", "import", "book.xlsx", "--operation", "kaigo", "--version", "7.0", "--functions-only")
    assert res.exit_code == 3
    assert res.stderr.splitlines() == [
        "book.xlsx:2:4: unknown-class: 機能要件!D2: unknown spelling of the implementation class (実装区分); add it to the "
        "'classes' table of a --columns file if it is one (expected 実装必須, 標準オプション or 実装不可 (or 【類型1 実装必須機能】-style, "
        "or a spelling from the column map), found '必須かも')",
        "gapcheck: 1 error(s) in the input; nothing was written",
    ]
    assert not (small / "specs/kaigo/7.0.yaml").exists()


@pytest.mark.parametrize("args, message", [
    (["--operation", "kaigoo", "--version", "7.0"], "unknown operation 'kaigoo'; did you mean 'kaigo'? (see `gapcheck operations`)"),
    (["--operation", "kaigo", "--version", "v7"], "--version takes a spec version such as 6.0 or 第6.0版, not 'v7'"),
    (["--operation", "kaigo", "--version", "7.0", "--published", "2025-02-30"], "--published takes a date YYYY-MM-DD, not '2025-02-30'"),
])
def test_cli_usage_errors(small: Path, cli: Any, args: list[str], message: str) -> None:
    official_workbook(small / "book.xlsx")
    res = cli("spec", "import", "book.xlsx", *args)
    assert (res.exit_code, res.stderr) == (2, f"gapcheck: {message}\n")


def test_an_optional_sheet_that_is_there_is_never_skipped_silently(here: Path) -> None:
    path = _book(here / "book.xlsx", [HEAD, ["0230265", "資格異動", "", "実装必須"]])
    wb = openpyxl.load_workbook(path)
    wb.create_sheet("帳票要件").append(["ID", "名前", "区分"])
    wb.save(path)
    assert problems_of([path], kinds=("function", "form")) == [
        "book.xlsx:1:1: xlsx-no-header: 帳票要件!A1: no header row in the first 30 rows of sheet '帳票要件' (帳票要件) "
        "(expected a row with the headers 帳票ID/帳票要件ID and 帳票名称/帳票名/実装区分, found first row 'ID', '名前', '区分')",
    ]


def test_a_sheet_without_requirement_text_imports_with_a_warning(here: Path) -> None:
    path = _book(here / "book.xlsx", [["機能ID", "機能名称", "実装区分"], ["0230265", "資格異動", "実装必須"]])
    result = import_spec([path], KAIGO, "6.0", kinds=("function",))
    assert [r["id"] for r in result.catalogue["requirements"]] == ["0230265"]
    assert [p.format("en") for p in result.warnings] == [
        "warning: book.xlsx:1:1: xlsx-missing-column: 機能要件!A1: the header row of sheet '機能要件' has no 機能要件/要件 "
        "column: requirements are imported without their text, and a later version with text will show every one as "
        "re-worded (expected a header cell 機能要件/要件, found none)"]


# -- kinds, two-row headers, 類型 spellings, a version that shrank --------------------------------


def test_a_workbook_with_functions_and_no_form_sheet_is_refused(here: Path) -> None:
    path = _book(here / "book.xlsx", [HEAD, ["0230265", "資格異動", "", "実装必須"]])
    assert problems_of([path], kinds=("function", "form")) == [
        "book.xlsx:0:0: spec-kind-missing: $: no 帳票要件 sheet: no sheet has a header row with 帳票ID/帳票要件ID, but "
        "機能要件 were found; import with --functions-only if the spec really has no 帳票要件 (expected a 帳票要件 sheet, or "
        "--functions-only, found sheets '機能要件')",
    ]
    result = import_spec([path], KAIGO, "6.0", kinds=("function",))
    assert [(r["kind"], r["id"]) for r in result.catalogue["requirements"]] == [("function", "0230265")]


def test_functions_only_says_which_form_sheet_it_leaves_out(here: Path) -> None:
    path = _book(here / "book.xlsx", [HEAD, ["0230265", "資格異動", "", "実装必須"]], forms=True)
    result = import_spec([path], KAIGO, "6.0", kinds=("function",))
    assert [r["kind"] for r in result.catalogue["requirements"]] == ["function"]
    assert [p.format("en") for p in result.warnings] == [
        "warning: book.xlsx:1:1: spec-kind-skipped: 帳票要件!A1: sheet '帳票要件' holds 帳票要件, not read (--functions-only) "
        "(expected no 帳票要件 with --functions-only, found a 帳票要件 header row)"]


def test_a_function_and_a_form_may_share_an_id(here: Path) -> None:
    path = _book(here / "book.xlsx", [HEAD, ["0230010", "架空の証発行機能", "", "実装必須"]], forms=True)
    result = import_spec([path], KAIGO, "6.0")
    assert [(r["kind"], r["id"]) for r in result.catalogue["requirements"]] == [("function", "0230010"), ("form", "0230010")]
    write_catalogue(result, catalogue_path(here / "specs", "kaigo", "6.0"))
    cat = load_project(Config.defaults(here)).catalogue("kaigo")
    assert cat is not None and [(r.kind, r.id) for r in cat.requirements] == [("function", "0230010"), ("form", "0230010")]


def two_row_workbook(path: Path) -> Path:
    """Header rows as official lists often have them: a group header merged across columns above the names,
    and names merged down over both rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "機能一覧"
    ws["A1"] = "共通機能標準仕様書 機能要件一覧（テスト用）"
    ws.append(["大項目", "中項目", "機能", None, None, "実装区分", "備考"])  # row 2
    ws.append([None, None, "ID", "名称", "要件", None, None])  # row 3
    for rng in ("A2:A3", "B2:B3", "C2:E2", "F2:F3", "G2:G3"):
        ws.merge_cells(rng)
    ws.append(["団体内統合宛名", "宛名管理", "0320001", "架空の統合宛名", "統合宛名を管理できること。", "【類型1 実装必須機能】", None])
    ws.append([None, None, "0320002", "架空の宛名照会", "照会できること。", "【類型3　標準オプション機能】", "例示"])
    ws.append([None, "連携", "0320003", "架空の禁止事項", "直接更新できること。", "【類型2 実装不可機能】", None])
    forms = wb.create_sheet("帳票一覧")
    forms.append(["帳票ID", "帳票名称", "要件", None])  # row 1: ID and name merged down, 要件 over two columns
    forms.append([None, None, "帳票の要件", "実装区分"])  # row 2
    for rng in ("A1:A2", "B1:B2", "C1:D1"):
        forms.merge_cells(rng)
    forms.append(["0320001", "架空の宛名台帳", "出力できること。", "【類型1 実装必須帳票】"])
    wb.save(path)
    return path


KYOTSU = Operation("kyotsu", "共通機能", "デジタル庁", (Prefix("031"), Prefix("032")), "共通機能標準仕様書", True)


def test_two_row_headers_are_read(here: Path) -> None:
    result = import_spec([two_row_workbook(here / "book.xlsx")], KYOTSU, "2.7")
    assert result.sheets == (("function", "機能一覧", 3), ("form", "帳票一覧", 2))
    assert result.catalogue["requirements"] == [
        {"id": "0320001", "kind": "function", "class": "実装必須", "title": "架空の統合宛名", "category": ["団体内統合宛名", "宛名管理"],
         "summary": "統合宛名を管理できること。"},
        {"id": "0320002", "kind": "function", "class": "標準オプション", "title": "架空の宛名照会",
         "category": ["団体内統合宛名", "宛名管理"],
         "summary": "照会できること。", "note": "例示"},
        {"id": "0320003", "kind": "function", "class": "実装不可", "title": "架空の禁止事項", "category": ["団体内統合宛名", "連携"],
         "summary": "直接更新できること。"},
        {"id": "0320001", "kind": "form", "class": "実装必須", "title": "架空の宛名台帳", "summary": "出力できること。"},
    ]


def test_a_class_is_read_by_its_words_never_by_its_type_number(here: Path) -> None:
    rows = [HEAD, ["0230265", "a", "", "【類型2 実装必須機能】"], ["0230275", "b", "", "類型1：標準オプション"],
            ["0230286", "c", "", "【類型4 推奨機能】"]]
    assert problems_of([_book(here / "book.xlsx", rows)]) == [
        "book.xlsx:4:4: unknown-class: 機能要件!D4: unknown spelling of the implementation class (実装区分); add it to the "
        "'classes' table of a --columns file if it is one (expected 実装必須, 標準オプション or 実装不可 (or 【類型1 実装必須機能】-style, "
        "or a spelling from the column map), found '【類型4 推奨機能】')",
    ]
    result = import_spec([_book(here / "ok.xlsx", rows[:3])], KAIGO, "6.0", kinds=("function",))
    assert [r["class"] for r in result.catalogue["requirements"]] == ["実装必須", "標準オプション"]


def _small_version(small: Path, version: str, n: int) -> None:
    """A catalogue of kaigo with ``n`` functions at ``version`` next to the fixture's 6.0."""
    rows = [{"id": f"023{9000 + i:04d}", "kind": "function", "class": "実装必須", "title": f"架空{i}"} for i in range(n)]
    doc = {"gapcheck": "catalogue/1", "operation": "kaigo", "version": version, "requirements": rows}
    (small / "specs" / "kaigo" / f"{version}.yaml").write_text(dump_yaml(doc), "utf-8")


def test_a_version_with_under_half_the_requirements_asks_for_force(small: Path, cli: Any) -> None:
    _book(small / "book.xlsx", [HEAD, ["0230265", "資格異動", "", "実装必須"], ["0230275", "付番", "", "実装必須"]], forms=True)
    res = cli("spec", "import", "book.xlsx", "--operation", "kaigo", "--version", "7.0")
    assert res.exit_code == 3
    assert res.stderr.splitlines() == [
        "book.xlsx:0:0: spec-shrunk: $: kaigo 7.0 would have 3 requirement(s), under half of the 11 of 6.0 "
        "(specs/kaigo/6.0.yaml): 8 fewer (機能要件 9 -> 2, 帳票要件 2 -> 1); check that every sheet and row was read, "
        "or use --force if the new version really is this small (expected at least 6 requirement(s), or --force, found 3)",
        "warning: book.xlsx:1:1: xlsx-missing-column: 帳票要件!A1: the header row of sheet '帳票要件' has no "
        "帳票の要件/帳票要件/概要 column: requirements are imported without their text, and a later version with text will "
        "show every one as re-worded (expected a header cell 帳票の要件/帳票要件/概要, found none)",
        "gapcheck: 1 error(s) in the input; nothing was written",
    ]
    assert not (small / "specs/kaigo/7.0.yaml").exists()
    forced = cli("spec", "import", "book.xlsx", "--operation", "kaigo", "--version", "7.0", "--force")
    assert forced.exit_code == 0 and forced.stderr.splitlines()[1:] == [
        "wrote: specs/kaigo/7.0.yaml", "kaigo 7.0: 2 function(s), 1 form(s) from '機能要件' (header row 1), '帳票要件' (header row 1)"]
    _small_version(small, "8.0", 10)  # the newest older version is the one compared: 3 of 8.0's 10
    again = cli("spec", "import", "book.xlsx", "--operation", "kaigo", "--version", "9.0")
    assert again.exit_code == 3 and "under half of the 10 of 8.0 (specs/kaigo/8.0.yaml): 7 fewer" in again.stderr
    assert cli("spec", "import", "book.xlsx", "--operation", "kaigo", "--version", "5.0").exit_code == 0  # nothing older


def test_cli_kind_options(small: Path, cli: Any) -> None:
    _book(small / "book.xlsx", [HEAD, ["0230265", "資格異動", "", "実装必須"]])
    refused = cli("spec", "import", "book.xlsx", "--operation", "kaigo", "--version", "5.0")
    assert refused.exit_code == 3 and refused.stderr.splitlines()[0].startswith("book.xlsx:0:0: spec-kind-missing: $: no 帳票要件 sheet")
    assert not (small / "specs/kaigo/5.0.yaml").exists()
    both = cli("spec", "import", "book.xlsx", "--operation", "kaigo", "--version", "5.0", "--functions-only", "--forms-only")
    assert (both.exit_code, both.stderr) == (
        2, "gapcheck: --functions-only and --forms-only exclude each other (give neither to import both)\n")
    ok = cli("spec", "import", "book.xlsx", "--operation", "kaigo", "--version", "5.0", "--functions-only")
    assert ok.exit_code == 0
    assert ok.stderr == "wrote: specs/kaigo/5.0.yaml\nkaigo 5.0: 1 function(s), 0 form(s) from '機能要件' (header row 1)\n"
