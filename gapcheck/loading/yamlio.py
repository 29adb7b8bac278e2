"""Safe, strict YAML loading that keeps every value's position.

PyYAML's own loaders silently keep the last of duplicate keys, read ``yes``
and ``on`` as booleans and ``2026-03-31`` as a date object.  Here the C parser
(libyaml, where present) only *parses* the text into events;
:mod:`gapcheck.loading.convert` builds plain Python values from them, with an
explicit stack and at most :data:`~gapcheck.loading.convert.MAX_DEPTH` levels,
by YAML 1.2-like rules:

* ``true``/``false`` are booleans; ``yes``/``no``/``on``/``off``/``y``/``n``
  stay strings and raise a ``yaml-boolean-word`` warning;
* unquoted dates stay strings (the schemas check ISO form);
* numbers with leading zeros (``0230265``) stay strings, with a
  ``yaml-leading-zero`` warning, so that no ID loses its zeros;
* a repeated key is a ``duplicate-key`` error at the second occurrence;
* no tag is ever constructed into an object: only safe, plain data.

The node tree is composed only when a problem needs a position, so that any
JSON path can be mapped back to a line and column (:meth:`YamlDocument.locate`).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gapcheck.core.errors import Problem
from gapcheck.core.messages import Msg, plain, unplain
from gapcheck.loading.convert import MAX_DEPTH, PathPart, TooDeep, _Converter, past_libyaml_depth, too_deep_problem
from gapcheck.loading.files import read_input

try:  # libyaml's C parser, about 3x faster than the pure-Python one
    _Base: type = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Base = yaml.BaseLoader


class _Loader(_Base):  # type: ignore[misc]  # the base class is chosen at run time (C or pure-Python parser)
    """Parses (and, for positions, composes) only; every untagged node gets its default tag without the resolver's regex walk.

    Types are decided later by :func:`_scalar` (YAML 1.2-like rules), so the
    YAML 1.1 implicit resolvers would only cost time (a Python call per node).
    """

    _DEFAULT = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
                yaml.MappingNode: "tag:yaml.org,2002:map"}

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        return self._DEFAULT[kind]


@dataclass
class YamlDocument:
    """One loaded YAML file: its data, the lines of its records, and (lazily) its node tree for positions."""

    file: str
    data: Any
    node: yaml.Node | None = None
    bad_paths: list[tuple[PathPart, ...]] = field(default_factory=list)
    """Paths of values with errors (duplicate keys, tags, schema errors)."""
    skips: set[tuple[PathPart, ...]] = field(default_factory=set)
    """Records the loader must pass over (set by the loader from ``bad_paths``)."""
    lines: dict[tuple[PathPart, ...], list[int]] = field(default_factory=dict)
    """For every list in the file, the 1-based line of each entry (``("links",) -> [5, 6, 7]``)."""
    source: Path | None = None
    """The file, to compose the node tree again when a position is needed after a cached load."""
    text: str | None = None
    """The text it was read from (None after a cached load: then ``source`` is read again)."""

    @property
    def root(self) -> yaml.Node | None:
        """The node tree, composed on first use (only a document with problems needs positions)."""
        if self.node is None:
            text = self.text
            if text is None and self.source is not None:
                text, _ = read_text(self.source, self.file)
            if text is not None:
                self.node = _compose_first(text)
        return self.node

    def written(self, path: tuple[PathPart, ...]) -> str | None:
        """The text of the plain scalar at ``path`` as written in the file (``5.00``, not the number 5.0)."""
        node = self.root
        for part in path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(part)), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
            else:
                return None
        return node.value if isinstance(node, yaml.ScalarNode) else None

    def line_of(self, list_path: tuple[PathPart, ...], index: int) -> int:
        """The line of entry ``index`` of the list at ``list_path`` (0 if unknown)."""
        lines = self.lines.get(list_path)
        return lines[index] if lines is not None and index < len(lines) else 0

    def record_skips(self, keyed: dict[str, int] | None = None) -> set[tuple[PathPart, ...]] | None:
        """The records (list entries) to skip because they hold errors; None if the whole file is unusable.

        A record is a path up to and including its first list index, e.g.
        ``("links", 3)`` or ``("operations", "kaigo", "items", 7)``.  An error
        outside any list (a missing top-level field) makes the file unusable.
        ``keyed`` names top-level mappings whose entries are records too, with
        the depth of a record path: ``{"operations": 2}`` makes
        ``("operations", "kaigo")`` a record.
        """
        skips = set()
        for path in self.bad_paths:
            idx = next((i for i, part in enumerate(path) if isinstance(part, int)), None)
            depth = (keyed or {}).get(str(path[0])) if path else None
            if depth is not None and len(path) >= depth and (idx is None or idx >= depth):
                skips.add(tuple(path[:depth]))
                continue
            if idx is None:
                return None
            skips.add(tuple(path[: idx + 1]))
        return skips

    def locate(self, path: tuple[PathPart, ...], key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at ``path``.

        With ``key=True`` and a path ending in a mapping key, the position of
        the key itself.  A path that does not exist (a missing field) gives
        the position of the deepest node that does.
        """
        node = self.root
        if node is None:
            return (1, 1)
        for i, part in enumerate(path):
            last = i == len(path) - 1
            if isinstance(node, yaml.MappingNode):
                found = None
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                        found = (k, v)
                if found is None:
                    break
                node = found[0] if (last and key) else found[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
            else:
                break
        mark = node.start_mark
        return (mark.line + 1, mark.column + 1)


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """Read a file as UTF-8 (a BOM is accepted); report a missing, empty or non-UTF-8 file."""
    raw, problems = read_bytes(path, shown)
    if raw is None:
        return None, problems
    return decode(raw, shown)


def read_bytes(path: Path, shown: str) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes: only a regular file, and at most the input limit (:func:`gapcheck.loading.files.read_input`)."""
    return read_input(path, shown)


def decode(raw: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    """Bytes as UTF-8 text (BOM stripped), or the problem: not UTF-8, or no data at all."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        guess = _guess_encoding(raw)
        return None, [
            Problem(
                shown, line, col, "not-utf8", "$",
                Msg("not-utf8-guess", label=guess) if guess else Msg("not-utf8"),
                "UTF-8", Msg("found-byte", byte=f"0x{raw[exc.start]:02x}"),
            )
        ]
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [Problem(shown, 1, 1, "file-empty", "$", Msg("file-empty"), Msg("a-yaml-mapping"), Msg("an-empty-file"))]
    return text, []


def _guess_encoding(raw: bytes) -> str:
    for enc, label in (("cp932", "Shift_JIS/CP932"), ("euc_jp", "EUC-JP")):
        try:
            raw.decode(enc)
        except UnicodeDecodeError:
            continue
        return label
    return ""


def load(path: Path, shown: str | None = None) -> tuple[YamlDocument | None, list[Problem]]:
    """Load one YAML file strictly.  Returns the document (or None) and problems.

    Large files go through :mod:`gapcheck.parsecache`: parsed once per content.
    """
    from gapcheck.loading import parsecache

    shown = shown if shown is not None else str(path)
    raw, problems = read_bytes(path, shown)
    if raw is None:
        return None, problems
    cached = parsecache.get(raw)
    if cached is not None:
        data, found, bad, lines = cached
        hit = YamlDocument(shown, data, None, [tuple(p) for p in bad], lines={tuple(k): v for k, v in lines.items()},
                           source=path)
        return hit, [Problem(shown, p[0], p[1], p[2], p[3], unplain(p[4]), unplain(p[5]), unplain(p[6]), p[7]) for p in found]
    text, problems = decode(raw, shown)
    if text is None:
        return None, problems
    doc, problems = loads(text, shown)
    if doc is not None:
        doc.source = path
        parsecache.put(raw, (doc.data, [astuple_problem(p) for p in problems], doc.bad_paths, doc.lines))
    return doc, problems


def astuple_problem(p: Problem) -> tuple[Any, ...]:
    """A problem without its file name, as plain data for the cache."""
    return (p.line, p.column, p.code, p.path, plain(p.message), plain(p.expected), plain(p.found), p.severity)


def warm(path: Path) -> None:
    """Parse a file into the cache (run in worker processes to parse large projects in parallel)."""
    load(path, str(path))


def loads(text: str, shown: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Load YAML text strictly; ``shown`` names it in problems."""
    problems: list[Problem] = []
    was_enabled = gc.isenabled()
    gc.disable()  # the values are acyclic: pausing the collector saves about two thirds of the load time
    try:
        conv = _Converter(shown, problems)
        try:
            data, documents = _read(text, conv)
        except TooDeep as exc:
            return None, [too_deep_problem(shown, exc)]
        except yaml.MarkedYAMLError as exc:
            deep = past_libyaml_depth(text, exc, shown, _read)
            if deep is not None:
                return None, [deep]
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
            what = _one_line(exc.problem or exc.context or "invalid YAML")
            return None, [Problem(shown, line, col, "yaml-syntax", "$", Msg("yaml-syntax", what=what, hint=_hint(text, line)),
                                  Msg("valid-yaml"),
                                  _snippet(text, line))]
        except yaml.reader.ReaderError as exc:  # a control character: NUL, ESC ... (e.g. a binary or AppleDouble file)
            return None, [_reader_problem(text, shown, exc)]
        except yaml.YAMLError as exc:
            return None, [Problem(shown, 0, 0, "yaml-syntax", "$", Msg("yaml-error", what=_one_line(str(exc))), Msg("valid-yaml"), None)]
        if not documents:
            return None, [Problem(shown, 1, 1, "file-empty", "$", Msg("file-empty"), Msg("a-yaml-mapping"), Msg("an-empty-document"))]
        if documents > 1:
            mark = conv.roots[1]
            problems.append(Problem(shown, mark.line + 1, mark.column + 1, "yaml-multiple-documents", "$",
                                    Msg("yaml-multiple-documents"), Msg("one-document"), Msg("n-documents", n=documents)))
    finally:
        if was_enabled:
            gc.enable()
    return YamlDocument(shown, data, None, conv.bad, lines=conv.lines, text=text), problems


def _read(text: str, conv: _Converter) -> tuple[Any, int]:
    """The value of the first document and the number of documents (later ones are read for their syntax only)."""
    loader = _Loader(text)
    try:
        get = loader.get_event

        def events() -> Iterator[Any]:
            while (event := get()) is not None:
                yield event

        stream = events()
        data, documents = None, 0
        for event in stream:
            if type(event) is yaml.DocumentStartEvent:
                value = conv.document(stream, keep=documents == 0)
                data = value if documents == 0 else data
                documents += 1
        return data, documents
    finally:
        loader.dispose()


_NOT_YAML_TEXT = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character YAML does not allow anywhere in a file (YAML 1.1 c-printable)."""


def _reader_problem(text: str, shown: str, exc: yaml.reader.ReaderError) -> Problem:
    """Where the first character YAML refuses is, in characters (libyaml counts bytes of UTF-8)."""
    found = _NOT_YAML_TEXT.search(text)
    if found is not None:
        position, char = found.start(), found.group(0)
    else:  # pragma: no cover - the reader refused something the pattern allows
        position = len(text.encode("utf-8")[: exc.position].decode("utf-8", "ignore"))
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    before = text[:position]
    line = before.count("\n") + 1
    col = position - (before.rfind("\n") + 1) + 1
    return Problem(shown, line, col, "yaml-syntax", "$",
                   Msg("yaml-control-character", char=f"U+{ord(char):04X}"), Msg("printable-text"), f"U+{ord(char):04X}")


def _compose_first(text: str) -> yaml.Node | None:
    """The node tree of the first document, for positions; None if the text does not load (libyaml's composer
    recurses in C: text nested too deep is never handed to it)."""
    try:
        if not _within_depth(text):
            return None
        return next(iter(yaml.compose_all(text, Loader=_Loader)), None)
    except yaml.YAMLError:
        return None


def _within_depth(text: str) -> bool:
    """Whether no list or mapping of the text is nested deeper than :data:`MAX_DEPTH` (read no further than that)."""
    loader = _Loader(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            kind = type(event)
            if kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    return False
            elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                depth -= 1
    finally:
        loader.dispose()
    return True


def _one_line(message: str) -> str:
    """The reader's message on one line (one of gapcheck's own, a :class:`Msg`, as it is)."""
    return message if isinstance(message, Msg) else " ".join(message.split())


def _hint(text: str, line: int) -> str:  # a Msg, or "" when nothing usual is seen
    """What usually causes a syntax error on this line (or the one before), in the user's terms."""
    lines = text.splitlines()
    near = [lines[n - 1] for n in (line, line - 1) if 1 <= n <= len(lines)]
    if any("\t" in ln[: len(ln) - len(ln.lstrip())] or "\t" in ln for ln in near[:1]):
        return Msg("hint-tab")
    if any("\u3000" in ln for ln in near):
        return Msg("hint-full-width-space")
    if any("：" in ln for ln in near):
        return Msg("hint-full-width-colon")
    for n, ln in zip((line, line - 1), near, strict=False):
        stripped = ln.strip()
        if stripped and not stripped.startswith(("#", "-", "{", "[")) and re.match(r"[^:#'\"]+:[^\s]", stripped) \
                and ": " not in stripped:
            return Msg("hint-colon-space", line=n, text=stripped[:30])
    return ""


def _snippet(text: str, line: int) -> str | None:
    lines = text.splitlines()
    if 1 <= line <= len(lines):
        s = lines[line - 1].strip()
        return repr(s[:60])
    return None


