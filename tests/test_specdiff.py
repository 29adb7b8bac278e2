"""spec diff: every change between two versions and its impact on the mappings, pinned."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gapcheck.analysis.specdiff import (
    ClassImpact,
    LinkImpact,
    RequirementChange,
    link_impacts,
    spec_diff,
    stale_links,
)
from gapcheck.core.config import Config
from gapcheck.core.errors import UsageError
from gapcheck.validation.project import load_project

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

REPO = Path(__file__).resolve().parent.parent

V1 = """gapcheck: catalogue/1
operation: kaigo
version: "1.0"
requirements:
  - {id: "0230001", kind: function, class: 実装必須, title: 据え置き, summary: できること。}
  - {id: "0230002", kind: function, class: 実装必須, title: 消える機能, summary: できること。}
  - {id: "0230003", kind: function, class: 実装必須, title: 文が変わる, summary: 古い文。}
  - {id: "0230004", kind: function, class: 実装必須, title: 旧名称, summary: できること。}
  - {id: "0230005", kind: function, class: 標準オプション, title: 必須になる, summary: できること。}
  - {id: "0230006", kind: function, class: 標準オプション, title: 必須になる2, summary: できること。}
  - {id: "0230007", kind: function, class: 実装必須, title: 禁止になる, summary: できること。}
  - {id: "0230008", kind: function, class: 標準オプション, title: 禁止になる2, summary: できること。}
  - {id: "0230009", kind: function, class: 実装必須, title: 改行だけ違う, summary: "一行の\\n文。"}
  - {id: "0230010", kind: form, class: 実装必須, title: 帳票, summary: 出力できること。}
"""
V2 = """gapcheck: catalogue/1
operation: kaigo
version: "2.0"
requirements:
  - {id: "0230001", kind: function, class: 実装必須, title: 据え置き, summary: できること。}
  - {id: "0230003", kind: function, class: 実装必須, title: 文が変わる, summary: 新しい文。}
  - {id: "0230004", kind: function, class: 実装必須, title: 新名称, summary: できること。}
  - {id: "0230005", kind: function, class: 実装必須, title: 必須になる, summary: できること。}
  - {id: "0230006", kind: function, class: 実装必須, title: 必須になる2, summary: できること。}
  - {id: "0230007", kind: function, class: 実装不可, title: 禁止になる, summary: できること。}
  - {id: "0230008", kind: function, class: 実装不可, title: 禁止になる2, summary: できること。}
  - {id: "0230009", kind: function, class: 実装必須, title: 改行だけ違う, summary: 一行の文。}
  - {id: "0230010", kind: form, class: 実装必須, title: 帳票, summary: 出力できること。}
  - {id: "0230011", kind: function, class: 実装必須, title: 新しい必須, summary: できること。}
  - {id: "0230012", kind: form, class: 標準オプション, title: 新しい帳票, summary: 出力できること。}
"""
INVENTORY = """gapcheck: inventory/1
municipality: {name: テスト町}
operations:
  kaigo:
    items:
      - {id: F1, kind: function, name: 一}
      - {id: F2, kind: function, name: 二}
      - {id: F3, kind: function, name: 三}
      - {id: F4, kind: function, name: 四}
      - {id: R1, kind: form, name: 帳票}
"""
MAPPING = """gapcheck: mapping/1
operation: kaigo
spec_version: "1.0"
links:
  - {item: F1, requirement: "0230001", judgement: fit}
  - {item: F1, requirement: "0230002", judgement: ○}
  - {item: F2, requirement: "0230003", judgement: partial}
  - {item: F2, requirement: "0230004", judgement: gap}
  - {item: F3, requirement: "0230005", judgement: fit}
  - {item: F3, requirement: "0230006", judgement: △}
  - {item: F4, requirement: "0230007", judgement: partial}
  - {item: F4, requirement: "0230009", judgement: fit}
  - {item: R1, requirement: "0230010", judgement: fit}
"""


@pytest.fixture
def project_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for rel, text in (("specs/kaigo/1.0.yaml", V1), ("specs/kaigo/2.0.yaml", V2), ("current_system/inventory.yaml", INVENTORY),
                      ("mappings/kaigo.yaml", MAPPING)):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_change_and_impact(project_dir: Path) -> None:
    project = load_project(Config.defaults("."))
    assert project.problems == ()
    diff = spec_diff(project, "kaigo", "第1.0版", "2")
    assert (diff.old_version, diff.new_version) == ("1.0", "2.0")
    assert diff.changes == (
        RequirementChange("0230011", "added", "function", "新しい必須", "0230011", None, "mandatory"),
        RequirementChange("0230012", "added", "form", "新しい帳票", "0230012", None, "optional"),
        RequirementChange("0230002", "removed", "function", "消える機能", "0230002", "mandatory", None),
        RequirementChange("0230003", "reworded", "function", "文が変わる", "0230003", "古い文。", "新しい文。"),
        RequirementChange("0230004", "retitled", "function", "新名称", "0230004", "旧名称", "新名称"),
        RequirementChange("0230005", "reclassified", "function", "必須になる", "0230005", "optional", "mandatory"),
        RequirementChange("0230006", "reclassified", "function", "必須になる2", "0230006", "optional", "mandatory"),
        RequirementChange("0230007", "reclassified", "function", "禁止になる", "0230007", "mandatory", "forbidden"),
        RequirementChange("0230008", "reclassified", "function", "禁止になる2", "0230008", "optional", "forbidden"),
    )
    m = "mappings/kaigo.yaml"
    assert diff.links == (
        LinkImpact("broken", "0230002", "function", "0230002", "F1", "fit", m, 6, "1.0", ("removed",), "2.0"),
        LinkImpact("stale", "0230003", "function", "0230003", "F2", "partial", m, 7, "1.0", ("reworded",), "2.0"),
        LinkImpact("stale", "0230004", "function", "0230004", "F2", "gap", m, 8, "1.0", ("retitled",), "2.0"),
    )
    assert diff.mandatory == (
        ClassImpact("0230005", "function", "0230005", "必須になる", "optional", "mandatory", "fit", ("F3",)),
        ClassImpact("0230006", "function", "0230006", "必須になる2", "optional", "mandatory", "new-gap", ()),
        ClassImpact("0230011", "function", "0230011", "新しい必須", None, "mandatory", "new-gap", ()),
    )
    assert diff.forbidden == (
        ClassImpact("0230007", "function", "0230007", "禁止になる", "mandatory", "forbidden", "new-violation", ("F4",)),
        ClassImpact("0230008", "function", "0230008", "禁止になる2", "optional", "forbidden", "not-done", ()),
    )
    assert diff.summary == {"added": 2, "removed": 1, "reworded": 1, "retitled": 1, "reclassified": 4,
                            "broken": 1, "stale": 2, "new-gap": 2, "new-violation": 1}


def test_a_mapping_on_the_new_version_is_not_affected(project_dir: Path) -> None:
    (project_dir / "mappings/kaigo.yaml").write_text(MAPPING.replace('"1.0"', '"2.0"').replace(
        '  - {item: F1, requirement: "0230002", judgement: ○}\n', ""), "utf-8")
    project = load_project(Config.defaults("."))
    assert project.problems == ()
    assert link_impacts(project, "kaigo", "2.0") == ()
    assert spec_diff(project, "kaigo", "1.0", "2.0").links == ()


def test_changes_are_counted_from_the_mappings_own_version(project_dir: Path) -> None:
    v3 = V2.replace('version: "2.0"', 'version: "3.0"').replace("title: 据え置き, summary: できること。",
                                                             "title: 据え置き, summary: 変えた。")
    (project_dir / "specs/kaigo/3.0.yaml").write_text(v3, "utf-8")
    project = load_project(Config.defaults("."))
    assert spec_diff(project, "kaigo", "2.0", "3.0").changes == (
        RequirementChange("0230001", "reworded", "function", "据え置き", "0230001", "できること。", "変えた。"),)
    impacts = link_impacts(project, "kaigo")  # newest: 3.0; the mapping is on 1.0
    assert [(i.state, i.requirement, i.changes) for i in impacts] == [
        ("stale", "0230001", ("reworded",)), ("broken", "0230002", ("removed",)), ("stale", "0230003", ("reworded",)),
        ("stale", "0230004", ("retitled",)),
    ]
    assert stale_links(project, "kaigo", "1.0") == frozenset()
    assert ("F1", "function", "0230001") in stale_links(project, "kaigo")


def test_unknown_version_or_operation(project_dir: Path) -> None:
    project = load_project(Config.defaults("."))
    with pytest.raises(UsageError) as refused:
        spec_diff(project, "kaigo", "1.0", "4.0")
    assert refused.value.text("en") == "no catalogue of kaigo version 4.0 is loaded (loaded versions: 1.0, 2.0)"
    with pytest.raises(UsageError, match="未知の業務 'kaigoo'"):
        spec_diff(project, "kaigoo", "1.0", "2.0")


def test_cli_text_and_json(project_dir: Path, cli: Any) -> None:
    res = cli("spec", "diff", "kaigo", "1.0", "2.0")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == """kaigo 第1.0版 → 第2.0版: 追加 2、削除 1、文言変更 1、名称変更 1、区分変更 4
  追加 0230011 実装必須 新しい必須（第2.0版で追加）
  追加 0230012 標準オプション 新しい帳票（第2.0版で追加）
  削除 0230002 実装必須 消える機能（第2.0版で削除）
  文言変更 0230003 文が変わる: 「古い文。」 → 「新しい文。」（第2.0版）
  名称変更 0230004 新名称: 「旧名称」 → 「新名称」（第2.0版）
  区分変更 0230005 必須になる: 標準オプション → 実装必須（第2.0版）
  区分変更 0230006 必須になる2: 標準オプション → 実装必須（第2.0版）
  区分変更 0230007 禁止になる: 実装必須 → 実装不可（第2.0版）
  区分変更 0230008 禁止になる2: 標準オプション → 実装不可（第2.0版）
対応表への影響: 対応切れ 1、要再確認 2、新たなギャップ 2、新たな違反 1
  対応切れ mappings/kaigo.yaml:6 F1 → 0230002（○; 第2.0版で削除、対応表は第1.0
    版）
  要再確認 mappings/kaigo.yaml:7 F2 → 0230003（△; 第2.0版で文言変更、対応表は第
    1.0版）
  要再確認 mappings/kaigo.yaml:8 F2 → 0230004（×; 第2.0版で名称変更、対応表は第
    1.0版）
  適合 ○ 0230005 必須になる: 実装必須（旧区分 標準オプション）; 現行 F3
  新たなギャップ 0230006 必須になる2: 実装必須（旧区分 標準オプション）
  新たなギャップ 0230011 新しい必須: 実装必須（第2.0版で追加）
  新たな違反 0230007 禁止になる: 実装不可（旧区分 実装必須）; 現行 F4
  実装不可・該当なし 0230008 禁止になる2: 実装不可（旧区分 標準オプション）
"""
    js = cli("spec", "diff", "kaigo", "1.0", "2.0", "--format", "json")
    assert js.exit_code == 0
    assert json.loads(js.stdout) == spec_diff(load_project(Config.defaults(".")), "kaigo", "1.0", "2.0").to_dict()


def test_cli_usage_and_invalid_input(project_dir: Path, cli: Any) -> None:
    res = cli("spec", "diff", "kaigo", "1.0", "9.0")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: no catalogue of kaigo version 9.0 is loaded (loaded versions: 1.0, 2.0)\n")
    (project_dir / "specs/kaigo/2.0.yaml").write_text(V2.replace("class: 実装必須, title: 据え置き", "class: 必須, title: 据え置き"),
                                                      "utf-8")
    bad = cli("spec", "diff", "kaigo", "1.0", "2.0")
    assert bad.exit_code == 3
    assert bad.stderr.splitlines()[-1] == "gapcheck: 1 error(s) in the input; nothing was written"
    assert bad.stderr.splitlines()[0].startswith("specs/kaigo/2.0.yaml:5:")


def test_the_two_sample_versions(monkeypatch: pytest.MonkeyPatch, cli: Any) -> None:
    """The shipped sample (specs/kaigo/5.0.yaml, 6.0.yaml, mappings/kaigo.yaml made against 5.0)."""
    monkeypatch.chdir(REPO)
    res = cli("spec", "diff", "kaigo", "5.0", "6.0")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == """kaigo 第5.0版 → 第6.0版: 追加 2、削除 2、文言変更 2、名称変更 1、区分変更 2
  追加 0230047 標準オプション 認定有効期間満了のお知らせ（第6.0版で追加）
  追加 0230245 実装必須 マイナポータルからの申請取込（第6.0版で追加）
  削除 0230230 標準オプション 審査会委員の報酬管理（第6.0版で削除）
  削除 0230270 実装必須 適用除外者の管理（第6.0版で削除）
  文言変更 0230305 本算定の一括計算: 「当該年度の所得確定後に保険料の本算定を一
    括計算できること。」 → 「当該年度の所得確定後に保険料の本算定を一括計算し、
    仮徴収額との差額を以後の納期…」（第6.0版）
  文言変更 0230351 負担割合の判定: 「所得情報から利用者負担割合（1割・2割・3割）
    を判定できること。」 → 「本人の合計所得金額及び同一世帯の第1号被保険者の年金
    収入等から利用者負担割合（…」（第6.0版）
  名称変更 0230335 督促対象者の抽出: 「督促状発行対象の抽出」 → 「督促対象者の抽
    出」（第6.0版）
  区分変更 0230210 主治医意見書の依頼管理: 標準オプション → 実装必須（第6.0版）
  区分変更 0230280 被保険者番号の変更: 実装必須 → 実装不可（第6.0版）
対応表への影響: 対応切れ 3、要再確認 4、新たなギャップ 1、新たな違反 1
  対応切れ mappings/kaigo.yaml:21 KG-F007 → 0230230（△; 第6.0版で削除、対応表は
    第5.0版）
  対応切れ mappings/kaigo.yaml:26 KG-F010 → 0230270（△; 第6.0版で削除、対応表は
    第5.0版）
  対応切れ mappings/kaigo.yaml:27 KG-F011 → 0230270（○; 第6.0版で削除、対応表は
    第5.0版）
  要再確認 mappings/kaigo.yaml:33 KG-F014 → 0230305（○; 第6.0版で文言変更、対応
    表は第5.0版）
  要再確認 mappings/kaigo.yaml:39 KG-F019 → 0230335（×; 第6.0版で名称変更、対応
    表は第5.0版）
  要再確認 mappings/kaigo.yaml:40 KG-F020 → 0230335（△; 第6.0版で名称変更、対応
    表は第5.0版）
  要再確認 mappings/kaigo.yaml:41 KG-F021 → 0230351（○; 第6.0版で文言変更、対応
    表は第5.0版）
  適合 ○ 0230210 主治医意見書の依頼管理: 実装必須（旧区分 標準オプション）; 現行
    KG-F003
  新たなギャップ 0230245 マイナポータルからの申請取込: 実装必須（第6.0版で追加）
  新たな違反 0230280 被保険者番号の変更: 実装不可（旧区分 実装必須）; 現行
    KG-F011, KG-F012
"""


def test_a_link_broken_two_revisions_ago_names_the_revision_that_broke_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                                          cli: Any) -> None:
    """Mapping against 5.0, diff 6.0 -> 7.0: 0230270 was removed in 6.0, not in 7.0."""
    import shutil

    for name in ("specs", "current_system", "mappings"):
        shutil.copytree(REPO / name, tmp_path / name)
    six = (tmp_path / "specs" / "kaigo" / "6.0.yaml").read_text("utf-8")
    (tmp_path / "specs" / "kaigo" / "7.0.yaml").write_text(six.replace('version: "6.0"', 'version: "7.0"'), "utf-8")
    monkeypatch.chdir(tmp_path)
    res = cli("spec", "diff", "kaigo", "6.0", "7.0")
    assert res.exit_code == 0, res.stderr
    flat = res.stdout.replace("\n    ", "")
    assert "KG-F010 → 0230270（△; 第6.0版で削除、対応表は第5.0版）" in flat
    assert "KG-F014 → 0230305（○; 第6.0版で文言変更、対応表は第5.0版）" in flat


def test_the_text_respects_the_width_and_never_breaks_an_id(project_dir: Path, cli: Any) -> None:
    from rich.cells import cell_len

    from gapcheck.render.base import RenderOptions
    from gapcheck.render.diff import render_text

    diff = spec_diff(load_project(Config.defaults(".")), "kaigo", "1.0", "2.0")
    for width in (40, 50, 60, 80, 100):
        text = render_text(diff, RenderOptions(width=width))
        assert max(cell_len(line) for line in text.splitlines()) <= width, width
        for rid in ("0230002", "0230003", "0230011", "mappings/kaigo.yaml:6"):
            assert rid in text, (width, rid)
