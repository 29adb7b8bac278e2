"""The readiness history over time: recording a day's snapshot, trends and the forecast.

Reading the history file is :mod:`gapcheck.loading.history`; this module
writes it (:func:`record`: read, merged and replaced atomically while the
history's lock is held, so that two snapshots at once both land) and fits
the least-squares trend behind :func:`forecast`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gapcheck.core.dates import DATE_MAX, iso
from gapcheck.core.errors import InvalidInput
from gapcheck.core.lock import DEFAULT_TIMEOUT, locked
from gapcheck.core.output import write_atomic
from gapcheck.loading.history import Snapshot, load_history


def record(path: Path, new: list[Snapshot], lock_timeout: float = DEFAULT_TIMEOUT) -> list[Snapshot]:
    """Add ``new`` to the history at ``path``, replacing records of the same dates; returns the whole history.

    The file is read, merged and written back under its lock
    (``history.jsonl.lock``), waiting up to ``lock_timeout`` seconds for
    another run (:class:`~gapcheck.core.errors.LockHeld`).  Raises
    :class:`InvalidInput` (and writes nothing) when the existing file has errors.
    """
    path = Path(path)
    with locked(path, lock_timeout):
        old, problems = load_history(path)
        if any(p.severity == "error" for p in problems):
            raise InvalidInput(problems)
        dates = {s.date for s in new}
        merged = sorted([s for s in old if s.date not in dates] + list(new), key=lambda s: (s.date, s.operation))
        write_atomic(path, "".join(s.to_json() + "\n" for s in merged), clean=True)
    return merged


@dataclass(frozen=True)
class Trend:
    """A least-squares line through (date, value) points and the date it reaches a target."""

    points: int
    slope_per_day: float | None
    reaches_on: dt.date | None
    """The first day the line reaches the target; None when it never does (flat or moving away) or only after
    the horizon."""
    beyond_horizon: bool = False
    """The line reaches the target, but only after :data:`~gapcheck.core.dates.DATE_MAX`."""


def trend(points: list[tuple[dt.date, float]], target: float) -> Trend:
    """Fit ``value = a + b * day`` by least squares and solve for ``target``.

    If the last value is already at the target, the answer is the date of that point.
    """
    n = len(points)
    if n < 2:
        return Trend(n, None, None)
    points = sorted(points)
    x0 = points[0][0]
    xs = [(d - x0).days for d, _ in points]
    ys = [v for _, v in points]
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return Trend(n, None, None)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    a = my - b * mx
    last_date, last_value = points[-1]
    if last_value == target or (target <= 0 and last_value < target) or (target >= 1 and last_value > target):
        return Trend(n, b, last_date)  # already there
    if (last_value > target and b >= 0) or (last_value < target and b <= 0):
        return Trend(n, b, None)  # flat, or moving away from the target
    day = (target - a) / b - 1e-9
    if not math.isfinite(day) or day > (DATE_MAX - x0).days:  # a slow trend: years past any plan (or year 9999)
        return Trend(n, b, None, beyond_horizon=True)
    return Trend(n, b, x0 + dt.timedelta(days=max(math.ceil(day), xs[-1] + 1)))  # not reached yet: after the last snapshot


MIN_SNAPSHOTS = 3
"""Fewer snapshots than this: the forecast says there is not enough history."""


@dataclass(frozen=True)
class Forecast:
    """When an operation is expected to reach zero open gaps and 100% step completion."""

    enough_history: bool
    snapshots: int
    gaps_zero_on: dt.date | None
    steps_complete_on: dt.date | None
    before_deadline: bool | None
    """Both dates on or before the deadline; None without enough history."""
    gaps_beyond_horizon: bool = False
    """Zero open gaps is reached only after the horizon (:data:`~gapcheck.core.dates.DATE_MAX`): ``gaps_zero_on`` is None."""
    steps_beyond_horizon: bool = False
    """100% of the steps only after the horizon: ``steps_complete_on`` is None."""

    def to_dict(self) -> dict[str, Any]:
        return {"enough_history": self.enough_history, "snapshots": self.snapshots,
                "gaps_zero_on": iso(self.gaps_zero_on), "steps_complete_on": iso(self.steps_complete_on),
                "before_deadline": self.before_deadline}


def forecast(history: list[Snapshot], operation: str, deadline: dt.date | None) -> Forecast:
    """The forecast of one operation from its snapshots (at least :data:`MIN_SNAPSHOTS`)."""
    snaps = sorted((s for s in history if s.operation == operation), key=lambda s: s.date)
    if len(snaps) < MIN_SNAPSHOTS:
        return Forecast(False, len(snaps), None, None, None)
    gaps_trend = trend([(s.date, float(s.open_gaps)) for s in snaps], 0.0)
    gaps = gaps_trend.reaches_on
    steps_points = [(s.date, s.completion_rate) for s in snaps if s.completion_rate is not None]
    enough_steps = len(steps_points) >= MIN_SNAPSHOTS
    steps_trend = trend(steps_points, 1.0) if enough_steps else None
    steps = steps_trend.reaches_on if steps_trend else None
    before = None
    if deadline is not None:  # step progress counts only when it has enough history of its own
        before = gaps is not None and gaps <= deadline and (not enough_steps or (steps is not None and steps <= deadline))
    return Forecast(True, len(snaps), gaps, steps, before, gaps_trend.beyond_horizon,
                    bool(steps_trend and steps_trend.beyond_horizon))
