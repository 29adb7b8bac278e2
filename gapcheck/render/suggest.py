"""``gapcheck mapping suggest``: suggested links as a terminal table, JSON or CSV.

The renderers receive a finished :class:`~gapcheck.analysis.suggest.Suggestions`
and compute nothing.  JSON is exactly ``Suggestions.to_dict()`` (schema
``gapcheck/schemas/suggest.schema.json``); CSV has one row per suggestion
(an item with none gets one row with empty suggestion cells), UTF-8 with a
BOM, every cell that could run as a formula neutralised, with Japanese headers
and labels for people unless ``options.codes`` (ASCII names and codes).
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from gapcheck.core.labels import CLASS_LABELS, KIND_LABELS
from gapcheck.core.output import neutralise_cell
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions

if TYPE_CHECKING:
    from gapcheck.analysis.suggest import ItemSuggestions, Suggestion, Suggestions

STATUS_LABELS = {"unlinked": "未対応", "undecided": "独自・未決定", "linked": "対応済み", "decided": "独自・処置決定済み"}
"""Item statuses for people (codes in :data:`gapcheck.analysis.suggest.STATUSES`)."""
CSV_COLUMNS = ("operation", "spec_version", "item", "item_kind", "item_name", "status", "rank", "requirement",
               "requirement_operation", "kind", "class", "title", "score", "matched")
MATCHED_SEPARATOR = " / "
CSV_LABELS = {
    "operation": "業務", "spec_version": "版", "item": "現行機能ID", "item_kind": "現行の種別", "item_name": "現行の名称",
    "status": "状態", "rank": "順位", "requirement": "要件ID", "requirement_operation": "要件の業務", "kind": "種別",
    "class": "実装区分", "title": "名称", "score": "スコア", "matched": "一致した語",
}
"""CSV headers for people (``--codes`` keeps the ASCII names)."""
CSV_VALUES = {"item_kind": KIND_LABELS, "kind": KIND_LABELS, "class": CLASS_LABELS, "status": STATUS_LABELS}
"""Per CSV column, the Japanese label of each code value."""


def requirement_label(s: Suggestion, operation: str) -> str:
    """A suggested requirement as people read it: ``0230265 住民異動に伴う資格異動``, 共通機能 ones marked."""
    mark = "" if s.operation == operation else f"［{s.operation}］"
    return f"{s.requirement} {mark}{s.title}"


def render_json(result: Suggestions, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """``mapping suggest --format json``."""
    from gapcheck.render.jsonfmt import dumps

    return dumps(result.to_dict())


def csv_rows(result: Suggestions) -> list[dict[str, Any]]:
    """One row per suggestion (an item without any: one row with the suggestion cells empty)."""
    rows: list[dict[str, Any]] = []
    for item in result.items:
        head = {"operation": result.operation, "spec_version": result.spec_version, "item": item.item,
                "item_kind": item.kind, "item_name": item.name, "status": item.status}
        if not item.suggestions:
            rows.append(head)
        for n, s in enumerate(item.suggestions, 1):
            rows.append(head | {"rank": n, "requirement": s.requirement, "requirement_operation": s.operation,
                                "kind": s.kind, "class": s.klass, "title": s.title, "score": f"{s.score:.4f}",
                                "matched": MATCHED_SEPARATOR.join(s.matched)})
    return rows


def render_csv(result: Suggestions, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """``mapping suggest --format csv``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS if options.codes else [CSV_LABELS[k] for k in CSV_COLUMNS])
    for row in csv_rows(result):
        if not options.codes:
            row = {k: CSV_VALUES[k].get(v, v) if k in CSV_VALUES else v for k, v in row.items()}
        writer.writerow([neutralise_cell(row.get(k, "")) for k in CSV_COLUMNS])
    return "\ufeff" + buf.getvalue()


def heading(result: Suggestions) -> str:
    common = f" と 共通機能（{result.common[0]} 第{result.common[1]}版）" if result.common else ""
    which = "全項目" if result.all_items else "対応のない項目"
    return (f"{result.name}（{result.operation}）第{result.spec_version}版{common}の要件から、{which} {len(result.items)} 件に"
            f"候補を上位 {result.top} 件まで（参考。判定ではありません）")


def render_text(result: Suggestions, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """``mapping suggest`` on the terminal: one table, an item's own cells on its first suggestion's row."""
    from rich.table import Table
    from rich.text import Text

    from gapcheck.render.terminal import free, t, text_console, whole

    console = text_console(options)
    console.print(Text(heading(result)))
    if not result.items:
        console.print(Text("候補を出す項目はありません。", style="dim"))
        return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]  # the StringIO of text_console
    table = Table()
    whole(table, "現行ID")
    free(table, "現行の名称")
    whole(table, "順位", "right")
    whole(table, "要件ID")
    free(table, "候補の要件")
    whole(table, "スコア", "right")
    free(table, "一致した語")
    for item in result.items:
        _item_rows(table, item, result.operation, t)
    console.print(table)
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def _item_rows(table: Any, item: ItemSuggestions, operation: str, t: Any) -> None:
    name = t(f"{item.name}（{KIND_LABELS.get(item.kind, item.kind)}・{STATUS_LABELS.get(item.status, item.status)}）")
    if not item.suggestions:
        table.add_row(t(item.item), name, t("—"), t(""), t("候補なし（共通する文字がない）", "dim"), t(""), t(""),
                      end_section=True)
        return
    last = len(item.suggestions)
    for n, s in enumerate(item.suggestions, 1):
        first = n == 1
        mark = "" if s.operation == operation else f"［{s.operation}］"
        table.add_row(t(item.item) if first else t(""), name if first else t(""), t(n), t(s.requirement),
                      t(f"{mark}{s.title}（{CLASS_LABELS.get(s.klass, s.klass)}）"), t(f"{s.score:.2f}"),
                      t("、".join(s.matched)), end_section=n == last)

