"""Municipality codes (全国地方公共団体コード) and the 47 prefectures.

A code is 6 digits: 2 for the prefecture, 3 for the municipality, 1 check
digit.  The check digit weighs the first five digits 6, 5, 4, 3, 2 and is the
last digit of 11 minus the weighted sum modulo 11 (``131016`` 千代田区,
``084433`` 阿見町, ``999997`` the sample's fictional town).  A prefecture is a
団体 of its own: its code is the prefecture's two digits, ``000`` and the
check digit (``080004`` 茨城県).

The prefectures are packaged data (``gapcheck/data/prefectures.csv``, with its
source); ``99`` is the fictional prefecture (架空) of the sample.  No list of
municipalities is shipped: their names come from each municipality's own
results.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from gapcheck.core.messages import Msg

WEIGHTS = (6, 5, 4, 3, 2)
FICTIONAL_PREFECTURE = "99"
"""The prefecture code of the sample data: not a real prefecture (架空)."""


@dataclass(frozen=True, slots=True)
class Prefecture:
    code: str
    """The 2-digit prefecture code (JIS X 0401), ``99`` for the fictional one."""
    name: str
    lg_code: str | None
    """The prefecture's own 6-digit 団体コード (None for the fictional one)."""


def check_digit(first_five: str) -> str:
    """The check digit of a code's first five digits: ``13101`` -> ``6``."""
    total = sum(int(d) * w for d, w in zip(first_five, WEIGHTS, strict=True))
    return str((11 - total % 11) % 10)


def with_check_digit(code: str) -> str:
    """The code with its check digit recomputed: ``999999`` -> ``999997``."""
    return code[:5] + check_digit(code[:5])


def is_prefecture(code: str) -> bool:
    """True for a prefecture's own code (municipality part ``000``)."""
    return code[2:5] == "000"


@cache
def prefectures() -> dict[str, Prefecture]:
    """The 47 prefectures and the fictional 99, by 2-digit code."""
    text = resources.files("gapcheck").joinpath("data", "prefectures.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {r["prefecture"]: Prefecture(r["prefecture"], r["name"], r["lg_code"] or None) for r in rows}


def prefecture_of(code: str) -> Prefecture | None:
    """The prefecture of a municipality code (its first two digits), or None when there is none such."""
    return prefectures().get(code[:2])


def code_issue(text: str) -> tuple[str, Msg, str] | None:
    """What is wrong with a municipality code: (problem code, message, expected), or None when it is right."""
    if len(text) != 6 or not text.isascii() or not text.isdigit():
        code = "municipality-code-invalid"
        return (code, Msg("municipality-code-invalid", code=text), Msg("municipality-code-expected"))
    right = with_check_digit(text)
    if right != text:
        code = "municipality-code-check-digit"
        return (code, Msg("municipality-code-check-digit", code=text, first=text[:5], digit=right[-1]), f"'{right}'")
    if prefecture_of(text) is None:
        code = "municipality-code-prefecture"
        return (code, Msg("municipality-code-prefecture", code=text, start=text[:2]), Msg("municipality-code-01-47"))
    return None
