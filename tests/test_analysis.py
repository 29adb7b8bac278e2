"""Fit & Gap classification: a hand count, the JSON contract, and property tests of the rules."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import SMALL
from hypothesis import given, settings
from hypothesis import strategies as st

import gapcheck
from gapcheck.analysis.classify import analyze
from gapcheck.core.config import Config, load_config
from gapcheck.core.labels import REQUIREMENT_STATES
from gapcheck.core.model import (
    Catalogue,
    CustomItem,
    Deferral,
    Inventory,
    InventoryItem,
    Link,
    Mapping,
    Operation,
    Prefix,
    Project,
    Requirement,
)
from gapcheck.validation.project import load_project

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py


def test_small_fixture_hand_count() -> None:
    """Counted by hand from tests/fixtures/small (see the comments in its files)."""
    result = analyze(load_project(Config.defaults(SMALL)), as_of=dt.date(2026, 11, 29))
    s = result.summary("kaigo")
    assert s.states == {"fit": 2, "partial": 2, "gap": 2, "deferred": 1, "deferral-expired": 0, "stale": 0, "optional-used": 1,
                        "optional-unused": 1, "violation": 1, "forbidden-absent": 1}
    assert (s.mandatory_functions, s.mandatory_forms) == (5, 2)
    assert s.fit_rate_functions == 0.2  # 0230265 only; 0230275 and 0230286 partial, 0230290 gap, 0230291 deferred
    assert s.fit_rate_forms == 0.5  # 0230010 fit, 0230014 gap
    assert (s.items, s.linked, s.custom, s.undecided) == (8, 5, 3, 2)
    states = dict(zip(result.requirements["id"], result.requirements["state"], strict=True))
    assert states["0230286"] == "partial"  # linked twice: gap (F3) and partial (F1): the best judgement wins
    assert states["0230400"] == "violation"
    items = result.items
    assert list(items["id"][:3]) == ["F4", "R2", "F5"]  # custom first, undecided before decided
    assert list(items["disposition"][:3]) == ["undecided", "undecided", "abolish"]


def test_json_output_equals_the_library_result(small, cli) -> None:
    res = cli("analyze", "--format", "json")
    assert res.exit_code == 0
    assert json.loads(res.stdout) == gapcheck.analyze(gapcheck.load_project(gapcheck.load_config("."))).to_dict()


def test_fail_on(small, cli) -> None:
    assert cli("analyze", "--format", "json", "--fail-on", "violation").exit_code == 1
    res = cli("analyze", "--format", "json", "--fail-on", "stale")
    assert res.exit_code == 0
    res = cli("analyze", "--format", "json", "--fail-on", "gap,undecided")
    assert res.exit_code == 1
    assert res.stderr == "gapcheck: found 2 gap, 2 undecided (--fail-on)\n"
    res = cli("analyze", "--fail-on", "gapp")
    assert res.exit_code == 2
    assert "unknown state(s) gapp" in res.stderr


def test_unknown_operation_is_a_usage_error(small, cli) -> None:
    res = cli("analyze", "--operation", "nosuch")
    assert res.exit_code == 2
    assert res.stderr == "gapcheck: unknown operation 'nosuch' (see `gapcheck operations`)\n"
    res = cli("analyze", "--operation", "seikatsu-hogo")
    assert res.exit_code == 2
    assert res.stderr == "gapcheck: operation 'seikatsu-hogo' does not apply to テスト町\n"


# -- property tests: every requirement and every item lands in exactly one state, by the documented rule --

CLASSES = ("mandatory", "optional", "forbidden")
RANK = {"gap": 1, "partial": 2, "fit": 3}


def expected_state(klass: str, judgements: list[str], deferred: bool) -> str:
    """The rule of the README, written independently of the vectorised code."""
    best = max((RANK[j] for j in judgements), default=0)
    if klass == "mandatory":
        if best == 3:
            return "fit"
        if deferred:
            return "deferred"
        return {2: "partial"}.get(best, "gap")
    if klass == "optional":
        return "optional-used" if best >= 2 else "optional-unused"
    return "violation" if best >= 2 else "forbidden-absent"


@st.composite
def projects(draw):  # type: ignore[no-untyped-def]
    """Random catalogues in which a function and a form often share an ID (separate namespaces), and links to them."""
    n_req = draw(st.integers(1, 25))
    n_items = draw(st.integers(0, 15))
    classes = draw(st.lists(st.sampled_from(CLASSES), min_size=n_req, max_size=n_req))
    keys = draw(st.lists(st.tuples(st.sampled_from(("function", "form")), st.integers(0, 12)),
                         min_size=n_req, max_size=n_req, unique=True))
    reqs = tuple(Requirement("kaigo", "6.0", f"023{1000 + n:04d}", kind, classes[i], f"要件{i}")
                 for i, (kind, n) in enumerate(keys))
    items = tuple(InventoryItem("kaigo", f"F{i}", "function", f"機能{i}") for i in range(n_items))
    pairs = draw(st.lists(st.tuples(st.integers(0, max(n_items - 1, 0)), st.integers(0, n_req - 1),
                                    st.sampled_from(("fit", "partial", "gap"))), max_size=40)) if n_items else []
    links, seen = [], set()
    for i, r, j in pairs:
        if (i, r) not in seen:
            seen.add((i, r))
            links.append(Link("kaigo", "6.0", f"F{i}", reqs[r].id, j, kind=reqs[r].kind))
    mandatory = [(r.kind, r.id) for r in reqs if r.klass == "mandatory"]
    deferred = draw(st.sets(st.sampled_from(mandatory))) if mandatory else set()
    linked = {ln.item for ln in links}
    free = [it.id for it in items if it.id not in linked]
    custom = draw(st.dictionaries(st.sampled_from(free), st.sampled_from(("undecided", "abolish", "euc", "external"))))\
        if free else {}
    mapping = Mapping("kaigo", "6.0", "v", "p", None, True, "m.yaml", tuple(links),
                      tuple(CustomItem("kaigo", i, d) for i, d in custom.items()), (),
                      tuple(Deferral("kaigo", r, "2027-03-31", kind=k) for k, r in sorted(deferred)))
    project = Project((Operation("kaigo", "介護保険", prefixes=(Prefix("023"),)),),
                      (Catalogue("kaigo", "6.0", "t", None, "023", True, "", "c.yaml", reqs),),
                      Inventory("町", None, True, {}, items, ("i.yaml",)), (mapping,))
    return project, links, deferred, custom


@settings(max_examples=60, deadline=None)
@given(projects())
def test_every_requirement_and_item_in_exactly_one_state(data) -> None:  # type: ignore[no-untyped-def]
    project, links, deferred, custom = data
    result = analyze(project)
    req = result.requirements
    assert len(req) == len(project.catalogues[0].requirements)
    assert not req.duplicated(["kind", "id"]).any() and req["ref"].is_unique
    assert set(req["state"]) <= set(REQUIREMENT_STATES)
    for r in project.catalogues[0].requirements:
        judgements = [ln.judgement for ln in links if (ln.kind, ln.requirement) == (r.kind, r.id)]
        row = req[(req["id"] == r.id) & (req["kind"] == r.kind)]
        assert row["state"].item() == expected_state(r.klass, judgements, (r.kind, r.id) in deferred), r
        twin = any(o.id == r.id and o.kind != r.kind for o in project.catalogues[0].requirements)
        assert row["ref"].item() == (f"{r.kind}:{r.id}" if twin else r.id)
    s = result.summary("kaigo")
    assert sum(s.states.values()) == s.requirements == len(req)
    items = result.items
    assert len(items) == len(project.inventory.items) and items["id"].is_unique
    linked = {ln.item for ln in links}
    for row in result.to_dict()["operations"][0]["items"] if len(items) else []:
        if row["id"] in linked:
            assert row["state"] == "linked" and row["disposition"] is None
            refs = set(req.loc[[(k, i) in {(ln.kind, ln.requirement) for ln in links if ln.item == row["id"]}
                                for k, i in zip(req["kind"], req["id"], strict=True)], "ref"])
            assert set(row["requirements"].split(", ")) == refs
        else:
            assert row["state"] == "custom" and row["disposition"] == custom.get(row["id"], "undecided")
    assert s.linked + s.custom == s.items


@st.composite
def revised_projects(draw):  # type: ignore[no-untyped-def]
    """A mapping made against version 1.0, analysed against 2.0 in which requirements were removed or re-worded."""
    n = draw(st.integers(1, 15))
    classes = draw(st.lists(st.sampled_from(CLASSES), min_size=n, max_size=n))
    fate = draw(st.lists(st.sampled_from(("same", "reworded", "retitled", "removed", "reclassified")),
                         min_size=n, max_size=n))
    old = tuple(Requirement("kaigo", "1.0", f"023{1000 + i:04d}", "function", classes[i], f"要件{i}", summary="旧")
                for i in range(n))
    new = []
    for r, f in zip(old, fate, strict=True):
        if f == "removed":
            continue
        new.append(Requirement("kaigo", "2.0", r.id, "function",
                               draw(st.sampled_from(CLASSES)) if f == "reclassified" else r.klass,
                               r.title + ("改" if f == "retitled" else ""), summary="新" if f == "reworded" else "旧"))
    if not new:
        new.append(Requirement("kaigo", "2.0", "0239999", "function", "mandatory", "追加"))
    items = tuple(InventoryItem("kaigo", f"F{i}", "function", f"機能{i}") for i in range(6))
    pairs = draw(st.lists(st.tuples(st.integers(0, 5), st.integers(0, n - 1), st.sampled_from(("fit", "partial", "gap"))),
                          max_size=25, unique_by=lambda p: (p[0], p[1])))
    links = tuple(Link("kaigo", "1.0", f"F{i}", old[r].id, j) for i, r, j in pairs)
    mapping = Mapping("kaigo", "1.0", "v", "p", None, True, "m.yaml", links)
    cats = (Catalogue("kaigo", "1.0", "t", None, "023", True, "", "c1.yaml", old),
            Catalogue("kaigo", "2.0", "t", None, "023", True, "", "c2.yaml", tuple(new)))
    project = Project((Operation("kaigo", "介護保険", prefixes=(Prefix("023"),)),), cats,
                      Inventory("町", None, True, {}, items, ("i.yaml",)), (mapping,))
    return project, dict(zip((r.id for r in old), fate, strict=True)), links


@settings(max_examples=60, deadline=None)
@given(revised_projects())
def test_stale_and_broken_links_after_a_revision(data) -> None:  # type: ignore[no-untyped-def]
    project, fate, links = data
    result = analyze(project)
    assert result.versions == {"kaigo": "2.0"}
    req = result.requirements
    for r in project.catalogues[1].requirements:
        mine = [ln.judgement for ln in links if ln.requirement == r.id]
        changed = fate.get(r.id) in ("reworded", "retitled")
        want = "stale" if mine and changed else expected_state(r.klass, mine, False)  # a class change alone keeps the judgement
        assert req.loc[req["id"] == r.id, "state"].item() == want, (r, fate.get(r.id), mine)
    broken = [ln for ln in links if fate[ln.requirement] == "removed"]
    assert result.summary("kaigo").broken_links == len(broken)
    usable = {ln.item for ln in links if fate[ln.requirement] != "removed"}
    states = dict(zip(result.items["id"], result.items["state"], strict=True))
    assert {i for i, s in states.items() if s == "linked"} == usable


def test_an_operation_without_current_items_is_analysed(small: Path) -> None:
    """Every requirement a gap, no items: the item table is empty but typed (pandas 3 keeps text dtypes)."""
    (small / "current_system" / "inventory.yaml").write_text(
        'gapcheck: inventory/1\nmunicipality: {name: テスト町, code: "999997"}\nsample: true\n'
        "operations:\n  kaigo:\n    items: []\n", "utf-8")
    (small / "mappings" / "kaigo.yaml").unlink()
    project = load_project(load_config(small))
    assert project.valid, [p.format("en") for p in project.problems]
    result = analyze(project)
    assert result.items.empty and result.summary("kaigo").items == 0
    assert result.summary("kaigo").states["gap"] == int((result.requirements["class"] == "mandatory").sum())


def test_a_deferral_past_its_date_is_an_open_gap_of_its_own() -> None:
    """0230291 is deferred until 2027-03-31: on that day still 経過措置, the day after expired (and in the gap table)."""
    project = load_project(Config.defaults(SMALL))
    on_the_day = analyze(project, as_of=dt.date(2027, 3, 31)).summary("kaigo").states
    after = analyze(project, as_of=dt.date(2027, 4, 1))
    assert (on_the_day["deferred"], on_the_day["deferral-expired"]) == (1, 0)
    assert (after.summary("kaigo").states["deferred"], after.summary("kaigo").states["deferral-expired"]) == (0, 1)
    gap = after.operation_tables("kaigo")["gap"]
    assert gap.loc[gap["id"] == "0230291", "state"].tolist() == ["deferral-expired"]
    assert after.found(["deferral-expired"]) == {"deferral-expired": 1}
