"""`gapcheck check`: the policy gate, its exit codes and its exact messages.

The small fixture (介護保険, hand-countable): mandatory fit rate 2/7 = 28.6%,
1 violation, 2 undecided custom items; without a plan its deadline is
2026-03-31, so on 2026-11-29 it is 243 days overdue.  The 18 other operations
in scope have no catalogue (準備中): only the overdue rule can judge them, and
their deadline has passed too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gapcheck.core.config import load_config
from gapcheck.core.errors import InvalidInput
from gapcheck.readiness.bundle import build_report
from gapcheck.readiness.policy import evaluate, load_policy
from gapcheck.validation.project import load_project, load_registry

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-29"

PASSING = """\
gapcheck: policy/1
all:
  min_mandatory_fit_rate: 0.25
  max_violations: 1
  max_undecided: 2
  max_days_overdue: 365
"""

FAILING = """\
gapcheck: policy/1
all:
  min_mandatory_fit_rate: 0.9
  max_violations: 0
  max_undecided: 5
  max_days_overdue: 0
operations:
  kaigo:
    max_undecided: 1
"""

FAILING_LINES = [
    "policy.yaml:3:27: min_mandatory_fit_rate: kaigo (介護保険): mandatory fit rate 28.6% is below the minimum 90.0%",
    "policy.yaml:4:19: max_violations: kaigo (介護保険): 1 violation(s) of 実装不可 requirements; at most 0 allowed",
    "policy.yaml:9:20: max_undecided: kaigo (介護保険): 2 custom item(s) with an undecided disposition; at most 1 allowed",
    "policy.yaml:6:21: max_days_overdue: kaigo (介護保険): 243 day(s) past the deadline 2026-03-31; at most 0 allowed",
]
PREPARING = [(o.code, o.name) for o in load_registry(None)[0] if o.code not in ("kaigo", "seikatsu-hogo")]
"""The operations in scope with no catalogue in the small fixture, in registry order."""


def overdue_lines(where: str, days: int) -> list[str]:
    """The max_days_overdue breach of every operation in :data:`PREPARING`."""
    return [f"{where}: max_days_overdue: {code} ({name}): {days} day(s) past the deadline 2026-03-31; at most 0 allowed"
            for code, name in PREPARING]


def test_passing_policy_exits_0(small: Path, cli) -> None:
    (small / "policy.yaml").write_text(PASSING, "utf-8")
    res = cli("check", "--as-of", AS_OF)
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""
    assert res.stderr == "OK: policy.yaml: 4 rule(s), 20 operation(s), none breached\n"  # 19 of the 20, and 共通機能


def test_failing_policy_exits_1_listing_every_breach(small: Path, cli) -> None:
    (small / "policy.yaml").write_text(FAILING, "utf-8")
    res = cli("check", "--as-of", AS_OF)
    assert res.exit_code == 1
    assert res.stdout.splitlines() == FAILING_LINES + overdue_lines("policy.yaml:6:21", 243)
    assert res.stderr == "gapcheck: 23 policy rule(s) breached in 20 operation(s) (policy.yaml)\n"


def test_report_only_lists_the_same_and_exits_0(small: Path, cli) -> None:
    (small / "policy.yaml").write_text(FAILING, "utf-8")
    res = cli("check", "--as-of", AS_OF, "--report-only")
    assert res.exit_code == 0
    assert res.stdout.splitlines() == FAILING_LINES + overdue_lines("policy.yaml:6:21", 243)
    assert res.stderr.endswith("(--report-only: exit 0)\n")


def test_policy_option_names_another_file(small: Path, cli) -> None:
    (small / "gate.yaml").write_text(PASSING, "utf-8")
    res = cli("check", "--as-of", AS_OF, "--policy", "gate.yaml")
    assert res.exit_code == 0
    assert res.stderr.startswith("OK: gate.yaml:")


def test_not_yet_overdue_breaks_no_overdue_rule(small: Path, cli) -> None:
    (small / "policy.yaml").write_text("gapcheck: policy/1\nall: {max_days_overdue: 0}\n", "utf-8")
    assert cli("check", "--as-of", "2026-03-31").exit_code == 0
    res = cli("check", "--as-of", "2026-04-01")
    assert res.exit_code == 1
    assert res.stdout.splitlines() == [
        "policy.yaml:2:25: max_days_overdue: kaigo (介護保険): 1 day(s) past the deadline 2026-03-31; at most 0 allowed",
        *overdue_lines("policy.yaml:2:25", 1)]


def test_missing_policy_is_a_usage_error(small: Path, cli) -> None:
    res = cli("check")
    assert res.exit_code == 2
    assert res.stderr == "gapcheck: policy.yaml: no policy file; pass --policy FILE (the sample data ships policy.yaml)\n"


@pytest.mark.parametrize(("text", "expected"), [
    ("gapcheck: policy/1\nall:\n  min_mandatory_fit_rate: 95\n",
     ("policy.yaml:3:27: out-of-range: $.all.min_mandatory_fit_rate: value out of range "
      "(expected a rate from 0 to 1 (0.95 for 95%), found number 95)")),
    ("gapcheck: policy/1\nall:\n  max_violations: none\n",
     "policy.yaml:3:19: wrong-type: $.all.max_violations: wrong type (expected a whole number, 0 or more, found 'none')"),
    ("gapcheck: policy/1\nall:\n  max_violation: 0\n",
     ("policy.yaml:3:3: unknown-field: $.all.max_violation: unknown field 'max_violation'; did you mean 'max_violations'? "
      "(expected one of max_days_overdue, max_undecided, max_violations, min_mandatory_fit_rate, found 'max_violation')")),
    ("gapcheck: policy/1\noperations:\n  kiago: {max_violations: 0}\n",
     ("policy.yaml:3:3: unknown-operation: $.operations.kiago: 'kiago' is not an operation of the registry; "
      "did you mean 'kaigo'? (expected an operation code from `gapcheck operations`, found 'kiago')")),
    ("gapcheck: policy/1\nall: {max_undecided: 1}\nall: {max_undecided: 2}\n",
     ("policy.yaml:3:1: duplicate-key: $.all: key 'all' appears twice in one mapping (first on line 2); "
      "YAML readers silently keep only the last (expected each key once, found 'all' again)")),
], ids=["rate-as-percent", "wrong-type", "unknown-rule", "unknown-operation", "duplicate-key"])
def test_invalid_policy_exits_3_with_position(small: Path, cli, text: str, expected: str) -> None:
    (small / "policy.yaml").write_text(text, "utf-8")
    res = cli("check", "--as-of", AS_OF)
    assert res.exit_code == 3
    assert res.stdout == ""
    assert res.stderr.splitlines()[0] == expected


def test_rule_under_an_operation_replaces_the_common_one(small: Path) -> None:
    (small / "policy.yaml").write_text("gapcheck: policy/1\nall: {max_undecided: 0}\noperations:\n  kaigo: {max_undecided: 2}\n",
                                       "utf-8")
    cfg = load_config(".")
    project = load_project(cfg)
    policy = load_policy("policy.yaml", [o.code for o in project.operations])
    report = build_report(project, cfg, dt.date(2026, 11, 29))
    assert [(r.scope, r.limit) for r in policy.rules_for("kaigo")] == [("kaigo", 2)]
    assert evaluate(policy, report.analysis, report.readiness) == []


def test_library_raises_invalid_input_with_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("gapcheck: policy/1\nall: {max_violations: -1, max_undecided: 1.5}\n", "utf-8")
    with pytest.raises(InvalidInput) as info:
        load_policy(path, ["kaigo"], "p.yaml")
    assert sorted(p.format("en") for p in info.value.problems) == [
        "p.yaml:2:23: out-of-range: $.all.max_violations: value out of range (expected a whole number, 0 or more, found number -1)",
        "p.yaml:2:42: wrong-type: $.all.max_undecided: wrong type (expected a whole number, 0 or more, found number 1.5)",
    ]


def test_sample_policy_is_valid_and_labelled_sample() -> None:
    from gapcheck.validation.project import load_registry

    operations, _ = load_registry(None)
    policy = load_policy(REPO / "policy.yaml", [o.code for o in operations], "policy.yaml")
    assert policy.sample is True
    assert {r.name for r in policy.rules} == {"min_mandatory_fit_rate", "max_violations", "max_undecided", "max_days_overdue"}
