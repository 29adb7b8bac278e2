"""Hostile input: every input gives problems or a result, never an internal error, and nothing from an input
reaches a terminal, a log or a file raw (issue 9, points 4, 5 and 9).  The exact messages for YAML inputs are
pinned by the cases under tests/cases/invalid/ (too-deep, number-too-large, control-char-position, ...)."""

from __future__ import annotations

import time

import pytest

from gapcheck.loading import yamlio
from gapcheck.loading.convert import MAX_DEPTH


def codes(problems: list) -> list[tuple[str, int, int]]:
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


def test_nesting_up_to_the_limit_is_read() -> None:
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
    assert [(p.code, p.message) for p in problems] == [("yaml-syntax", "YAML syntax error: found undefined alias 'nowhere'")]
    _, problems = yamlio.loads("a: &x 1\nb: &x 2\n", "t.yaml")
    assert [(p.line, p.column, p.message) for p in problems] == [
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
