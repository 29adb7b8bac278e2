"""The terminal: rich tables.  Input text is passed as rich ``Text``, never as markup.

Layout rules: what people read off or type back (IDs, codes, numbers, rates,
dates, state labels) sits in ``no_wrap`` columns and is never cut; free text
(names, summaries, notes) folds onto more lines.  When a table's whole values
do not fit the console side by side (:func:`fits`), it is laid out narrow:
related values stacked in one cell, long labels broken before their
parenthesis, ISO dates rather than 和暦.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.console import Console, JustifyMethod
from rich.measure import Measurement
from rich.table import Column, Table
from rich.text import Text

from gapcheck.analysis.result import TABLE_NAMES
from gapcheck.core.escape import visible
from gapcheck.core.labels import (
    CLASS_LABELS,
    DISPOSITION_LABELS,
    KIND_LABELS,
    STATE_LABELS,
    ref_label,
)
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
from gapcheck.render.markdown import TABLE_TITLES, percent

if TYPE_CHECKING:
    import pandas as pd

    from gapcheck.analysis.result import Analysis, Summary

STATE_STYLES = {"fit": "green", "partial": "yellow", "gap": "red", "deferred": "magenta", "deferral-expired": "bold magenta",
                "stale": "cyan",
                "optional-used": "green", "optional-unused": "dim", "violation": "bold red",
                "forbidden-absent": "dim", "custom": "yellow", "linked": "green"}
FREE_TEXT_MIN = 12
"""Cells a free-text column needs, at least, for a table to count as fitting."""


class _Stdout(Console):
    """The console of standard output: a reader that stops early (``| head``) ends the command quietly with 0."""

    def on_broken_pipe(self) -> None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0)


def stdout_console() -> Console:
    return _Stdout()


def t(value: object, style: str = "") -> Text:
    """A cell as plain text: never rich markup, never terminal control sequences.

    Control characters are shown as escapes (``\\x1b``, ``\\r``), not dropped, so an ID or a name reads as
    what the file holds; line breaks of free text are kept (the cell folds onto more lines).
    """
    if value is None or (isinstance(value, float) and value != value):
        return Text("")
    return Text(visible(str(value), keep="\n"), style=style)


def stacked(*cells: Text) -> Text:
    """Values one above the other in one cell (narrow layouts); empty ones keep their line."""
    return Text("\n").join(cells)


def label(text: str | None, style: str = "", narrow: bool = False) -> Text:
    """A state label; narrow, a long one breaks before its parenthesis: 特定移行支援 / （期限延長）."""
    if narrow and text and "（" in text[1:]:
        head, _, tail = text.partition("（")
        text = f"{head}\n（{tail}"
    return t(text, style)


def whole(table: Table, header: str, justify: JustifyMethod = "left") -> None:
    """A column whose values are never wrapped nor cut (IDs, codes, numbers, labels)."""
    table.add_column(header, justify=justify, no_wrap=True)


def free(table: Table, header: str = "", max_width: int | None = None) -> None:
    """A column of free text: wrapped at spaces, long words folded, never cut."""
    table.add_column(header, overflow="fold", max_width=max_width)


def fits(table: Table, console: Console) -> bool:
    """Whether the table's no-wrap columns show whole with :data:`FREE_TEXT_MIN` cells for each free one."""
    def widest(column: Column) -> int:
        return max(Measurement.get(console, console.options, c).maximum for c in (column.header, *column.cells))

    _, right, _, left = table.padding
    need = sum(widest(c) if c.no_wrap else min(FREE_TEXT_MIN, widest(c)) for c in table.columns)
    need += len(table.columns) * (left + right)
    if table.box:
        need += len(table.columns) - 1 + (2 if table.show_edge else 0)
    return need <= console.width


def laid_out(console: Console, build: Callable[[bool], Table]) -> Table:
    """``build(narrow=False)`` when it fits the console, else ``build(narrow=True)``."""
    table = build(False)
    return table if fits(table, console) else build(True)


def _deferred(states: dict[str, int]) -> str:
    """経過措置, with how many of them have expired (an open gap) when any have."""
    expired = states.get("deferral-expired", 0)
    return f"{states['deferred'] + expired}（期限切れ {expired}）" if expired else str(states["deferred"])


def _name(s: Summary) -> str:
    return "合計" if s.operation == "*" else f"{s.name} ({s.operation})"


def summary(analysis: Analysis, narrow: bool = False) -> Table:
    """One row per operation and a total; narrow, the counts stacked in pairs."""
    table = Table(title=t(f"Fit & Gap 分析: {analysis.municipality}"), title_justify="left")
    free(table, "業務")
    whole(table, "版")
    pairs = [("適合", "部分"), ("ギャップ", "経過措置"), ("要再確認", "違反"), ("独自", "未決定")]
    if narrow:
        whole(table, "機能適合率\n帳票適合率", "right")
        for a, b in pairs:
            whole(table, f"{a}\n{b}", "right")
    else:
        for h in ("必須機能\n適合率", "必須帳票\n適合率", *(h for pair in pairs for h in pair)):
            whole(table, h, "right")
    for s in list(analysis.summaries) + [analysis.overall]:
        st = s.states
        cells = [t(percent(s.fit_rate_functions)), t(percent(s.fit_rate_forms)),
                 t(st["fit"], "green"), t(st["partial"], "yellow"), t(st["gap"], "red"), t(_deferred(st), "magenta"),
                 t(st["stale"], "cyan"), t(s.violations, "bold red" if s.violations else ""), t(s.custom),
                 t(s.undecided, "yellow" if s.undecided else "")]
        if narrow:
            cells = [stacked(a, b) for a, b in zip(cells[::2], cells[1::2], strict=True)]
        table.add_row(t(_name(s), "bold" if s.operation == "*" else ""), t(s.spec_version), *cells)
    return table


def broken_links(analysis: Analysis) -> Text | None:
    """A line naming the operations with links to requirements the analysed version lacks; None when none."""
    if not analysis.overall.broken_links:
        return None
    per_op = "、".join(f"{s.name} ({s.operation}) {s.broken_links} 件" for s in analysis.summaries if s.broken_links)
    return Text.assemble((f"リンク切れ {analysis.overall.broken_links} 件: {per_op}\n", "bold red"),
                         ("  分析した版にない要件への対応付けです（独自機能の表の備考、または gapcheck show 現行ID で確認）",
                          "red"))


def _custom_table(table: Table, shown: pd.DataFrame) -> None:
    whole(table, "現行ID")
    whole(table, "種別")
    free(table, "名称")
    whole(table, "処置")
    free(table, "備考")
    for r in shown.to_dict("records"):
        broken = ref_label(t(r.get("broken")).plain)
        note = [x for x in (t(r["note"]), t(f"リンク切れ: {broken}" if broken else None, "red")) if x.plain]
        table.add_row(t(r["id"]), t(KIND_LABELS.get(r["kind"])), t(r["name"]),
                      t(DISPOSITION_LABELS.get(r["disposition"]), "yellow" if r["disposition"] == "undecided" else ""),
                      stacked(*note) if note else Text(""))


def _requirement_table(table: Table, shown: pd.DataFrame, narrow: bool) -> None:
    whole(table, "ID")
    if narrow:
        whole(table, "種別\n区分")
    else:
        whole(table, "種別")
        whole(table, "区分")
    free(table, "名称")
    whole(table, "状態\n期限" if narrow else "状態")
    free(table, "現行機能")
    if not narrow:
        whole(table, "期限")
    for r in shown.to_dict("records"):
        kind, cls = t(KIND_LABELS.get(r["kind"])), t(CLASS_LABELS.get(r["class"]))
        state = label(STATE_LABELS.get(r["state"]), STATE_STYLES.get(r["state"], ""), narrow)
        if narrow:
            until = t(r["deferred_until"])
            items = t(r["items"]).plain.replace(", ", "\n")  # one ID a line leaves the name more room
            table.add_row(t(r["id"]), stacked(kind, cls), t(r["title"]), stacked(state, until) if until.plain else state,
                          t(items))
        else:
            table.add_row(t(r["id"]), kind, cls, t(r["title"]), state, t(r["items"]), t(r["deferred_until"]))


def operation_table(analysis: Analysis, operation: str, name: str, limit: int, narrow: bool = False) -> tuple[Table, int]:
    """One of an operation's tables (:data:`TABLE_NAMES`), at most ``limit`` rows (0 = all), and how many are hidden."""
    df = analysis.operation_tables(operation)[name]
    shown = df if limit <= 0 else df.head(limit)
    table = Table(title=Text(TABLE_TITLES[name]), title_justify="left", expand=False)
    if name == "custom":
        _custom_table(table, shown)
    else:
        _requirement_table(table, shown, narrow)
    return table, len(df) - len(shown)


def render(analysis: Analysis, console: Console, limit: int = 10) -> None:
    """Print the summary, then each operation's tables (at most ``limit`` rows each; 0 = all)."""
    if analysis.sample:
        console.print(Text("※ サンプルデータによる結果です（公式の標準仕様書ではありません）", style="yellow"))
    console.print(laid_out(console, lambda narrow: summary(analysis, narrow)))
    note = broken_links(analysis)
    if note is not None:
        console.print(note)
    sections = [(s, [operation_table(analysis, s.operation, name, limit) for name in TABLE_NAMES])
                for s in analysis.summaries]
    narrow = not all(fits(table, console) for _, tables in sections for table, _ in tables)  # one layout for all
    for s, tables in sections:
        console.rule(t(visible(f"{s.name} ({s.operation}) 第{s.spec_version}版")))
        for name, (table, hidden) in zip(TABLE_NAMES, tables, strict=True):
            if not table.row_count:
                continue
            console.print(operation_table(analysis, s.operation, name, limit, narrow)[0] if narrow else table)
            if hidden:
                console.print(Text(f"  … ほか {hidden} 件（--limit 0 で全件、--format csv --output DIR でファイル出力）", style="dim"))


def print_lookup(found: list[dict[str, Any]], console: Console | None = None) -> None:
    """``gapcheck show``: each match with its fields and links."""
    from gapcheck.core.labels import JUDGEMENT_LABELS

    console = console or stdout_console()
    for f in found:
        table = Table(show_header=False, box=None)
        table.add_column(style="bold", no_wrap=True)
        free(table)
        if f["type"] == "requirement":
            title = f"{KIND_LABELS.get(f['kind'], '')}要件 {f['id']}（{f['operation']} 第{f['spec_version']}版）"
            fields = [("名称", f["title"]), ("種別", KIND_LABELS.get(f["kind"])), ("実装区分", CLASS_LABELS.get(f["class"])),
                      ("分類", " / ".join(f["category"])), ("概要", f["summary"]), ("備考", f["note"]),
                      ("定義", f"{f['file']}:{f['line']}")]
            fields += [("経過措置", f"{d['until']} {d['note']}".strip()) for d in f["deferrals"]]
        else:
            title = f"現行 {f['id']}（{f['operation']}）"
            fields = [("名称", f["name"]), ("種別", KIND_LABELS.get(f["kind"])), ("説明", f["description"]),
                      ("担当", f["department"]), ("件数/年", f["cases"]), ("時間/年", f["hours"]),
                      ("定義", f"{f['file']}:{f['line']}")]
            fields += [("独自処置", f"{DISPOSITION_LABELS.get(c['disposition'])} {c['requirement'] or ''} {c['note']}".strip())
                       for c in f["custom"]]
        if f.get("state"):
            fields.insert(1, ("状態", STATE_LABELS.get(f["state"], f["state"])
                              + (f"（{DISPOSITION_LABELS.get(f['disposition'])}）" if f.get("disposition") else "")))
        for ln in f["links"]:
            other = (ln["item"] if not ln.get("item_operation") else f"{ln['item_operation']}/{ln['item']}") \
                if f["type"] == "requirement" else \
                f"{ln['operation']}/" * (ln["operation"] != f["operation"]) + f"{KIND_LABELS[ln['kind']]} {ln['requirement']}"
            fields.append(("対応", f"{other} {JUDGEMENT_LABELS[ln['judgement']]} {ln['note']}  ({ln['file']}:{ln['line']})"))
        fields += [("理由", reason) for reason in f.get("reasons", [])]
        fields += _suggestion_fields(f)
        for k, v in fields:
            table.add_row(t(k), t(v))
        console.rule(t(visible(title)))
        console.print(table)


def _suggestion_fields(f: dict[str, Any]) -> list[tuple[str, str]]:
    """``show ITEM`` of an unlinked item: its suggested links, e.g. ``1. 0230205 認定調査の依頼管理 0.38（一致: 認定調査）``."""
    if "suggestions" not in f:
        return []
    if not f["suggestions"]:
        return [("候補", "なし（要件と共通する語がない）")]
    lines = []
    for n, s in enumerate(f["suggestions"], 1):
        mark = "" if s["operation"] == f["operation"] else f"［{s['operation']}］"
        matched = f"（一致: {'、'.join(s['matched'])}）" if s["matched"] else ""
        lines.append((f"候補{n}", f"{s['requirement']} {mark}{s['title']} {s['score']:.2f}{matched}"))
    lines.append(("", "候補は参考です。対応づけは判定してから（mapping template --suggest の 候補 シート）。"))
    return lines


def operations_table(rows: list[dict[str, Any]], narrow: bool = False) -> Table:
    """The registry of operations; narrow, 業務/所管, 仕様番号/版 and 適用/マッピング stacked."""
    table = Table(title="対象業務")
    whole(table, "code")
    if narrow:
        free(table, "業務\n所管", max_width=14)  # leaves a mapping path its own line
        whole(table, "業務ID\n版")
        free(table, "適用\nマッピング")
    else:
        for h in ("業務", "所管"):
            free(table, h)
        whole(table, "業務ID")
        whole(table, "読込済みの版")
        free(table, "マッピング")
        free(table, "適用")
    for r in rows:
        name, ministry = t(r["name"]), t(r["ministry"] or "—")
        prefix, versions = t(prefix_text(r["prefixes"], narrow) or "—"), t(", ".join(r["versions"]) or "—")
        applies = t("対象" if r["applicable"] else f"対象外（{r['reason']}）", "" if r["applicable"] else "dim")
        mappings = t("\n".join(r["mappings"]) or "—")
        if narrow:
            table.add_row(t(r["code"]), stacked(name, ministry), stacked(prefix, versions), stacked(applies, mappings))
        else:
            table.add_row(t(r["code"]), name, ministry, prefix, versions, mappings, applies)
    if narrow and any(not p["verified"] for r in rows for p in r["prefixes"]):
        table.caption = Text("※ 未確認の業務ID（二次資料による）")
        table.caption_justify = "left"
    return table


def prefix_text(prefixes: list[dict[str, Any]], narrow: bool = False) -> str:
    """業務IDs one a line, each with what it covers and 未確認 where a secondary source is all there is.

    Narrow, an unverified one is marked ※ (explained under the table) and its name goes on the next line.
    """
    lines = []
    for p in prefixes:
        if narrow:
            lines.append(p["code"] + ("" if p["verified"] else "※") + (f"\n {p['name']}" if p["name"] else ""))
            continue
        notes = [n for n in (p["name"], None if p["verified"] else "未確認") if n]
        lines.append(p["code"] + (f"（{'・'.join(notes)}）" if notes else ""))
    return "\n".join(lines)


def print_operations(rows: list[dict[str, Any]], console: Console | None = None) -> None:
    """``gapcheck operations``: the registry with what is loaded and whether each applies."""
    console = console or stdout_console()
    console.print(laid_out(console, lambda narrow: operations_table(rows, narrow)))


def text_console(options: RenderOptions) -> Console:
    """A console that lays out to ``options.width`` into a string (ANSI colours when ``options.color``)."""
    import io

    return Console(file=io.StringIO(), width=options.width, force_terminal=options.color,
                   color_system="auto" if options.color else None, highlight=False)


def render_text(analysis: Analysis, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The terminal view of an analysis (:func:`render`) as text."""
    console = text_console(options)
    render(analysis, console, options.limit)
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]  # the StringIO of text_console
