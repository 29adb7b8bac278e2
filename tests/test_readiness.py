"""Readiness: status rules (deadline day and the day after), ministry rate formulas, history, forecast."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import REPO

from gapcheck.analysis.classify import analyze
from gapcheck.core.config import Config
from gapcheck.core.dates import deadline_label, fiscal_label, fiscal_year, wareki
from gapcheck.loading.history import Snapshot, load_history
from gapcheck.readiness.history import forecast, record, trend
from gapcheck.readiness.status import assess
from gapcheck.validation.project import load_project

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

PLAN = """\
gapcheck: plan/1
start: "2022-04-01"
steps:
  - {id: S1, phase: 計画立案, name: 一}
  - {id: S2, phase: 計画立案, name: 二}
  - {id: S3, phase: 調達, name: 三}
  - {id: S4, phase: 移行, name: 四}
  - {id: S5, phase: 移行, name: 五}
operations:
  kaigo:
%s
"""


def readiness_of(small: Path, op_block: str, as_of: dt.date, history=None):  # type: ignore[no-untyped-def]
    (small / "current_system" / "plan.yaml").write_text(PLAN % op_block, "utf-8")
    project = load_project(Config.defaults(small))
    assert project.valid, [p.format("en") for p in project.problems]
    return assess(project, analyze(project, as_of=as_of), as_of, history).operations[0]


def test_rates_follow_the_ministry_formulas(small: Path) -> None:
    o = readiness_of(small, "    planned_go_live: \"2026-03-01\"\n    steps: {S1: 完了済み, S2: 対象外, S3: 作業中}",
                     dt.date(2025, 1, 1))
    assert o.steps_total == 5
    assert o.completion_rate == 0.4  # (完了済み 1 + 対象外 1) / 5
    assert o.in_progress_rate == 0.2  # 作業中 1 / 5
    assert o.not_started_rate == 0.4  # 未着手: S4, S5 (unlisted steps are 未着手)
    assert o.mandatory_fit_rate == round(2 / 7, 4)  # fixture: 2 fit of 7 mandatory
    assert o.open_gaps == 4  # gap 2 + partial 2 (the deferred one is not open)
    assert o.deferrals == (("0230291", "function", "2027-03-31"),)


DONE = "{S1: 完了済み, S2: 完了済み, S3: 完了済み, S4: 完了済み, S5: 作業中}"


@pytest.mark.parametrize("as_of, status, days", [
    (dt.date(2026, 3, 30), "on-track", 1),
    (dt.date(2026, 3, 31), "on-track", 0),   # the deadline day itself is not overdue
    (dt.date(2026, 4, 1), "overdue", -1),    # the day after is
])
def test_deadline_day_and_the_day_after(small: Path, as_of: dt.date, status: str, days: int) -> None:
    o = readiness_of(small, f"    planned_go_live: \"2026-03-31\"\n    steps: {DONE}", as_of)
    assert (o.status, o.days_left) == (status, days)


def test_migrated_on_the_go_live_day(small: Path) -> None:
    block = f"    planned_go_live: \"2026-03-31\"\n    actual_go_live: \"2026-04-15\"\n    steps: {DONE}"
    assert readiness_of(small, block, dt.date(2026, 4, 14)).status == "overdue"
    o = readiness_of(small, block, dt.date(2026, 4, 15))
    assert (o.status, o.days_left) == ("migrated", None)


@pytest.mark.parametrize("as_of, block, reason", [
    (dt.date(2025, 6, 1), "    steps: {S1: 完了済み}", "稼働予定日が未定"),
    (dt.date(2025, 6, 1), f"    planned_go_live: \"2026-05-01\"\n    steps: {DONE}", "稼働予定日 2026-05-01 が期限後"),
    (dt.date(2026, 2, 1), f"    planned_go_live: \"2026-01-01\"\n    steps: {DONE}", "稼働予定日 2026-01-01 を過ぎたが未稼働"),
    (dt.date(2025, 12, 1), "    planned_go_live: \"2026-03-01\"\n    steps: {S1: 完了済み, S2: 完了済み}",
     "期限まで 120 日で完了率 40%"),
])
def test_at_risk_rules(small: Path, as_of: dt.date, block: str, reason: str) -> None:
    o = readiness_of(small, block, as_of)
    assert o.status == "at-risk"
    assert o.reasons == (reason,)


def test_an_approved_extension_moves_the_deadline(small: Path) -> None:
    block = (f"    planned_go_live: \"2027-10-01\"\n"
             f"    extension: {{reason: 4, deadline: \"2028-03-31\", approved: \"2025-06-30\"}}\n    steps: {DONE}")
    o = readiness_of(small, block, dt.date(2026, 11, 29))
    assert (o.status, o.deadline, o.days_left, o.extension_reason) == ("extended", dt.date(2028, 3, 31), 488, 4)
    assert o.reasons == ("特定移行支援システム（理由 4: ベンダーのリソース逼迫）期限 2028-03-31",)
    assert readiness_of(small, block, dt.date(2028, 4, 1)).status == "overdue"


def test_an_extension_not_yet_approved_keeps_the_statutory_deadline(small: Path) -> None:
    pending = (f"    planned_go_live: \"2027-10-01\"\n"
               f"    extension: {{reason: 4, deadline: \"2028-03-31\"}}\n    steps: {DONE}")
    o = readiness_of(small, pending, dt.date(2026, 11, 29))
    assert (o.status, o.deadline, o.days_left) == ("overdue", dt.date(2026, 3, 31), -243)
    assert o.reasons[-1] == "特定移行支援の期限延長は未承認（approved の日付なし、または基準日より後）"
    later = pending.replace('deadline: \"2028-03-31\"}', 'deadline: \"2028-03-31\", approved: \"2026-12-01\"}')
    assert readiness_of(small, later, dt.date(2026, 11, 29)).status == "overdue"
    assert readiness_of(small, later, dt.date(2026, 12, 1)).status == "extended"


def test_an_expired_deferral_is_an_open_gap_again(small: Path) -> None:
    block = f"    planned_go_live: \"2027-03-31\"\n    steps: {DONE}"
    before = readiness_of(small, block, dt.date(2027, 3, 31))  # the fixture defers 0230291 until 2027-03-31
    after = readiness_of(small, block, dt.date(2027, 4, 1))
    assert (before.open_gaps, after.open_gaps) == (4, 5)
    assert after.reasons[-1] == "経過措置の期限切れ 1 件（未解消ギャップに計上）"


def _project(small: Path, kaigo: str = "    planned_go_live: \"2026-03-01\"", juki: str = "    planned_go_live: \"2026-03-01\""):  # type: ignore[no-untyped-def]
    (small / "current_system" / "plan.yaml").write_text(PLAN % kaigo + "  juki:\n" + juki + "\n", "utf-8")
    project = load_project(Config.defaults(small))
    assert project.valid, [p.format("en") for p in project.problems]
    return project


def test_an_operation_without_a_catalogue_is_preparing_and_says_what_is_missing(small: Path) -> None:
    project = _project(small, juki="    planned_go_live: \"2026-03-01\"\n    steps: {S1: 完了済み}")
    before = {o.operation: o for o in assess(project, analyze(project), dt.date(2026, 1, 1)).operations}
    juki = before["juki"]
    assert (juki.status, juki.deadline, juki.days_left, juki.completion_rate) == ("preparing", dt.date(2026, 3, 31), 89, 0.2)
    assert (juki.mandatory_fit_rate, juki.open_gaps, juki.forecast) == (None, 0, None)
    assert juki.reasons == ("標準仕様書のカタログが未登録（gapcheck spec import）",
                            "現行機能・帳票の一覧が未登録（gapcheck inventory import）",
                            "対応表（マッピング）が未登録（gapcheck mapping template / import）")
    assert [o.status for o in before.values()].count("preparing") == 19  # every one in scope without a catalogue, 共通機能 too
    assert list(before)[:2] == ["kaigo", "juki"] and list(before)[-1] == "seikatsu-hogo"  # analysed, preparing, not applicable
    after = next(o for o in assess(project, analyze(project), dt.date(2026, 11, 29)).operations if o.operation == "juki")
    assert (after.status, after.days_left) == ("preparing", -243)
    assert after.reasons[-1] == "期限 令和7年度末（2026-03-31）を 243 日超過"


def test_a_recorded_go_live_needs_no_catalogue(small: Path) -> None:
    project = _project(small, juki="    actual_go_live: \"2025-12-01\"")
    juki = next(o for o in assess(project, analyze(project), dt.date(2026, 11, 29)).operations if o.operation == "juki")
    assert (juki.status, juki.days_left, juki.reasons) == ("migrated", None, ("2025-12-01 稼働",))


def test_an_analysed_operation_without_a_mapping_says_so(small: Path) -> None:
    (small / "mappings" / "kaigo.yaml").unlink()
    project = _project(small)
    kaigo = assess(project, analyze(project), dt.date(2025, 1, 1)).operations[0]
    assert (kaigo.operation, kaigo.status) == ("kaigo", "on-track")
    assert kaigo.reasons == ("対応表（マッピング）が未登録（gapcheck mapping template / import）",)


def test_verdict_of_preparing_operations() -> None:
    from gapcheck.readiness.status import OperationReadiness, verdict

    def op(code: str, status: str) -> OperationReadiness:
        return OperationReadiness(code, code, status, None, None, None, None, None, 0, None, None, None, None,
                                  0, 0, 0, 0, (), None)

    assert verdict((op("juki", "preparing"), op("kaigo", "preparing")), dt.date(2026, 11, 29)) == (
        "準備中: 2 業務は判定に必要なデータ（仕様書カタログ・現行機能一覧・対応表）が未登録。対象 2 業務（準備中 2）")
    assert verdict((op("kaigo", "at-risk"), op("juki", "preparing")), dt.date(2026, 11, 29)) == (
        "要注意: kaigo に遅延リスク、1 業務は準備中（判定に必要なデータが未登録）。対象 2 業務（遅延リスク 1・準備中 1）")


def test_verdict_names_overdue_and_at_risk_operations() -> None:
    from gapcheck.readiness.status import OperationReadiness, verdict

    def op(code: str, name: str, status: str) -> OperationReadiness:
        return OperationReadiness(code, name, status, None, None, None, None, None, 0, None, None, None, None,
                                  0, 0, 0, 0, (), None)

    ops = (op("kaigo", "介護保険", "overdue"), op("juki", "住民基本台帳", "migrated"), op("shogai", "障害者福祉", "at-risk"))
    assert verdict(ops, dt.date(2026, 11, 29)) == (
        "期限超過あり: 介護保険 が期限を過ぎて未移行、障害者福祉 に遅延リスク。対象 3 業務（移行済み 1・遅延リスク 1・期限超過 1）")


def test_sample_statuses_differ_between_deadline_and_today(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    statuses = {}
    for day in ("2026-03-31", "2026-11-29"):
        res = cli("readiness", "--as-of", day, "--format", "json")
        assert res.exit_code == 0, res.stderr
        statuses[day] = {o["operation"]: o["status"] for o in json.loads(res.stdout)["operations"]}
    assert statuses["2026-03-31"] == {
        "juki": "migrated", "senkyo": "migrated", "kotei-shisanzei": "migrated", "kojin-juminzei": "migrated",
        "hojin-juminzei": "migrated", "keijidoshazei": "migrated", "shugaku": "at-risk", "kokumin-nenkin": "migrated",
        "kokuho": "extended", "koki-korei": "on-track", "kaigo": "at-risk", "shogai-fukushi": "at-risk",
        "kenko-kanri": "migrated", "jido-teate": "migrated", "inkan": "migrated", "koseki": "migrated",
        "koseki-fuhyo": "migrated", "kodomo-kosodate": "at-risk", "kyotsu": "migrated", "seikatsu-hogo": "not-applicable",
        "jido-fuyo-teate": "not-applicable"}
    changed = {k: (v, statuses["2026-11-29"][k]) for k, v in statuses["2026-03-31"].items() if v != statuses["2026-11-29"][k]}
    assert changed == {"shugaku": ("at-risk", "migrated"), "koki-korei": ("on-track", "overdue"),
                       "kaigo": ("at-risk", "overdue"), "kodomo-kosodate": ("at-risk", "overdue")}


def snap(day: dt.date, gaps: int, done: float | None = 0.5, op: str = "kaigo") -> Snapshot:
    return Snapshot(day, op, "on-track", gaps, 0.5, done, 0, 0)


def test_forecast_of_a_known_linear_history() -> None:
    d = dt.date
    history = [snap(d(2026, 1, 1), 30, 0.4), snap(d(2026, 1, 11), 20, 0.5), snap(d(2026, 1, 21), 10, 0.6)]
    fc = forecast(history, "kaigo", d(2026, 3, 31))
    assert fc.enough_history and fc.snapshots == 3
    assert fc.gaps_zero_on == d(2026, 1, 31)  # 30 - 1 gap a day from 1 January
    assert fc.steps_complete_on == d(2026, 3, 2)  # 0.4 + 0.01 a day reaches 1.0 after 60 days
    assert fc.before_deadline is True
    assert forecast(history, "kaigo", d(2026, 2, 28)).before_deadline is False


def test_forecast_needs_three_snapshots_and_a_moving_line() -> None:
    d = dt.date
    fc = forecast([snap(d(2026, 1, 1), 30), snap(d(2026, 2, 1), 20)], "kaigo", d(2026, 3, 31))
    assert (fc.enough_history, fc.snapshots, fc.gaps_zero_on, fc.before_deadline) == (False, 2, None, None)
    assert trend([(d(2026, 1, 1), 5.0), (d(2026, 2, 1), 5.0), (d(2026, 3, 1), 6.0)], 0.0).reaches_on is None
    assert trend([(d(2026, 1, 1), 5.0), (d(2026, 2, 1), 2.0), (d(2026, 3, 1), 0.0)], 0.0).reaches_on == d(2026, 3, 1)
    # the line crosses zero before the last snapshot, but one gap is still open: not "reached on" a past day
    assert trend([(d(2026, 1, 1), 10.0), (d(2026, 1, 2), 2.0), (d(2026, 1, 3), 1.0)], 0.0).reaches_on == d(2026, 1, 4)


def test_forecast_ignores_step_progress_without_enough_history_of_its_own() -> None:
    d = dt.date
    history = [snap(d(2026, 1, 1), 30, None), snap(d(2026, 1, 11), 20, 0.5), snap(d(2026, 1, 21), 10, 0.6)]
    fc = forecast(history, "kaigo", d(2026, 3, 31))
    assert (fc.gaps_zero_on, fc.steps_complete_on, fc.before_deadline) == (d(2026, 1, 31), None, True)


def test_two_snapshots_on_one_date_leave_one_record_per_operation(small: Path, cli) -> None:
    (small / "current_system" / "plan.yaml").write_text(PLAN % "    planned_go_live: \"2026-03-31\"", "utf-8")
    for _ in range(2):
        res = cli("snapshot", "--as-of", "2026-01-05")
        assert res.exit_code == 0, res.stderr
    res = cli("snapshot", "--as-of", "2026-02-05")
    assert res.stderr == ("recorded 1 operation(s) for 2026-02-05 in reports/history.jsonl (2 snapshot date(s) in all)\n"
                          "updated: reports/results.parquet\n")
    lines = (small / "reports" / "history.jsonl").read_text("utf-8").splitlines()
    assert [(json.loads(x)["date"], json.loads(x)["operation"]) for x in lines] == [
        ("2026-01-05", "kaigo"), ("2026-02-05", "kaigo")]


def test_a_hand_edited_invalid_history_is_reported_not_rewritten(small: Path, cli) -> None:
    path = small / "reports" / "history.jsonl"
    path.parent.mkdir()
    good = snap(dt.date(2026, 1, 5), 3).to_json()
    bad = good.replace('"open_gaps": 3', '"open_gaps": -1').replace("2026-01-05", "2026-02-30")
    path.write_text(good + "\n" + bad + "\n{oops\n", "utf-8")
    before = path.read_bytes()
    res = cli("snapshot", "--as-of", "2026-03-01")
    assert res.exit_code == 3
    assert res.stderr.splitlines() == [
        "reports/history.jsonl:2:1: invalid-date: $.date: not a valid date (expected a real calendar date YYYY-MM-DD, found '2026-02-30')",
        "reports/history.jsonl:2:1: out-of-range: $.open_gaps: value out of range "
        "(expected a whole number from 0 to 999999999999, found number -1)",
        "reports/history.jsonl:3:2: history-syntax: $: not a JSON object: Expecting property name enclosed in double quotes "
        "(expected one JSON object per line, found '{oops')",
        "gapcheck: 3 error(s) in the input; nothing was written",
    ]
    assert path.read_bytes() == before
    snaps, problems = load_history(path)
    assert len(snaps) == 1 and len(problems) == 3


def test_record_keeps_other_dates(tmp_path: Path) -> None:
    path = tmp_path / "h.jsonl"
    record(path, [snap(dt.date(2026, 1, 1), 5), snap(dt.date(2026, 1, 1), 7, op="juki")])
    record(path, [snap(dt.date(2026, 2, 1), 4)])
    merged = record(path, [snap(dt.date(2026, 1, 1), 6)])
    assert [(s.date.isoformat(), s.operation, s.open_gaps) for s in merged] == [
        ("2026-01-01", "kaigo", 6), ("2026-02-01", "kaigo", 4)]


def test_japanese_dates() -> None:
    assert fiscal_year(dt.date(2026, 3, 31)) == 2025 and fiscal_year(dt.date(2026, 4, 1)) == 2026
    assert deadline_label(dt.date(2026, 3, 31)) == "令和7年度末"
    assert deadline_label(dt.date(2031, 3, 31)) == "令和12年度末"
    assert wareki(dt.date(2026, 11, 29)) == "令和8年11月29日"
    assert wareki(dt.date(2019, 5, 1)) == "令和元年5月1日" and wareki(dt.date(2019, 4, 30)) == "平成31年4月30日"
    assert fiscal_label(dt.date(2019, 6, 1)) == "令和元年度"
    assert fiscal_label(dt.date(2019, 4, 15)) == "令和元年度"  # named in the era in force at its end
    assert fiscal_label(dt.date(2019, 3, 31)) == "平成30年度"


def test_the_packaged_step_template_is_a_valid_step_list(small: Path) -> None:
    """The template is only the phases of the procedure manual; it must load as a plan's step list."""
    import yaml

    from gapcheck.core.plan import step_template

    steps = step_template()
    assert [s["phase"] for s in steps][:1] == ["計画立案"] and {s["phase"] for s in steps} == {"計画立案", "調達", "移行"}
    plan = {"gapcheck": "plan/1", "start": "2022-04-01", "steps": steps, "operations": {"kaigo": {}}}
    (small / "current_system" / "plan.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True), "utf-8")
    project = load_project(Config.defaults(small))
    assert project.valid and len(project.plan.steps) == len(steps) == 13


def test_migrated_with_open_work_is_flagged_and_counted_in_the_verdict(small: Path) -> None:
    """A go-live does not close open gaps or violations: 移行済み・未解決あり, named in the verdict."""
    from gapcheck.readiness.status import verdict

    block = '    planned_go_live: "2026-01-04"\n    actual_go_live: "2026-01-04"\n'
    o = readiness_of(small, block, dt.date(2026, 11, 29))
    assert o.status == "migrated" and o.open_work
    assert o.reasons[-1] == "移行済み・未解決あり（未解消ギャップ 4 件、実装不可違反 1 件）"
    assert verdict((o,), dt.date(2026, 11, 29)) == "全 1 業務が標準準拠システムへ移行済み。移行済み・未解決あり: 介護保険"
