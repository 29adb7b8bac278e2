"""Current inventory items of the fictional town, built from the plan, with their links.

Linked requirements are grouped into items (forms alone, functions by 中項目
in ones to threes), some items get a second, weaker link from their
neighbour, and the operation's custom items come last.
"""

from __future__ import annotations

import random
from itertools import pairwise

from .model import Item, OperationSample, Req
from .plan import PRIMARY, link_note


def chunk_linked(reqs: list[Req], states: dict[str, str], rng: random.Random) -> list[list[Req]]:
    """Group linked requirements into current items: forms alone, functions by 中項目 in 1-3s."""
    chunks: list[list[Req]] = []
    limit = 0
    for r in reqs:
        if states[r.id] not in PRIMARY:
            continue
        last = chunks[-1] if chunks else None
        if (last is not None and r.kind == "function" and last[0].kind == "function"
                and last[0].category[:2] == r.category[:2] and len(last) < limit):
            last.append(r)
        else:
            chunks.append([r])
            limit = rng.choice((1, 2, 2, 3))
    return chunks


def item_text(chunk: list[Req]) -> tuple[str, str]:
    """Name and description of the current item covering ``chunk``."""
    first = chunk[0]
    if first.kind == "form":
        return first.title, f"現行システムで出力している{first.title}。"
    titles = list(dict.fromkeys(r.title for r in chunk))
    description = f"現行システムの{'・'.join(titles)}に関する画面・処理。"
    if len(titles) == 1:
        return titles[0], description
    group = first.category[1] if len(first.category) > 1 else first.category[0]
    if group[0].isdigit():  # legacy section numbers say nothing to a reader
        return f"{titles[0]}ほか", description
    return f"{group}（{titles[0]}ほか）", description


def workload(rng: random.Random) -> tuple[int, float] | None:
    """A yearly (cases, hours) for about half of the items, None for the others."""
    if rng.random() < 0.55:
        return None
    cases = rng.choice((12, 40, 120, 360, 800, 1500, 4200))
    return cases, round(cases * rng.choice((0.05, 0.1, 0.25, 0.5)), 1)


def build_items(op: OperationSample, reqs: list[Req], states: dict[str, str],
                rng: random.Random) -> list[Item]:
    """Linked items (with their links) then custom items, numbered per kind."""
    counter = {"function": 0, "form": 0}

    def next_id(kind: str) -> str:
        counter[kind] += 1
        return f"{op.item_prefix}-{'F' if kind == 'function' else 'R'}{counter[kind]:03d}"

    items: list[Item] = []
    for chunk in chunk_linked(reqs, states, rng):
        name, desc = item_text(chunk)
        item = Item(next_id(chunk[0].kind), chunk[0].kind, name, desc, workload=workload(rng))
        for r in chunk:
            j = PRIMARY[states[r.id]]
            item.links.append((r.id, j, link_note(j, states[r.id], rng)))
        items.append(item)
    add_secondary_links(items, reqs, states, rng)
    for c in op.custom:
        items.append(Item(next_id(c.kind), c.kind, c.name, c.description, workload=workload(rng) or (60, 30.0)))
    return items


def add_secondary_links(items: list[Item], reqs: list[Req], states: dict[str, str], rng: random.Random) -> None:
    """Second, weaker links from a neighbouring item, so that 'best link wins' has work to do."""
    kinds = {r.id: r.kind for r in reqs}
    for prev, item in pairwise(items):
        if prev.kind != item.kind:
            continue
        for rid, _, _ in list(item.links):
            if states[rid] == "fit" and rng.random() < 0.2:
                prev.links.append((rid, "partial", "別画面でも一部を処理"))
            elif states[rid] == "partial" and rng.random() < 0.2 and kinds[rid] == prev.kind:
                prev.links.append((rid, "gap", "別画面では対応不可"))
