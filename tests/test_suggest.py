"""Suggested links (``gapcheck mapping suggest``, ``gapcheck.suggest``) on a small hand-made project.

tests/fixtures/suggest holds a 住民記録 catalogue, a 共通機能 (``kyotsu``)
catalogue, seven inventory items (one linked, one decided, one undecided, one
whose name is only symbols and digits, a form) and a registry naming both.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import jsonschema
import numpy as np
import pytest

import gapcheck
from gapcheck.analysis.suggest import suggest
from gapcheck.core.errors import UsageError

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

HERE = Path(__file__).parent
FIXTURE = HERE / "fixtures" / "suggest"
SCHEMA = HERE.parent / "gapcheck" / "schemas" / "suggest.schema.json"


@pytest.fixture
def project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    dest = tmp_path / "project"
    shutil.copytree(FIXTURE, dest)
    monkeypatch.chdir(dest)
    return dest


def load(path: Path) -> gapcheck.Project:
    project = gapcheck.load_project(gapcheck.load_config(path))
    assert project.valid, [p.format("en") for p in project.problems]
    return project


def ranking(result: gapcheck.Suggestions) -> dict[str, list[str]]:
    return {i.item: [s.requirement for s in i.suggestions] for i in result.items}


def test_the_ranking_is_pinned(project_dir: Path) -> None:
    result = suggest(load(project_dir), "juki", top=3)
    assert ranking(result) == {
        "J2": ["0010020", "0010040", "0010050"],
        "J3": ["0010040", "0010050", "0010010"],
        "J4": ["0310001", "0010030", "0010040"],
        "J5": [],
        "R1": ["0010002", "0010001"],
    }
    j4 = result.item("J4")
    assert j4 is not None and j4.suggestions[0].operation == "kyotsu" and j4.suggestions[0].spec_version == "2.7"
    assert j4.suggestions[0].matched == ("住登外者", "番号", "住民", "ない者に宛名番号")
    # reciprocal rank fusion: first by TF-IDF and by BM25 (1.0); 0010030 and 0010040 each second by one measure and
    # fourth by the other (2 and 4 give 0.9685; 3 and 3 would give 0.9683)
    assert [round(s.score, 4) for s in j4.suggestions] == [1.0, 0.9685, 0.9685]
    assert result.common == ("kyotsu", "2.7")


def test_only_open_items_by_default_every_item_with_all(project_dir: Path) -> None:
    project = load(project_dir)
    open_items = suggest(project, "juki")
    assert [(i.item, i.status) for i in open_items.items] == [
        ("J2", "unlinked"), ("J3", "undecided"), ("J4", "unlinked"), ("J5", "unlinked"), ("R1", "unlinked")]
    every = suggest(project, "juki", all_items=True)
    assert [(i.item, i.status) for i in every.items][:1] == [("J1", "linked")]
    assert {i.item: i.status for i in every.items}["J6"] == "decided"
    assert ranking(every)["J1"][0] == "0010010"


def test_equal_texts_tie_and_the_smaller_id_comes_first(project_dir: Path) -> None:
    # 0010050 is listed before 0010040 in the catalogue, with the same title and summary
    j3 = suggest(load(project_dir), "juki", top=2).item("J3")
    assert j3 is not None
    first, second = j3.suggestions
    assert (first.requirement, second.requirement) == ("0010040", "0010050")
    assert first.score == second.score and (first.klass, second.klass) == ("mandatory", "forbidden")


def test_forms_get_forms_and_functions_get_functions(project_dir: Path) -> None:
    result = suggest(load(project_dir), "juki", top=50, all_items=True)
    for item in result.items:
        assert all(s.kind == item.kind for s in item.suggestions), item.item
        assert all(0 < s.score <= 1 and math.isfinite(s.score) for s in item.suggestions)
    assert ranking(result)["R1"] == ["0010002", "0010001"]


def test_the_same_inputs_give_the_same_result(project_dir: Path) -> None:
    project = load(project_dir)
    assert suggest(project, "juki", all_items=True).to_dict() == suggest(load(project_dir), "juki", all_items=True).to_dict()
    # an item's suggestions do not depend on which other items are asked about
    assert ranking(suggest(project, "juki", all_items=True))["J2"] == ranking(suggest(project, "juki", top=5))["J2"]


def test_without_kyotsu_only_the_operation_is_ranked(project_dir: Path) -> None:
    shutil.rmtree(project_dir / "specs" / "kyotsu")
    (project_dir / "registry.yaml").write_text(
        "gapcheck: registry/1\noperations:\n  - {code: juki, name: 住民基本台帳, prefix: \"001\"}\n", "utf-8")
    result = suggest(load(project_dir), "juki", top=3)
    assert result.common is None
    assert ranking(result)["J4"] == ["0010030", "0010040", "0010050"]


def test_json_follows_its_schema_and_equals_the_library(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("mapping", "suggest", "--operation", "juki", "--all", "--format", "json")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    jsonschema.validate(data, json.loads(SCHEMA.read_text("utf-8")))
    assert data == suggest(load(project_dir), "juki", all_items=True).to_dict()
    assert list(data) == ["gapcheck", "operation", "name", "spec_version", "common", "top", "all", "items"]
    assert data["items"][1]["suggestions"][0] == {
        "requirement": "0010020", "operation": "juki", "spec_version": "4.0", "kind": "function", "class": "mandatory",
        "title": "転出証明書の交付", "score": 1.0, "matched": ["転出届", "証明書", "転出届を受け付け", "転出証明書を交付"]}


def test_the_schema_refuses_what_it_should(project_dir: Path) -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    data = suggest(load(project_dir), "juki").to_dict()
    data["items"][0]["suggestions"][0]["score"] = 1.5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_csv_has_one_row_per_suggestion_and_neutralises_formulas(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    inv = project_dir / "current_system" / "inventory.yaml"
    inv.write_text(inv.read_text("utf-8").replace("name: 住民票発行", "name: \"=住民票発行\""), "utf-8")
    res = cli("mapping", "suggest", "-o", "juki", "--top", "2", "--format", "csv", "--codes")
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.lstrip("\ufeff").splitlines()
    assert lines[0] == ("operation,spec_version,item,item_kind,item_name,status,rank,requirement,requirement_operation,"
                        "kind,class,title,score,matched")
    assert lines[1] == ("juki,4.0,J2,function,転出届受付・証明書発行,unlinked,1,0010020,juki,function,mandatory,"
                        "転出証明書の交付,1.0000,転出届 / 証明書 / 転出届を受け付け / 転出証明書を交付")
    assert lines[3].startswith("juki,4.0,J3,function,'=住民票発行,undecided,1,0010040,")
    assert "juki,4.0,J5,function,＃＃＃ 123,unlinked,,,,,,,," in lines
    assert len(lines) == 1 + 2 + 2 + 2 + 1 + 2


def test_csv_for_people_has_japanese_headers_and_labels(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("mapping", "suggest", "-o", "juki", "--top", "1", "--format", "csv")
    assert res.exit_code == 0, res.stderr
    lines = res.stdout.lstrip("\ufeff").splitlines()
    assert lines[0] == "業務,版,現行機能ID,現行の種別,現行の名称,状態,順位,要件ID,要件の業務,種別,実装区分,名称,スコア,一致した語"
    assert lines[1] == ("juki,4.0,J2,機能,転出届受付・証明書発行,未対応,1,0010020,juki,機能,実装必須,転出証明書の交付,1.0000,"
                        "転出届 / 証明書 / 転出届を受け付け / 転出証明書を交付")
    assert lines[2].startswith("juki,4.0,J3,機能,住民票発行,独自・未決定,1,0010040,")


def test_table_names_the_items_and_says_it_is_no_judgement(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("mapping", "suggest", "-o", "juki", "--top", "1")
    assert res.exit_code == 0, res.stderr
    assert "住民基本台帳（juki）第4.0版 と 共通機能（kyotsu 第2.7版）の要件から" in res.stdout.replace("\n", "")
    assert "判定ではありません" in res.stdout.replace("\n", "")
    for word in ("J2", "0010020", "0310001", "［kyotsu］", "候補なし"):
        assert word in res.stdout


@pytest.mark.parametrize("top", ["0", "51", "-3"])
def test_top_outside_1_to_50_is_a_usage_error(project_dir: Path, cli, top: str) -> None:  # type: ignore[no-untyped-def]
    res = cli("mapping", "suggest", "-o", "juki", "--top", top)
    assert res.exit_code == 2
    assert res.stderr == f"gapcheck: the number of suggestions per item (--top) is a whole number from 1 to 50, not {top}\n"


def test_library_refuses_a_bad_top(project_dir: Path) -> None:
    with pytest.raises(UsageError) as refused:
        suggest(load(project_dir), "juki", top=0)
    assert refused.value.text("en").endswith("from 1 to 50, not 0")
    with pytest.raises(UsageError, match="指定: True"):
        suggest(load(project_dir), "juki", top=True)


def test_unknown_operation_and_no_catalogue(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("mapping", "suggest", "-o", "nope")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: unknown operation 'nope' (see `gapcheck operations`)\n")
    shutil.rmtree(project_dir / "specs" / "kyotsu")
    res = cli("mapping", "suggest", "-o", "kyotsu")
    assert res.exit_code == 2
    assert res.stderr == ("gapcheck: no catalogue of kyotsu (共通機能) is loaded: nothing to suggest from; "
                          "import one with `gapcheck spec import`\n")
    res = cli("mapping", "suggest", "-o", "juki", "--spec-version", "9.9")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: no catalogue of juki version 9.9 is loaded (loaded versions: 4.0)\n")


def test_an_operation_without_items_is_a_warning(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("mapping", "suggest", "-o", "kyotsu", "--format", "json")
    assert res.exit_code == 0
    assert res.stderr == ("warning: current_system/inventory.yaml:0:0: suggest-no-items: $.operations.kyotsu.items: the "
                          "inventory lists no item of 共通機能 (kyotsu): nothing to suggest for (expected items under "
                          "operations.kyotsu, found none)\n")
    assert json.loads(res.stdout)["items"] == [] and json.loads(res.stdout)["common"] is None


def test_a_name_of_symbols_and_digits_is_a_warning_with_no_suggestion(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("mapping", "suggest", "-o", "juki", "--format", "json")
    assert res.exit_code == 0
    assert res.stderr == ("warning: current_system/inventory.yaml:12:0: suggest-no-text: $.operations.juki.items[4].name: "
                          "item J5: its name and description hold no letter, only symbols, digits or spaces: nothing to "
                          "match (expected a name in words, found '＃＃＃ 123')\n")
    assert [i["suggestions"] for i in json.loads(res.stdout)["items"] if i["item"] == "J5"] == [[]]


def test_a_blank_name_gets_no_suggestion(project_dir: Path) -> None:
    inv = project_dir / "current_system" / "inventory.yaml"
    inv.write_text(inv.read_text("utf-8").replace("name: \"＃＃＃ 123\"", "name: \"  \""), "utf-8")
    result = suggest(load(project_dir), "juki")
    assert ranking(result)["J5"] == []
    assert [p.code for p in result.problems] == ["suggest-no-text"]


def test_an_invalid_project_is_refused(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    (project_dir / "mappings" / "juki.yaml").write_text("gapcheck: mapping/1\noperation: juki\n", "utf-8")
    res = cli("mapping", "suggest", "-o", "juki")
    assert res.exit_code == 3
    assert "missing-field" in res.stderr and "Traceback" not in res.stderr


def test_show_gives_the_suggestions_of_an_unlinked_item_only(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("show", "J2", "--format", "json")
    assert res.exit_code == 0, res.stderr
    [found] = json.loads(res.stdout)
    assert [(s["requirement"], s["score"]) for s in found["suggestions"]] == [
        ("0010020", 1.0), ("0010040", 0.9839), ("0010050", 0.9839)]
    [linked] = json.loads(cli("show", "J1", "--format", "json").stdout)
    assert "suggestions" not in linked
    [requirement] = json.loads(cli("show", "0010020", "--format", "json").stdout)
    assert "suggestions" not in requirement
    text = cli("show", "J4").stdout
    assert "候補1    0310001 ［kyotsu］住登外者宛名番号の付番 1.00（一致:" in text
    assert "候補3    0010040 住民票の写しの発行 0.97（一致: 住民）" in text
    assert " 候補     なし（要件と共通する語がない）" in cli("show", "J5").stdout


def test_the_operation_may_be_named_in_japanese(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("mapping", "suggest", "-o", "住民基本台帳", "--format", "json")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["operation"] == "juki"


def test_texts_of_spaces_symbols_and_digits_give_no_suggestion_and_no_error() -> None:
    from gapcheck.analysis.similarity import rank
    from gapcheck.core.model import InventoryItem, Requirement

    blank = [Requirement("juki", "4.0", "0010001", "function", "mandatory", "  ")]
    assert rank([InventoryItem("juki", "A", "function", " ")], blank, 3) == [[]]
    symbols = [Requirement("juki", "4.0", "0010001", "function", "mandatory", "＃＃"),
               Requirement("juki", "4.0", "0010002", "function", "mandatory", "123")]
    items = [InventoryItem("juki", "A", "function", "123"), InventoryItem("juki", "B", "form", "住民票")]
    assert rank(items, symbols, 3) == [[], []]  # no letter on one side, no form requirement on the other


def test_no_inventory_at_all_is_the_no_inputs_error_once(project_dir: Path, cli) -> None:  # type: ignore[no-untyped-def]
    shutil.rmtree(project_dir / "current_system")
    shutil.rmtree(project_dir / "mappings")
    res = cli("mapping", "suggest", "-o", "juki")
    assert res.exit_code == 3
    assert res.stderr.count("no-inputs") == 1 and res.stderr.count("folder-missing") == 2
    assert res.stderr.endswith("gapcheck: 1 error(s) in the input; nothing was written\n")


def test_the_ranking_is_the_reciprocal_rank_fusion_of_its_two_measures(project_dir: Path) -> None:
    """The vectorised fusion against the formula written out: each measure's ranking alone (equal scores sharing
    the rank of the first), 1 / (60 + rank) summed, divided by its largest value, ties to the smaller ID.

    (The rankings alone are of the requirements sharing a letter with the item, while the fusion ranks every
    requirement with a positive score and drops the others after fusing; in this fixture no requirement that
    shares only particles outranks one that shares a letter, so the two agree.)"""
    from gapcheck.analysis.similarity import FUSION_K, MEASURES, rank
    from gapcheck.analysis.suggest import common_catalogue

    project = load(project_dir)
    catalogue, common = project.catalogue("juki"), common_catalogue(project, "juki")
    assert catalogue is not None and common is not None
    pool = list(catalogue.requirements) + list(common.requirements)
    items = [i for i in project.inventory.items if i.operation == "juki"] if project.inventory else []
    alone = {m: rank(items, pool, len(pool), items, measures=(m,)) for m in MEASURES}
    fused = rank(items, pool, len(pool), items)
    assert any(fused)
    for n, item in enumerate(items):
        total: dict[int, float] = {}
        for m in MEASURES:
            matches = alone[m][n]
            for match in matches:
                place = 1 + sum(other.score > match.score for other in matches)
                total[match.requirement] = total.get(match.requirement, 0.0) + 1 / (FUSION_K + place)
        best = len(MEASURES) / (FUSION_K + 1)
        rounded = {j: float(np.round(total[j] / best, 6)) for j in total}  # as numpy rounds (round() differs at 1e-6)
        expected = sorted(total, key=lambda j: (-rounded[j], pool[j].id))
        assert [m.requirement for m in fused[n]] == expected, item.id
        assert [m.score for m in fused[n]] == [rounded[j] for j in expected], item.id


def test_the_first_suggestions_do_not_depend_on_how_many_are_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each ranking counts the same FUSION_DEPTH best whatever ``top`` is. Two measures that disagree: column 1 is
    first by one and 130th by the other, column 0 the reverse at 120th; only depths past 120 see both."""
    from gapcheck.analysis import similarity
    from gapcheck.core.model import InventoryItem, Requirement

    n = 200
    others = list(range(2, n))
    first = np.zeros((1, n))
    first[0, [1] + others[:128] + [0] + others[128:]] = np.linspace(1.0, 0.01, n)
    second = np.zeros((1, n))
    second[0, [0] + others[::-1][:118] + [1] + others[::-1][118:]] = np.linspace(1.0, 0.01, n)
    scores = iter([first, second] * 2)
    monkeypatch.setattr(similarity, "_block_scores", lambda matrices, block, cols: next(scores))
    reqs = [Requirement("op", "1", f"{k:07d}", "function", "mandatory", "住民票") for k in range(n)]
    items = [InventoryItem("op", "I", "function", "住民票", "")]
    few, many = similarity.rank(items, reqs, 1, items)[0], similarity.rank(items, reqs, 50, items)[0]
    assert [m.requirement for m in few] == [m.requirement for m in many[:1]] == [0]  # a tie at depth 100: by ID
    assert few[0].score == many[0].score == 0.5
