"""共通機能 as a 21st scope: a shared component linked from the items of several operations, counted once.

The small fixture (介護保険) gets a 共通機能 catalogue (function 0320001 mandatory, 0320002 optional), a
tiny 住民基本台帳 catalogue, and items: KY1 of the 共通機能 system, JX1 of 住民基本台帳.  The 共通機能
mapping links 0320001 from kaigo's F4 (partial) and juki's JX1 (fit): one requirement, fit, with two items.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from gapcheck.analysis.classify import analyze
from gapcheck.core.config import Config, load_config
from gapcheck.readiness.bundle import build_report
from gapcheck.render.formats import render
from gapcheck.validation.project import load_project

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

KYOTSU = """\
# Test fixture (synthetic): IDs of the real 団体内統合宛名 range; titles invented.
gapcheck: catalogue/1
operation: kyotsu
version: "2.7"
sample: true
requirements:
  - {id: "0320001", kind: function, class: 【類型1 実装必須機能】, title: 架空の統合宛名機能, category: [団体内統合宛名]}
  - {id: "0320002", kind: function, class: 【類型3 標準オプション機能】, title: 架空の宛名照会機能, category: [団体内統合宛名]}
"""
JUKI = """\
gapcheck: catalogue/1
operation: juki
version: "1.0"
sample: true
requirements:
  - {id: "0010001", kind: function, class: 実装必須, title: 架空の住記機能}
"""
ITEMS = """\
gapcheck: inventory/1
municipality: {name: テスト町, code: "999997"}
sample: true
operations:
  kyotsu:
    items:
      - {id: KY1, kind: function, name: 統合宛名の照会画面}
  juki:
    items:
      - {id: JX1, kind: function, name: 宛名番号の管理}
"""
MAPPING = """\
gapcheck: mapping/1
operation: kyotsu
spec_version: "2.7"
links:
  - {item: F4, item_operation: kaigo, requirement: "0320001", judgement: partial}
  - {item: JX1, item_operation: juki, requirement: "0320001", judgement: fit}
custom:
  - {item: KY1, disposition: euc}
"""


@pytest.fixture
def shared(small: Path) -> Path:
    for rel, text in (("specs/kyotsu/2.7.yaml", KYOTSU), ("specs/juki/1.0.yaml", JUKI),
                      ("current_system/shared.yaml", ITEMS), ("mappings/kyotsu.yaml", MAPPING)):
        (small / rel).parent.mkdir(parents=True, exist_ok=True)
        (small / rel).write_text(text, "utf-8")
    return small


def _project() -> Any:
    project = load_project(Config.defaults("."))
    assert [p.format("en") for p in project.problems] == []
    return project


def test_a_shared_requirement_linked_from_two_operations_is_counted_once(shared: Path) -> None:
    result = analyze(_project())
    assert [s.operation for s in result.summaries] == ["juki", "kaigo", "kyotsu"]  # registry order; 共通機能 last
    req = result.requirements
    rows = req[req["operation"] == "kyotsu"]
    assert list(zip(rows["id"], rows["state"], rows["items"].fillna("—"), strict=True)) == [
        ("0320001", "fit", "juki/JX1, kaigo/F4"), ("0320002", "optional-unused", "—")]
    s = result.summary("kyotsu")
    assert (s.name, s.spec_version, s.requirements, s.states["fit"], s.mandatory_functions, s.fit_rate_functions) == (
        "共通機能", "2.7", 2, 1, 1, 1.0)
    assert (s.items, s.custom, s.undecided) == (1, 1, 0)  # its own item KY1, by EUC
    assert result.overall.requirements == sum(x.requirements for x in result.summaries) == 1 + 11 + 2


def test_the_items_it_names_are_linked_whichever_operations_are_analysed(shared: Path) -> None:
    project = _project()
    for result in (analyze(project), analyze(project, ["kaigo"]), analyze(project, ["kaigo", "juki"])):
        items = result.items.set_index(["operation", "id"])
        assert items.loc[("kaigo", "F4"), "state"] == "linked"  # custom (undecided) in the small fixture alone
        assert items.loc[("kaigo", "F4"), "requirements"] == "kyotsu/0320001"
        assert result.summary("kaigo").undecided == 1  # R2 only
        if "juki" in result.versions:
            assert items.loc[("juki", "JX1"), "requirements"] == "kyotsu/0320001"


def test_readiness_and_reports_treat_it_like_an_operation(shared: Path, cli: Any) -> None:
    report = build_report(_project(), load_config("."), dt.date(2026, 3, 31))
    kyotsu = report.operation("kyotsu")
    assert kyotsu is not None and kyotsu.name == "共通機能" and kyotsu.mandatory_fit_rate == 1.0
    markdown = str(render(report, "markdown"))
    assert "| 共通機能 (kyotsu) | " in markdown and "<summary>共通機能 (kyotsu) 第2.7版: " in markdown
    assert '<testsuite name="kyotsu"' in str(render(report, "junit"))
    res = cli("analyze", "--operation", "kyotsu", "--format", "json")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout)["operations"][0]["code"] == "kyotsu"


def test_it_is_in_scope_by_default_and_may_be_marked_not_applicable(shared: Path, cli: Any) -> None:
    text = (shared / "current_system/inventory.yaml").read_text("utf-8")
    (shared / "current_system/inventory.yaml").write_text(
        text.replace("  - {operation: seikatsu-hogo, reason: 県が実施}",
                     "  - {operation: seikatsu-hogo, reason: 県が実施}\n"
                     "  - {operation: kyotsu, reason: 共通機能は県の共同利用システムを使う}"),
        "utf-8")
    res = cli("validate")
    assert res.exit_code == 3
    assert res.stderr.splitlines()[:2] == [
        "current_system/shared.yaml:5:3: not-applicable-has-items: $.operations.kyotsu: 共通機能 is listed as not applicable, "
        "yet items are given (expected no items for an operation that does not apply, found 1 item(s))",
        "mappings/kyotsu.yaml:2:12: operation-not-applicable: $.operation: 共通機能 does not apply to テスト町 "
        "(inventory: not_applicable) (expected an operation in scope, found 'kyotsu')",
    ]
    rows = json.loads(cli("operations", "--format", "json").stdout)
    assert rows[-1]["applicable"] is False and rows[-1]["reason"] == "共通機能は県の共同利用システムを使う"


def test_the_shipped_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    """specs/kyotsu/2.7.yaml, current_system/kyotsu.yaml, mappings/kyotsu.yaml: static sample files, counted by hand."""
    repo = Path(__file__).resolve().parents[1]
    monkeypatch.chdir(repo)
    project = _project()
    cat = project.catalogue("kyotsu")
    assert cat is not None and cat.sample and "サンプル・架空" in cat.title
    ids = [r.id for r in cat.requirements]
    assert all("0310001" <= i <= "0310024" or "0320001" <= i <= "0320008" for i in ids)  # the real ranges, as IDs only
    assert {r.category[0] for r in cat.requirements} == {"住登外者宛名番号管理", "団体内統合宛名"}  # the sub-functions: 大項目
    assert all(r.note == "架空（サンプル）" for r in cat.requirements)
    result = analyze(project, ["kyotsu"])
    s = result.summary("kyotsu")
    # 12 requirements: mandatory 0310001-3, 0310005, 0320001-3, 0320005 (8; 6 fit, 0310003 partial, 0310005 deferred);
    # optional 0310004 (declared unused), 0320004, 0320006 (not linked); forbidden 0310006 (done: a violation)
    assert (s.requirements, s.mandatory_functions, s.fit_rate_functions, s.violations) == (12, 8, 0.75, 1)
    assert {k: v for k, v in s.states.items() if v} == {"fit": 6, "partial": 1, "deferred": 1, "optional-unused": 3,
                                                       "violation": 1}
    assert (s.items, s.linked, s.custom, s.undecided) == (6, 5, 1, 0)
    req = result.requirements.set_index("id")
    assert (req.loc["0320002", "state"], req.loc["0320002", "items"]) == ("fit", "juki/JK-F062, senkyo/SK-F018")
    everything = analyze(project)
    items = everything.items.set_index(["operation", "id"])
    assert items.loc[("juki", "JK-F062"), "requirements"] == "7.1.2.3-2, kyotsu/0320002"
    assert items.loc[("senkyo", "SK-F018"), "requirements"] == "9010226, kyotsu/0320002"


def test_show_names_the_shared_requirement_of_an_item(shared: Path) -> None:
    from gapcheck.analysis.explain import show

    (item,) = show(_project(), "F4", dt.date(2026, 3, 31)).found
    assert (item["state"], item["reasons"]) == ("linked", ["要件 kyotsu/0320001 に △（mappings/kyotsu.yaml:5）"])


def test_an_item_linked_by_the_shared_mapping_cannot_also_be_custom_in_its_own(shared: Path, cli: Any) -> None:
    """kaigo's F4 is linked by the 共通機能 mapping; listing it as custom in kaigo's mapping too is the
    cross-file form of custom-item-linked (it was accepted: the item counted as linked and as custom)."""
    kaigo = shared / "mappings" / "kaigo.yaml"
    kaigo.write_text(kaigo.read_text("utf-8").replace("  - {item: F5, disposition: abolish}\n",
                                                       "  - {item: F5, disposition: abolish}\n"
                                                       "  - {item: F4, disposition: euc}\n"), "utf-8")
    res = cli("validate")
    assert res.exit_code == 3
    assert res.stderr.splitlines()[0] == (
        "mappings/kaigo.yaml:16:12: custom-item-linked: $.custom[1].item: item F4 is linked to a 共通機能 requirement in "
        "mappings/kyotsu.yaml:5 and also listed as custom here (expected either links or a custom disposition, found 'F4')")
