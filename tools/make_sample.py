#!/usr/bin/env python3
"""Write gapcheck's committed sample data (サンプル・架空).

Run from anywhere; it writes under the repository root (or ``--root DIR``):

* ``specs/<code>/<version>.yaml``: one spec catalogue per operation of the
  registry (20), two versions ("5.0" and "6.0") for 介護保険;
* ``current_system/inventory.yaml``: the current functions and forms of a
  fictional town, 架空県さくら町, which does not run 生活保護 or 児童扶養手当;
* ``mappings/<code>.yaml``: one fictional vendor mapping per operation in
  scope (18); 介護保険 is mapped against the older "5.0" on purpose.

The content lives in ``tools/sample/``: one module per operation under
``tools/sample/operations/`` (``kotei-shisanzei`` -> ``kotei_shisanzei.py``),
the machinery next to it (see ``tools/sample/__init__.py``).  After editing,
re-run this script and commit the regenerated files with the change;
``tests/test_make_sample.py`` fails while the two disagree.

Everything is SAMPLE data.  Except for the 住民記録 structure (section numbers,
titles and classes of 住民記録システム標準仕様書【第1.0版】 chapter 3, derived
from /work/shared/data/juki-v1.0-structure.csv and attributed as such) and
five 介護保険 IDs and names quoted in DOMAIN.md, all requirement IDs, prefixes,
titles, texts, inventory items, vendors and judgements are invented.  None of
it is the official specification.

The output is deterministic: every random choice comes from a
``random.Random`` seeded with a fixed string per operation, so re-running the
script reproduces the files byte for byte.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sample.build import ROOT, Counts, build


def summary(counts: dict[str, Counts]) -> list[str]:
    """The table printed after writing: requirements, items and links per operation, then totals."""
    lines = [f"{'operation':<18} {'reqs':>5} {'items':>5} {'links':>5}"]
    for code, (r, i, n) in counts.items():
        lines.append(f"{code:<18} {r:>5} {i:>5} {n:>5}")
    total = [sum(c[k] for c in counts.values()) for k in range(3)]
    lines.append(f"{'total':<18} {total[0]:>5} {total[1]:>5} {total[2]:>5}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, write the sample, print the summary."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder to write into (default: the repository)")
    args = parser.parse_args(argv)
    print("\n".join(summary(build(args.root))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
