"""JSON Schema (Draft 2020-12) validation of loaded YAML documents.

The schemas ship in ``gapcheck/schemas``.  A compiled validator
(jsonschema-rs) answers "valid?" in a few milliseconds for tens of thousands
of records; only a document that fails is walked again with the reference
``jsonschema`` implementation, whose errors carry the keyword, the schema and
the instance needed to say precisely what was expected and what was found.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from gapcheck.core.errors import Problem
from gapcheck.loading.convert import json_path
from gapcheck.loading.yamlio import YamlDocument

SCHEMA_NAMES = ("registry", "catalogue", "inventory", "mapping", "plan", "policy", "history", "report", "rollup")

_TYPE_NAMES = {
    "string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
    "array": "a list", "object": "a mapping", "null": "nothing",
}


@cache
def schema(name: str) -> dict[str, Any]:
    """The packaged JSON Schema called ``name`` (e.g. ``"mapping"``)."""
    text = resources.files("gapcheck").joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _fast(name: str) -> Any:
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(schema(name), validate_formats=True)


@cache
def _slow(name: str) -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(schema(name), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def describe(value: Any) -> str:
    """How a found value is shown in messages: its YAML-ish type and a short repr."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"number {value}"
    if isinstance(value, float):
        return f"number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def validate(doc: YamlDocument, name: str) -> list[Problem]:
    """Every schema problem of ``doc`` against the schema ``name``.

    The paths of the failing values are added to ``doc.bad_paths``, so that
    the loader can skip just the records concerned and still check the rest.
    """
    if _fast(name).is_valid(doc.data):
        return []
    problems: list[Problem] = []
    for error in _slow(name).iter_errors(doc.data):
        doc.bad_paths.append(_value_path(error))
        problems.extend(_problems(doc, error))
    return _one_mistake_once(problems)


def _one_mistake_once(problems: list[Problem]) -> list[Problem]:
    """A misspelt field is one mistake: keep its ``unknown-field`` (with the hint), drop the ``missing-field`` it causes;
    a date that is no date at all is not out of range as well."""
    import unicodedata

    not_dates = {p.path for p in problems if p.code == "invalid-date"}
    problems = [p for p in problems if not (p.code == "out-of-range" and p.path in not_dates)]

    meant = set()
    for p in problems:
        if p.code == "unknown-field" and p.found:
            key = unicodedata.normalize("NFKC", p.found.strip("'")).split(":")[0].strip()
            hint = p.message.split("did you mean '")[1].rstrip("'?") if "did you mean '" in p.message else key
            parent = p.path[: p.path.rfind("[")] if p.path.endswith("']") else p.path.rsplit(".", 1)[0]
            meant.add((parent, hint))
            meant.add((parent, key))
    return [p for p in problems
            if not (p.code == "missing-field" and (p.path, (p.expected or "").removeprefix("field ").strip("'")) in meant)]


def _names_a_key(err: Any) -> bool:
    """Whether ``err`` comes from a ``propertyNames`` schema: it is about a mapping key, not a value.

    jsonschema reports such an error with the keyword inside ``propertyNames``
    (``pattern``), the key as instance, and the path of the mapping holding it.
    """
    parts = list(err.absolute_schema_path)
    return isinstance(err.instance, str) and any(
        part == "propertyNames" and (i == 0 or parts[i - 1] != "properties") for i, part in enumerate(parts))


def _value_path(err: Any) -> tuple[Any, ...]:
    """The path of the value ``err`` is about; for a bad key, the path of the key's entry."""
    path = tuple(err.absolute_path)
    return path + (err.instance,) if _names_a_key(err) else path


def _leaf_errors(error: Any) -> Iterable[Any]:
    """For anyOf/oneOf, the most relevant cause instead of the umbrella error."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        # the branch that got furthest into the value is the one the author meant
        deepest = max(len(e.absolute_path) for e in error.context)
        yield from _leaf_errors(best_match([e for e in error.context if len(e.absolute_path) == deepest]))
    else:
        yield error


def _problems(doc: YamlDocument, error: Any) -> list[Problem]:
    out = []
    for err in _leaf_errors(error):
        out.extend(_convert(doc, err))
    return out

def _unknown_fields(doc: YamlDocument, err: Any, path: tuple[Any, ...]) -> list[Problem]:
    """One problem per field the schema does not allow, with the nearest allowed name."""
    allowed = sorted((err.schema.get("properties") or {}).keys())
    extras = [k for k in err.instance if k not in allowed] if isinstance(err.instance, dict) else []
    res = []
    for key in extras:
        line, col = doc.locate(path + (key,), key=True)
        hint = _nearest(key, allowed)
        if "：" in key:
            hint = key.split("：")[0]
            message = f"unknown field '{key}': a full-width colon '：' joined key and value; write '{hint}: ' and the value"
        else:
            message = f"unknown field '{key}'" + (f"; did you mean '{hint}'?" if hint else "")
        res.append(Problem(doc.file, line, col, "unknown-field", json_path(path + (key,)), message,
                           "one of " + ", ".join(allowed), repr(key)))
    return res



def _convert(doc: YamlDocument, err: Any) -> list[Problem]:
    path = tuple(err.absolute_path)
    kw = err.validator
    sch = err.schema if isinstance(err.schema, dict) else {}
    expected = sch.get("x-expected")
    found = describe(err.instance)
    if isinstance(err.instance, (int, float)) and not isinstance(err.instance, bool):
        as_written = doc.written(tuple(err.absolute_path))
        if as_written is not None and as_written != str(err.instance):
            found = f"number {as_written}"  # what the user wrote, not what YAML made of it
    if kw == "additionalProperties" or kw == "unevaluatedProperties":
        return _unknown_fields(doc, err, path)
    if _names_a_key(err):  # a key of the wrong form: point at the key itself, not at the mapping holding it
        line, col = doc.locate(path + (err.instance,), key=True)
        return [Problem(doc.file, line, col, "invalid-format", json_path(path + (err.instance,)), "key has the wrong form",
                        expected or "a valid key", found)]
    line, col = doc.locate(path)
    jp = json_path(path)
    if kw == "required":
        missing = err.message.split("'")[1] if "'" in err.message else str(err.validator_value)
        return [Problem(doc.file, line, col, "missing-field", jp, f"required field '{missing}' is missing",
                        f"field '{missing}'", "none")]
    if kw == "type":
        types: list[str] = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        exp = expected or " or ".join(_TYPE_NAMES.get(t, t) for t in types)
        msg = "wrong type"
        if "boolean" in types and isinstance(err.instance, str) and err.instance.lower() in {"yes", "no", "on", "off", "y", "n"}:
            msg = "wrong type: YAML 1.1 boolean words are text here; write true or false"
        elif "string" in types and isinstance(err.instance, (int, float)) and not isinstance(err.instance, bool):
            msg = "wrong type: a number where text is expected; quote the value so no digit is lost"
        return [Problem(doc.file, line, col, "wrong-type", jp, msg, exp, found)]
    if kw in ("enum", "const"):
        values = err.validator_value if kw == "enum" else [err.validator_value]
        exp = expected or "one of " + ", ".join(str(v) for v in values)
        hint = _nearest(err.instance, [str(v) for v in values]) if isinstance(err.instance, str) else None
        msg = "value not allowed" + (f"; did you mean '{hint}'?" if hint else "")
        return [Problem(doc.file, line, col, "invalid-value", jp, msg, exp, found)]
    if kw == "format":
        code = "invalid-date" if err.validator_value == "date" else "invalid-format"
        return [Problem(doc.file, line, col, code, jp, f"not a valid {err.validator_value}", expected or err.validator_value, found)]
    span = sch.get("x-range")  # a pattern that says which dates gapcheck can count in
    if kw == "pattern" and span:  # a real date, but outside those years
        return [Problem(doc.file, line, col, "out-of-range", jp, "date out of range", span, found)]
    if kw == "pattern":
        code = "invalid-date" if "date" in (expected or "") else "invalid-format"
        return [Problem(doc.file, line, col, code, jp, "value has the wrong form",
                        expected or f"text matching {err.validator_value}", found)]
    if kw in ("minItems", "minLength", "minProperties"):
        return [Problem(doc.file, line, col, "empty-value", jp, "must not be empty", expected or f"at least {err.validator_value}", found)]
    if kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "maxItems", "maxLength"):
        return [Problem(doc.file, line, col, "out-of-range", jp, "value out of range", expected or f"{kw} {err.validator_value}", found)]
    return [Problem(doc.file, line, col, "schema-violation", jp, err.message, expected, found)]


def _nearest(word: str, choices: list[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return match[0] if match else None
