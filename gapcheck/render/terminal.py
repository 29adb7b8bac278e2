"""The terminal: rich tables.  Input text is passed as rich ``Text``, never as markup."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..labels import CLASS_LABELS, DISPOSITION_LABELS, KIND_LABELS, STATE_LABELS
from . import TABLE_NAMES
from .markdown import TABLE_TITLES, percent

STATE_STYLES = {"fit": "green", "partial": "yellow", "gap": "red", "deferred": "magenta", "stale": "cyan",
                "optional-used": "green", "optional-unused": "dim", "violation": "bold red",
                "forbidden-absent": "dim", "custom": "yellow", "linked": "green"}


def t(value: Any, style: str = "") -> Text:
    if value is None or (isinstance(value, float) and value != value):
        return Text("")
    return Text(str(value), style=style)


def summary(analysis: Any) -> Table:
    table = Table(title=Text(f"Fit & Gap 分析: {analysis.municipality}"), title_justify="left")
    for h in ("業務", "版", "必須機能 適合率", "必須帳票 適合率", "適合", "部分", "ギャップ", "経過措置", "要再確認",
              "違反", "独自", "未決定"):
        table.add_column(h, justify="left" if h in ("業務", "版") else "right")
    for s in list(analysis.summaries) + [analysis.overall]:
        st = s.states
        name = "合計" if s.operation == "*" else f"{s.name} ({s.operation})"
        table.add_row(t(name, "bold" if s.operation == "*" else ""), t(s.spec_version),
                      t(percent(s.fit_rate_functions)), t(percent(s.fit_rate_forms)),
                      t(st["fit"], "green"), t(st["partial"], "yellow"), t(st["gap"], "red"),
                      t(st["deferred"], "magenta"), t(st["stale"], "cyan"),
                      t(s.violations, "bold red" if s.violations else ""), t(s.custom),
                      t(s.undecided, "yellow" if s.undecided else ""))
    return table


def operation_table(analysis: Any, operation: str, name: str, limit: int) -> tuple[Table, int]:
    df = analysis.operation_tables(operation)[name]
    shown = df if limit <= 0 else df.head(limit)
    table = Table(title=Text(TABLE_TITLES[name]), title_justify="left", expand=False)
    if name == "custom":
        for h in ("現行ID", "種別", "名称", "処置", "備考"):
            table.add_column(h)
        for r in shown.to_dict("records"):
            table.add_row(t(r["id"]), t(KIND_LABELS.get(r["kind"])), t(r["name"]),
                          t(DISPOSITION_LABELS.get(r["disposition"]), "yellow" if r["disposition"] == "undecided" else ""),
                          t(r["note"]))
    else:
        for h in ("ID", "種別", "区分", "名称", "状態", "現行機能", "期限"):
            table.add_column(h)
        for r in shown.to_dict("records"):
            table.add_row(t(r["id"]), t(KIND_LABELS.get(r["kind"])), t(CLASS_LABELS.get(r["class"])), t(r["title"]),
                          t(STATE_LABELS.get(r["state"]), STATE_STYLES.get(r["state"], "")), t(r["items"]),
                          t(r["deferred_until"]))
    return table, len(df) - len(shown)


def render(analysis: Any, console: Console, limit: int = 10) -> None:
    """Print the summary, then each operation's tables (at most ``limit`` rows each; 0 = all)."""
    if analysis.sample:
        console.print(Text("※ サンプルデータによる結果です（公式の標準仕様書ではありません）", style="yellow"))
    console.print(summary(analysis))
    for s in analysis.summaries:
        console.rule(Text(f"{s.name} ({s.operation}) 第{s.spec_version}版"))
        for name in TABLE_NAMES:
            table, hidden = operation_table(analysis, s.operation, name, limit)
            if table.row_count:
                console.print(table)
                if hidden:
                    console.print(Text(f"  … ほか {hidden} 件（--limit 0 で全件、--format csv --output DIR でファイル出力）", style="dim"))


def print_lookup(found: list[dict[str, Any]], console: Console | None = None) -> None:
    """``gapcheck show``: each match with its fields and links."""
    from ..labels import JUDGEMENT_LABELS

    console = console or Console()
    for f in found:
        table = Table(show_header=False, box=None)
        table.add_column(style="bold")
        table.add_column()
        if f["type"] == "requirement":
            title = f"要件 {f['id']}（{f['operation']} 第{f['spec_version']}版）"
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
        for ln in f["links"]:
            other = ln["item"] if f["type"] == "requirement" else ln["requirement"]
            fields.append(("対応", f"{other} {JUDGEMENT_LABELS[ln['judgement']]} {ln['note']}  ({ln['file']}:{ln['line']})"))
        for k, v in fields:
            table.add_row(t(k), t(v))
        console.rule(Text(title))
        console.print(table)


def print_operations(rows: list[dict[str, Any]], console: Console | None = None) -> None:
    """``gapcheck operations``: the registry with what is loaded and whether each applies."""
    console = console or Console()
    table = Table(title="対象業務")
    for h in ("code", "業務", "所管", "仕様番号", "読込済みの版", "マッピング", "適用"):
        table.add_column(h)
    for r in rows:
        table.add_row(t(r["code"]), t(r["name"]), t(r["ministry"] or "—"), t(r["prefix"] or "—"),
                      t(", ".join(r["versions"]) or "—"), t(", ".join(r["mappings"]) or "—"),
                      t("対象" if r["applicable"] else f"対象外（{r['reason']}）", "" if r["applicable"] else "dim"))
    console.print(table)
