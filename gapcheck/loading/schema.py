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
from gapcheck.core.messages import Msg
from gapcheck.loading.convert import json_path
from gapcheck.loading.yamlio import YamlDocument

SCHEMA_NAMES = ("registry", "catalogue", "inventory", "mapping", "plan", "policy", "history", "report", "rollup")

_TYPE_NAMES = {"string": "type-text", "integer": "type-integer", "number": "type-number", "boolean": "type-boolean",
               "array": "type-list", "object": "type-mapping", "null": "type-null"}
"""A JSON Schema type -> the catalogue key of its name for people."""


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
        return Msg("found-null")
    if isinstance(value, bool):
        return Msg("found-boolean", value=str(value).lower())
    if isinstance(value, int):
        return Msg("found-number", value=str(value))
    if isinstance(value, float):
        return Msg("found-number", value=repr(value))
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, list):
        return Msg("found-list", n=len(value))
    if isinstance(value, dict):
        return Msg("found-mapping")
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
            hint = str(dict(p.message.args).get("hint", key)) if isinstance(p.message, Msg) else key
            parent = p.path[: p.path.rfind("[")] if p.path.endswith("']") else p.path.rsplit(".", 1)[0]
            meant.add((parent, hint))
            meant.add((parent, key))
    return [p for p in problems
            if not (p.code == "missing-field" and (p.path, _missing_name(p)) in meant)]


def _missing_name(p: Problem) -> str:
    """The name of the field a ``missing-field`` problem says is missing."""
    return str(dict(p.message.args).get("field", "")) if isinstance(p.message, Msg) else ""


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
            message = Msg("unknown-field-colon", key=key, hint=hint)
        else:
            message = Msg("unknown-field-hint", key=key, hint=hint) if hint else Msg("unknown-field", key=key)
        res.append(Problem(doc.file, line, col, "unknown-field", json_path(path + (key,)), message,
                           Msg("one-of", values=", ".join(allowed)), repr(key)))
    return res



def _convert(doc: YamlDocument, err: Any) -> list[Problem]:
    path = tuple(err.absolute_path)
    kw = err.validator
    sch = err.schema if isinstance(err.schema, dict) else {}
    expected = _expected(sch)
    found = describe(err.instance)
    if isinstance(err.instance, (int, float)) and not isinstance(err.instance, bool):
        as_written = doc.written(tuple(err.absolute_path))
        if as_written is not None and as_written != str(err.instance):
            found = Msg("found-number", value=as_written)  # what the user wrote, not what YAML made of it
    if kw == "additionalProperties" or kw == "unevaluatedProperties":
        return _unknown_fields(doc, err, path)
    if _names_a_key(err):  # a key of the wrong form: point at the key itself, not at the mapping holding it
        line, col = doc.locate(path + (err.instance,), key=True)
        return [Problem(doc.file, line, col, "invalid-format", json_path(path + (err.instance,)), Msg("key-wrong-form"),
                        expected or Msg("a-valid-key"), found)]
    line, col = doc.locate(path)
    jp = json_path(path)
    if kw == "required":
        missing = err.message.split("'")[1] if "'" in err.message else str(err.validator_value)
        return [Problem(doc.file, line, col, "missing-field", jp, Msg("missing-field", field=missing),
                        Msg("field-named", field=missing), Msg("found-none"))]
    if kw == "type":
        types: list[str] = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        exp = expected or _type_names(types)
        msg = Msg("wrong-type")
        if "boolean" in types and isinstance(err.instance, str) and err.instance.lower() in {"yes", "no", "on", "off", "y", "n"}:
            msg = Msg("wrong-type-boolean-word")
        elif "string" in types and isinstance(err.instance, (int, float)) and not isinstance(err.instance, bool):
            msg = Msg("wrong-type-number-for-text")
        return [Problem(doc.file, line, col, "wrong-type", jp, msg, exp, found)]
    if kw in ("enum", "const"):
        values = err.validator_value if kw == "enum" else [err.validator_value]
        exp = expected or Msg("one-of", values=", ".join(str(v) for v in values))
        hint = _nearest(err.instance, [str(v) for v in values]) if isinstance(err.instance, str) else None
        msg = Msg("invalid-value-hint", hint=hint) if hint else Msg("invalid-value")
        return [Problem(doc.file, line, col, "invalid-value", jp, msg, exp, found)]
    if kw == "format":
        code = "invalid-date" if err.validator_value == "date" else "invalid-format"
        what = Msg(f"format-{err.validator_value}") if err.validator_value in _FORMATS else err.validator_value
        return [Problem(doc.file, line, col, code, jp, Msg("not-a-valid", what=what),
                        expected or err.validator_value, found)]
    span = _expected(sch, "x-range")  # a pattern that says which dates gapcheck can count in
    if kw == "pattern" and span:  # a real date, but outside those years
        return [Problem(doc.file, line, col, "out-of-range", jp, Msg("date-out-of-range"), span, found)]
    if kw == "pattern":
        about_dates = "date" in str(sch.get("x-expected") or "")
        code = "invalid-date" if about_dates else "invalid-format"
        return [Problem(doc.file, line, col, code, jp, Msg("value-wrong-form"),
                        expected or Msg("text-matching", pattern=err.validator_value), found)]
    if kw in ("minItems", "minLength", "minProperties"):
        return [Problem(doc.file, line, col, "empty-value", jp, Msg("must-not-be-empty"),
                        expected or Msg("at-least", n=err.validator_value), found)]
    if kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "maxItems", "maxLength"):
        return [Problem(doc.file, line, col, "out-of-range", jp, Msg("value-out-of-range"),
                        expected or f"{kw} {err.validator_value}", found)]
    return [Problem(doc.file, line, col, "schema-violation", jp, err.message, expected, found)]


_FORMATS = ("date",)
"""Formats whose names the catalogue holds (``format-date``)."""


def _expected(sch: dict[str, Any], annotation: str = "x-expected") -> Any:
    """A schema's ``x-expected`` (or ``x-range``): in the language asked for when it has an ``-ja`` twin."""
    en, ja = sch.get(annotation), sch.get(f"{annotation}-ja")
    if en is None:
        return None
    return Msg("schema-expected", ja=ja, en=en) if ja else en


def _type_names(types: list[str]) -> Msg:
    """``text or a whole number`` in the language asked for."""
    names = [Msg(_TYPE_NAMES.get(t, "type-other"), name=t) if t not in _TYPE_NAMES else Msg(_TYPE_NAMES[t]) for t in types]
    return names[0] if len(names) == 1 else Msg("either-of", first=names[0], second=_type_names(types[1:]))


def _nearest(word: str, choices: list[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return match[0] if match else None
