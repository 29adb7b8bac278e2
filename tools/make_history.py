"""Write the SAMPLE readiness history reports/history.jsonl for the fictional town.

The sample data is static, so a real `gapcheck snapshot` on several dates would
record the same gap counts each time.  To let the forecast and the burndown show
something, this script takes the real readiness of the sample on each snapshot
date (statuses from the sample plan) and *invents* earlier values: more open gaps
and lower step completion the further back the date, at a rate that differs per
operation.  Everything it writes is synthetic.  Deterministic: re-running it
reproduces the file byte for byte.

    python tools/make_history.py                   # rewrites reports/history.jsonl
    python tools/make_history.py --output FILE     # writes FILE instead (tests compare it with the committed file)

Each date's figures come from the analysis *on that date* (an 経過措置 whose
date has passed by then is an open gap), never from today's date, so the
file does not change with the day it is made.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gapcheck.analysis.classify import analyze  # noqa: E402
from gapcheck.core.config import Config  # noqa: E402
from gapcheck.loading.history import Snapshot  # noqa: E402
from gapcheck.readiness.history import record  # noqa: E402
from gapcheck.readiness.status import assess  # noqa: E402
from gapcheck.validation.project import load_project  # noqa: E402

DATES = [dt.date(2025, 10, 1), dt.date(2026, 1, 5), dt.date(2026, 4, 1), dt.date(2026, 7, 1), dt.date(2026, 10, 1)]
# open gaps closed per quarter, per operation (synthetic); operations not listed close 2 per quarter
PACE = {"kaigo": 3, "kokuho": 2, "shogai-fukushi": 1, "koki-korei": 1, "kodomo-kosodate": 2, "juki": 4}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the synthetic sample history (reports/history.jsonl).")
    parser.add_argument("--output", type=Path, default=ROOT / "reports" / "history.jsonl", help="file to write")
    path = parser.parse_args(argv).output
    project = load_project(Config.defaults(ROOT))
    if path.exists():
        path.unlink()
    for n, day in enumerate(DATES):
        quarters_back = len(DATES) - 1 - n
        result = assess(project, analyze(project, as_of=day), day)
        snaps = []
        for o in result.operations:
            if o.status == "not-applicable":
                continue
            gaps = o.open_gaps + PACE.get(o.operation, 2) * quarters_back
            done = None if o.completion_rate is None else round(max(0.0, o.completion_rate - 0.12 * quarters_back), 4)
            fit = None if o.mandatory_fit_rate is None else round(max(0.0, o.mandatory_fit_rate - 0.03 * quarters_back), 4)
            snaps.append(Snapshot(day, o.operation, o.status, gaps, fit, done, o.violations, o.undecided + quarters_back,
                                  len(o.deferrals), o.in_progress_rate))
        record(path, snaps)
    print(f"wrote {path}: {len(DATES)} snapshot dates (synthetic sample history)")


if __name__ == "__main__":
    main()
