"""The command line as a thin face over the library: help, docs, outputs, safety."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from conftest import REPO

import gapcheck
from gapcheck.cli.commands import app

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py


def commands() -> dict[str, object]:
    """Every command and sub-command of the CLI (typer may vendor click: no click import here)."""
    group = typer.main.get_command(app)
    out = {}
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        if hasattr(cmd, "commands"):
            out.update({f"{name} {sub}": c for sub, c in cmd.commands.items()})
        else:
            out[name] = cmd
    return out


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    for name, cmd in commands().items():
        assert (cmd.help or "").strip(), f"{name} has no help text"
        assert f"`gapcheck {name}" in readme, f"{name} is missing from the README's command table"


def test_python_dash_m_and_help_do_not_import_pandas() -> None:
    code = ("import sys, runpy; sys.argv=['gapcheck','--help'];\n"
            "try:\n runpy.run_module('gapcheck', run_name='__main__')\nexcept SystemExit as e:\n assert e.code == 0\n"
            "assert 'pandas' not in sys.modules, 'pandas imported on --help'")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert res.returncode == 0, res.stderr
    assert "Usage: gapcheck" in res.stdout and "analyze" in res.stdout


def test_validate_json_equals_the_library_report(small, cli) -> None:
    res = cli("validate", "--format", "json")
    assert res.exit_code == 0
    assert json.loads(res.stdout) == gapcheck.validate(gapcheck.load_config(".")).to_dict()


def test_output_folder_is_never_overwritten_silently(small: Path, cli) -> None:
    res = cli("analyze", "--format", "csv", "--output", "out")
    assert res.exit_code == 0, res.stderr
    names = sorted(p.name for p in (small / "out").iterdir())
    assert names == [".gapcheck-manifest.json", ".gapcheck-manifest.json.lock", "kaigo.custom.csv", "kaigo.fit.csv", "kaigo.gap.csv",
                     "kaigo.requirements.csv", "kaigo.violation.csv", "summary.csv"]
    assert "created: out/kaigo.fit.csv" in res.stderr.splitlines()
    res = cli("analyze", "--format", "csv", "--output", "out")
    assert "unchanged: out/kaigo.fit.csv" in res.stderr.splitlines()
    (small / "out" / "kaigo.gap.csv").write_text("my own notes\n", "utf-8")  # the user edits a report
    (small / "mappings" / "kaigo.yaml").write_text(
        (small / "mappings" / "kaigo.yaml").read_text("utf-8").replace("judgement: gap}", "judgement: fit}"), "utf-8")
    before = {p.name: p.read_bytes() for p in (small / "out").iterdir()}
    res = cli("analyze", "--format", "csv", "--output", "out")
    assert res.exit_code == 2
    assert res.stderr == ("gapcheck: 1 file(s) exist with content gapcheck did not write: out/kaigo.gap.csv; "
                          "move them away or use --force\n")
    assert {p.name: p.read_bytes() for p in (small / "out").iterdir()} == before, "nothing may be written"
    res = cli("analyze", "--format", "csv", "--output", "out", "--force")
    assert res.exit_code == 0
    assert (small / "out" / "kaigo.gap.csv").read_text("utf-8-sig").startswith("業務,版,ID,種別,実装区分,名称")


def test_csv_cells_cannot_run_as_formulas(small: Path, cli) -> None:
    path = small / "mappings" / "kaigo.yaml"
    path.write_text(path.read_text("utf-8").replace(
        '{item: F1, requirement: "0230265", judgement: fit}',
        '{item: F1, requirement: "0230265", judgement: fit, note: "=HYPERLINK(\\"http://x\\")"}'), "utf-8")
    res = cli("analyze", "--format", "csv")
    assert res.exit_code == 0
    row = next(line for line in res.stdout.splitlines() if line.startswith("kaigo,6.0,0230265"))
    assert row.endswith(",\"'=HYPERLINK(\"\"http://x\"\")\"")


def test_markdown_escapes_input_text(small: Path, cli) -> None:
    path = small / "current_system" / "inventory.yaml"
    path.write_text(path.read_text("utf-8").replace("独自機能（未決定）", "<script>alert(1)</script> | x"), "utf-8")
    res = cli("analyze", "--format", "markdown")
    assert res.exit_code == 0, res.stderr
    assert "<script>" not in res.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\| x" in res.stdout


def test_terminal_shows_markup_in_input_literally(small: Path, cli) -> None:
    path = small / "current_system" / "inventory.yaml"
    path.write_text(path.read_text("utf-8").replace("独自機能（未決定）", '"[bold red]X[/bold red]"'), "utf-8")
    res = cli("analyze", "--limit", "0")
    assert res.exit_code == 0, res.stderr
    assert "[bold red]X[/bold red]" in res.stdout


def test_show_and_operations(small: Path, cli) -> None:
    res = cli("show", "0230286", "--format", "json")
    assert res.exit_code == 0
    found = json.loads(res.stdout)
    assert [(f["type"], f["id"]) for f in found] == [("requirement", "0230286")]
    assert sorted((ln["item"], ln["judgement"]) for ln in found[0]["links"]) == [("F1", "partial"), ("F3", "gap")]
    assert cli("show", "０２３０２８６", "--format", "json").stdout == res.stdout  # full-width digits are normalised
    res = cli("show", "NOPE")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: no requirement or inventory item 'NOPE'\n")
    rows = json.loads(cli("operations", "--format", "json").stdout)
    assert len(rows) == 21  # the 20 operations and 共通機能
    kaigo = next(r for r in rows if r["code"] == "kaigo")
    assert (kaigo["prefixes"], kaigo["versions"], kaigo["applicable"]) == (
        [{"code": "023", "name": None, "verified": True}], ["6.0"], True)
    assert next(r for r in rows if r["code"] == "seikatsu-hogo")["reason"] == "県が実施"
    kyotsu = rows[-1]
    assert (kyotsu["code"], kyotsu["name"], kyotsu["shared"], kyotsu["applicable"]) == ("kyotsu", "共通機能", True, True)
    assert [p["code"] for p in kyotsu["prefixes"]] == ["031", "032"]
    tax = next(r for r in rows if r["code"] == "kotei-shisanzei")
    assert tax["prefixes"] == [{"code": "014", "name": "収納管理", "verified": False},
                               {"code": "015", "name": "滞納管理", "verified": False}]
    senkyo = next(r for r in rows if r["code"] == "senkyo")
    assert [(p["code"], p["verified"]) for p in senkyo["prefixes"]] == [(f"00{n}", False) for n in range(5, 10)]
    table = cli("operations").stdout
    assert re.search(r"│ kyotsu +│ 共通機能", table) and "031" in table and "032" in table
    assert "014※" in table and "※ 未確認の業務ID（二次資料による）" in table  # 80 columns: the narrow layout


def test_usage_errors_exit_2(small: Path, cli) -> None:
    assert cli("analyze", "--format", "pdf").exit_code == 2
    res = cli("analyze", "--spec-version", "kaigo")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: --spec-version takes CODE=VERSION, e.g. kaigo=5.0; got 'kaigo'\n")
    res = cli("analyze", "--spec-version", "kaigo=9.0")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: no catalogue of kaigo version 9.0 is loaded (loaded versions: 6.0)\n")
    res = cli("readiness", "--as-of", "2026-02-30")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: --as-of takes a date YYYY-MM-DD, not '2026-02-30'\n")


def test_sample_analysis_shows_every_table(cli, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    res = cli("analyze", "--format", "json")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert len(data["operations"]) == 19 and data["sample"] is True  # 18 of the 20 in scope, and 共通機能
    for state in ("fit", "partial", "gap", "deferred", "stale", "optional-used", "optional-unused", "violation",
                  "forbidden-absent"):
        assert data["overall"]["states"][state] > 0, state
    assert data["overall"]["custom"] > 0 and data["overall"]["undecided"] > 0
    with_violation = [op["code"] for op in data["operations"] if op["summary"]["violations"]]
    assert len(with_violation) >= 3
    res = cli("analyze")
    assert re.search(r"実装不可違反", res.stdout) and "独自機能・帳票" in res.stdout


def test_unwritable_output_and_bad_config_are_usage_errors(small: Path, cli) -> None:
    res = cli("analyze", "--format", "csv", "--output", "current_system/inventory.yaml/x")
    assert res.exit_code == 2
    assert res.stderr.startswith("gapcheck: current_system/inventory.yaml") and "Traceback" not in res.stderr
    (small / "gapcheck.toml").write_text("[paths]\nspecs = 1\n", "utf-8")
    res = cli("validate")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: gapcheck.toml: [paths] values must be quoted paths, not int: specs\n")
    (small / "gapcheck.toml").write_text('[path]\nspecs = "x"\n', "utf-8")
    res = cli("validate")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: gapcheck.toml: unknown table(s) or key(s) path (expected a [paths] table)\n")


def test_version_and_comma_separated_operations(small: Path, cli) -> None:
    res = cli("--version")
    assert (res.exit_code, res.stdout) == (0, f"gapcheck {gapcheck.__version__}\n")
    res = cli("analyze", "-o", "kaigo,kaigo", "--format", "json")
    assert res.exit_code == 0 and [op["code"] for op in json.loads(res.stdout)["operations"]] == ["kaigo"]
    res = cli("analyze", "--spec-version", "juki=1.0")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: --spec-version names juki, which is not analysed here (analysed: kaigo)\n")


def test_markdown_cannot_mention_or_link_from_input_text(small: Path, cli) -> None:
    path = small / "current_system" / "inventory.yaml"
    path.write_text(path.read_text("utf-8").replace("独自機能（未決定）", "'@org/team see #12'"), "utf-8")
    res = cli("analyze", "--format", "markdown")
    assert "&#64;org/team see &#35;12" in res.stdout and "@org" not in res.stdout


def test_show_gives_the_state_in_the_analysis(small: Path, cli) -> None:
    res = cli("show", "0230291", "--format", "json")
    assert [(f["id"], f["state"], f["deferrals"][0]["until"]) for f in json.loads(res.stdout)] == [
        ("0230291", "deferred", "2027-03-31")]
    res = cli("show", "F4", "--format", "json")
    assert [(f["id"], f["state"], f["disposition"]) for f in json.loads(res.stdout)] == [("F4", "custom", "undecided")]
    assert "状態     独自（カスタマイズ）（未決定）" in cli("show", "F4").stdout


def test_a_reader_that_stops_early_ends_the_command_quietly() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "gapcheck", "analyze", "--limit", "0"], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(200)  # like `| head -c 200`: then the reader goes away
    proc.stdout.close()
    stderr = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0
    assert b"Traceback" not in stderr and b"Broken pipe" not in stderr


def test_an_operation_is_analysed_whatever_the_errors_of_other_operations_files(small: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """-o juki needs only juki's files (and the shared inventory, plan and registry) to be valid."""
    (small / "specs" / "juki").mkdir()
    (small / "specs" / "juki" / "1.0.yaml").write_text(
        'gapcheck: catalogue/1\noperation: juki\nversion: "1.0"\ntitle: t\nsample: true\nrequirements:\n'
        '  - {id: "1.1.1", kind: function, class: 実装必須, title: 住民データの管理}\n', "utf-8")
    inventory = small / "current_system" / "inventory.yaml"
    inventory.write_text(inventory.read_text("utf-8") + "  juki:\n    items:\n      - {id: J1, kind: function, name: 住民異動}\n",
                         "utf-8")
    mapping = small / "mappings" / "kaigo.yaml"
    mapping.write_text(mapping.read_text("utf-8").replace("judgement: fit", "judgement: fitt", 1), "utf-8")
    res = cli("analyze", "-o", "juki", "--format", "json")
    assert res.exit_code == 0
    assert [o["code"] for o in json.loads(res.stdout)["operations"]] == ["juki"]
    lines = res.stderr.splitlines()
    assert lines[0].startswith("warning: mappings/kaigo.yaml:") and ": invalid-value: $.links[0].judgement:" in lines[0]
    assert lines[1] == "warning: 介護保険 (kaigo) is not analysed: its inputs have 1 error(s) (see gapcheck validate)"
    japanese = cli("--lang", "ja", "analyze", "-o", "juki", "--format", "json").stderr.splitlines()
    assert japanese[1] == "warning: 介護保険（kaigo）は入力に誤りが 1 件あるため分析していません（gapcheck validate で確認できます）"
    assert cli("readiness", "-o", "juki", "--as-of", "2026-11-29").exit_code == 0
    assert cli("report", "-o", "juki", "--as-of", "2026-11-29", "--format", "json").exit_code == 0
    assert cli("analyze", "-o", "kaigo").exit_code == 3  # kaigo's own error stops kaigo
    assert cli("analyze").exit_code == 3  # every operation: every error counts
    assert cli("validate").exit_code == 3  # validate still checks everything


def test_an_operation_may_be_named_by_its_code_in_any_case_or_its_japanese_name(small: Path, cli) -> None:  # type: ignore[no-untyped-def]
    for name in ("kaigo", "KAIGO", "介護保険"):
        res = cli("analyze", "-o", name, "--format", "json")
        assert res.exit_code == 0, (name, res.stderr)
        assert [o["code"] for o in json.loads(res.stdout)["operations"]] == ["kaigo"]
    res = cli("analyze", "-o", "介護", "--format", "json")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: unknown operation '介護' (see `gapcheck operations`)\n")


def test_csv_is_for_people_unless_codes_are_asked_for(small: Path, cli) -> None:  # type: ignore[no-untyped-def]
    people = cli("analyze", "--format", "csv").stdout.lstrip("\ufeff").splitlines()
    machines = cli("analyze", "--format", "csv", "--codes").stdout.lstrip("\ufeff").splitlines()
    assert people[0] == "業務,版,ID,種別,実装区分,名称,分類,要件,状態,判定,現行機能,経過措置期限,備考"
    assert people[1] == "kaigo,6.0,0230265,機能,実装必須,住民異動に伴う資格異動,,,適合 ○,○,F1,,"
    assert machines[0] == "operation,spec_version,id,ref,kind,class,title,category,summary,state,judgement,items,deferred_until,note"
    assert machines[1] == "kaigo,6.0,0230265,0230265,function,mandatory,住民異動に伴う資格異動,,,fit,fit,F1,,"
    assert len(people) == len(machines)


def test_no_inputs_is_never_a_silent_success(tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A CI job pointed at the wrong folder fails: validate, analyze, readiness and report exit 3 with no-inputs."""
    monkeypatch.chdir(tmp_path)
    for command in ("validate", "analyze", "readiness", "report"):
        res = cli(command)
        assert res.exit_code == 3, command
        assert [line.split(": ")[1] for line in res.stderr.splitlines() if ": no-inputs: " in line] == ["no-inputs"]
    assert not (tmp_path / "reports").exists()  # nothing written
