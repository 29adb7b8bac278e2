"""Putting the sample together: every file's lines per operation, the inventory, and writing.

Each operation's plan and items come from a ``random.Random`` seeded with
``SEED`` and the operation code, so operations are independent of each other
and a re-run reproduces every file byte for byte.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from .catalogue import catalogue_lines, catalogues_of
from .inventory import inventory_lines
from .items import build_items
from .mapping import mapping_lines
from .model import Item, OperationSample
from .operations import OPERATIONS
from .plan import plan_states, replacement_states
from .yaml_text import write

ROOT = Path(__file__).resolve().parents[2]
SEED = "gapcheck-sample-1"
INVENTORY = "current_system/inventory.yaml"

Counts = tuple[int, int, int]
"""(requirements, items, links) of one operation."""


@dataclass(frozen=True)
class Rendered:
    """The files of one operation, and what the inventory and the summary need from it."""

    files: dict[str, list[str]]
    """Path relative to the project folder (POSIX) -> lines."""
    items: list[Item] | None
    """The town's current items, or None when the town does not run the operation."""
    counts: Counts


def operation_names() -> dict[str, str]:
    """Operation code -> Japanese name, from the packaged registry (read as text)."""
    registry = (ROOT / "gapcheck" / "data" / "operations.yaml").read_text(encoding="utf-8")
    return dict(re.findall(r"\{code: ([a-z-]+), name: ([^,]+),", registry))


def render_operation(op: OperationSample, name: str) -> Rendered:
    """The catalogue file(s) of ``op`` and, when the town runs it, its mapping file."""
    cats = catalogues_of(op, name)
    files = {f"specs/{op.code}/{cat.version}.yaml": catalogue_lines(op, cat) for cat in cats}
    if op.not_applicable is not None:
        return Rendered(files, None, (len(cats[0].requirements), 0, 0))
    reqs = next(cat.requirements for cat in cats if cat.version == op.mapped_version)
    rng = random.Random(f"{SEED}:{op.code}")
    states = plan_states(reqs, op.profile, {**replacement_states(op, reqs), **op.forced}, rng)
    items = build_items(op, reqs, states, rng)
    files[f"mappings/{op.code}.yaml"] = mapping_lines(op, name, reqs, states, items, rng)
    return Rendered(files, items, (len(reqs), len(items), sum(len(i.links) for i in items)))


def render_all(ops: list[OperationSample], names: dict[str, str]) -> tuple[dict[str, list[str]], dict[str, Counts]]:
    """Every sample file (relative path -> lines) and the per-operation counts."""
    files: dict[str, list[str]] = {}
    counts: dict[str, Counts] = {}
    items: dict[str, list[Item]] = {}
    for op in ops:
        out = render_operation(op, names[op.code])
        files.update(out.files)
        counts[op.code] = out.counts
        if out.items is not None:
            items[op.code] = out.items
    files[INVENTORY] = inventory_lines(ops, items)
    return files, counts


def build(root: Path) -> dict[str, Counts]:
    """Write every sample file under ``root``; return per-operation counts (requirements, items, links)."""
    files, counts = render_all(OPERATIONS, operation_names())
    for rel, lines in files.items():
        write(root / rel, lines)
    return counts
