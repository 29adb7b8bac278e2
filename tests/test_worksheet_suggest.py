"""Suggested links in the worksheet: `mapping template --suggest`, and an import that takes only judged ones.

Uses tests/fixtures/suggest (住民記録 + 共通機能): J1 is linked, J3 undecided,
J6 decided (abolish); J2, J4, J5 and the form R1 have nothing recorded.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import gapcheck
from gapcheck.core.errors import InvalidInput
from gapcheck.vendor.worksheet import import_worksheet

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

FIXTURE = Path(__file__).parent / "fixtures" / "suggest"
ORIGINAL_LINKS = [{"item": "J1", "requirement": "0010010", "judgement": "fit"}]


@pytest.fixture
def project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    dest = tmp_path / "project"
    shutil.copytree(FIXTURE, dest)
    monkeypatch.chdir(dest)
    return dest


def _project(path: Path) -> gapcheck.Project:
    project = gapcheck.load_project(gapcheck.load_config(path))
    assert project.valid, [p.format("en") for p in project.problems]
    return project


def _template(cli: Any, *extra: str, name: str = "t.xlsx") -> Path:
    res = cli("mapping", "template", "-o", "juki", "--output", name, *extra)
    assert res.exit_code == 0, res.stderr
    return Path(name)


def _rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True)]


def _judge(path: Path, row: int, judgement: str, note: str | None = None) -> None:
    """Fill in the 判定 (and 備考) of one row of the 候補 sheet, as a person would."""
    wb = openpyxl.load_workbook(path)
    ws = wb["候補"]
    headers = [c.value for c in ws[1]]
    ws.cell(row, headers.index("判定（○/△/×）") + 1, judgement)
    if note is not None:
        ws.cell(row, headers.index("備考") + 1, note)
    wb.save(path)


def test_the_template_gets_a_candidates_column_and_sheet(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("mapping", "template", "-o", "juki", "--output", "t.xlsx", "--suggest")
    assert res.exit_code == 0, res.stderr
    assert ("juki 4.0: 8 requirement(s), 6 item(s) without counterpart, 11 suggestion(s) for 4 item(s) "
            "(to judge on sheet 候補)") in res.stderr
    assert openpyxl.load_workbook("t.xlsx").sheetnames == ["情報", "要件一覧", "独自機能", "候補", "現行機能", "記入方法"]
    custom = _rows(Path("t.xlsx"), "独自機能")
    assert custom[0][-1] == "候補（参考）"
    assert {r[0]: r[-1] for r in custom[1:]} == {
        "J2": "0010020 転出証明書の交付 / 0010040 住民票の写しの発行 / 0010050 住民票の写しの発行",
        "J3": "0010040 住民票の写しの発行 / 0010050 住民票の写しの発行 / 0010010 転入者情報の入力",
        "J4": "0310001［kyotsu］ 住登外者宛名番号の付番 / 0010030 転居の届出 / 0010040 住民票の写しの発行",
        "J5": None, "J6": None,  # no letter to match; decided
        "R1": "0010002 転出証明書 / 0010001 住民票の写し",
    }
    sheet = _rows(Path("t.xlsx"), "候補")
    assert sheet[0] == ("現行機能ID", "現行機能名（参考）", "順位", "要件ID", "業務", "種別", "実装区分", "名称", "スコア（参考）",
                        "一致した語（参考）", "判定（○/△/×）", "備考")
    assert sheet[1] == ("J2", "転出届受付・証明書発行", 1, "0010020", "juki", "機能", "実装必須", "転出証明書の交付", 1,
                        "転出届、証明書、転出届を受け付け、転出証明書を交付", None, None)
    assert [(r[0], r[3]) for r in sheet[1:]] == [
        ("J2", "0010020"), ("J2", "0010040"), ("J2", "0010050"), ("J3", "0010040"), ("J3", "0010050"), ("J3", "0010010"),
        ("J4", "0310001"), ("J4", "0010030"), ("J4", "0010040"), ("R1", "0010002"), ("R1", "0010001")]
    lists = {(str(dv.sqref), dv.formula1) for dv in openpyxl.load_workbook("t.xlsx")["候補"].data_validations.dataValidation}
    assert lists == {("K2:K212", '"○,△,×"')}


def test_without_suggest_the_template_has_no_candidates(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = _template(cli)
    assert "候補" not in openpyxl.load_workbook(path).sheetnames
    assert _rows(path, "独自機能")[0][-2:] == ("備考", "代替要件の種別")  # no 候補（参考） column after them


def test_suggestions_without_judgements_add_no_link(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    project = _project(project_dir)
    plain = import_worksheet(_template(cli), project).mapping
    with_suggestions = import_worksheet(_template(cli, "--suggest"), project).mapping
    assert with_suggestions == plain
    assert with_suggestions["links"] == ORIGINAL_LINKS


def test_the_read_only_columns_are_ignored(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = _template(cli, "--suggest")
    wb = openpyxl.load_workbook(path)
    wb["独自機能"]["G2"] = "9999999 でたらめ"       # 候補（参考）
    wb["候補"]["I2"] = 0.99                          # スコア（参考）
    wb["候補"]["H2"] = "書き換えた名称"              # 名称
    wb.save(path)
    assert import_worksheet(path, _project(project_dir)).mapping["links"] == ORIGINAL_LINKS


def test_one_judgement_adds_exactly_one_link(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = _template(cli, "--suggest")
    _judge(path, 2, "○", "候補から確認")   # J2 -> 0010020
    mapping = import_worksheet(path, _project(project_dir)).mapping
    assert mapping["links"] == ORIGINAL_LINKS + [
        {"item": "J2", "requirement": "0010020", "judgement": "fit", "note": "候補から確認"}]
    assert mapping["custom"] == [{"item": "J3", "disposition": "undecided"}, {"item": "J6", "disposition": "abolish"}]


def test_a_judged_form_suggestion_and_the_round_trip(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = _template(cli, "--suggest")
    _judge(path, 11, "△")   # R1 -> 0010002
    res = cli("mapping", "import", "t.xlsx", "--output", "mappings/juki.yaml", "--force")
    assert res.exit_code == 0, res.stderr
    assert "juki 4.0: 2 link(s), 2 custom item(s)" in res.stderr
    again = _template(cli, "--suggest", name="again.xlsx")  # R1 is linked now: no more suggestions for it
    assert [r[0] for r in _rows(again, "候補")[1:]].count("R1") == 0


def _problems(path: Path, project: gapcheck.Project) -> list[str]:
    with pytest.raises(InvalidInput) as exc:
        import_worksheet(path, project)
    return [p.format("en") for p in exc.value.problems]


def test_bad_judgements_are_reported_at_their_cell(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = _template(cli, "--suggest")
    _judge(path, 2, "◎")
    _judge(path, 3, "", "メモだけ")
    _judge(path, 8, "○")   # J4 -> 0310001 of 共通機能
    assert _problems(path, _project(project_dir)) == [
        "t.xlsx:2:11: worksheet-invalid-value: 候補!K2: not a judgement (expected ○, △ or ×, found '◎')",
        ("t.xlsx:3:11: worksheet-missing-value: 候補!K3: a note on a suggestion but no judgement "
        "(expected ○, △ or × (or no note), found an empty cell)"),
        ("t.xlsx:8:4: requirement-other-operation: 候補!D8: 0310001 is a requirement of kyotsu, not of juki: record this "
        "link in the kyotsu mapping, or clear the judgement (expected a requirement of juki, found '0310001')"),
    ]


def test_a_judged_suggestion_of_an_item_with_a_disposition_conflicts(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = _template(cli, "--suggest")
    _judge(path, 5, "○")   # J3 -> 0010040, while 独自機能 still says 未決定 for J3
    assert _problems(path, _project(project_dir)) == [
        ("t.xlsx:3:1: custom-item-linked: 独自機能!A3: item J3 is linked on sheet 要件一覧 and also given a disposition "
        "here (expected either links or a disposition, found 'J3')")]


def test_a_suggestion_judged_twice_is_a_duplicate(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    path = _template(cli, "--suggest")
    wb = openpyxl.load_workbook(path)
    ws = wb["候補"]
    ws.append(list(next(ws.iter_rows(min_row=2, max_row=2, values_only=True))))  # the J2 -> 0010020 row again
    wb.save(path)
    _judge(path, 2, "○")
    _judge(path, ws.max_row, "×")
    assert _problems(path, _project(project_dir)) == [
        (f"t.xlsx:{ws.max_row}:11: link-duplicate: 候補!K{ws.max_row}: item J2 is linked to 0010020 again (first on row 2) "
        "(expected each link once, found '×')")]


def test_the_yaml_template_shows_the_suggestions_as_comments(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("mapping", "template", "-o", "juki", "--format", "yaml", "--output", "t.yaml", "--suggest")
    assert res.exit_code == 0, res.stderr
    text = Path("t.yaml").read_text("utf-8")
    assert ("  # J2 転出届受付・証明書発行: no standard counterpart; undecided, abolish, replace, euc or external\n"
            "  #   候補（参考）: 0010020 転出証明書の交付 / 0010040 住民票の写しの発行 / 0010050 住民票の写しの発行\n") in text
    import yaml

    assert yaml.safe_load(text)["links"] == ORIGINAL_LINKS  # comments only: no suggestion became a link
