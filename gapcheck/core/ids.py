"""Requirement IDs and spec versions: recognise, normalise, suggest.

Accepted requirement keys (DOMAIN.md):

* the current form, 7 digits = 3-digit spec number + 4-digit serial (``0230265``);
* a legacy 4-digit serial (2020 tax drafts: ``0010``, ``0020``), made 7 digits
  with the spec number of its operation;
* a legacy section number (住民記録 第1.0版: ``1.1.2``), kept as it is; where a
  section holds several requirement blocks, later blocks carry ``-2``, ``-3``.

Full-width digits and dots (``０２３０２６５``) are normalised (NFKC) with a
warning.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from gapcheck.core.messages import Msg

SEVEN = re.compile(r"[0-9]{7}\Z")
SERIAL = re.compile(r"[0-9]{4}\Z")
SECTION = re.compile(r"[0-9]+(?:\.[0-9]+)+(?:-[0-9]+)?\Z")
VERSION = re.compile(r"(?:第)?([0-9]+)(?:\.([0-9]+))?(?:版)?\Z")

ID_EXPECTED = Msg("id-expected")
"""What a requirement ID looks like (a 7-digit ID, a legacy section number or a 4-digit serial)."""


@dataclass(frozen=True)
class NormalisedId:
    """The outcome of normalising one raw ID."""

    value: str | None
    """The normalised ID, or None when the raw text is not an ID."""
    style: str
    """``seven``, ``serial``, ``section`` or ``invalid``."""
    fullwidth: bool = False
    """True when full-width characters had to be converted."""
    needs_prefix: bool = False
    """True for a 4-digit serial whose operation has no known spec number."""


@lru_cache(maxsize=65536)
def normalise_id(raw: str, prefix: str | None) -> NormalisedId:
    """Normalise a requirement ID written in any accepted form (cached: IDs repeat across links)."""
    if len(raw) == 7 and raw.isascii() and raw.isdigit():
        return NormalisedId(raw, "seven")
    text = raw.strip()
    ascii_text = unicodedata.normalize("NFKC", text)
    fullwidth = ascii_text != text
    if SEVEN.match(ascii_text):
        return NormalisedId(ascii_text, "seven", fullwidth)
    if SERIAL.match(ascii_text):
        if prefix:
            return NormalisedId(prefix + ascii_text, "serial", fullwidth)
        return NormalisedId(None, "serial", fullwidth, needs_prefix=True)
    if SECTION.match(ascii_text):
        return NormalisedId(ascii_text, "section", fullwidth)
    return NormalisedId(None, "invalid", fullwidth)


def normalise_version(raw: str) -> str | None:
    """``第6.0版``, ``６．０`` and ``6`` all become ``6.0``; None if not a version."""
    text = unicodedata.normalize("NFKC", raw.strip())
    m = VERSION.match(text)
    if not m:
        return None
    return f"{int(m.group(1))}.{int(m.group(2) or 0)}"


def version_key(version: str) -> tuple[int, ...]:
    """Sort key of a normalised version: ``10.0`` after ``9.1``."""
    return tuple(int(p) for p in version.split("."))


def nearest_ids(wanted: str, known: list[str], n: int = 3) -> list[str]:
    """The known IDs closest to ``wanted``: fewest differing characters, then nearest number."""
    if not known:
        return []
    same_len = [k for k in known if len(k) == len(wanted)]
    scored = []
    for k in same_len:
        diff = sum(a != b for a, b in zip(k, wanted, strict=True))
        if diff <= 2:
            num = abs(int(k) - int(wanted)) if k.isdigit() and wanted.isdigit() else 0
            scored.append((diff, num, k))
    if scored:
        return [k for _, _, k in sorted(scored)[:n]]
    import difflib

    return difflib.get_close_matches(wanted, known, n=n, cutoff=0.5)


def municipality_check_digit(first_five: str) -> int:
    """The check digit of a 全国地方公共団体コード from its first five digits.

    Weights 6, 5, 4, 3, 2; 11 minus the sum mod 11; its last digit (131016 千代田区: 6).
    """
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def municipality_code_problem(code: str) -> Msg | None:
    """Why ``code`` is not a 6-digit municipality code with a right check digit (131016 千代田区), or None when it is one."""
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return Msg("code-not-6-digits", code=code)
    digit = municipality_check_digit(code[:5])
    if int(code[5]) != digit:
        return Msg("check-digit-is", first=code[:5], digit=digit, found=code[5])
    return None


def unknown_operation(code: str, known: list[str]) -> Msg:
    """``unknown operation 'kiago'; did you mean 'kaigo'? (see `gapcheck operations`)``."""
    near = nearest_ids(code, known)
    return Msg("unknown-operation-usage-hint", code=code, hint=near[0]) if near else Msg("unknown-operation-usage", code=code)
