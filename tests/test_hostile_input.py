"""Hostile input: every input gives problems or a result, never an internal error, and nothing from an input
reaches a terminal, a log or a file raw (issue 9, points 4, 5 and 9).  The exact messages for YAML inputs are
pinned by the cases under tests/cases/invalid/ (too-deep, number-too-large, control-char-position, ...)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from gapcheck.core.errors import Problem
from gapcheck.loading import yamlio

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py


def codes(problems: list[Problem]) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in problems]


@pytest.mark.parametrize("text", [
    "a: " + "[" * 100_000 + "]" * 100_000 + "\n",              # libyaml's composer overflowed the C stack here
    "a: " + "{b: " * 100_000 + "1" + "}" * 100_000 + "\n",
    "a:\n  " + "- " * 100_000 + "x\n",                            # block lists nested on one line
    "".join(" " * i + "k:\n" for i in range(200)) + " " * 200 + "k: 1\n",   # block mappings, one per line
])
def test_nesting_deeper_than_the_limit_is_one_problem_read_no_further(text: str) -> None:
    start = time.perf_counter()
    doc, problems = yamlio.loads(text, "deep.yaml")
    assert time.perf_counter() - start < 2  # libyaml's scanner is quadratic in depth: it must stop at the limit
    assert doc is None
    assert [p.code for p in problems] == ["too-deep"]
    assert problems[0].line >= 1 and problems[0].column >= 1


def test_pyyaml_stopping_on_its_own_depth_limit_is_the_same_too_deep(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML 6.0.4 and later stop flow nesting of about 1,000 levels in the scanner, before gapcheck's limit of 64
    is reached: the problem is still too-deep, at the same place as where an older PyYAML lets gapcheck see it."""
    import yaml

    text = "a: " + "[" * 1200 + "]" * 1200 + "\n"
    _, expected = yamlio.loads(text, "deep.yaml")
    read = yamlio._read

    def with_libyaml_limit(source: str, conv: object) -> object:
        if source.count("[") > 1000:  # as PyYAML >= 6.0.4 does, wherever its scanner passes 1,000 levels
            index = source.index("[") + 1000  # at the 1,001st bracket: the text before it holds 1,000
            mark = yaml.Mark("<unicode string>", index, 0, index, None, None)
            raise yaml.scanner.ScannerError("while scanning", None,
                                            "exceeded maximum nesting depth 1002 while increasing flow level", mark)
        return read(source, conv)  # type: ignore[arg-type]

    monkeypatch.setattr(yamlio, "_read", with_libyaml_limit)
    doc, problems = yamlio.loads(text, "deep.yaml")
    assert doc is None and [p.code for p in expected] == ["too-deep"]
    assert problems == expected


def test_nesting_up_to_the_limit_is_read() -> None:
    from gapcheck.loading.convert import MAX_DEPTH

    doc, problems = yamlio.loads("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", "ok.yaml")
    assert problems == [] and doc is not None
    value = doc.data["a"]
    for _ in range(MAX_DEPTH - 2):
        value = value[0]
    assert value == []
    doc, problems = yamlio.loads("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n", "deep.yaml")
    assert doc is None and codes(problems) == [("too-deep", 1, 3 + MAX_DEPTH)]


def test_positions_of_a_document_with_problems_are_composed_on_demand() -> None:
    doc, problems = yamlio.loads("xs:\n  - {a: 1}\n  - {a: yes}\n", "t.yaml")
    assert doc is not None and doc.node is None  # no node tree until a position is asked for
    assert doc.locate(("xs", 1, "a")) == (3, 9)
    assert codes(problems) == [("yaml-boolean-word", 3, 9)]


def test_anchors_aliases_and_odd_keys_read_as_before() -> None:
    doc, problems = yamlio.loads("a: &s 0012\nb: *s\n*s : 3\n? [x]\n: v\nc: &m {k: 1}\nd: *m\n", "t.yaml")
    assert doc is not None
    assert doc.data == {"a": "0012", "b": "0012", "0012": 3, "c": {"k": 1}, "d": None}
    assert codes(problems) == [("yaml-leading-zero", 1, 4), ("yaml-leading-zero", 1, 4), ("yaml-complex-key", 4, 3),
                               ("yaml-alias", 6, 4)]
    _, problems = yamlio.loads("a: *nowhere\n", "t.yaml")
    assert [(p.code, p.text("en")[0]) for p in problems] == [("yaml-syntax", "YAML syntax error: found undefined alias 'nowhere'")]
    assert problems[0].message == "YAML の構文誤り: 未定義の別名参照 'nowhere' があります"
    _, problems = yamlio.loads("a: &x 1\nb: &x 2\n", "t.yaml")
    assert [(p.line, p.column, p.text("en")[0]) for p in problems] == [
        (2, 4, "YAML syntax error: anchor &x is defined twice (first on line 1)")]


def test_later_documents_are_checked_for_syntax_and_counted() -> None:
    doc, problems = yamlio.loads("a: 1\n---\nb: yes\n---\n- [x\n", "t.yaml")
    assert doc is None and [p.code for p in problems] == ["yaml-syntax"]
    doc, problems = yamlio.loads("a: 1\n---\nb: yes\n", "t.yaml")
    assert doc is not None and doc.data == {"a": 1}
    assert codes(problems) == [("yaml-multiple-documents", 3, 1)]


@pytest.mark.parametrize(("written", "code"), [
    ("9" * 5000, "number-too-large"), ("-" + "9" * 101, "number-too-large"), ("1e999", "number-too-large"),
    ("-1e400", "number-too-large"), ("1" + "0" * 400 + ".5", "number-too-large"),
])
def test_numbers_beyond_any_field_are_problems(written: str, code: str) -> None:
    doc, problems = yamlio.loads(f"n: {written}\n", "t.yaml")
    assert doc is not None and doc.data == {"n": written}  # kept as written: no infinity, no ValueError
    assert codes(problems) == [(code, 1, 4)]
    doc, problems = yamlio.loads(f"n: {'9' * 100}\nm: 1e308\nq: '1e999'\n", "t.yaml")
    assert doc is not None and problems == [] and doc.data["n"] == int("9" * 100) and doc.data["q"] == "1e999"


def test_a_control_character_in_a_key_is_refused() -> None:
    _, problems = yamlio.loads('"a\\e[2Jb": 1\n', "t.yaml")
    assert [(p.code, p.path) for p in problems] == [("control-character", "$['a\\x1b[2Jb']")]


def test_control_character_position_counts_characters_not_bytes() -> None:
    _, problems = yamlio.loads("a: 介護保険\nb: 日本語のテキスト\nc: x\x07y\n", "t.yaml")
    assert codes(problems) == [("yaml-syntax", 3, 5)]


# -- the history: as strict as the YAML inputs ---------------------------------------------------------------


def _record(**changes: object) -> str:
    import json

    rec = {"date": "2026-01-05", "operation": "kaigo", "status": "on-track", "open_gaps": 3,
           "mandatory_fit_rate": 0.5, "completion_rate": 0.5, "violations": 0, "undecided": 0}
    rec.update(changes)
    return json.dumps(rec)


def test_history_nested_100k_deep_is_one_problem(tmp_path: Path) -> None:
    from gapcheck.loading.history import load_history

    (tmp_path / "h.jsonl").write_text(_record() + "\n" + "[" * 100_000 + "]" * 100_000 + "\n", "utf-8")
    snaps, problems = load_history(tmp_path / "h.jsonl")
    assert len(snaps) == 1 and [(p.code, p.line) for p in problems] == [("too-deep", 2)]


def test_history_nesting_within_json_but_past_the_limit(tmp_path: Path) -> None:
    from gapcheck.loading.history import load_history

    (tmp_path / "h.jsonl").write_text(_record(note=[[[[[[[[[[1]]]]]]]]]]).replace("[[[[[[[[[[1", "[" * 70 + "1")
                                      .replace("]]]]]]]]]]", "]" * 70) + "\n", "utf-8")
    _, problems = load_history(tmp_path / "h.jsonl")
    assert [(p.code, p.line) for p in problems] == [("too-deep", 1)]


# -- dates: --as-of and forecasts stay within 2000..2100 -------------------------------------------------------


@pytest.mark.parametrize("command", [["readiness"], ["snapshot"], ["report", "--format", "json"], ["check"]])
@pytest.mark.parametrize("day", ["9990-01-01", "1999-12-31", "2101-01-01"])
def test_as_of_outside_the_supported_range_is_a_usage_error(small: Path, cli: Any, command: list[str], day: str) -> None:
    res = cli(*command, "--as-of", day)
    assert (res.exit_code, res.stderr) == (2, f"gapcheck: --as-of must be a date from 2000-01-01 to 2100-12-31, not {day}\n")


def test_as_of_in_basic_iso_form_is_refused(small: Path, cli: Any) -> None:
    res = cli("readiness", "--as-of", "20260105")
    assert (res.exit_code, res.stderr) == (2, "gapcheck: --as-of takes a date YYYY-MM-DD, not '20260105'\n")


def test_the_library_refuses_an_as_of_outside_the_range(small: Path) -> None:
    import datetime as dt

    from gapcheck.core.config import Config
    from gapcheck.core.errors import UsageError
    from gapcheck.readiness.bundle import build_report
    from gapcheck.validation.project import load_project

    cfg = Config.defaults(".")
    with pytest.raises(UsageError) as refused:
        build_report(load_project(cfg), cfg, dt.date(9990, 1, 1))
    assert refused.value.text("en") == "the as-of date must be a date from 2000-01-01 to 2100-12-31, not 9990-01-01"
    assert str(refused.value) == "基準日は 2000-01-01 から 2100-12-31 までの日付です（指定: 9990-01-01）"


def test_a_slow_trend_is_beyond_the_horizon_not_past_year_9999() -> None:
    import datetime as dt

    from gapcheck.loading.history import Snapshot
    from gapcheck.readiness.history import forecast

    days = [dt.date(2026, 1, 5) + dt.timedelta(days=7 * i) for i in range(4)]
    gaps = [1_000_000, 1_000_000, 1_000_000, 999_999]  # one gap closed in three weeks: zero in ~57,000 years
    snaps = [Snapshot(d, "kaigo", "at-risk", g, 0.5, 0.1 + i * 1e-9, 0, 0) for i, (d, g) in enumerate(zip(days, gaps, strict=True))]
    fc = forecast(snaps, "kaigo", dt.date(2026, 3, 31))
    assert (fc.gaps_zero_on, fc.gaps_beyond_horizon, fc.steps_complete_on, fc.steps_beyond_horizon) == (None, True, None, True)
    assert fc.before_deadline is False


def test_beyond_the_horizon_is_said_to_people(small: Path, cli: Any) -> None:
    history = "".join(_record(date=f"2026-01-{d:02d}", open_gaps=1_000_000 - (d == 26), completion_rate=0.5) + "\n"
                      for d in (5, 12, 19, 26))
    (small / "reports").mkdir()
    (small / "reports" / "history.jsonl").write_text(history, "utf-8")
    res = cli("readiness", "--as-of", "2026-02-01", "--format", "markdown")
    assert res.exit_code == 0, res.stderr
    assert "ギャップ0: 予測期間外（2100年より後） / 手順100%: 見込みなし（期限後）" in res.stdout
    res = cli("report", "--as-of", "2026-02-01", "--output", "out")
    assert res.exit_code == 0, res.stderr


# -- nothing forged or raw reaches a terminal, a log or a file --------------------------------------------------


def test_a_problem_is_one_line_whatever_its_values_hold() -> None:
    from gapcheck.core.errors import Problem

    p = Problem("specs/a\nb.yaml", 3, 4, "unknown-field", "$['x\\ny']", "unknown field 'x\ny\x1b]0;title\x07'",
                "one of a", "'\r\u202e'")
    assert p.format("en") == ("specs/a\\nb.yaml:3:4: unknown-field: $['x\\ny']: unknown field 'x\\ny\\x1b]0;title\\x07' "
                          "(expected one of a, found '\\r\\u202e')")


def test_a_forged_problem_line_in_a_key_stays_inside_its_own_line(small: Path, cli: Any) -> None:
    (small / "mappings" / "kaigo.yaml").write_text(
        'gapcheck: mapping/1\noperation: kaigo\nspec_version: "6.0"\n'
        'vendor: "x"\n"a\\nspecs/kaigo/6.0.yaml:1:1: fake-error": 1\n', "utf-8")
    res = cli("validate")
    assert res.stderr.splitlines()[0] == (
        "mappings/kaigo.yaml:5:1: unknown-field: $['a\\nspecs/kaigo/6.0.yaml:1:1: fake-error']: unknown field "
        "'a\\nspecs/kaigo/6.0.yaml:1:1: fake-error' (expected one of custom, date, deferrals, gapcheck, links, note, "
        "operation, optional_unused, product, sample, source, spec_version, vendor, "
        "found 'a\\nspecs/kaigo/6.0.yaml:1:1: fake-error')")
    assert all(not line.startswith("specs/") for line in res.stderr.splitlines())


def test_file_names_with_control_characters_or_not_utf8_are_escaped(small: Path, cli: Any) -> None:
    import json
    import os

    text = (small / "mappings" / "kaigo.yaml").read_text("utf-8")
    (small / "mappings" / "kaigo.yaml").unlink()
    name = os.fsdecode(b"mappings/\x89\xee\x8c\xec\x95\xdb\x8c\xaf.yaml")  # 介護保険 in CP932, as a Windows zip holds it
    Path(name).write_text(text + "oops: 1\n", "utf-8")
    (small / "mappings" / "x\x1b]0;pwned\x07\n.yaml").write_text("gapcheck: mapping/1\n", "utf-8")
    res = cli("validate")
    lines = res.stderr.splitlines()
    shown = "mappings/\\x89\\xee\\x8c\\xec\\x95\u06cc\\xaf.yaml"  # \\xdb\\x8c happens to be UTF-8 (U+06CC)
    assert f"{shown}:20:1: unknown-field: $.oops: unknown field 'oops' " \
           "(expected one of custom, date, deferrals, gapcheck, links, note, operation, optional_unused, product, " \
           "sample, source, spec_version, vendor, found 'oops')" in lines
    assert any(line.startswith("mappings/x\\x1b]0;pwned\\x07\\n.yaml:1:1: missing-field") for line in lines)
    res = cli("validate", "--format", "json")
    assert res.exit_code == 3
    files = json.loads(res.stdout)["files"]
    assert shown in files
    (small / "mappings" / "x\x1b]0;pwned\x07\n.yaml").unlink()
    Path(name).write_text(text, "utf-8")
    res = cli("export", "oscal", "--operation", "kaigo")
    assert res.exit_code == 0, res.stderr
    assert "mappings/\\\\x89\\\\xee" in res.stdout and "\x1b" not in res.stdout


def test_terminal_tables_show_control_characters_as_escapes(small: Path, cli: Any) -> None:
    inv = (small / "current_system" / "inventory.yaml").read_text("utf-8")
    (small / "current_system" / "inventory.yaml").write_text(
        inv.replace("{id: F4, kind: function, name: 独自機能（未決定）}", '{id: F4, kind: function, name: "独自\\r\\u202e機能"}'),
        "utf-8")
    res = cli("analyze", "--limit", "0")
    assert res.exit_code == 0, res.stderr
    assert "独自\\r\\u202e機能" in res.stdout and "\r" not in res.stdout and "\u202e" not in res.stdout


def test_spec_diff_text_has_no_raw_control_character(small: Path, cli: Any) -> None:
    old = (small / "specs" / "kaigo" / "6.0.yaml").read_text("utf-8")
    (small / "specs" / "kaigo" / "6.1.yaml").write_text(
        old.replace('version: "6.0"', 'version: "6.1"')
        .replace("title: 住民異動に伴う資格異動", 'title: "住民異動\\rに伴う\\u202e資格異動（改）"', 1),
        "utf-8")
    res = cli("spec", "diff", "kaigo", "6.0", "6.1")
    assert res.exit_code == 0, res.stderr
    assert "\r" not in res.stdout and "\u202e" not in res.stdout and "住民異動\\rに伴う\\u202e資格異動（改）" in res.stdout


@pytest.mark.parametrize("note", ["\\r=1+1", "\\n=1+1", " =1+1", "\\r\\n @SUM(A1)", "\\t-2"])
def test_csv_cells_with_line_breaks_are_quoted_and_cannot_run_as_formulas(small: Path, cli: Any, note: str) -> None:
    import csv
    import io

    path = small / "mappings" / "kaigo.yaml"
    path.write_text(path.read_text("utf-8").replace(
        '{item: F5, disposition: abolish}', f'{{item: F5, disposition: abolish, note: "{note}"}}'), "utf-8")
    res = cli("analyze", "--output", "out", "--codes")
    assert res.exit_code == 0, res.stderr
    text = (small / "out" / "kaigo.custom.csv").read_bytes().decode("utf-8-sig")  # no newline translation
    rows = list(csv.reader(io.StringIO(text, newline="")))  # a bare CR would start a row, as LibreOffice reads it
    header, *body = rows
    assert len(body) == 3 and all(len(r) == len(header) for r in body)
    note_cell = next(r for r in body if r[header.index("id")] == "F5")[header.index("note")]
    assert note_cell == "'" + note.encode().decode("unicode_escape")
    assert all(not c.lstrip(" \t\r\n").startswith(("=", "+", "-", "@")) for r in body for c in r)


def test_markdown_never_makes_a_link_or_an_image_from_input(small: Path, cli: Any) -> None:
    path = small / "current_system" / "inventory.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "独自機能（未決定）", '"[押す](http://evil.example/a_b) ![i](http://evil.example/i.png) <https://x.example> '
                        'www.evil.example \\\\[y\\\\](z)"'), "utf-8")
    res = cli("analyze", "--format", "markdown")
    assert res.exit_code == 0, res.stderr
    cell = next(line for line in res.stdout.splitlines() if "| F4 |" in line).split(" | ")[2]
    assert cell == ("\\[押す\\](`http://evil.example/a_b)` !\\[i\\](`http://evil.example/i.png)` "
                    "&lt;`https://x.example>` `www.evil.example` \\\\\\[y\\\\\\](z)")
    res = cli("report", "--format", "markdown", "--output", "out")
    assert res.exit_code == 0, res.stderr
    text = (small / "out" / "report.md").read_text("utf-8")
    assert "](http" not in text.replace("\\](", "") and "`http://evil.example/a_b)`" in text


def test_warnings_are_printed_once_when_a_later_step_fails(small: Path, cli: Any) -> None:
    path = small / "mappings" / "kaigo.yaml"
    path.write_text(path.read_text("utf-8").replace("vendor: テストベンダー", "vendor: テストベンダー\nproduct: 0123\nsample: yes"),
                    "utf-8")
    for command in (["analyze"], ["readiness"], ["report", "--output", "out"]):
        res = cli(*command)
        assert res.stderr == (
            "warning: mappings/kaigo.yaml:6:10: yaml-leading-zero: $.product: unquoted number with leading zeros; "
            "gapcheck keeps it as text, other YAML readers drop the zeros. Quote it (expected '0123' in quotes, found 0123)\n"
            "mappings/kaigo.yaml:7:9: wrong-type: $.sample: wrong type: YAML 1.1 boolean words are text here; write true "
            "or false (expected true or false, found 'yes')\n"
            "gapcheck: 1 error(s) in the input; nothing was written\n"), command


# -- imports tell the truth ----------------------------------------------------------------------------------------

KAIGO = None


def _kaigo() -> Any:
    from gapcheck.core.model import Operation, Prefix

    return Operation("kaigo", "介護保険", "厚生労働省", (Prefix("023"),), "介護保険システム標準仕様書")


def _spec_problems(files: list[Path]) -> list[str]:
    from gapcheck.core.errors import InvalidInput
    from gapcheck.vendor.specimport import import_spec

    with pytest.raises(InvalidInput) as exc:
        import_spec(files, _kaigo(), "6.0", kinds=("function",))
    return [p.format("en") for p in exc.value.problems]


CSV_HEAD = "機能ID,機能名称,機能要件,実装区分\n"


def test_a_cp932_csv_with_utf8_text_in_it_is_refused(tmp_path: Path) -> None:
    raw = (CSV_HEAD + "0230265,資格異動,登録できること。,実装必須\n").encode("cp932") + \
        b"0230275," + "介護保険".encode() + ",付番できること。,実装必須\n".encode("cp932")
    raw.decode("cp932")  # the whole file decodes as CP932 without error: mojibake, unless refused
    (tmp_path / "functions.csv").write_bytes(raw)
    assert _spec_problems([tmp_path / "functions.csv"]) == [
        f"{tmp_path}/functions.csv:3:0: csv-mixed-encoding: $: the file is Shift_JIS/CP932 but line 3 holds UTF-8 text "
        "('介護保険'), which would import as mojibake ('莉玖ｭｷ菫晞匱'); save the whole file in one "
        "encoding (expected text in one encoding, found UTF-8 bytes on line 3)"]


def test_a_cp932_csv_with_one_bad_byte_names_its_own_line(tmp_path: Path) -> None:
    lines = [CSV_HEAD] + [f"02302{n:02d},資格異動{n},登録できること。,実装必須\n" for n in range(10, 40)]
    raw = bytearray("".join(lines).encode("cp932"))
    raw[raw.index("資格異動25".encode("cp932")) + 1] = 0x7F  # a lead byte followed by no valid trail byte
    (tmp_path / "functions.csv").write_bytes(bytes(raw))
    (line,) = _spec_problems([tmp_path / "functions.csv"])
    assert line.startswith(f"{tmp_path}/functions.csv:17:0: csv-encoding: $: cannot decode the CSV file as UTF-8 or "
                           "Shift_JIS/CP932 (it reads as Shift_JIS/CP932 up to line 17)")


def test_a_csv_field_of_any_size_is_read_and_an_over_long_one_reported(tmp_path: Path) -> None:
    (tmp_path / "functions.csv").write_text(CSV_HEAD + '0230265,資格異動,"' + "あ" * 200_000 + '",実装必須\n', "utf-8")
    assert _spec_problems([tmp_path / "functions.csv"]) == [
        f"{tmp_path}/functions.csv:2:3: cell-too-long: functions!C2: 200000 characters in one cell; Excel holds at most "
        "32767 and would cut the rest (in a CSV file: a quote left open?) (expected at most 32767 characters, found "
        "200000 characters)"]


@pytest.mark.parametrize(("char", "code"), [("\x1b", "U+001B"), ("\x00", "U+0000"), ("\x85", "U+0085")])
def test_control_characters_in_a_cell_are_reported_before_anything_is_written(tmp_path: Path, char: str, code: str) -> None:
    (tmp_path / "functions.csv").write_text(CSV_HEAD + f"0230265,資格{char}異動,登録できること。,実装必須\n", "utf-8")
    assert _spec_problems([tmp_path / "functions.csv"]) == [
        f"{tmp_path}/functions.csv:2:2: control-character: functions!B2: the cell holds the control character {code}; "
        "it could rewrite a terminal or a report, and no gapcheck file may hold it (expected printable text, found "
        f"{code})"]


def test_an_uncomputed_formula_cell_says_so(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]
    ws.title = "機能要件"
    ws.append(["機能ID", "機能名称", "機能要件", "実装区分"])
    ws.append(["0230265", "資格異動", "登録できること。", '=IF(TRUE,"実装必須","")'])  # openpyxl computes nothing
    wb.save(tmp_path / "book.xlsx")
    assert _spec_problems([tmp_path / "book.xlsx"]) == [
        f"{tmp_path}/book.xlsx:2:4: xlsx-formula: 機能要件!D2: formula, not a value: type the value (the workbook holds "
        "no computed result) (expected a value, found the formula '=IF(TRUE,\"実装必須\",\"\")')"]


def _encrypted(path: Path) -> Path:
    """An OLE compound file as Excel writes a password-protected .xlsx: its directory names EncryptionInfo and
    EncryptedPackage (UTF-16LE)."""
    sector = bytearray(512)
    for i, name in enumerate(("Root Entry", "EncryptionInfo", "EncryptedPackage")):
        entry = name.encode("utf-16-le")
        sector[i * 128: i * 128 + len(entry)] = entry
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + bytes(sector))
    return path


def test_an_encrypted_workbook_is_called_encrypted(small: Path, cli: Any) -> None:
    message = ("xlsx-encrypted: $: the workbook is encrypted (password-protected): gapcheck cannot read it; save a "
               "copy without a password (expected a workbook without a password, found an encrypted workbook)")
    assert _spec_problems([_encrypted(small / "book.xlsx")]) == [f"book.xlsx:0:0: {message}"]
    res = cli("mapping", "import", "book.xlsx")
    assert res.stderr.splitlines()[0] == f"book.xlsx:0:0: {message}"


def _worksheet(small: Path, edit: Any) -> Path:
    import openpyxl

    from gapcheck.core.config import Config
    from gapcheck.validation.project import load_project
    from gapcheck.vendor.worksheet import (
        build_template,
        mapping_document,
        template_xlsx,
    )

    project = load_project(Config.defaults("."))
    cat = project.catalogue("kaigo")
    items = [i for i in project.inventory.items if i.operation == "kaigo"]  # type: ignore[union-attr]
    (small / "t.xlsx").write_bytes(template_xlsx(build_template(cat, items, mapping_document(project.mappings[0]))))  # type: ignore[arg-type]
    wb = openpyxl.load_workbook(small / "t.xlsx")
    edit(wb["要件一覧"])
    wb.save(small / "t.xlsx")
    return small / "t.xlsx"


def test_worksheet_cells_that_cannot_be_imported_are_named_and_nothing_is_written(small: Path, cli: Any) -> None:
    def edit(ws: Any) -> None:
        ws["I2"] = "note\x9b2J"  # CSI, the one-byte ESC [
        ws["I3"] = "x" * 40_000  # openpyxl itself cuts it to 32,767, as it would on reading
        ws["H4"] = '=IF(TRUE,"○","×")'

    _worksheet(small, edit)
    res = cli("mapping", "import", "t.xlsx", "--output", "m.yaml")
    assert res.exit_code == 3 and not (small / "m.yaml").exists()
    assert res.stderr.splitlines() == [
        "t.xlsx:2:9: control-character: 要件一覧!I2: the cell holds the control character U+009B; it could rewrite a "
        "terminal or a report, and no gapcheck file may hold it (expected printable text, found U+009B)",
        "t.xlsx:3:9: cell-too-long: 要件一覧!I3: 32767 characters, Excel's limit for a cell: the text was probably cut "
        "(by Excel or by the program that wrote the file) (expected fewer than 32767 characters, found 32767 characters)",
        "t.xlsx:4:8: xlsx-formula: 要件一覧!H4: formula, not a value: type the value (the workbook holds no computed "
        "result) (expected a value, found the formula '=IF(TRUE,\"○\",\"×\")')",
        "gapcheck: 3 error(s) in the input; nothing was written"]


def test_worksheet_round_trip_keeps_notes_that_start_with_line_breaks_or_spaces(small: Path, cli: Any) -> None:
    notes = ["\r=1+1", "\n  two\r\nlines ", "  spaced", " =SUM(A1)", "\ttab"]
    path = small / "mappings" / "kaigo.yaml"
    text = path.read_text("utf-8")
    for (old, new) in zip(['judgement: fit}', 'judgement: △}', 'judgement: gap}', 'judgement: partial}'], notes[:4],
                          strict=True):
        text = text.replace(old, old[:-1] + ", note: " + json.dumps(new) + "}", 1)
    text = text.replace("note: 使わない", "note: " + json.dumps(notes[4]))
    path.write_text(text, "utf-8")
    assert cli("validate").exit_code == 0
    assert cli("mapping", "template", "--operation", "kaigo", "--output", "t.xlsx").exit_code == 0
    res = cli("mapping", "import", "t.xlsx", "--output", "back.yaml")
    assert res.exit_code == 0, res.stderr
    back = yamlio.load(small / "back.yaml")[0]
    assert back is not None
    got = [ln.get("note") for ln in back.data["links"]][:4] + [back.data["optional_unused"][0]["note"]]
    assert got == notes


def test_a_template_cell_over_excels_limit_is_reported_not_cut(small: Path, cli: Any) -> None:
    path = small / "mappings" / "kaigo.yaml"
    path.write_text(path.read_text("utf-8").replace('judgement: fit}', 'judgement: fit, note: "' + "長" * 40_000 + '"}', 1),
                    "utf-8")
    res = cli("mapping", "template", "--operation", "kaigo", "--output", "t.xlsx")
    assert res.exit_code == 3 and not (small / "t.xlsx").exists()
    assert res.stderr.splitlines() == [
        "t.xlsx:2:9: cell-too-long: 要件一覧!I2: 備考 of 0230265 is 40000 characters; an Excel cell holds at most 32767 "
        "and would cut the rest: shorten it in the YAML (expected at most 32767 characters, found 40000 characters)",
        "gapcheck: 1 error(s) in the input; nothing was written"]


def test_an_import_never_writes_yaml_that_validate_would_reject(tmp_path: Path) -> None:
    from gapcheck.core.errors import InvalidInput
    from gapcheck.vendor.yamldump import dump_checked

    doc = {"gapcheck": "mapping/1", "operation": "kaigo", "spec_version": "6.0", "vendor": "a\x1bb"}
    with pytest.raises(InvalidInput) as exc:
        dump_checked(doc, "mapping", "mappings/kaigo.yaml")
    assert [p.format("en") for p in exc.value.problems] == [
        "mappings/kaigo.yaml (not written):4:9: control-character: $.vendor: text holds the control character U+001B "
        "(from an escape such as \\e or \\x1b); it could rewrite a terminal or a report (expected printable text, "
        "found U+001B)"]


def test_a_workload_beyond_int64_is_refused_not_an_overflow_in_analyze(small: Path, cli: Any) -> None:
    path = small / "current_system" / "inventory.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "{id: F1, kind: function, name: 資格異動}", "{id: F1, kind: function, name: 資格異動, workload: {cases: " + "1" + "0" * 26 + "}}"),
        "utf-8")
    res = cli("analyze")
    assert res.exit_code == 3, res.stderr  # was 70: OverflowError: Python int too large to convert to C long
    assert "out-of-range: $.operations.kaigo.items[0].workload.cases" in res.stderr
