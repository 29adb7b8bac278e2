"""The roll-up on a terminal: the verdict, the summary by ``--by``, the 団体 furthest behind, top requirements, 特定移行支援.

The summary shows every group; the 団体 table (worst first) and the
requirement list show at most ``--limit`` rows (0: all).  Columns are those
of :mod:`gapcheck.render.rollup_view`, fewer of them, so that it fits.
"""

from __future__ import annotations

from typing import Any

from gapcheck.readiness.status import WORST_FIRST
from gapcheck.render import rollup_view as view
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions

GROUP_COLUMNS: list[view.Column] = [
    ("団体", "municipalities", "int"), ("超過", "overdue", "int"), ("遅延", "at-risk", "int"), ("特定", "extended", "int"),
    ("順調", "on-track", "int"), ("済", "migrated", "int"), ("完了率", "completion_median", "pct"),
    ("適合率", "fit_median", "pct"), ("ギャップ", "open_gaps", "int"), ("違反", "violations", "int"),
]
"""The summary on a terminal: short headers (超過 期限超過, 遅延 遅延リスク, 特定 特定移行支援, 済 移行済み; rates are medians)."""
MUNICIPALITY_COLUMNS: list[view.Column] = [
    ("コード", "code", "text"), ("団体", "name", "text"), ("基準日", "as_of", "date"), ("判定", "worst_status", "short"),
    ("最も遅れている業務", "worst_operation_name", "text"), ("期限", "days_to_deadline", "days"),
    ("ギャップ", "open_gaps", "int"), ("違反", "violations", "int"), ("", "sample", "bool"),
]
REQUIREMENT_COLUMNS: list[view.Column] = [
    ("業務", "operation_name", "text"), ("種別", "kind", "reqkind"), ("要件ID", "requirement_id", "text"),
    ("版", "spec_version", "text"), ("団体", "open", "int"), ("×", "gap", "int"), ("△", "partial", "int"),
    ("違反", "violation", "int"), ("対象", "municipalities", "int"),
]
"""団体: where the requirement is a gap or violation (× gap, △ partial); 対象: 団体 that have the requirement."""
EXTENSION_COLUMNS: list[view.Column] = [
    ("理由", "label", "text"), ("システム", "systems", "int"), ("団体", "municipalities", "int"), ("済", "migrated", "int"),
    ("未承認", "pending", "int"),
]


def _table(df: Any, columns: list[view.Column], title: str) -> Any:
    from rich import box
    from rich.table import Table

    tbl = Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, collapse_padding=True,
                pad_edge=False, show_edge=False)
    for header, _, kind in columns:
        numeric = kind in ("int", "pct", "days")
        tbl.add_column(header, justify="right" if numeric else "left", overflow="fold",
                       no_wrap=numeric or kind in ("date", "short", "bool"))
    for row in view.rows(df, columns):
        tbl.add_row(*row)
    return tbl


def _worst_first(df: Any) -> Any:
    order = {s: n for n, s in enumerate(WORST_FIRST)}
    keyed = df.assign(_o=df["worst_status"].map(order), _d=df["days_to_deadline"].map(lambda d: 10**9 if d is None else d))
    return keyed.sort_values(["_o", "_d", "code"], kind="stable").drop(columns=["_o", "_d"])


def _limited(df: Any, limit: int) -> tuple[Any, str]:
    if limit and len(df) > limit:
        return df.head(limit), f"（{len(df):,} 件のうち {limit} 件: --limit 0 で全件）"
    return df, ""


def render(result: Any, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The terminal view of a roll-up as text."""
    from rich.text import Text

    from gapcheck.render.terminal import text_console

    console = text_console(options)
    console.print(Text(f"団体横断の集計: {result.totals['municipalities']:,} 団体（結果の基準日 {view.dates_text(result)}）",
                       style="bold"))
    if result.sample:
        console.print(Text(f"サンプルデータによる結果を含みます（{result.sample} 団体）。公式の数値ではありません。", style="yellow"))
    console.print(Text(result.verdict, style="bold red" if result.totals["verdicts"]["overdue"] else "bold"))
    key = [(view.GROUP_TITLES[result.by], "name", "text")]
    legend = "超過 期限超過・遅延 遅延リスク・特定 特定移行支援・済 移行済み; 率は中央値"
    console.print(_table(result.groups, key + GROUP_COLUMNS, f"{view.BY_TITLES[result.by]}の状況（{legend}）"))
    munis, more = _limited(_worst_first(result.municipalities), options.limit)
    console.print(_table(munis, MUNICIPALITY_COLUMNS, f"団体（遅れている順）{more}"))
    reqs, more = _limited(result.requirements, options.limit)
    vendor = [("ベンダー / 製品", "vendor", "vendor"), ("", "product", "vendor")] if result.by == "vendor" else []
    console.print(_table(reqs, vendor + REQUIREMENT_COLUMNS,
                         f"ギャップ・違反の多い要件（団体: ギャップ×・部分適合△・違反のある団体、対象: 要件のある団体）{more}"))
    console.print(_table(result.extensions, EXTENSION_COLUMNS, "特定移行支援システム（理由別; 済 うち移行済み・未承認 承認前）"))
    errors = sum(p.severity == "error" for p in result.problems)
    if result.problems:
        console.print(Text(f"除外した結果ファイル・注意: エラー {errors} 件、注意 {len(result.problems) - errors} 件（標準エラーに一覧）",
                           style="yellow"))
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]  # the StringIO of text_console
