"""The roll-up as one self-contained Japanese page (template ``gapcheck/templates/rollup.html.j2``).

On top the roll-up's verdict (団体 by the status of their worst operation),
the as-of dates and, when any input is sample data, a banner; then the
summary by operation, prefecture or vendor; one row per 団体 with its
verdict and worst operation; the heat map 団体 x operation of statuses; the
requirements that are gaps or violations in the most 団体; 特定移行支援
systems by reason; and the files left out, each with its problem.  Like the
municipality report: Jinja2 with autoescaping, the stylesheet and script
inline, a Content-Security-Policy that allows no network access and only the
page's own script (by its SHA-256).  The tables can be sorted and the 団体
table filtered (the municipality report's script).
"""

from __future__ import annotations

from typing import Any

from gapcheck.readiness.status import STATUS_LABELS, WORST_FIRST
from gapcheck.render import rollup_view as view
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
from gapcheck.render.html import asset, script_hash, template_env


def render(result: Any, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The whole roll-up as one HTML document."""
    script = asset("report.js")
    worst = result.totals["verdicts"]
    errors = [p for p in result.problems if p.severity == "error"]
    context = {
        "title": f"標準化 移行状況の集計（{result.totals['municipalities']:,} 団体・{view.BY_TITLES[result.by]}）",
        "dates": view.dates_text(result), "mixed": len(result.dates) > 1,
        "as_of": result.as_of.isoformat() if result.as_of else "", "sample": result.sample,
        "verdict": result.verdict, "verdict_class": _verdict_class(worst),
        "counts": [(STATUS_LABELS[s], worst[s], s) for s in WORST_FIRST if worst.get(s)],
        "totals": result.totals, "by_title": view.BY_TITLES[result.by],
        "groups": _table(result.groups, view.group_columns(result.by)),
        "municipalities": _table(result.municipalities, view.MUNICIPALITY_COLUMNS),
        "status_of": dict(zip(result.municipalities["code"], result.municipalities["worst_status"], strict=True)),
        "heat": _heat(result), "legend": [(s, view.MARKS[s], STATUS_LABELS[s]) for s in WORST_FIRST],
        "operations": result.operations,
        "requirements": _table(result.requirements, view.requirement_columns(result.by)), "top": result.top,
        "extensions": _table(result.extensions, view.EXTENSION_COLUMNS),
        "errors": [p.format() for p in errors], "warnings": [p.format() for p in result.problems if p not in errors],
        "files": len(result.files),
        "style": asset("report.css") + asset("rollup.css"), "script": script, "script_hash": script_hash(script),
    }
    return str(template_env().get_template("rollup.html.j2").render(**context))


def _verdict_class(worst: dict[str, int]) -> str:
    if worst.get("overdue"):
        return "overdue"
    if worst.get("at-risk"):
        return "at-risk"
    return "on-track"


LONG_TEXT = ("verdict", "file")
"""Columns of sentences or paths: they wrap (at a readable width); every other cell stays on one line."""


def _table(df: Any, columns: list[view.Column]) -> dict[str, Any]:
    numeric = {"int", "pct", "days"}
    classes = ["num" if kind in numeric else "long" if field in LONG_TEXT else "line" for _, field, kind in columns]
    return {"headers": [h for h, _, _ in columns], "rows": view.rows(df, columns), "classes": classes}


def _heat(result: Any) -> list[dict[str, Any]]:
    """One row per 団体: (status, mark, title) per operation of :attr:`Rollup.operations` (None: no such row)."""
    statuses = result.statuses
    names = dict(zip(result.municipalities["code"], result.municipalities["name"], strict=True))
    samples = dict(zip(result.municipalities["code"], result.municipalities["sample"], strict=True))
    out = []
    for code in result.municipalities["code"]:
        own = statuses.get(code, {})
        cells = []
        for op, op_name in result.operations:
            status = own.get(op)
            label = STATUS_LABELS.get(status, "結果なし") if status else "結果なし"
            cells.append((status or "none", view.MARKS.get(status, "") if status else "", f"{names[code]} {op_name}: {label}"))
        out.append({"code": code, "name": names[code], "sample": bool(samples[code]), "cells": cells})
    return out
