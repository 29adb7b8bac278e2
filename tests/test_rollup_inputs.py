"""gapcheck rollup on bad input: every file left out is listed precisely; exit 3 only when nothing is usable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from rollup_helpers import SMALL, small_results, variant

from gapcheck.core.version import __version__

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture's results file as of 2026-06-30 (テスト町, 999997), written by gapcheck."""
    with pytest.MonkeyPatch.context() as mp:  # module-scoped: before the per-test private parse cache exists
        mp.setenv("GAPCHECK_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "parse-cache"))
        return small_results(tmp_path_factory.mktemp("good") / "good.parquet")


def test_each_bad_file_is_listed_and_the_good_ones_rolled_up(good: Path, tmp_path: Path, monkeypatch, cli) -> None:
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(good, d / "a-good.parquet")
    (d / "b-garbage.parquet").write_bytes(b"not parquet at all")
    pq.write_table(pa.table({"x": [1]}), d / "c-plain.parquet")
    variant(good, d / "d-newer-schema.parquet", schema_version=2)
    variant(good, d / "e-no-state.parquet", drop=("state",))
    variant(good, d / "f-version.parquet", gapcheck_version="banana")
    variant(good, d / "g-newer-gapcheck.parquet", gapcheck_version="9.0.0", municipality_code="990027", municipality="もみじ市")
    variant(good, d / "h-no-code.parquet", municipality_code="")
    variant(good, d / "i-check-digit.parquet", municipality_code="999999")
    variant(good, d / "j-prefecture.parquet", municipality_code="489999")
    (d / "notes.txt").write_text("not read: not a .parquet file\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    res = cli("rollup", "in", "--format", "json")
    assert res.exit_code == 0, res.stderr
    assert res.stderr.splitlines() == [
        "in/b-garbage.parquet:0:0: results-unreadable: $: not a Parquet file (it does not start and end with PAR1) "
        "(expected a results.parquet written by gapcheck)",
        "in/c-plain.parquet:0:0: results-not-gapcheck: $: a Parquet file, but not a gapcheck results file (no gapcheck.results metadata) "
        "(expected a results.parquet written by `gapcheck report` or `gapcheck snapshot`)",
        "in/d-newer-schema.parquet:0:0: results-schema-newer: $.schema_version: "
        "written in results schema 2, newer than this gapcheck reads "
        f"(expected schema_version 1 or older: upgrade gapcheck (it is {__version__}), found 2)",
        "in/e-no-state.parquet:0:0: results-schema-mismatch: $: its columns are not those of results schema 1: missing state "
        "(expected the columns of results/1 (README, Results file))",
        "in/f-version.parquet:0:0: results-version-unknown: $.gapcheck_version: written by an unknown gapcheck version "
        "(expected a gapcheck version such as 0.1.0, found 'banana')",
        "warning: in/g-newer-gapcheck.parquet:0:0: results-version-newer: $.gapcheck_version: "
        f"written by gapcheck 9.0.0, newer than this one ({__version__}); read as results schema 1",
        "in/h-no-code.parquet:0:0: municipality-code-missing: $.municipality_code: no 団体コード for テスト町 "
        "(expected municipality: {code: \"...\"} in the inventory, then the report written again)",
        "in/i-check-digit.parquet:0:0: municipality-code-check-digit: $.municipality_code: the check digit of 団体コード 999999 is wrong: "
        "its first five digits 99999 give 7 (expected '999997', found '999999')",
        "in/j-prefecture.parquet:0:0: municipality-code-prefecture: $.municipality_code: "
        "団体コード 489999 starts with 48, which is no prefecture "
        "(expected a code starting 01-47 (99 for the fictional sample), found '489999')",
        "rolled up 2 団体; 8 problem(s) left files out (listed above)",
    ]
    doc = json.loads(res.stdout)
    assert [(f["file"], f["code"]) for f in doc["files"]] == [("in/g-newer-gapcheck.parquet", "990027"),
                                                              ("in/a-good.parquet", "999997")]
    assert len(doc["problems"]) == 9 and [m["code"] for m in doc["municipalities"]] == ["990027", "999997"]


def test_two_results_for_one_municipality_keep_the_newest_as_of(good: Path, tmp_path: Path, monkeypatch, cli) -> None:
    variant(good, tmp_path / "may.parquet", as_of="2026-05-31")
    shutil.copy(good, tmp_path / "june.parquet")
    monkeypatch.chdir(tmp_path)
    res = cli("rollup", "may.parquet", "june.parquet", "--format", "json")
    assert res.exit_code == 0
    assert res.stderr.splitlines() == [
        "warning: may.parquet:0:0: results-duplicate: $.municipality_code: another results file for 999997 テスト町: "
        "kept june.parquet as of 2026-06-30, left out this one as of 2026-05-31",
        "rolled up 1 団体",
    ]
    assert json.loads(res.stdout)["municipalities"][0]["as_of"] == "2026-06-30"
    # --as-of picks, per 団体, the newest results on or before the date, and says which were later.
    res = cli("rollup", "may.parquet", "june.parquet", "--as-of", "2026-06-01", "--format", "json")
    assert res.stderr.splitlines() == [
        "warning: june.parquet:0:0: results-after-as-of: $.as_of: "
        "テスト町 (999997) as of 2026-06-30, after the roll-up date 2026-06-01; left out",
        "rolled up 1 団体",
    ]
    doc = json.loads(res.stdout)
    assert (doc["as_of"], doc["municipalities"][0]["as_of"], doc["dates"]) == (
        "2026-06-01", "2026-05-31", [{"as_of": "2026-05-31", "municipalities": 1}])


def test_mixed_as_of_dates_are_warned_and_each_shown(good: Path, tmp_path: Path, monkeypatch, cli) -> None:
    variant(good, tmp_path / "r" / "old.parquet", as_of="2026-04-30", municipality_code="990027", municipality="もみじ市")
    shutil.copy(good, tmp_path / "r" / "new.parquet")
    monkeypatch.chdir(tmp_path)
    res = cli("rollup", "r", "--format", "json")
    assert res.stderr.splitlines() == [
        "warning: r/old.parquet:0:0: results-mixed-as-of: $.as_of: もみじ市 (990027) is as of 2026-04-30, most others as of "
        "2026-06-30 (1); the roll-up shows each 団体's date (dates: 2026-04-30 (1), 2026-06-30 (1))",
        "rolled up 2 団体",
    ]
    doc = json.loads(res.stdout)
    assert doc["dates"] == [{"as_of": "2026-04-30", "municipalities": 1}, {"as_of": "2026-06-30", "municipalities": 1}]
    assert {m["code"]: m["as_of"] for m in doc["municipalities"]} == {"990027": "2026-04-30", "999997": "2026-06-30"}


def test_list_files_and_municipality_folders(good: Path, tmp_path: Path, monkeypatch, cli) -> None:
    shutil.copytree(SMALL, tmp_path / "town")  # a municipality folder without results yet
    shutil.copy(good, tmp_path / "good.parquet")
    (tmp_path / "list.txt").write_text("# the prefecture's towns\n\ngood.parquet\nmissing.parquet\ntown\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    res = cli("rollup", "list.txt", "good.parquet", "--format", "json")
    assert res.exit_code == 0
    assert res.stderr.splitlines() == [
        "warning: good.parquet:0:0: source-duplicate: $: named more than once (also as good.parquet); read once",
        "list.txt:4:1: results-missing: $: missing.parquet does not exist "
        "(expected a results file, a folder of them, a municipality folder or a list file)",
        "list.txt:5:1: results-missing: $: municipality folder town has no results file yet "
        "(expected town/reports/results.parquet: run `gapcheck report` or `gapcheck snapshot` there)",
        "rolled up 1 団体; 2 problem(s) left files out (listed above)",
    ]
    res = cli("rollup", "town")
    assert res.exit_code == 3
    assert res.stderr.splitlines()[0] == (
        "town:0:0: results-missing: $: municipality folder town has no results file yet "
        "(expected town/reports/results.parquet: run `gapcheck report` or `gapcheck snapshot` there)")
    monkeypatch.chdir(tmp_path / "town")
    assert cli("snapshot", "--as-of", "2026-06-30").exit_code == 0
    monkeypatch.chdir(tmp_path)
    res = cli("rollup", "town", "--format", "json")
    assert res.stderr == "rolled up 1 団体\n"
    assert json.loads(res.stdout)["files"][0]["file"] == "town/reports/results.parquet"


def test_nothing_usable_is_exit_3_and_writes_nothing(tmp_path: Path, monkeypatch, cli) -> None:
    (tmp_path / "bad.parquet").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    res = cli("rollup", "bad.parquet", "nowhere", "--format", "html", "--output", "out")
    assert res.exit_code == 3
    assert res.stderr.splitlines() == [
        "bad.parquet:0:0: results-unreadable: $: not a Parquet file (it does not start and end with PAR1) "
        "(expected a results.parquet written by gapcheck)",
        "bad.parquet:0:0: rollup-empty: $: no results can be rolled up: 1 file(s) found, none usable "
        "(expected at least one readable results file)",
        "nowhere:0:0: results-missing: $: no such file or folder "
        "(expected a results file, a folder of them, a municipality folder or a list file)",
        "gapcheck: 3 error(s) in the input; nothing was written",
    ]
    assert not (tmp_path / "out").exists()


def test_usage_errors(good: Path, tmp_path: Path, monkeypatch, cli) -> None:
    monkeypatch.chdir(tmp_path)
    res = cli("rollup", str(good), "--format", "xlsx")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: --format xlsx writes a file: give --output DIR\n")
    assert cli("rollup", str(good), "--by", "town").exit_code == 2
    assert cli("rollup").exit_code == 2


def test_a_prefecture_is_a_団体_of_its_own(good: Path, tmp_path: Path, monkeypatch, cli) -> None:
    variant(good, tmp_path / "pref.parquet", municipality_code="990001", municipality="架空県")
    shutil.copy(good, tmp_path / "town.parquet")
    monkeypatch.chdir(tmp_path)
    doc = json.loads(cli("rollup", "pref.parquet", "town.parquet", "--by", "prefecture", "--format", "json").stdout)
    assert [(m["code"], m["kind"]) for m in doc["municipalities"]] == [("990001", "prefecture"), ("999997", "municipality")]
    assert (doc["totals"]["prefectures"], doc["totals"]["cities"]) == (1, 1)
    assert "2 団体（市区町村 1・都道府県 1）" in doc["verdict"]
    assert [(g["key"], g["name"], g["municipalities"]) for g in doc["groups"]] == [("99", "架空", 2)]


def test_text_from_results_cannot_run_as_a_formula(good: Path, tmp_path: Path, monkeypatch, cli) -> None:
    from openpyxl import load_workbook

    variant(good, tmp_path / "evil.parquet", municipality='=HYPERLINK("http://x","y")')
    monkeypatch.chdir(tmp_path)
    assert cli("rollup", "evil.parquet", "--format", "csv", "--output", "csv").exit_code == 0
    assert cli("rollup", "evil.parquet", "--format", "xlsx", "--output", "xlsx").exit_code == 0
    import csv

    with open(tmp_path / "csv" / "rollup.municipalities.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["団体名"] for r in rows] == ["'=HYPERLINK(\"http://x\",\"y\")"]
    assert [r["判定"] for r in rows] == ["期限超過"]
    assert cli("rollup", "evil.parquet", "--format", "csv", "--codes", "--output", "codes").exit_code == 0
    with open(tmp_path / "codes" / "rollup.municipalities.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["name"], r["worst_status"]) for r in rows] == [("'=HYPERLINK(\"http://x\",\"y\")", "overdue")]
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        ".gapcheck-manifest.json", ".gapcheck-manifest.json.lock", "rollup.extensions.csv", "rollup.groups.csv", "rollup.heatmap.csv",
        "rollup.municipalities.csv", "rollup.problems.csv", "rollup.requirements.csv"]
    wb = load_workbook(tmp_path / "xlsx" / "rollup.xlsx")
    names = [row[1] for row in wb["団体一覧"].iter_rows(min_row=2, values_only=True)]
    assert names == ["'=HYPERLINK(\"http://x\",\"y\")"]
    assert wb.sheetnames == ["概要", "業務別の状況", "団体一覧", "ヒートマップ", "要件", "特定移行支援", "除外・注意"]
    heat = list(wb["ヒートマップ"].iter_rows(values_only=True))
    assert heat[0][:2] == ("団体コード", "団体名")
    row = dict(zip(heat[0], heat[1], strict=True))
    assert (row["介護保険"], row["生活保護"], row["住民基本台帳"]) == ("期限超過", "対象外", "準備中")  # no juki catalogue


def test_identical_input_gives_identical_files(good: Path, tmp_path: Path, monkeypatch, cli) -> None:
    monkeypatch.chdir(tmp_path)
    for fmt in ("html", "json", "xlsx"):
        assert cli("rollup", str(good), "--format", fmt, "--output", "one").exit_code == 0
        assert cli("rollup", str(good), "--format", fmt, "--output", "two").exit_code == 0
    for name in ("rollup.html", "rollup.json", "rollup.xlsx"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_gapcheck_rollup_is_callable_whichever_is_imported_first(good: Path) -> None:
    import subprocess
    import sys

    for first in ("import gapcheck", "import gapcheck.rollup.api"):
        code = f"{first}\nimport gapcheck\nprint(len(gapcheck.rollup([{str(good)!r}]).files))"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert out.strip() == "1"


def test_a_wrong_column_type_is_a_schema_mismatch(good: Path, tmp_path: Path, monkeypatch, cli) -> None:
    table = pq.read_table(good)
    i = table.schema.get_field_index("open_gaps")
    table = table.set_column(i, "open_gaps", pc.cast(table["open_gaps"], pa.string()))
    pq.write_table(table, tmp_path / "typed.parquet")
    monkeypatch.chdir(tmp_path)
    res = cli("rollup", "typed.parquet")
    assert res.exit_code == 3
    assert res.stderr.splitlines()[0] == ("typed.parquet:0:0: results-schema-mismatch: $: its columns are not those of "
                                          "results schema 1: wrong type open_gaps (string, not int32) "
                                          "(expected the columns of results/1 (README, Results file))")


def test_a_damaged_parquet_file_says_what_the_reader_found(good: Path, tmp_path: Path, monkeypatch, cli) -> None:
    data = good.read_bytes()
    (tmp_path / "cut.parquet").write_bytes(data[:4] + b"\0" * 64 + data[-4:])  # the marks kept, the footer gone
    monkeypatch.chdir(tmp_path)
    res = cli("rollup", "cut.parquet")
    assert res.exit_code == 3
    assert res.stderr.splitlines()[0].startswith("cut.parquet:0:0: results-unreadable: $: not a readable Parquet file: ")
