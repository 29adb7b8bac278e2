"""Catalogue files ``specs/<code>/<version>.yaml``: the synthetic default and the YAML lines.

An operation module with no ``catalogues`` hook gets one fictional "1.0"
catalogue from its requirement table, with the heading written here.
"""

from __future__ import annotations

from .model import Catalogue, OperationSample, Req
from .tables import parse_table
from .yaml_text import header, q, text


def catalogues_of(op: OperationSample, name: str) -> list[Catalogue]:
    """The catalogue version(s) of one operation: its own hook, or the synthetic one."""
    if op.catalogues is not None:
        return op.catalogues(name)
    return [Catalogue("1.0", synthetic_catalogue_head(name, op.prefix), f"{name}システム標準仕様書（サンプル・架空）",
                      "gapcheck サンプルデータ（架空）", "架空のサンプル。公式の標準仕様書ではない。",
                      parse_table(op.requirements, op.prefix))]


def synthetic_catalogue_head(name: str, prefix: str) -> tuple[str, ...]:
    """The heading that says a synthetic catalogue is fictional."""
    return (
        f"SAMPLE / synthetic: {name}（サンプル・架空）. NOT the official specification.",
        f"これは {name} の標準仕様書を模した架空のサンプルです。公式の標準仕様書ではありません。",
        f"prefix「{prefix}」、要件ID・名称・要件文・実装区分はすべて架空です（実在の仕様番号ではありません）。",
        "実際の比較分析には、所管府省が公表する「機能・帳票要件」（Excel）を取り込んでください。",
    )


def requirement_lines(r: Req) -> list[str]:
    """One requirement of the ``requirements:`` list."""
    out = [f"  - id: {q(r.id)}", f"    kind: {r.kind}", f"    class: {r.klass}", f"    title: {text(r.title)}"]
    if r.category:
        out.append("    category: [" + ", ".join(text(c, flow=True) if not c[0].isdigit() else q(c)
                                                for c in r.category) + "]")
    if r.section:
        out.append(f"    section: {q(r.section)}")
    if r.summary:
        out.append(f"    summary: {text(r.summary)}")
    if r.note:
        out.append(f"    note: {text(r.note)}")
    return out


def catalogue_lines(op: OperationSample, cat: Catalogue) -> list[str]:
    """The whole catalogue file."""
    out = header(cat.head) + [
        "gapcheck: catalogue/1",
        f"operation: {op.code}",
        f"version: {q(cat.version)}",
        f"title: {text(cat.title)}",
        f"prefix: {q(op.prefix)}",
        "sample: true",
        f"source: {text(cat.source)}",
        f"note: {text(cat.note)}",
        "requirements:",
    ]
    for r in cat.requirements:
        out += requirement_lines(r)
    return out
