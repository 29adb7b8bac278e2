"""The registry of problem codes (gapcheck/core/codes.py) agrees with the code, the README and the cases.

- every code the package emits is registered (a static scan of ``Problem(...)``
  and ``*.problem(...)`` calls, and of ``code = ...`` assignments; under the
  test suite an unregistered code also raises when a problem is made);
- every registered code is emitted somewhere (no dead codes);
- every registered code has at least one case under ``tests/cases/invalid/``
  whose exact expected output names it;
- the README's table is what ``tools/problem_table.py`` generates.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gapcheck.core.codes import CODES
from gapcheck.core.errors import Problem

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "tests" / "cases" / "invalid"
CODE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$")


def _constants(node: ast.AST) -> list[str]:
    """Kebab-case strings under ``node``, leaving out the message keys of ``Msg(...)`` (the catalogue's, not codes)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Msg":
        return []
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) and CODE.match(node.value) else []
    return [c for child in ast.iter_child_nodes(node) for c in _constants(child)]


def emitted_codes() -> dict[str, set[str]]:
    """Code -> the modules that pass it to a problem constructor."""
    found: dict[str, set[str]] = {}
    for path in sorted((REPO / "gapcheck").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            consts: list[str] = []
            if isinstance(node, ast.Call):
                f = node.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                if name == "Problem" or name.lower().endswith("problem"):
                    consts = [c for a in [*node.args, *(k.value for k in node.keywords)] for c in _constants(a)]
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "code" for t in node.targets):
                consts = _constants(node.value)
            for c in consts:
                found.setdefault(c, set()).add(str(path.relative_to(REPO)))
    return found


def case_codes() -> dict[str, set[str]]:
    """Code -> the cases whose expected output names it."""
    found: dict[str, set[str]] = {}
    for expected in sorted(CASES.glob("*/expected.txt")):
        for line in expected.read_text("utf-8").splitlines():
            parts = line.removeprefix("warning: ").split(": ")
            if len(parts) > 2 and ":" in parts[0]:
                found.setdefault(parts[1], set()).add(expected.parent.name)
    return found


def test_every_emitted_code_is_registered() -> None:
    unknown = {c: sorted(m) for c, m in emitted_codes().items() if c not in CODES}
    assert not unknown, f"register these in gapcheck/core/codes.py: {unknown}"


def test_every_registered_code_is_emitted() -> None:
    assert sorted(set(CODES) - set(emitted_codes())) == []


NO_CASE = {
    "schema-violation": "the fallback for a schema keyword with no dedicated message; no packaged schema uses such a "
                        "keyword, so no input reaches it (test_no_schema_error_falls_back_to_schema_violation)",
}
"""Registered codes that no input can produce today, and why; each needs a test that proves it."""


def test_every_registered_code_has_a_case_with_its_exact_output() -> None:
    covered = set(case_codes())
    assert sorted(set(CODES) - covered - set(NO_CASE)) == []
    assert sorted(covered - set(CODES)) == []
    assert sorted(covered & set(NO_CASE)) == [], "a case reaches it now: remove it from NO_CASE"


DEDICATED = {"additionalProperties", "required", "type", "enum", "const", "format", "pattern", "minItems", "minLength",
             "minProperties", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "maxItems", "maxLength"}
"""Keywords whose errors gapcheck.loading.schema turns into their own code (anything else: schema-violation)."""
APPLICATORS = {"properties": "map", "$defs": "map", "items": "one", "additionalProperties": "one", "propertyNames": "one",
               "oneOf": "list", "anyOf": "list"}
"""Keywords holding subschemas; an error inside one is reported as the subschema's own keyword."""
ANNOTATIONS = {"$schema", "$id", "$ref", "title", "description", "x-expected", "x-range", "x-expected-ja", "x-range-ja"}


def _input_schemas() -> dict[str, dict[str, object]]:
    from gapcheck.loading.schema import SCHEMA_NAMES, schema
    from gapcheck.vendor.columnmap import COLUMNS_SCHEMA, INVENTORY_COLUMNS_SCHEMA

    return {**{name: schema(name) for name in SCHEMA_NAMES}, "columns": COLUMNS_SCHEMA,
            "inventory-columns": INVENTORY_COLUMNS_SCHEMA}


def _subschemas(node: object) -> list[dict[str, object]]:
    """``node`` and every schema inside it."""
    if not isinstance(node, dict):
        return []
    found = [node]
    for key, kind in APPLICATORS.items():
        value = node.get(key)
        children = (list(value.values()) if kind == "map" and isinstance(value, dict) else
                    value if kind == "list" and isinstance(value, list) else [value] if kind == "one" else [])
        for child in children:
            found += _subschemas(child)
    return found


def _json_types(branch: dict[str, object], root: dict[str, object]) -> set[str]:
    """The JSON types a oneOf branch accepts (integer counted as number)."""
    while "$ref" in branch:
        branch = root["$defs"][str(branch["$ref"]).removeprefix("#/$defs/")]  # type: ignore[index]
    if "type" in branch:
        types = branch["type"] if isinstance(branch["type"], list) else [branch["type"]]
        return {"number" if t == "integer" else str(t) for t in types}
    values = branch.get("enum", [branch["const"]] if "const" in branch else None)
    assert isinstance(values, list), f"cannot tell which types this oneOf branch accepts: {branch}"
    names = {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}
    return {"null" if v is None else names[type(v)] for v in values}


def test_no_schema_error_falls_back_to_schema_violation() -> None:
    """schema-violation has no case because nothing reaches it: this fails the day a schema makes it reachable.

    Every keyword in the packaged schemas (and the column map's) has a dedicated
    code, and every oneOf's branches accept disjoint JSON types, so that no value
    matches two branches (the one oneOf error that has no cause to report).
    """
    for name, root in _input_schemas().items():
        for sub in _subschemas(root):
            unknown = set(sub) - DEDICATED - set(APPLICATORS) - ANNOTATIONS
            assert not unknown, f"{name}: keyword(s) {sorted(unknown)} would be reported as schema-violation: " \
                                "give them a dedicated code in gapcheck/loading/schema.py, or a case"
            branches = sub.get("oneOf", [])
            assert isinstance(branches, list)
            for i, first in enumerate(branches):
                for second in branches[i + 1:]:
                    both = _json_types(first, root) & _json_types(second, root)
                    assert not both, f"{name}: a {sorted(both)} value may match two oneOf branches: {first} / {second}"


def test_the_readme_table_is_generated_from_the_registry() -> None:
    printed = subprocess.run([sys.executable, str(REPO / "tools" / "problem_table.py")],
                             capture_output=True, text=True, check=True).stdout
    readme = (REPO / "README.md").read_text("utf-8")
    inside = readme.split("<!-- problem-codes:start -->\n", 1)[1].split("<!-- problem-codes:end -->", 1)[0]
    assert inside == printed, "run: python3 tools/problem_table.py --write"
    assert "*`" not in inside and "-*" not in inside  # no wildcards


def test_an_unregistered_code_raises_under_the_tests() -> None:
    with pytest.raises(ValueError, match="not registered"):
        Problem("f.yaml", 1, 1, "no-such-code")


def test_every_code_has_titles_in_both_languages() -> None:
    for c in CODES.values():
        assert c.title_ja and c.title_en and c.room and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", c.title_ja), c
