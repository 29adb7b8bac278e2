"""plan template / plan import: the plan in Excel, both round trips exact, every bad cell one exact line."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from conftest import REPO

from gapcheck.core.config import Config
from gapcheck.validation.project import load_project
from gapcheck.vendor.plan_template import plan_document

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

BOOK = "reports/plan-template.xlsx"


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped sample's inventory and plan (18 operations in scope and 共通機能, 13 steps) as the working directory."""
    shutil.copytree(REPO / "current_system", tmp_path / "current_system")
    for d in ("specs", "mappings"):
        (tmp_path / d).mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def plan_of(root: Path) -> dict[str, Any]:
    return yaml.safe_load((root / "current_system" / "plan.yaml").read_text("utf-8"))


def template(cli: Any) -> bytes:
    res = cli("plan", "template", "--force")
    assert res.exit_code == 0, res.stderr
    return Path(BOOK).read_bytes()


def edit(changes: dict[tuple[str, str], Any]) -> None:
    """Set cells of the workbook: (sheet, 'B7') -> value."""
    wb = openpyxl.load_workbook(BOOK)
    for (sheet, ref), value in changes.items():
        wb[sheet][ref] = value
    wb.save(BOOK)


def row_of(sheet: str, operation: str, step: str | None = None) -> int:
    ws = openpyxl.load_workbook(BOOK)[sheet]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == operation and (step is None or ws.cell(r, 3).value == step):
            return r
    raise AssertionError(f"no row for {operation} {step}")


# -- round trips --------------------------------------------------------------------------------


def test_unedited_template_imports_to_the_plan_it_came_from_and_back(sample: Path, cli: Any) -> None:
    original = plan_of(sample)
    first = template(cli)
    res = cli("plan", "import", BOOK)
    assert (res.exit_code, res.stderr) == (0, "wrote: current_system/plan.yaml\n")  # the same plan, written in gapcheck's layout
    assert plan_of(sample) == plan_document(original)
    text = (sample / "current_system" / "plan.yaml").read_text("utf-8")
    assert text.startswith("# サンプル・架空: 架空県さくら町の移行計画")  # its own header comment is kept
    assert template(cli) == first  # the imported plan gives the same workbook, byte for byte
    res = cli("plan", "import", BOOK)
    assert (res.exit_code, res.stderr) == (0, "unchanged: current_system/plan.yaml\n")
    project = load_project(Config.defaults(sample))
    assert [p.format("en") for p in project.problems if p.severity == "error"] == []


def test_template_layout_and_drop_downs(sample: Path, cli: Any) -> None:
    res = cli("plan", "template")
    assert res.stderr == "wrote: reports/plan-template.xlsx\ncurrent_system/plan.yaml: 19 operation(s) × 13 step(s)\n"  # 18 and 共通機能
    wb = openpyxl.load_workbook(BOOK)
    assert wb.sheetnames == ["情報", "業務", "進捗"]
    steps = wb["進捗"]
    assert [c.value for c in steps[1]] == ["業務コード", "業務名（参考）", "手順ID", "段階（参考）", "手順名（参考）",
                                           "状況（空欄は未着手）", "開始日", "完了日", "備考"]
    assert steps.max_row == 1 + 19 * 13  # 18 of the 20 in scope, and 共通機能
    assert [c.value for c in steps[2]][:6] == ["juki", "住民基本台帳", "P01", "計画立案", "推進体制の立ち上げ", "完了済み"]
    r = row_of("進捗", "juki", "M05")
    assert steps.cell(r, 8).value.date().isoformat() == "2025-12-01"  # a real Excel date
    lists = {str(dv.sqref): dv.formula1 for dv in steps.data_validations.dataValidation}
    assert lists == {f"F2:F{1 + 19 * 13}": '"完了済み,作業中,未着手,対象外"'}
    ops = wb["業務"]
    assert [c.value for c in ops[1]][:7] == ["業務コード", "業務名（参考）", "製品", "ベンダー", "稼働予定日", "稼働日",
                                             "特定移行支援の理由"]
    assert ops.cell(row_of("業務", "kokuho"), 7).value == "4 ベンダーのリソース逼迫"
    assert "jido-fuyo-teate" not in [c.value for c in ops["A"]]  # not applicable to the town: not listed


def test_edits_come_back_into_the_plan(sample: Path, cli: Any) -> None:
    template(cli)
    kaigo = row_of("進捗", "kaigo", "C01")
    edit({("進捗", f"F{kaigo}"): "作業中", ("進捗", f"G{kaigo}"): "2026/4/1", ("進捗", f"I{kaigo}"): "RFI 送付済み",
          ("業務", f"E{row_of('業務', 'kaigo')}"): "2027-04-01"})
    res = cli("plan", "import", BOOK)
    assert res.exit_code == 0, res.stderr
    assert res.stderr.splitlines()[-1] == "changed: kaigo"
    entry = plan_of(sample)["operations"]["kaigo"]
    assert entry["steps"]["C01"] == {"status": "作業中", "start": "2026-04-01", "note": "RFI 送付済み"}
    assert entry["planned_go_live"] == "2027-04-01"
    plan = load_project(Config.defaults(sample)).plan
    assert plan.for_operation("kaigo").steps[4].status == "作業中"


def test_clearing_a_status_unlists_the_step(sample: Path, cli: Any) -> None:
    template(cli)
    r = row_of("進捗", "juki", "P01")
    edit({("進捗", f"F{r}"): None})
    assert cli("plan", "import", BOOK).exit_code == 0
    assert "P01" not in plan_of(sample)["operations"]["juki"]["steps"]


def test_a_plan_changed_since_the_template_needs_force(sample: Path, cli: Any) -> None:
    template(cli)
    path = sample / "current_system" / "plan.yaml"
    path.write_text(path.read_text("utf-8").replace("planned_go_live: \"2027-10-01\"", "planned_go_live: \"2027-11-01\"", 1), "utf-8")
    changed = path.read_text("utf-8")
    r = row_of("進捗", "kaigo", "C01")
    edit({("進捗", f"F{r}"): "作業中"})
    res = cli("plan", "import", BOOK)
    assert (res.exit_code, res.stderr) == (2, (f"gapcheck: current_system/plan.yaml: changed since {BOOK} was made from it; use "
                                              "--force to replace it with the workbook's statuses (or make a new template)\n"))
    assert path.read_text("utf-8") == changed
    assert cli("plan", "import", BOOK, "--force").exit_code == 0


# -- bad cells: one exact line each, exit 3, nothing written -----------------------------------------


def test_bad_cells(sample: Path, cli: Any) -> None:
    template(cli)
    before = (sample / "current_system" / "plan.yaml").read_text("utf-8")
    wb = openpyxl.load_workbook(BOOK)
    steps, ops = wb["進捗"], wb["業務"]
    r = row_of("進捗", "kaigo", "C02")
    steps.append(["kaigo", None, "X99", None, None, "作業中"])  # an unknown step
    steps[f"F{r}"] = "済み"  # an unknown status
    steps[f"H{r + 1}"] = "2026-02-30"  # not a date
    steps.append(["jido-fuyo-teate", None, "P01", None, None, "完了済み"])  # an operation the town marked not applicable
    k = row_of("業務", "kaigo")
    ops[f"E{k}"] = "2020-01-01"  # go-live before the plan's start: the loader's rule, reported at its cell
    ops[f"H{row_of('業務', 'kokuho')}"] = None  # an extension with no deadline
    wb.save(BOOK)
    last = steps.max_row
    res = cli("plan", "import", BOOK)
    assert res.exit_code == 3
    assert res.stderr.splitlines() == [
        (f"{BOOK}:{row_of('業務', 'kokuho')}:8: worksheet-missing-value: 業務!H{row_of('業務', 'kokuho')}: an extension (特定移行支援) "
        "has a later deadline (expected a date YYYY-MM-DD, found an empty cell)"),
        f"{BOOK}:{r}:6: worksheet-invalid-value: 進捗!F{r}: not a step status "
        "(expected one of 完了済み, 作業中, 未着手, 対象外, found '済み')",
        f"{BOOK}:{r + 1}:8: invalid-date: 進捗!H{r + 1}: not a real calendar date (expected a date YYYY-MM-DD, found '2026-02-30')",
        f"{BOOK}:{last - 1}:3: unknown-step: 進捗!C{last - 1}: no step X99 in the plan's step list "
        "(expected a step ID of the plan's steps, found 'X99')",
        (f"{BOOK}:{last}:1: operation-not-applicable: 進捗!A{last}: 児童扶養手当 does not apply to 架空県さくら町 "
         "(inventory: not_applicable) "
        "(expected an operation in scope, found 'jido-fuyo-teate')"),
        "gapcheck: 5 error(s) in the input; nothing was written"]
    assert (sample / "current_system" / "plan.yaml").read_text("utf-8") == before


def test_a_loader_rule_is_reported_at_its_cell(sample: Path, cli: Any) -> None:
    template(cli)
    k = row_of("業務", "kaigo")
    edit({("業務", f"E{k}"): "2020-01-01"})
    res = cli("plan", "import", BOOK)
    assert res.exit_code == 3
    assert res.stderr.splitlines()[0] == (
        f"{BOOK}:{k}:5: go-live-before-start: 業務!E{k}: planned_go_live is before the plan's start (2022-04-01) "
        "(expected a date on or after 2022-04-01, found '2020-01-01')")


def test_not_a_plan_workbook(sample: Path, cli: Any) -> None:
    res = cli("mapping", "template", "--operation", "kaigo")  # no catalogue here: a usage error, no workbook
    assert res.exit_code == 2
    wb = openpyxl.Workbook()
    wb.active.title = "情報"
    wb.save("other.xlsx")
    res = cli("plan", "import", "other.xlsx")
    assert (res.exit_code, res.stderr.splitlines()[0]) == (
        3, ("other.xlsx:0:0: xlsx-sheet-missing: $: no sheet named '業務': not a gapcheck plan workbook "
           "(expected the sheets 情報, 業務 and 進捗 of `gapcheck plan template`, found sheets '情報')"))


def test_a_broken_plan_is_reported_not_read(sample: Path, cli: Any) -> None:
    (sample / "current_system" / "plan.yaml").write_text('gapcheck: plan/1\nstart: "2021-04-01"\noperations: {}\n', "utf-8")
    for args in (["plan", "template"], ["plan", "import", "any.xlsx"]):
        res = cli(*args)
        assert (res.exit_code, res.stderr) == (3, "current_system/plan.yaml:1:1: missing-field: $: required field 'steps' is missing "
                                                  "(expected field 'steps', found none)\n"
                                                  "gapcheck: 1 error(s) in the input; nothing was written\n")
    (sample / "current_system" / "plan.yaml").unlink()
    res = cli("plan", "template")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: current_system/plan.yaml: no migration plan; run `gapcheck init` first, "
                                              "or give its path in gapcheck.toml (plan =)\n")
