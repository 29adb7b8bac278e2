"""Excel: the Fit & Gap workbook (比較分析表) staff expect, written with XlsxWriter.

Sheets: ``概要`` (the verdict and one row per operation), then per operation
``<業務> 標準→現行`` (every standard requirement and its state) and
``<業務> 独自`` (current functions and forms with no standard counterpart,
and their disposition).  Every table has a styled, frozen header row and an
autofilter; column widths fit Japanese text (full-width characters count
double); rows are coloured by state with conditional formatting, so the
colour follows when staff edit the state.

Text from inputs is data: cells beginning with ``=``, ``+``, ``-``, ``@``
(or tab/CR) get a leading apostrophe, and every text is written as text
(XlsxWriter's turning of ``=...`` into formulas and ``https://...`` into
links is off), so nothing can run.  The workbook is streamed row by row
(``constant_memory``) and its dates and zip entries are fixed, so identical
input gives an identical file.

XlsxWriter rather than openpyxl (which reads the municipality's own
workbooks and writes the worksheets that are read back): it writes the
full-scale workbook (about 240,000 cells) in half the time of openpyxl's
write-only mode, and the workbook is the longest part of ``gapcheck report``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gapcheck.core.labels import (
    CLASS_LABELS,
    DISPOSITION_LABELS,
    JUDGEMENT_LABELS,
    KIND_LABELS,
    STATE_LABELS,
    ref_labels,
)
from gapcheck.core.output import neutralise_cell
from gapcheck.readiness.status import STATUS_LABELS
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
from gapcheck.render.csvfmt import neutralise_frame
from gapcheck.render.readiness import days_text, deadline_text

if TYPE_CHECKING:  # pandas is imported only when a workbook is written
    import pandas as pd

    from gapcheck.readiness.bundle import Report

HEADER_FILL = "1F4E79"
GREEN, YELLOW, ORANGE, RED, PURPLE, BLUE, GREY = "E2EFDA", "FFF2CC", "F8CBAD", "FF9999", "E4DFEC", "DDEBF7", "EDEDED"
STATE_FILLS = {
    GREEN: [STATE_LABELS["fit"], STATE_LABELS["optional-used"]], YELLOW: [STATE_LABELS["partial"]],
    ORANGE: [STATE_LABELS["gap"], STATE_LABELS["deferral-expired"]], RED: [STATE_LABELS["violation"]], PURPLE: [STATE_LABELS["deferred"]],
    BLUE: [STATE_LABELS["stale"]], GREY: [STATE_LABELS["optional-unused"], STATE_LABELS["forbidden-absent"]],
}
"""Row colour -> the requirement states (labels, as in the 状態 column) shown in it."""
DISPOSITION_FILLS = {YELLOW: [DISPOSITION_LABELS["undecided"]]}
STATUS_FILLS = {
    GREEN: [STATUS_LABELS["migrated"], STATUS_LABELS["on-track"]], ORANGE: [STATUS_LABELS["at-risk"], STATUS_LABELS["preparing"]],
    RED: [STATUS_LABELS["overdue"]], BLUE: [STATUS_LABELS["extended"]], GREY: [STATUS_LABELS["not-applicable"]],
}

REQ_COLUMNS = [("ID", "id"), ("種別", "kind"), ("実装区分", "class"), ("分類", "category"), ("名称", "title"),
               ("要件", "summary"), ("状態", "state"), ("判定", "judgement"), ("現行機能", "items"),
               ("現行機能名", "item_names"), ("経過措置期限", "deferred_until"), ("備考", "note")]
ITEM_COLUMNS = [("現行ID", "id"), ("種別", "kind"), ("名称", "name"), ("担当", "department"), ("処置", "disposition"),
                ("代替要件", "replacement"), ("件数/年", "cases"), ("時間/年", "hours"), ("備考", "note")]
SUMMARY_HEADERS = ["業務", "コード", "版", "状態", "期限", "残日数", "必須 適合率", "工程 完了率", "適合", "部分適合",
                   "ギャップ", "経過措置", "経過措置期限切れ", "要再確認", "違反", "独自", "未決定"]
PERCENT_COLUMNS = (7, 8)
"""1-based columns of the summary holding rates (shown as percentages)."""
DAYS_COLUMN = 6
"""1-based column of the summary holding 残日数 (a number, formatted)."""
MAX_WIDTH, MIN_WIDTH = 60, 6
FONT_NAME = "游ゴシック"
"""The workbook's default font (Excel and LibreOffice substitute a Japanese font where it is not installed)."""
DAYS_FORMAT = '0" 日";0" 日超過";"期限当日"'
"""残日数 as a number: positive days left, negative days overdue (shown without the sign)."""
_WIDE = re.compile("[^\u0000-\u10ff\uff61-\uff9f]")
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
"""Control characters XML 1.0 cannot hold (openpyxl's ``ILLEGAL_CHARACTERS_RE``): written as U+FFFD."""
MAX_TEXT = 32767
"""The most characters (UTF-16 units) an Excel cell holds."""
CUT_MARK = "…（以下省略）"
"""Ends a text cut to :data:`MAX_TEXT` (the whole text is in the JSON and HTML reports)."""


class Book:
    """An XlsxWriter workbook with this project's look: the Japanese default font, header and number
    formats, fills for conditional formatting, print setup; text always written as text."""

    def __init__(self, created: dt.datetime, title: str) -> None:
        import xlsxwriter

        self.buffer = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.buffer, {
            "constant_memory": True,  # rows are written out as they are added
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
            "default_format_properties": {"font_name": FONT_NAME, "font_size": 11, "font_family": 3, "font_charset": 128},
        })
        self.wb.set_properties({"title": title, "author": "gapcheck", "created": created})
        self.header = self.wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#" + HEADER_FILL,
                                          "pattern": 1, "valign": "vcenter"})
        self.percent = self.wb.add_format({"num_format": "0.0%"})
        self.days = self.wb.add_format({"num_format": DAYS_FORMAT})
        self._fonts: dict[tuple[bool, int], Any] = {}
        self._fills: dict[str, Any] = {}
        self.names: set[str] = set()

    def sheet(self, wanted: str) -> Any:
        """A new sheet named ``wanted`` (made valid and unique, :func:`_sheet_name`)."""
        return self.wb.add_worksheet(_sheet_name(wanted, self.names))

    def font(self, bold: bool, size: int = 11) -> Any:
        key = (bold, size)
        if key not in self._fonts:
            self._fonts[key] = self.wb.add_format({"bold": bold, "font_size": size})
        return self._fonts[key]

    def colour_rows(self, ws: Any, first_row: int, last_row: int, last_col: int, state_col: int,
                    fills: dict[str, list[str]]) -> None:
        """Conditional formatting: each row from ``first_row`` to ``last_row`` (0-based) filled by the label in
        its ``state_col`` cell."""
        from xlsxwriter.utility import xl_col_to_name

        letter = xl_col_to_name(state_col)
        for colour, labels in fills.items():
            tests = [f'${letter}{first_row + 1}="{label}"' for label in labels]
            formula = tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"
            self.formula_fill(ws, first_row, 0, last_row, last_col, formula, colour)

    def formula_fill(self, ws: Any, first_row: int, first_col: int, last_row: int, last_col: int, formula: str,
                     colour: str) -> None:
        """Cells of the range filled with ``colour`` where ``formula`` (relative to its first cell) holds."""
        if colour not in self._fills:
            self._fills[colour] = self.wb.add_format({"bg_color": "#" + colour, "pattern": 1})
        ws.conditional_format(first_row, first_col, last_row, last_col,
                              {"type": "formula", "criteria": "=" + formula, "format": self._fills[colour]})

    def table_head(self, ws: Any, row: int, headers: Sequence[str], widths: Sequence[int], last_row: int) -> None:
        """The header row (styled, frozen below, with an autofilter down to ``last_row``), column widths and
        the print setup with the header repeated on every page."""
        for n, width in enumerate(widths):
            ws.set_column(n, n, max(MIN_WIDTH, min(MAX_WIDTH, width + 2)))
        ws.freeze_panes(row + 1, 0)
        ws.autofilter(row, 0, last_row, len(headers) - 1)
        page_setup(ws, row)
        ws.write_row(row, 0, list(headers), self.header)

    def cell(self, ws: Any, row: int, col: int, value: Any, number_format: Any = None) -> None:
        """One value: text as text (:func:`text_cell`), a number as a number in ``number_format``; None leaves the
        cell empty."""
        if value is None:
            return
        if isinstance(value, str):
            ws.write_string(row, col, text_cell(value))
        else:
            ws.write_number(row, col, value, number_format)

    def close(self) -> bytes:
        self.wb.close()
        return self.buffer.getvalue()


def text_cell(value: str) -> str:
    """Input text for a cell: no formula (:func:`~gapcheck.core.output.neutralise_cell`), no character XML
    cannot hold, at most :data:`MAX_TEXT` characters."""
    text = str(neutralise_cell(ILLEGAL_CHARACTERS.sub("\ufffd", value)))
    return text if len(text) <= MAX_TEXT // 2 else _cut(text)


def _cut(text: str) -> str:
    """``text`` cut to fit a cell, with :data:`CUT_MARK`, when its UTF-16 length is over :data:`MAX_TEXT`."""
    units = len(text.encode("utf-16-le")) // 2
    if units <= MAX_TEXT:
        return text
    # astral characters take two units each: a prefix that many characters shorter always fits with the mark
    return text[:max(MAX_TEXT - len(CUT_MARK) - (units - len(text)), 0)] + CUT_MARK


def prepare() -> None:
    """Import what rendering needs (pandas, whose frames the report holds, and XlsxWriter): the worker of
    :class:`gapcheck.report.writer.Renderer` does it while it waits for the report, not after."""
    import pandas  # noqa: F401
    import xlsxwriter  # noqa: F401


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
    """The workbook as .xlsx bytes."""
    return render_with(report, options)[0]


Sheets = tuple[bytes, bytes]
"""One operation's two sheets as parts of the package (``xl/worksheets/sheetN.xml``): 標準→現行, then 独自."""


def render_with(report: Report, options: RenderOptions = DEFAULT_OPTIONS, kept: Mapping[str, Sheets] | None = None,
                keep: bool = False) -> tuple[bytes, dict[str, Sheets]]:
    """The workbook, the sheets of the operations in ``kept`` taken as they are instead of written again; and,
    with ``keep``, the sheets of every other operation, to be kept for next time.

    A sheet's part depends on its operation's rows alone: strings are inline (streamed), formats are made in
    the same order in every workbook.  A kept operation gets a sheet with the same header, filter range and
    print setup but no rows, whose part is then replaced: the parts outside the sheets (the filter ranges'
    and print titles' names, styles, properties) are as they would be.  The caller keys ``kept`` by what the
    rows are made from (:meth:`gapcheck.analysis.cache.Checked.piece_keys`); the bytes are :func:`render`'s.
    """
    a = report.analysis
    codes = {s.operation for s in a.summaries}
    kept = {c: v for c, v in (kept or {}).items()
            if c in codes and isinstance(v, tuple) and len(v) == 2 and all(isinstance(x, bytes) for x in v)}
    book = Book(dt.datetime.combine(report.as_of, dt.time()), f"Fit & Gap 比較分析表: {report.municipality}")
    _summary_sheet(book, report)
    custom_items = a.items[a.items["state"] == "custom"]
    written = [s.operation for s in a.summaries if s.operation not in kept]
    reqs = a.requirements[a.requirements["operation"].isin(written)]
    items = custom_items[custom_items["operation"].isin(written)]
    requirements = _Table(REQ_COLUMNS, _requirement_frame(reqs, a.items), reqs["operation"])
    custom = _Table(ITEM_COLUMNS, _item_frame(items), items["operation"])
    counts = (a.requirements["operation"].value_counts(), custom_items["operation"].value_counts())
    parts: dict[str, tuple[str, str]] = {}
    for s in a.summaries:
        code = s.operation
        known = (int(counts[0].get(code, 0)), int(counts[1].get(code, 0))) if code in kept else (None, None)
        parts[code] = (requirements.sheet(book, f"{s.name} 標準→現行", code, "状態", STATE_FILLS, known[0]),
                       custom.sheet(book, f"{s.name} 独自", code, "処置", DISPOSITION_FILLS, known[1]))
    data = book.close()
    if kept:
        data = _with_parts(data, {name: xml for code, xml_pair in kept.items()
                                  for name, xml in zip(parts[code], xml_pair, strict=True)})
    made: dict[str, Sheets] = {}
    if keep and written:
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as package:
            made = {code: (package.read(parts[code][0]), package.read(parts[code][1])) for code in written}
    return data, made


def _with_parts(data: bytes, parts: Mapping[str, bytes]) -> bytes:
    """The package ``data`` with the parts named in ``parts`` replaced, every entry otherwise as XlsxWriter wrote
    it (order, names, dates, attributes, compression)."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, info.date_time)
            entry.compress_type, entry.external_attr, entry.create_system = (info.compress_type, info.external_attr,
                                                                             info.create_system)
            package.writestr(entry, parts[info.filename] if info.filename in parts else source.read(info))
    return out.getvalue()


class _Table:
    """The rows of one kind of sheet for every operation, cleaned and measured once (vectorised)."""

    def __init__(self, columns: list[tuple[str, str]], frame: pd.DataFrame, operation: pd.Series) -> None:
        self.headers = [h for h, _ in columns]
        clean = _clean(frame)
        self.groups: dict[Hashable, pd.DataFrame] = {code: part for code, part in clean.groupby(operation.to_numpy(), sort=False)}
        widths: dict[int, dict[Hashable, int]] = {}
        for n, col in enumerate(frame.columns):  # as dicts: a Series' get costs 0.2 ms, a sheet asks a dozen
            s = frame[col].astype("string").fillna("")
            most = (s.str.len() + s.str.count(_WIDE.pattern)).groupby(operation.to_numpy(), sort=False).max()
            widths[n] = {k: int(v) for k, v in most.items()}
        self.widths = widths

    def sheet(self, book: Book, title: str, operation: str, state_header: str, fills: dict[str, list[str]],
              count: int | None = None) -> str:
        """One sheet: header row 1 (frozen, autofilter), one row per record, rows coloured by ``state_header``;
        returns its part's name.  ``count`` given: a sheet of that many rows whose part will be replaced
        (:func:`render_with`), written with its header, filter and print setup only."""
        ws = book.sheet(title)
        rows = self.groups.get(operation) if count is None else None
        if count is None:
            count = 0 if rows is None else len(rows)
        widths = [max(_text_width(h), self.widths[n].get(operation, 0)) for n, h in enumerate(self.headers)]
        last_row = max(count, 1)  # 0-based: the header is row 0
        book.colour_rows(ws, 1, last_row, len(self.headers) - 1, self.headers.index(state_header), fills)
        book.table_head(ws, 0, self.headers, widths, last_row)
        if rows is not None:
            for n, row in enumerate(rows.itertuples(index=False, name=None), 1):
                ws.write_row(n, 0, row)
        return f"xl/worksheets/sheet{book.wb.worksheets().index(ws) + 1}.xml"


def _sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unique sheet name (at most 31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET.sub("_", wanted)[:31]
    name, n = base, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def _requirement_frame(df: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    out = df.assign(item_names=_item_names(df, items))[[c for _, c in REQ_COLUMNS]].copy()
    out["kind"] = out["kind"].map(KIND_LABELS)
    out["class"] = out["class"].map(CLASS_LABELS)
    out["state"] = out["state"].map(STATE_LABELS)
    out["judgement"] = out["judgement"].map(JUDGEMENT_LABELS)
    return out


def _item_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df[[c for _, c in ITEM_COLUMNS]].copy()
    out["kind"] = out["kind"].map(KIND_LABELS)
    out["disposition"] = out["disposition"].map(DISPOSITION_LABELS)
    out["replacement"] = ref_labels(out["replacement"])
    return out


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells neutralised (no formulas), free of characters XML cannot hold and short enough for a cell;
    missing values as None, numbers as Python numbers."""
    out = neutralise_frame(frame)
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype).startswith("str"):
            s = out[col].astype(object)
            text = s.astype("string")
            bad = text.str.contains(ILLEGAL_CHARACTERS.pattern, regex=True, na=False)
            if bad.any():
                s = s.where(~bad, text.str.replace(ILLEGAL_CHARACTERS.pattern, "\ufffd", regex=True))
            long = text.str.len().fillna(0) > MAX_TEXT // 2
            if long.any():
                s = s.where(~long, s[long].map(_cut))
            out[col] = s
    return out.astype(object).where(out.notna(), None)


def _text_width(text: str) -> int:
    return len(text) + len(_WIDE.findall(text))


def _item_names(req: pd.DataFrame, items: pd.DataFrame) -> pd.Series:
    """Per requirement, the names of its linked current items (the same order as its ``items`` IDs), vectorised."""
    import numpy as np
    import pandas as pd

    from gapcheck.analysis.frames import join_at

    if not len(req):
        return pd.Series([], index=req.index, dtype=object)
    ids = req["items"].astype(object).where(req["items"].notna(), "").str.split(", ").explode()
    names = items.drop_duplicates(["operation", "id"]).set_index(["operation", "id"])["name"]
    keys = pd.MultiIndex.from_arrays([req.loc[ids.index, "operation"].to_numpy(), ids.to_numpy()])
    found = pd.Series(names.reindex(keys).to_numpy(), index=ids.index).dropna().astype(str)
    labels = found.index.to_numpy()
    starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]]) if len(labels) else np.array([], dtype=int)
    # explode keeps each requirement's IDs together and in order: one run per requirement
    return pd.Series(join_at(found, starts, "、"), index=labels[starts], dtype=object).reindex(req.index)


def page_setup(ws: Any, header_row: int) -> None:
    """Print: A4 landscape, one page wide (as many pages down as needed), the header row (0-based) on every page."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)


def _summary_sheet(book: Book, report: Report) -> None:
    ws = book.sheet("概要")
    r = report.readiness
    intro: list[str] = [
        f"Fit & Gap 比較分析表・移行準備状況: {report.municipality}",
        f"基準日 {r.as_of.isoformat()}　期限: {days_text(r.days_to_deadline)}",
        r.verdict,
        "サンプルデータによる結果です（公式の標準仕様書ではありません）。" if report.sample else "",
    ]
    head = len(intro)  # 0-based row of the header
    rows = list(_summary_rows(report))
    widths = [max([_text_width(SUMMARY_HEADERS[i])] + [_text_width(str(row[i] or "")) for row in rows])
              for i in range(len(SUMMARY_HEADERS))]
    last_row = head + max(len(rows), 1)
    book.colour_rows(ws, head + 1, last_row, len(SUMMARY_HEADERS) - 1, 3, STATUS_FILLS)
    for n, line in enumerate(intro):
        ws.write_string(n, 0, text_cell(line), book.font(n in (0, 2), 14 if n == 0 else 11))
    book.table_head(ws, head, SUMMARY_HEADERS, widths, last_row)
    for n, row in enumerate(rows, head + 1):
        for i, v in enumerate(row, 1):
            book.cell(ws, n, i - 1, v, book.percent if i in PERCENT_COLUMNS else book.days if i == DAYS_COLUMN else None)


def _summary_rows(report: Report) -> Iterable[list[str | float | None]]:
    summaries = {s.operation: s for s in report.analysis.summaries}
    for o in report.readiness.operations:
        s = summaries.get(o.operation)
        st = s.states if s is not None else {}
        yield [o.name, o.operation, s.spec_version if s else None, STATUS_LABELS[o.status], deadline_text(o.deadline),
               o.days_left, o.mandatory_fit_rate, o.completion_rate, st.get("fit"), st.get("partial"),
               st.get("gap"), st.get("deferred"), st.get("deferral-expired"), st.get("stale"), s.violations if s else None,
               s.custom if s else None, s.undecided if s else None]
