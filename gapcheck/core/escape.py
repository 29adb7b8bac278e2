"""Text from inputs made visible: nothing in it can move a cursor, start a line, or hide what follows.

A value or a file name shown in a problem, a log line or a terminal table may
hold anything its author put there: a newline to forge a second problem line
in CI, ESC/OSC sequences that recolour or retitle a terminal, a CR that
overwrites the start of the line, a bidirectional override that reorders
what is read, or bytes of a file name that are not UTF-8 (a CP932 name from a
Windows zip).  :func:`visible` writes each of them as an escape instead, so
that one problem is always one line and what is shown is what is there.
"""

from __future__ import annotations

import re
from collections.abc import Callable

INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]")
"""C0 and C1 control characters (newline, CR, tab and ESC included), the line and paragraph separators, the
bidirectional marks, overrides and isolates, zero-width characters, and the lone surrogates that stand for
bytes that are not UTF-8 (Python's ``surrogateescape``)."""

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """``text`` with every character of :data:`INVISIBLE` (except those in ``keep``) written as an escape:
    newline ``\\n``, CR ``\\r``, tab ``\\t``, ESC ``\\x1b``, U+202E ``\\u202e``, a non-UTF-8 byte ``\\x93``.

    Backslashes are left as they are, so escaping twice changes nothing.
    """
    if not INVISIBLE.search(text):
        return text
    if keep:
        return INVISIBLE.sub(lambda m: m.group(0) if m.group(0) in keep else _escape(m), text)
    return INVISIBLE.sub(_escape, text)


def each_at_once(texts: list[str], escape: Callable[[str], str], sep: str) -> list[str]:
    """``[escape(t) for t in texts]``, made by one call of ``escape`` over the texts joined by ``sep``.

    For an escape that works character by character (a translation table, HTML escaping) and leaves ``sep``
    as it is: one pass in C instead of a Python call per text.  A text holding ``sep`` itself is escaped one
    by one with the others, so the answer is the same whatever the texts hold.
    """
    joined = sep.join(texts)
    if joined.count(sep) != max(len(texts) - 1, 0):
        return [escape(t) for t in texts]
    return escape(joined).split(sep) if texts else []
