#!/usr/bin/env python3
"""Print (or, with --write, put into README.md) the table of problem codes, generated from gapcheck/core/codes.py.

    python3 tools/problem_table.py --write

The README's table sits between the markers ``<!-- problem-codes:start -->``
and ``<!-- problem-codes:end -->``; ``tests/test_problem_codes.py`` fails when
it differs from what this prints.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gapcheck.core.codes import CODES, GROUPS  # noqa: E402

START, END = "<!-- problem-codes:start -->", "<!-- problem-codes:end -->"
SEVERITY = {"error": "error", "warning": "warning", "either": "error or warning"}


def table() -> str:
    """The Markdown table: one row per code, grouped, in registry order."""
    lines = ["| code | severity | 意味 | meaning | room |", "|---|---|---|---|---|"]
    for group, title in GROUPS.items():
        lines.append(f"| **{title}** | | | | |")
        for c in (c for c in CODES.values() if c.group == group):
            lines.append(f"| `{c.code}` | {SEVERITY[c.severity]} | {c.title_ja} | {c.title_en} | {c.room} |")
    return "\n".join(lines) + "\n"


def replace(readme: str) -> str:
    """``readme`` with the text between the markers replaced by :func:`table`."""
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"README.md has no {START} ... {END} markers")
    return head + START + "\n" + table() + END + tail


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the table inside README.md")
    args = parser.parse_args()
    if args.write:
        path = ROOT / "README.md"
        path.write_text(replace(path.read_text("utf-8")), "utf-8")
    else:
        sys.stdout.write(table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
