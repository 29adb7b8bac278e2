"""YAML parse events to plain data, by YAML-1.2-like rules, with a problem for every surprise.

``yes``/``no`` stay text (with a warning), unquoted dates stay text, numbers
with leading zeros keep them (with a warning), tags and aliases of
collections are refused, control characters are errors, and so are numbers
beyond any field (``1e999``, an integer of thousands of digits) and nesting
deeper than :data:`MAX_DEPTH`.

The caller (:func:`gapcheck.loading.yamlio.loads`) hands over libyaml's
parse events; this module builds the values from them with an explicit
stack, never by recursion: a file of 100,000 nested lists is one
``too-deep`` problem, read no further than the 65th level (libyaml's own
composer would overflow the C stack, and its scanner slows down with the
square of the depth).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import ComposerError

from gapcheck.core.errors import Problem, Severity
from gapcheck.core.messages import Msg

PathPart = str | int

MAX_DEPTH = 64
"""Lists and mappings inside each other, at most (a gapcheck file needs 6)."""

MAX_DIGITS = 100
"""An unquoted whole number longer than this is beyond every numeric field (and Python's int limit is 4,300)."""


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


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass
class _Frame:
    """A list or mapping being built: where it is, what it holds so far, and (for a mapping) the key awaiting its value."""

    path: tuple[PathPart, ...]
    value: Any
    """A list, a dict, or None for a collection that is only read over (a complex key and its value)."""
    lines: list[int] | None = None
    first_line: dict[str, int] = field(default_factory=dict)
    key: str | None = None
    """The key whose value comes next; None after a refused key (its value is read over)."""
    awaiting_value: bool = False


@dataclass
class _Anchor:
    """What ``&name`` marked: a scalar (its event, converted again at each alias) or a collection (refused at alias)."""

    event: Any
    scalar: bool


class TooDeep(Exception):
    """Nesting beyond :data:`MAX_DEPTH`: the document is not read further."""

    def __init__(self, mark: Any):
        super().__init__(f"nesting deeper than {MAX_DEPTH} levels")
        self.mark = mark


class _Converter:
    """Builds plain Python values from one stream's parse events, collecting problems as it goes."""

    def __init__(self, shown: str, problems: list[Problem]):
        self.shown, self.problems = shown, problems
        self.bad: list[tuple[PathPart, ...]] = []
        self.lines: dict[tuple[PathPart, ...], list[int]] = {}
        self.anchors: dict[str, _Anchor] = {}
        self.roots: list[Any] = []
        """The start mark of each document's root node."""

    def problem(self, event: Any, path: tuple[PathPart, ...], code: str, message: str, expected: str,
                found: str, severity: Severity = "error") -> None:
        if severity == "error":
            self.bad.append(path)
        m = event.start_mark
        self.problems.append(Problem(self.shown, m.line + 1, m.column + 1, code, json_path(path), message, expected,
                                     found, severity))

    def document(self, events: Iterator[Any], keep: bool = True) -> Any:
        """The value of the document whose events follow (up to its end); ``keep=False`` only reads it over.

        Raises :class:`TooDeep` past :data:`MAX_DEPTH`, and libyaml's own
        errors (syntax, an undefined or repeated anchor) as they come.
        """
        stack: list[_Frame] = []
        root: list[Any] = []
        for event in events:
            kind = type(event)
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self._deliver(stack, root, stack.pop().value)
                continue
            if kind is yaml.DocumentEndEvent:
                break
            if not stack:
                self.roots.append(event.start_mark)
            self._anchor(event)
            path, live = self._place(stack, event, keep)
            if kind is yaml.ScalarEvent:
                self._deliver(stack, root, _scalar(event, path, self) if live else None)
            elif kind is yaml.AliasEvent:
                self._deliver(stack, root, self._alias(event, path) if live else None)
            else:
                if len(stack) >= MAX_DEPTH:
                    raise TooDeep(event.start_mark)
                stack.append(self._open(event, path, live))
        self.anchors = {}
        return root[0] if root else None

    def _place(self, stack: list[_Frame], event: Any, keep: bool) -> tuple[tuple[PathPart, ...], bool]:
        """The path of the node that starts with ``event``, and whether it is converted (False: read over)."""
        if not stack:
            return (), keep
        top = stack[-1]
        if top.value is None:
            return top.path, False
        if isinstance(top.value, list):
            top.lines.append(event.start_mark.line + 1)  # type: ignore[union-attr]
            return top.path + (len(top.value),), True
        if top.awaiting_value:
            return (top.path + (top.key,), True) if top.key is not None else (top.path, False)
        self._key(top, event)
        return top.path, False

    def _key(self, top: _Frame, event: Any) -> None:
        """Take a mapping key (a scalar, or an alias of one); a list or mapping as key is refused with its value."""
        name: str = event.anchor
        target: Any = self.anchors[name].event if type(event) is yaml.AliasEvent else event
        if type(target) is not yaml.ScalarEvent:
            top.key = None
            self.problem(target, top.path, "yaml-complex-key", Msg("yaml-complex-key"), Msg("a-text-key"),
                         Msg("a-list-or-mapping-as-key"))
            return
        key: str = target.value
        top.key = key
        control = _CONTROL.search(key)
        if control:
            self.problem(target, top.path + (key,), "control-character",
                         Msg("control-character-key", char=f"U+{ord(control.group(0)):04X}"), Msg("printable-text"),
                         f"U+{ord(control.group(0)):04X}")
        if key in top.first_line:
            self.problem(target, top.path + (key,), "duplicate-key",
                         Msg("duplicate-key", key=key, line=top.first_line[key]), Msg("each-key-once"),
                         Msg("key-again", key=key))
        else:
            mark: Any = target.start_mark
            top.first_line[key] = mark.line + 1

    def _anchor(self, event: Any) -> None:
        """Remember ``&name``; an alias of a name never defined, or a name defined twice, is libyaml's own error."""
        anchor: str | None = getattr(event, "anchor", None)
        mark: Any = event.start_mark
        if anchor is None:
            return
        if type(event) is yaml.AliasEvent:
            if anchor not in self.anchors:
                raise ComposerError(None, None, Msg("yaml-undefined-alias", anchor=repr(anchor)), mark)
            return
        if anchor in self.anchors:
            first = self.anchors[anchor].event.start_mark.line + 1
            raise ComposerError(None, None, Msg("yaml-anchor-twice", anchor=anchor, line=first), mark)
        self.anchors[anchor] = _Anchor(event, type(event) is yaml.ScalarEvent)

    def _alias(self, event: Any, path: tuple[PathPart, ...]) -> Any:
        """A scalar's alias is its value; an alias (*a) of a list or mapping is refused (no "billion laughs")."""
        anchor = self.anchors[event.anchor]
        if anchor.scalar:
            return _scalar(anchor.event, path, self)
        if _tag(anchor.event) not in (_SEQ_TAG, _MAP_TAG):
            _tag_problem(anchor.event, path, self)
        self.problem(anchor.event, path, "yaml-alias", Msg("yaml-alias"), Msg("a-value-written-out"),
                     Msg("an-alias-on-this-line"))
        return None

    def _open(self, event: Any, path: tuple[PathPart, ...], live: bool) -> _Frame:
        if not live:
            return _Frame(path, None)
        if _tag(event) not in (_SEQ_TAG, _MAP_TAG):
            _tag_problem(event, path, self)
        if type(event) is yaml.SequenceStartEvent:
            lines: list[int] = []
            self.lines[path] = lines
            return _Frame(path, [], lines)
        return _Frame(path, {})

    @staticmethod
    def _deliver(stack: list[_Frame], root: list[Any], value: Any) -> None:
        """Put a finished node into the collection being built (or make it the document's value)."""
        if not stack:
            root.append(value)
            return
        top = stack[-1]
        if top.value is None:
            return
        if isinstance(top.value, list):
            top.value.append(value)
        elif top.awaiting_value:  # the value of the key before it
            if top.key is not None:
                top.value[top.key] = value
            top.awaiting_value = False
        else:  # the key itself (taken in _place): its value comes next
            top.awaiting_value = True


def _tag(event: Any) -> str:
    """The tag of a node as libyaml's composer would give it (untagged and ``!`` get the default of their kind)."""
    tag = event.tag
    if tag is None or tag == "!":
        if type(event) is yaml.ScalarEvent:
            return _STR_TAG
        return _SEQ_TAG if type(event) is yaml.SequenceStartEvent else _MAP_TAG
    return tag  # type: ignore[no-any-return]


def _tag_problem(event: Any, path: tuple[PathPart, ...], conv: _Converter) -> None:
    conv.problem(event, path, "yaml-tag", Msg("yaml-tag"), Msg("plain-yaml-data"), repr(_tag(event)))


def _scalar(event: Any, path: tuple[PathPart, ...], conv: _Converter) -> Any:
    value: str = event.value
    if _tag(event) != _STR_TAG:
        _tag_problem(event, path, conv)
        return value
    if event.style:  # quoted or block scalar: always text (plain is '' from libyaml)
        if event.style == '"' and (control := _CONTROL.search(value)):  # escapes such as "\e[41m" make control characters
            char = control.group(0)
            conv.problem(event, path, "control-character",
                         Msg("control-character-escape", char=f"U+{ord(char):04X}"), Msg("printable-text"),
                         f"U+{ord(char):04X}")
        return value
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if value.lower() in _BOOL_WORDS:
        conv.problem(event, path, "yaml-boolean-word",
                     Msg("yaml-boolean-word", value=value), Msg("true-false-or-quoted"), repr(value), severity="warning")
        return value
    if value[0] in "-+.0123456789":
        return _number(event, value, path, conv)
    return value


def _number(event: Any, value: str, path: tuple[PathPart, ...], conv: _Converter) -> Any:
    """A plain scalar that may be a number: an int, a float, or text (leading zeros kept, with a warning)."""
    if _INT.match(value):
        if len(value.lstrip("+-")) <= MAX_DIGITS:
            return int(value)
        conv.problem(event, path, "number-too-large",
                     Msg("number-too-many-digits", digits=len(value.lstrip('+-'))), Msg("at-most-digits", digits=MAX_DIGITS),
                     f"{value[:20]}...")
        return value
    if _LEADING_ZERO.match(value):
        conv.problem(event, path, "yaml-leading-zero",
                     Msg("yaml-leading-zero"), Msg("value-in-quotes", value=value), value, severity="warning")
        return value
    if _FLOAT.match(value):
        number = float(value)
        if math.isfinite(number):
            return number
        shown = value if len(value) <= 40 else value[:37] + "..."
        conv.problem(event, path, "number-too-large",
                     Msg("number-infinite"), Msg("a-finite-number"), shown)
    return value


def too_deep_problem(shown: str, exc: TooDeep) -> Problem:
    """The ``too-deep`` problem of a document that nests past :data:`MAX_DEPTH` (where the 65th level starts)."""
    return Problem(shown, exc.mark.line + 1, exc.mark.column + 1, "too-deep", "$", Msg("too-deep-yaml", depth=MAX_DEPTH),
                   Msg("at-most-levels", depth=MAX_DEPTH), Msg("level-here", level=MAX_DEPTH + 1))


_LIBYAML_DEPTH = "exceeded maximum nesting depth"
"""How PyYAML 6.0.4 and later stop a flow collection nested about 1,000 deep (its scanner looks ahead for a key)."""


def past_libyaml_depth(text: str, exc: yaml.MarkedYAMLError, shown: str,
                       read: Callable[[str, _Converter], object]) -> Problem | None:
    """``too-deep`` where the reader's own nesting limit stopped it first, else None.

    PyYAML 6.0.4's scanner refuses nesting of about 1,000 levels before any event of the 65th level reaches
    this converter (it scans a whole line ahead).  The text up to where it stopped nests less than that, so
    reading it again (``read``: the reader of :func:`gapcheck.loading.yamlio.loads`) meets :data:`MAX_DEPTH` at
    the same place as with an older PyYAML: the same problem, whichever version is installed.
    """
    end = len(text)
    for _ in range(8):  # each cut is shorter: a reader that stops again stops earlier
        mark = exc.problem_mark
        if mark is None or _LIBYAML_DEPTH not in str(exc.problem or "") or not 0 < mark.index < end:
            return None
        end = mark.index
        try:
            read(text[:end], _Converter(shown, []))
        except TooDeep as deep:
            return too_deep_problem(shown, deep)
        except yaml.MarkedYAMLError as again:  # the cut text ends inside its collections, or stops again
            exc = again
            continue
        except yaml.YAMLError:
            return None
        return None
    return None
