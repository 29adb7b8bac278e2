"""Japanese for people, codes for machines: the message catalogue, ``--lang`` and ``GAPCHECK_LANG``.

- every row of the catalogue has a Japanese and an English template with the same fields;
- every ``Msg("key", ...)`` in the package names a row and fills every field of both templates;
- the default language is Japanese: every problem line and summary of every case holds Japanese words,
  while its code, position, JSON path and found value stay as they are;
- ``--lang en`` and ``GAPCHECK_LANG=en`` give English (exact lines), the option wins over the variable,
  anything but ja/en is a usage error (exit 2), and the machine's locale (LANG, LC_*) changes nothing.
"""

from __future__ import annotations

import ast
import json
import marshal
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gapcheck.core.errors import Problem
from gapcheck.core.messages import CATALOGUE, Msg, fields, plain, tr, unplain

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "tests" / "cases" / "invalid"
JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")
PROBLEM_LINE = re.compile(r"^(?:warning: )?(?P<where>.+?:\d+:\d+): (?P<code>[a-z0-9-]+): (?P<path>\S+): (?P<message>.+)$")


LANGUAGE_SPECIFIC = {"schema-expected": {"ja", "en"}, "list-and": {"head", "head_ja"}, "list-or": {"head", "head_ja"}}
"""Rows whose two templates take different fields on purpose (each is given both)."""


def test_every_row_has_both_languages_with_the_same_fields() -> None:
    for key, (ja, en) in CATALOGUE.items():
        assert ja.strip() and en.strip(), key
        if key not in LANGUAGE_SPECIFIC:
            assert fields(ja) == fields(en), f"{key}: {fields(ja)} != {fields(en)}"
        literal = re.sub(r"\{[^}]*\}", "", ja)
        if re.search(r"[A-Za-z]{3}", re.sub(r"\{[^}]*\}", "", en)) and literal.strip(" .,;:()（）、。'"):
            assert JAPANESE.search(literal) or literal == re.sub(r"\{[^}]*\}", "", en), f"{key}: no Japanese in {ja!r}"


def _msg_calls() -> list[tuple[str, int, list[str], set[str], bool]]:
    """(file, line, keys, keyword names, has **kwargs) of every ``Msg(...)``, ``tr(...)`` and ``say(...)`` call."""
    calls = []
    for path in sorted((REPO / "gapcheck").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("Msg", "say", "tr")
                    and node.args):
                continue
            first = node.args[0]
            options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            keys = [o.value for o in options if isinstance(o, ast.Constant) and isinstance(o.value, str)]
            names = {k.arg for k in node.keywords if k.arg}
            calls.append((str(path.relative_to(REPO)), node.lineno, keys, names, any(k.arg is None for k in node.keywords)))
    return calls


def test_every_message_names_a_row_and_fills_its_fields() -> None:
    calls = _msg_calls()
    assert len(calls) > 300  # the scan sees the package's messages
    wrong = []
    for file, line, keys, names, star in calls:
        for key in keys:
            if key not in CATALOGUE:
                wrong.append(f"{file}:{line}: no catalogue row {key!r}")
            elif not star and not (need := fields(CATALOGUE[key][0]) | fields(CATALOGUE[key][1])) <= names:
                wrong.append(f"{file}:{line}: {key} needs {sorted(need - names)}")
    assert not wrong, "\n".join(wrong)


def test_keys_made_at_run_time_are_rows() -> None:
    """The few keys built from a value (a file's fate, a schema format, what a stale link still holds)."""
    for key in ("cli-file-created", "cli-file-updated", "cli-file-unchanged", "cli-file-wrote", "format-date",
                "and-its-note", "and-its-date", "and-its-note-date", "list-and", "list-or"):
        assert key in CATALOGUE, key


def test_a_message_is_its_japanese_text_and_renders_english_on_request() -> None:
    m = Msg("unknown-item-near", item="KG-F099", operation="kaigo", near="KG-F009")
    assert m == "kaigo に現行機能 KG-F099 はありません。近いID: KG-F009"
    assert m.render("en") == "no inventory item KG-F099 in kaigo; nearest: KG-F009"
    nested = Msg("not-a-valid", what=Msg("format-date"))
    assert (nested.render("ja"), nested.render("en")) == ("日付として正しくありません", "not a valid date")
    for copy in (pickle.loads(pickle.dumps(nested)), unplain(marshal.loads(marshal.dumps(plain(nested))))):
        assert isinstance(copy, Msg) and copy.render("en") == "not a valid date" and copy == nested
    with pytest.raises(KeyError):
        tr("no-such-message")


def test_the_library_formats_a_problem_in_either_language() -> None:
    p = Problem("mappings/kaigo.yaml", 4, 7, "invalid-date", "$.date", Msg("not-a-valid", what=Msg("format-date")),
                Msg("schema-expected", ja="実在する暦日 YYYY-MM-DD", en="a real calendar date YYYY-MM-DD"), "'2026-02-30'")
    assert p.format() == ("mappings/kaigo.yaml:4:7: invalid-date: $.date: 日付として正しくありません"
                          "（期待: 実在する暦日 YYYY-MM-DD、実際: '2026-02-30'）")
    assert p.format(lang="en") == ("mappings/kaigo.yaml:4:7: invalid-date: $.date: not a valid date "
                                   "(expected a real calendar date YYYY-MM-DD, found '2026-02-30')")
    assert p.to_dict("en")["message"] == "not a valid date" and p.to_dict()["message"] == "日付として正しくありません"
    assert p.to_dict()["code"] == "invalid-date" and p.key == "not-a-valid"


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_every_case_speaks_japanese_by_default(case: str) -> None:
    """Every problem line's message and every summary line of the case's exact output holds Japanese words
    (tests/test_invalid_inputs.py checks that the output is exactly expected.txt)."""
    lines = (CASES / case / "expected.txt").read_text("utf-8").splitlines()[:-1]
    assert lines
    for line in lines:
        m = PROBLEM_LINE.match(line)
        text = m.group("message") if m else line.removeprefix("gapcheck: ").split(": ", 1)[-1]
        assert JAPANESE.search(text), f"{case}: English only: {line}"
        if m:
            assert m.group("code").isascii() and m.group("path").isascii() or "!" in m.group("path"), line


ENGLISH = {
    "dates": [
        "mappings/kaigo.yaml:4:7: invalid-date: $.date: not a valid date (expected a real calendar date YYYY-MM-DD "
        "(quoted or not), found '2026-02-30')",
        "INVALID: 3 file(s), 3 error(s), 0 warning(s)",
    ],
    "unknown-references": [
        "mappings/kaigo.yaml:6:12: unknown-item: $.links[1].item: no inventory item F9 in kaigo; nearest: F1, F2, F3 "
        "(expected an item ID of the kaigo inventory, found 'F9')",
        "INVALID: 3 file(s), 3 error(s), 0 warning(s)",
    ],
    "csv-encoding": [
        "gapcheck: 1 error(s) in the input; nothing was written",
    ],
}


def _run_case(case: str, tmp_path: Path, *before: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    sys.path.insert(0, str(REPO / "tests" / "cases"))
    from run_case import prepare

    args = prepare(CASES / case, tmp_path / case)
    full = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    res = subprocess.run([sys.executable, "-m", "gapcheck", *before, *args], cwd=tmp_path / case, env=full,
                         capture_output=True, text=True, timeout=120)
    return res.returncode, res.stderr


@pytest.mark.parametrize("case", sorted(ENGLISH))
def test_lang_en_gives_the_english_lines(case: str, tmp_path: Path) -> None:
    code, err = _run_case(case, tmp_path, "--lang", "en")
    for line in ENGLISH[case]:
        assert line in err.splitlines(), err
    assert not JAPANESE.search(re.sub(r"'[^']*'|[!]\S+|\S*\.(?:yaml|csv|xlsx)\S*", "", err.split("\n")[0])), err
    japanese = (CASES / case / "expected.txt").read_text("utf-8")
    assert f"[exit {code}]\n" == japanese.splitlines(keepends=True)[-1]


def test_the_variable_gives_english_and_the_option_wins(tmp_path: Path) -> None:
    ja = (CASES / "dates" / "expected.txt").read_text("utf-8")
    _, by_variable = _run_case("dates", tmp_path / "a", env={"GAPCHECK_LANG": "en"})
    assert "INVALID: 3 file(s), 3 error(s), 0 warning(s)" in by_variable.splitlines()
    _, option_wins = _run_case("dates", tmp_path / "b", "--lang", "ja", env={"GAPCHECK_LANG": "en"})
    assert option_wins + "[exit 3]\n" == ja
    _, en_wins = _run_case("dates", tmp_path / "c", "--lang", "en", env={"GAPCHECK_LANG": "ja"})
    assert en_wins == by_variable


def test_the_locale_changes_nothing(tmp_path: Path) -> None:
    ja = (CASES / "dates" / "expected.txt").read_text("utf-8")
    for env in ({"LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LANGUAGE": "en"},
                {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}):
        code, err = _run_case("dates", tmp_path / env["LANG"], env=env)
        assert err + f"[exit {code}]\n" == ja


@pytest.mark.parametrize("value", ["fr", "EN_us", "japanese", ""])
def test_any_other_language_is_a_usage_error(value: str, tmp_path: Path) -> None:
    code, err = _run_case("dates", tmp_path / "o", "--lang", value)
    assert code == 2 and "--lang" in err
    if value:
        code, err = _run_case("dates", tmp_path / "v", env={"GAPCHECK_LANG": value})
        assert code == 2 and "GAPCHECK_LANG must be ja or en" in err


def test_json_keeps_codes_and_takes_the_language(small: Path, cli) -> None:
    (small / "mappings" / "kaigo.yaml").write_text("gapcheck: mapping/1\noperation: kaigo\nspec_version: '6.0'\n"
                                                    "date: 2026-02-30\nlinks: []\n", "utf-8")
    ja = json.loads(cli("validate", "--format", "json").stdout)
    en = json.loads(cli("--lang", "en", "validate", "--format", "json").stdout)
    pick = [(p["code"], p["path"], p["line"], p["found"]) for p in ja["problems"]]
    assert pick == [(p["code"], p["path"], p["line"], p["found"]) for p in en["problems"]] and pick
    dates = [(a["message"], b["message"]) for a, b in zip(ja["problems"], en["problems"], strict=True) if a["code"] == "invalid-date"]
    assert dates == [("日付として正しくありません", "not a valid date")]


def test_usage_errors_and_summaries_follow_the_language(small: Path, cli) -> None:
    assert cli("analyze", "--as-of", "2026-13-01").stderr == "gapcheck: --as-of は YYYY-MM-DD の日付です（指定: '2026-13-01'）\n"
    assert cli("--lang", "en", "analyze", "--as-of", "2026-13-01").stderr == \
        "gapcheck: --as-of takes a date YYYY-MM-DD, not '2026-13-01'\n"
    assert cli("show", "0230999").stderr.startswith("gapcheck: 要件または現行機能 '0230999' はありません")
    assert cli("--lang", "en", "show", "0230999").stderr.startswith("gapcheck: no requirement or inventory item '0230999'")
    res = cli("validate")
    assert res.stderr.splitlines()[-1].startswith("OK: ファイル ") and "誤り 0 件" in res.stderr
