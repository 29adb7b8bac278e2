"""Dates for people: Japanese fiscal years (April to March) and 和暦 (Japanese eras).

Machines get ISO dates; people get ``令和7年度末`` where it helps.
"""

from __future__ import annotations

import datetime as dt

DEADLINE = dt.date(2026, 3, 31)
"""The statutory migration deadline: the end of FY2025 (令和7年度末)."""
EXTENSION_LIMIT = dt.date(2031, 3, 31)
"""The latest deadline a 特定移行支援システム can have: the end of FY2030 (令和12年度末)."""

DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
"""Every date gapcheck reads (inputs, the history, ``--as-of``) lies in this range, and forecasts look no further
than :data:`DATE_MAX` (the horizon): charts and date arithmetic never meet year 9999."""


def check_in_range(d: dt.date, what: str) -> None:
    """Raise :class:`~gapcheck.core.errors.UsageError` for a date outside :data:`DATE_MIN`..:data:`DATE_MAX`."""
    if not DATE_MIN <= d <= DATE_MAX:
        from gapcheck.core.errors import UsageError
        from gapcheck.core.messages import Msg

        raise UsageError(Msg("date-range", what=what, first=DATE_MIN.isoformat(), last=DATE_MAX.isoformat(), value=d.isoformat()))


_ERAS = ((dt.date(2019, 5, 1), "令和"), (dt.date(1989, 1, 8), "平成"), (dt.date(1926, 12, 25), "昭和"))


def iso(d: dt.date | None) -> str | None:
    """A date for machines (ISO 8601), or None."""
    return d.isoformat() if d else None


def fiscal_year(d: dt.date) -> int:
    """The Japanese fiscal year (年度) of a date: 2026-03-31 is FY2025, 2026-04-01 FY2026."""
    return d.year if d.month >= 4 else d.year - 1


def era_year(year: int, month: int = 12, day: int = 31) -> tuple[str, int]:
    """The era and era year of a date (the era in force on that day)."""
    d = dt.date(year, month, day)
    for start, name in _ERAS:
        if d >= start:
            return name, year - start.year + 1
    raise ValueError(f"no era known before {_ERAS[-1][0]}")


def _year_text(name: str, n: int) -> str:
    return f"{name}{'元' if n == 1 else n}年"


def wareki(d: dt.date) -> str:
    """``2026-11-29`` -> ``令和8年11月29日``."""
    name, n = era_year(d.year, d.month, d.day)
    return f"{_year_text(name, n)}{d.month}月{d.day}日"


def fiscal_label(d: dt.date) -> str:
    """The fiscal year of a date in 和暦: ``2026-03-31`` -> ``令和7年度``, ``2019-04-15`` -> ``令和元年度``."""
    fy = fiscal_year(d)
    end = dt.date(fy + 1, 3, 31)
    start, name = next((s, n) for s, n in _ERAS if end >= s)
    n = fy - start.year + 1  # a fiscal year is named in the era in force at its end: FY2019 is 令和元年度
    return f"{name}{'元' if n == 1 else n}年度"


def deadline_label(d: dt.date) -> str:
    """A deadline as people say it: a fiscal year's last day is ``令和7年度末``, other days ``令和8年11月29日``."""
    if d.month == 3 and d.day == 31:
        return fiscal_label(d) + "末"
    return wareki(d)


def is_real_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
