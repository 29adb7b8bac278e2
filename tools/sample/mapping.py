"""Vendor mapping files ``mappings/<code>.yaml``: links, custom dispositions, unused options, deferrals.

Each section is a list of flow maps; a section with no rows is left out.
"""

from __future__ import annotations

import random

from .model import FORBIDDEN, Item, OperationSample, Req
from .yaml_text import flow_map, header, q, text

MAPPING_DATE = "2025-06-30"
DEFERRAL_NOTE = "ベンダー回答：移行後に実装（経過措置）"
DEFERRAL_DATES = ("2026-09-30", "2027-03-31", "2028-03-31")
DISPOSITION_NOTES = {
    "undecided": "所管課と協議中",
    "abolish": "業務見直しにより廃止する",
    "replace": "標準仕様の機能で代替する",
    "euc": "標準準拠システムのEUC機能で対応する",
    "external": "標準準拠システムの外で疎結合に構築する",
}


def judgement_word(j: str, style: str, rng: random.Random) -> str:
    """``fit``/``partial``/``gap`` spelt as the profile's style says (○/△/× for ``symbol``)."""
    symbols = {"fit": "○", "partial": "△", "gap": "×"}
    if style == "symbol" or (style == "mixed" and rng.random() < 0.5):
        return symbols[j]
    return j


def section(key: str, rows: list[str]) -> list[str]:
    """A top-level list (``key:`` then its rows), or nothing when there are no rows."""
    return [f"{key}:", *rows] if rows else []


def link_rows(items: list[Item], style: str, rng: random.Random) -> list[str]:
    """One row per link of every item, in item order."""
    rows = []
    for item in items:
        for rid, j, note in item.links:
            pairs = [("item", item.id), ("requirement", q(rid)), ("judgement", judgement_word(j, style, rng))]
            if note:
                pairs.append(("note", text(note, flow=True)))
            rows.append(f"  - {flow_map(pairs)}")
    return rows


def custom_rows(op: OperationSample, items: list[Item], reqs: list[Req]) -> list[str]:
    """Dispositions of the custom items (the unlinked ones, in the order of ``op.custom``)."""
    by_title: dict[str, str] = {}
    for r in reqs:  # the first block of that title that may replace anything (never a 実装不可 one)
        if r.klass != FORBIDDEN:
            by_title.setdefault(r.title, r.id)
    free = [i for i in items if not i.links]
    rows = []
    for item, c in zip(free, op.custom, strict=True):
        if c.disposition is None:
            continue
        pairs = [("item", item.id), ("disposition", c.disposition)]
        if c.replace_by is not None:
            pairs.append(("requirement", q(by_title[c.replace_by])))
        pairs.append(("note", text(DISPOSITION_NOTES[c.disposition], flow=True)))
        rows.append(f"  - {flow_map(pairs)}")
    return rows


def unused_rows(reqs: list[Req], states: dict[str, str]) -> list[str]:
    """Optional requirements the town declares it does not use."""
    return [f"  - {flow_map([('requirement', q(r.id)), ('note', '本町では使用しない')])}"
            for r in reqs if states[r.id] == "opt-unused-listed"]


def deferral_rows(reqs: list[Req], states: dict[str, str]) -> list[str]:
    """Mandatory requirements under 経過措置, with dates taken in turn from ``DEFERRAL_DATES``."""
    deferred = [r for r in reqs if states[r.id].startswith("deferred")]
    dates = [DEFERRAL_DATES[i % len(DEFERRAL_DATES)] for i in range(len(deferred))]
    return [f"  - {flow_map([('requirement', q(r.id)), ('until', q(until)), ('note', DEFERRAL_NOTE)])}"
            for r, until in zip(deferred, dates, strict=True)]


def mapping_lines(op: OperationSample, name: str, reqs: list[Req], states: dict[str, str],
                  items: list[Item], rng: random.Random) -> list[str]:
    """The whole mapping file of ``op`` against ``op.mapped_version``."""
    out = header([
        f"SAMPLE / synthetic: {name} のベンダー比較分析（サンプル・架空）.",
        "ベンダー名・製品名・判定（○△×）はすべて架空です。実在の製品の適合状況を示すものではありません。",
        *op.mapping_head,
    ]) + [
        "gapcheck: mapping/1",
        f"operation: {op.code}",
        f"spec_version: {q(op.mapped_version)}",
        f"vendor: {text(op.vendor)}",
        f"product: {text(op.product)}",
        f"date: {q(MAPPING_DATE)}",
        "sample: true",
        f"note: {text('架空ベンダーによるFit&Gap判定のサンプル。')}",
    ]
    out += section("links", link_rows(items, op.profile.style, rng))
    out += section("custom", custom_rows(op, items, reqs))
    out += section("optional_unused", unused_rows(reqs, states))
    out += section("deferrals", deferral_rows(reqs, states))
    return out
