"""gapcheck rollup: three municipalities built with gapcheck itself, rolled up, every count checked against their own JSON."""

from __future__ import annotations

import json
import shutil
import statistics
from collections import Counter
from pathlib import Path

import jsonschema
import pytest

from gapcheck.loading.schema import schema

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

REPO = Path(__file__).resolve().parents[1]
SMALL = Path(__file__).parent / "fixtures" / "small"
AS_OF = "2026-06-30"
STATUSES = ("overdue", "at-risk", "preparing", "extended", "on-track", "migrated", "not-applicable")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def _sample_copy(dest: Path) -> Path:
    for name in ("specs", "current_system", "mappings"):
        shutil.copytree(REPO / name, dest / name)
    return dest


def build_three(root: Path) -> dict[str, Path]:
    """A: the sample town as shipped; B: a sample copy with another code, name, plan and mapping; C: the small fixture."""
    a = _sample_copy(root / "a")
    b = _sample_copy(root / "b")
    for inventory in ("inventory.yaml", "kyotsu.yaml"):  # the sample's two inventory files (共通機能 has its own)
        _edit(b / "current_system" / inventory, 'name: 架空県さくら町, code: "999997"', 'name: 架空県もみじ市, code: "990027"')
    plan = b / "current_system" / "plan.yaml"
    _edit(plan, '    actual_go_live: "2025-12-01"\n', "")  # 住民基本台帳 no longer migrated: overdue
    _edit(plan, '    planned_go_live: "2026-09-01"\n',  # 介護保険 becomes a 特定移行支援システム (reason 1)
          '    planned_go_live: "2026-09-01"\n    extension: {reason: 1, deadline: "2027-03-31", approved: "2025-06-30"}\n')
    _edit(b / "mappings" / "kaigo.yaml", 'requirement: "0230205", judgement: ×', 'requirement: "0230205", judgement: fit')
    c = root / "c"
    shutil.copytree(SMALL, c)
    _edit(c / "current_system" / "inventory.yaml", 'name: テスト町, code: "999997"', 'name: テスト村, code: "990035"')
    return {"999997": a, "990027": b, "990035": c}


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Each municipality's own readiness JSON and report JSON (written by gapcheck), and the roll-up JSON of all three."""
    from conftest import invoke

    root = tmp_path_factory.mktemp("three")
    folders = build_three(root)
    mp = pytest.MonkeyPatch()
    mp.setenv("GAPCHECK_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "parse-cache"))  # before the per-test one exists
    own = {}
    try:
        for code, folder in folders.items():
            mp.chdir(folder)
            res = invoke("report", "-f", "json", "-f", "results", "--as-of", AS_OF)
            assert res.exit_code == 0, res.stderr
            readiness = invoke("readiness", "--format", "json", "--as-of", AS_OF)
            assert readiness.exit_code == 0, readiness.stderr
            own[code] = {"readiness": json.loads(readiness.stdout),
                         "report": json.loads((folder / "reports" / "report.json").read_text("utf-8"))}
        mp.chdir(root)
        views = {}
        for by in ("operation", "prefecture", "vendor"):
            res = invoke("rollup", "a", "b", "c", "--by", by, "--format", "json", "--top", "1000")
            assert res.exit_code == 0, res.stderr
            assert res.stderr == "3 団体を集計しました\n"
            views[by] = json.loads(res.stdout)
    finally:
        mp.undo()
    return {"own": own, "views": views, "root": root}


def _ops(own: dict) -> list[tuple[str, dict]]:
    return [(code, o) for code, m in own.items() for o in m["readiness"]["operations"]]


def test_every_count_is_the_sum_of_the_municipalities_own_readiness(three: dict) -> None:
    own, view = three["own"], three["views"]["operation"]
    jsonschema.Draft202012Validator(schema("rollup")).validate(view)
    ops = _ops(own)
    assert view["totals"]["statuses"] == {s: sum(o["status"] == s for _, o in ops) for s in STATUSES}
    assert view["totals"]["open_gaps"] == sum(o["open_gaps"] for _, o in ops)
    assert view["totals"]["violations"] == sum(o["violations"] for _, o in ops)
    assert view["totals"]["undecided"] == sum(o["undecided"] for _, o in ops)
    assert view["totals"]["systems"] == sum(o["status"] != "not-applicable" for _, o in ops)
    assert (view["totals"]["municipalities"], view["totals"]["sample"]) == (3, 3)
    assert len({o["status"] for _, o in ops}) >= 4, "the three should differ"
    for group in view["groups"]:
        mine = [o for _, o in ops if o["operation"] == group["key"]]
        assert group["municipalities"] == len(mine) > 0
        assert {s: group[s] for s in STATUSES} == {s: sum(o["status"] == s for o in mine) for s in STATUSES}
        for field in ("open_gaps", "violations", "undecided"):
            assert group[field] == sum(o[field] for o in mine), (group["key"], field)
        for col, name in (("completion_rate", "completion"), ("mandatory_fit_rate", "fit")):
            values = [o[col] for o in mine if o["status"] != "not-applicable" and o[col] is not None]
            median = round(statistics.median(values), 4) if values else None
            assert group[f"{name}_median"] == pytest.approx(median), (group["key"], col)
    assert sorted(g["key"] for g in view["groups"]) == sorted({o["operation"] for _, o in ops})


def test_one_row_per_municipality_with_its_own_verdict_and_worst_operation(three: dict) -> None:
    own, view = three["own"], three["views"]["operation"]
    rows = {m["code"]: m for m in view["municipalities"]}
    assert list(rows) == sorted(own)
    order = {s: n for n, s in enumerate(STATUSES)}
    for code, m in own.items():
        r, row = m["readiness"], rows[code]
        assert row["verdict"] == r["verdict"] and row["name"] == r["municipality"] and row["as_of"] == AS_OF
        assert {s: row[s] for s in STATUSES} == r["counts"]
        assert row["open_gaps"] == sum(o["open_gaps"] for o in r["operations"])
        assert row["days_to_deadline"] == r["days_to_deadline"]
        assert row["statuses"] == {o["operation"]: o["status"] for o in r["operations"]}  # the heat map row
        worst = min(r["operations"], key=lambda o: (order[o["status"]], o["days_left"] if o["days_left"] is not None else 10**9))
        assert row["worst_status"] == worst["status"]
        assert row["worst_operation"] == (worst["operation"] if worst["status"] not in ("migrated", "not-applicable") else None)
        assert row["prefecture"] == "99" and row["prefecture_name"] == "架空" and row["kind"] == "municipality"
        assert row["sample"] is True
    assert view["verdict"].startswith("期限超過あり: ")


def test_requirement_counts_are_the_sums_of_each_analysis(three: dict) -> None:
    own, view = three["own"], three["views"]["operation"]
    open_states = {"gap", "partial", "violation"}
    want: Counter = Counter()
    having: Counter = Counter()
    for m in own.values():
        for op in m["report"]["analysis"]["operations"]:
            for r in op["requirements"]:
                key = (op["code"], r["kind"], r["id"], op["spec_version"])
                having[key] += 1
                if r["state"] in open_states or (r["state"] == "stale" and r["class"] == "mandatory"):
                    want[key] += 1
    got = {(r["operation"], r["kind"], r["requirement_id"], r["spec_version"]): r for r in view["requirements"]}
    assert {k: r["open"] for k, r in got.items()} == dict(want)
    assert all(r["municipalities"] == having[k] for k, r in got.items())
    # B's vendor judged 0230205 fit where A's judged it ×: one 団体 of the two that have it.
    assert (got[("kaigo", "function", "0230205", "6.0")]["open"], got[("kaigo", "function", "0230205", "6.0")]["gap"]) == (1, 1)
    assert got[("kaigo", "function", "0230205", "6.0")]["municipalities"] == 2
    ranked = [r["open"] for r in view["requirements"]]
    assert ranked == sorted(ranked, reverse=True) and max(ranked) == 3


def test_extensions_count_systems_and_municipalities_by_reason(three: dict) -> None:
    own, view = three["own"], three["views"]["operation"]
    special = [(code, o) for code, o in _ops(own)
               if o["extension_reason"] is not None and o["deadline"] != "2026-03-31" and o["status"] != "not-applicable"]
    rows = {e["reason"]: e for e in view["extensions"]}
    assert list(rows) == [1, 2, 3, 4, None]
    for reason in (1, 2, 3, 4):
        mine = [(c, o) for c, o in special if o["extension_reason"] == reason]
        assert rows[reason]["systems"] == len(mine)
        assert rows[reason]["municipalities"] == len({c for c, _ in mine})
    assert rows[None]["systems"] == len(special) == view["totals"]["special_systems"] == 5
    assert rows[None]["municipalities"] == len({c for c, _ in special}) == 2
    assert rows[1]["systems"] == 1  # B's 介護保険


def test_prefecture_and_vendor_views_group_the_same_rows(three: dict) -> None:
    by_pref, by_vendor = three["views"]["prefecture"], three["views"]["vendor"]
    ops = _ops(three["own"])
    assert [(g["key"], g["name"], g["municipalities"]) for g in by_pref["groups"]] == [("99", "架空", 3)]
    assert by_pref["groups"][0]["open_gaps"] == sum(o["open_gaps"] for _, o in ops)
    assert sum(g["systems"] for g in by_vendor["groups"]) == sum(o["status"] != "not-applicable" for _, o in ops)
    names = {g["name"] for g in by_vendor["groups"]}
    assert "架空ベンダー株式会社 / 架空国保 標準版" in names
    # Requirements per vendor and product: each carries them, and each product's list is ranked on its own.
    assert all("vendor" in r and "product" in r for r in by_vendor["requirements"])
    total = sum(r["open"] for r in by_vendor["requirements"])
    assert total == sum(r["open"] for r in three["views"]["operation"]["requirements"])


def test_the_library_returns_what_the_cli_prints(three: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    import gapcheck

    monkeypatch.chdir(three["root"])
    result = gapcheck.rollup(["a", "b", "c"], by="operation", top=1000)
    assert isinstance(result, gapcheck.Rollup)
    assert json.loads(json.dumps(result.to_dict(), ensure_ascii=False)) == three["views"]["operation"]
