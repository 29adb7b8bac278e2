"""``gapcheck show`` explains why a state is what it is, one line per cause (on the shipped sample)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import REPO, SMALL

from gapcheck.analysis.explain import show
from gapcheck.core.config import Config, load_config
from gapcheck.validation.project import load_project

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

AS_OF = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def sample():  # type: ignore[no-untyped-def]
    return load_project(load_config(REPO))


def _reasons(project, ident: str, version: str | None = None, as_of: dt.date = AS_OF) -> list[str]:  # type: ignore[no-untyped-def]
    found = show(project, ident, as_of).found
    return next(f for f in found if version is None or f.get("spec_version") == version)["reasons"]


def test_a_removed_requirement_says_in_which_version(sample) -> None:  # type: ignore[no-untyped-def]
    assert _reasons(sample, "0230270", "5.0") == ["第6.0版で削除: 分析対象の第6.0版にない（この要件への対応付けは対応切れ）"]


def test_an_item_with_a_broken_link_says_it_is_broken(sample) -> None:  # type: ignore[no-untyped-def]
    assert _reasons(sample, "KG-F007") == ["対応切れ: 要件 0230230 は第6.0版で削除（mappings/kaigo.yaml:21）",
                                           "標準に対応する要件がない（独自）: 処置 未決定"]


def test_a_new_requirement_without_a_link_says_both(sample) -> None:  # type: ignore[no-untyped-def]
    assert _reasons(sample, "0230245", "6.0") == ["第6.0版で追加",
                                                  "対応付けなし: どの現行機能・帳票もこの要件に対応付けられていない"]


def test_a_link_made_against_an_older_wording_asks_for_review(sample) -> None:  # type: ignore[no-untyped-def]
    assert _reasons(sample, "0230305", "6.0") == [
        "現行 KG-F014 が ○ と判定（mappings/kaigo.yaml:33、第5.0版に対して）",
        "その判定は第5.0版の要件に対するもので、第6.0版で文言変更: 判定をし直す"]


def test_a_deferral_says_whether_it_has_expired() -> None:
    project = load_project(Config.defaults(SMALL))
    before = [r for r in _reasons(project, "0230291", as_of=dt.date(2027, 3, 31)) if r.startswith("経過措置")][0]
    assert before.startswith("経過措置: 2027-03-31 まで（") and "mappings/kaigo.yaml:" in before and "期限切れ" not in before
    assert "（期限切れ: 未解消ギャップ）" in [r for r in _reasons(project, "0230291", as_of=dt.date(2027, 4, 1))
                                         if r.startswith("経過措置")][0]


def test_item_ids_match_in_any_case_and_unknown_ids_get_the_nearest(sample, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert show(sample, "kg-f001", AS_OF).found[0]["id"] == "KG-F001"
    assert show(sample, "0230266", AS_OF).nearest[:2] == ["0230265", "0230260"]
    monkeypatch.chdir(REPO)
    res = cli("show", "0230266")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: no requirement or inventory item '0230266'; nearest: "
                                              "0230265, 0230260, 0230286\n")
    shown = json.loads(cli("show", "kg-f007", "--format", "json", "--as-of", "2026-11-29").stdout)
    assert shown[0]["reasons"][0].startswith("対応切れ: 要件 0230230")
