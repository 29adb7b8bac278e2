"""The YAML node tree to plain data, by YAML-1.2-like rules, with a problem for every surprise.

``yes``/``no`` stay text (with a warning), unquoted dates stay text, numbers
with leading zeros keep them (with a warning), tags and aliases of
collections are refused, and control characters are errors.  The caller
(:func:`gapcheck.loading.yamlio.loads`) composes the node tree with
libyaml; this module only walks it.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from gapcheck.core.errors import Problem, Severity

PathPart = str | int


def json_path(path: tuple[PathPart, ...] | list[PathPart]) -> str:
    """``("requirements", 3, "id")`` -> ``$.requirements[3].id``."""
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", part):
            out.append(f".{part}")
        else:
            out.append("[" + repr(part) + "]")
    return "".join(out)


_NULLS = {"", "~", "null", "Null", "NULL"}


_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n"}


_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")


_LEADING_ZERO = re.compile(r"0[0-9]+\Z")


_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+(?:\.[0-9]*)?[eE][-+]?[0-9]+)\Z")


_STR_TAG = "tag:yaml.org,2002:str"


_SEQ_TAG = "tag:yaml.org,2002:seq"


_MAP_TAG = "tag:yaml.org,2002:map"


class _Converter:
    """Builds plain Python values from one document's node tree, collecting problems as it goes."""

    def __init__(self, shown: str, problems: list[Problem]):
        self.shown, self.problems = shown, problems
        self.bad: list[tuple[PathPart, ...]] = []
        self.lines: dict[tuple[PathPart, ...], list[int]] = {}
        self.seen: set[int] = set()

    def problem(self, node: yaml.Node, path: tuple[PathPart, ...], code: str, message: str, expected: str,
                found: str, severity: Severity = "error") -> None:
        if severity == "error":
            self.bad.append(path)
        m = node.start_mark
        self.problems.append(Problem(self.shown, m.line + 1, m.column + 1, code, json_path(path), message, expected,
                                     found, severity))

    def convert(self, node: yaml.Node, path: tuple[PathPart, ...]) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node, path, self)
        if node.tag not in (_SEQ_TAG, _MAP_TAG):
            _tag_problem(node, path, self)
        if id(node) in self.seen:  # an alias (*a) of a list or mapping: refuse it (no "billion laughs" expansion)
            self.problem(node, path, "yaml-alias", "anchors and aliases (&name / *name) of lists and mappings are not "
                         "accepted; write the value out", "a value written out", "an alias of the value on this line")
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            self.lines[path] = [child.start_mark.line + 1 for child in node.value]
            return [self.convert(child, path + (i,)) for i, child in enumerate(node.value)]
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                self.problem(knode, path, "yaml-complex-key", "mapping keys must be plain text", "a text key",
                             "a list or mapping as key")
                continue
            key = knode.value
            if key in first_line:
                self.problem(knode, path + (key,), "duplicate-key",
                             f"key '{key}' appears twice in one mapping (first on line {first_line[key]}); "
                             "YAML readers silently keep only the last", "each key once", f"'{key}' again")
            else:
                first_line[key] = knode.start_mark.line + 1
            out[key] = self.convert(vnode, path + (key,))
        return out


def _tag_problem(node: yaml.Node, path: tuple[PathPart, ...], conv: _Converter) -> None:
    conv.problem(node, path, "yaml-tag", "explicit YAML tags are not accepted; tagged values are never turned into objects",
                 "plain YAML data", repr(node.tag))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _scalar(node: yaml.ScalarNode, path: tuple[PathPart, ...], conv: _Converter) -> Any:
    value: str = node.value
    if node.tag != _STR_TAG:
        _tag_problem(node, path, conv)
        return value
    if node.style:  # quoted or block scalar: always text (plain is None or "" by parser)
        if node.style == '"' and (control := _CONTROL.search(value)):  # escapes such as "\e[41m" make control characters
            char = control.group(0)
            conv.problem(node, path, "control-character",
                         f"text holds the control character U+{ord(char):04X} (from an escape such as \\e or \\x1b); "
                         "it could rewrite a terminal or a report", "printable text", f"U+{ord(char):04X}")
        return value
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if value.lower() in _BOOL_WORDS:
        conv.problem(node, path, "yaml-boolean-word",
                     f"'{value}' is a boolean to YAML 1.1 readers; gapcheck keeps it as text. Quote it if you mean text",
                     "true, false or a quoted string", repr(value), severity="warning")
        return value
    first = value[0]
    if first in "-+.0123456789":
        if _INT.match(value):
            return int(value)
        if _LEADING_ZERO.match(value):
            conv.problem(node, path, "yaml-leading-zero",
                         "unquoted number with leading zeros; gapcheck keeps it as text, other YAML readers drop the zeros. Quote it",
                         f"'{value}' in quotes", value, severity="warning")
            return value
        if _FLOAT.match(value):
            return float(value)
    return value
