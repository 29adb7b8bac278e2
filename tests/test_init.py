"""gapcheck init: a working folder from nothing; validate and readiness work at once; nothing is ever overwritten."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO

from gapcheck.core.config import load_config
from gapcheck.readiness.policy import load_policy
from gapcheck.validation.project import load_project

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

FILES = ["gapcheck.toml", "specs/README.md", "mappings/README.md", "current_system/inventory.yaml",
         "current_system/plan.yaml", "policy.yaml"]


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "さくら町"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_init_validate_readiness_in_an_empty_folder(empty: Path, cli: Any) -> None:
    res = cli("init", "--municipality", "架空県もみじ町", "--code", "999997", "--not-applicable", "seikatsu-hogo,jido-fuyo-teate")
    assert res.exit_code == 0, res.stderr
    assert res.stderr.splitlines()[:7] == [*(f"wrote: {f}" for f in FILES),
                                           # 18 of the 20, and 共通機能
                                           "架空県もみじ町: 19 operation(s) in scope, not applicable: seikatsu-hogo, jido-fuyo-teate"]
    assert sorted(str(p.relative_to(empty)) for p in empty.rglob("*")) == sorted(
        FILES + ["current_system", "mappings", "specs"])
    res = cli("validate")
    assert (res.exit_code, res.stderr) == (0, "OK: 2 file(s), 0 error(s), 0 warning(s)\n")  # the inventory and the plan
    res = cli("readiness", "--as-of", "2026-01-05", "--format", "json")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert doc["municipality"] == "架空県もみじ町"
    assert doc["verdict"] == ("準備中: 19 業務は判定に必要なデータ（仕様書カタログ・現行機能一覧・対応表）が未登録。"
                              "対象 19 業務（準備中 19）")  # 18 of the 20, and 共通機能
    assert [(o["operation"], o["status"]) for o in doc["operations"]][:2] == [("juki", "preparing"), ("senkyo", "preparing")]
    assert [o["status"] for o in doc["operations"]][-2:] == ["not-applicable", "not-applicable"]
    assert doc["operations"][0]["reasons"] == ["標準仕様書のカタログが未登録（gapcheck spec import）",
                                               "現行機能・帳票の一覧が未登録（gapcheck inventory import）",
                                               "対応表（マッピング）が未登録（gapcheck mapping template / import）"]
    assert doc["operations"][0]["days_left"] == 85
    res = cli("readiness", "--as-of", "2026-01-05")
    assert res.exit_code == 0 and "準備中" in res.stdout and "標準仕様書のカタログが未登録" in res.stdout


def test_the_files_are_what_the_commands_read(empty: Path, cli: Any) -> None:
    assert cli("init", "--operations", "juki,kaigo").exit_code == 0
    cfg = load_config(".")
    assert tomllib.loads((empty / "gapcheck.toml").read_text("utf-8"))["paths"]["plan"] == "current_system/plan.yaml"
    project = load_project(cfg)
    assert project.inventory is not None
    assert (project.inventory.municipality, project.inventory.code) == ("さくら町", None)  # the folder's name
    assert [o.code for o in project.operations if project.in_scope(o.code)] == ["juki", "kaigo"]
    assert [s.id for s in project.plan.steps] == ["P01", "P02", "P03", "P04", "C01", "C02", "C03", "C04",
                                                  "M01", "M02", "M03", "M04", "M05"]
    policy = load_policy(cfg.policy_path, [o.code for o in project.operations])
    assert [(r.name, r.limit) for r in policy.rules] == [("max_violations", 0), ("max_days_overdue", 0)]
    assert "gapcheck spec import" in (empty / "specs" / "README.md").read_text("utf-8")
    plan = yaml.safe_load((empty / "current_system" / "plan.yaml").read_text("utf-8"))
    assert (plan["start"], plan["operations"]) == ("2021-04-01", {})


def test_init_never_overwrites(empty: Path, cli: Any) -> None:
    (empty / "policy.yaml").write_text("# mine\n", "utf-8")
    (empty / "current_system").mkdir()
    (empty / "current_system" / "plan.yaml").write_text("# mine too\n", "utf-8")
    res = cli("init")
    assert (res.exit_code, res.stderr) == (2, ("gapcheck: 2 file(s) exist already: current_system/plan.yaml, policy.yaml; gapcheck init "
                                              "never overwrites (move them away, or start in another folder)\n"))
    assert (empty / "policy.yaml").read_text("utf-8") == "# mine\n"
    assert not (empty / "gapcheck.toml").exists()  # nothing at all was written


@pytest.mark.parametrize("args, message", [
    (["--code", "999998"], "--code takes the 6-digit 全国地方公共団体コード: the check digit of 99999_ is 7, not 8"),
    (["--code", "12345"], "--code takes the 6-digit 全国地方公共団体コード: '12345' is not 6 digits"),
    (["--operations", "juki", "--not-applicable", "kaigo"],
     "give either --operations (those that apply) or --not-applicable (those that do not), not both"),
    (["--not-applicable", "seikatu-hogo"], "unknown operation 'seikatu-hogo'; did you mean 'seikatsu-hogo'? (see `gapcheck operations`)"),
])
def test_init_usage_errors(empty: Path, cli: Any, args: list[str], message: str) -> None:
    res = cli("init", *args)
    assert (res.exit_code, res.stderr) == (2, f"gapcheck: {message}\n")
    assert list(empty.iterdir()) == []


def test_init_into_a_new_folder_then_the_first_steps_as_processes(tmp_path: Path) -> None:
    """The README's first steps, each a real process: init, validate, readiness, then the workbooks that follow."""
    env = dict(os.environ, PYTHONPATH=str(REPO), GAPCHECK_CACHE_DIR=str(tmp_path / "cache"))

    def gapcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "gapcheck", *args], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=120, check=False)

    done = gapcheck("init", "town", "--municipality", "架空県もみじ町", "--not-applicable", "seikatsu-hogo", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    town = tmp_path / "town"
    for args in (["validate"], ["readiness"], ["inventory", "template", "--operation", "kaigo"], ["plan", "template"]):
        done = gapcheck(*args, cwd=town)
        assert done.returncode == 0, (args, done.stderr)
    done = gapcheck("readiness", "--format", "markdown", cwd=town)
    assert "| 介護保険 (kaigo) | 準備中 |" in done.stdout
    assert (town / "reports" / "inventory-template-kaigo.xlsx").is_file() and (town / "reports" / "plan-template.xlsx").is_file()
    done = gapcheck("mapping", "template", "--operation", "kaigo", cwd=town)
    assert (done.returncode, done.stderr) == (2, "gapcheck: no catalogue of kaigo is loaded; import one with `gapcheck spec import`\n")


def test_readiness_of_one_operation_without_a_catalogue(empty: Path, cli: Any) -> None:
    assert cli("init").exit_code == 0
    res = cli("readiness", "--operation", "kaigo", "--as-of", "2026-01-05", "--format", "json")
    assert res.exit_code == 0, res.stderr
    assert [(o["operation"], o["status"]) for o in json.loads(res.stdout)["operations"]] == [("kaigo", "preparing")]
