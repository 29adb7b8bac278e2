"""Excel: the Fit & Gap workbook (比較分析表) staff expect, written with openpyxl.

Sheets: ``概要`` (the verdict and one row per operation), then per operation
``<業務> 標準→現行`` (every standard requirement and its state) and
``<業務> 独自`` (current functions and forms with no standard counterpart,
and their disposition).  Every table has a styled, frozen header row and an
autofilter; column widths fit Japanese text (full-width characters count
double); rows are coloured by state with conditional formatting, so the
colour follows when staff edit the state.

Text from inputs is data: cells beginning with ``=``, ``+``, ``-``, ``@``
(or tab/CR) get a leading apostrophe and can never run as formulas.  The
workbook is streamed (write-only mode) and its dates and zip entries are
fixed, so identical input gives an identical file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

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

if TYPE_CHECKING:  # pandas and openpyxl are imported only when a workbook is written
    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.formatting.formatting import ConditionalFormattingList
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

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
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


class _Formatted(Protocol):
    """A sheet with conditional formatting (write-only sheets have it too; their stubs leave it out)."""

    conditional_formatting: ConditionalFormattingList


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> bytes:
    """The workbook as .xlsx bytes."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    _japanese_font(wb)
    stamp = dt.datetime.combine(report.as_of, dt.time())
    wb.properties.creator = "gapcheck"
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.title = f"Fit & Gap 比較分析表: {report.municipality}"
    names: set[str] = set()
    _summary_sheet(wb, report, _sheet_name("概要", names))
    a = report.analysis
    items = a.items[a.items["state"] == "custom"]
    requirements = _Table(REQ_COLUMNS, _requirement_frame(a.requirements, a.items), a.requirements["operation"])
    custom = _Table(ITEM_COLUMNS, _item_frame(items), items["operation"])
    for s in a.summaries:
        requirements.sheet(wb, _sheet_name(f"{s.name} 標準→現行", names), s.operation, "状態", STATE_FILLS)
        custom.sheet(wb, _sheet_name(f"{s.name} 独自", names), s.operation, "処置", DISPOSITION_FILLS)
    return _save(wb)


class _Table:
    """The rows of one kind of sheet for every operation, cleaned and measured once (vectorised)."""

    def __init__(self, columns: list[tuple[str, str]], frame: pd.DataFrame, operation: pd.Series) -> None:
        self.headers = [h for h, _ in columns]
        clean = _clean(frame)
        self.groups: dict[Hashable, pd.DataFrame] = {code: part for code, part in clean.groupby(operation.to_numpy(), sort=False)}
        widths = {}
        for n, col in enumerate(frame.columns):
            s = frame[col].astype("string").fillna("")
            widths[n] = (s.str.len() + s.str.count(_WIDE.pattern)).groupby(operation.to_numpy(), sort=False).max()
        self.widths = widths

    def sheet(self, wb: Workbook, title: str, operation: str, state_header: str, fills: dict[str, list[str]]) -> None:
        """One sheet: header row 1 (frozen, autofilter), one row per record, rows coloured by ``state_header``."""
        ws = wb.create_sheet(title)
        rows = self.groups.get(operation)
        count = 0 if rows is None else len(rows)
        for n, h in enumerate(self.headers):
            width = max(_text_width(h), int(self.widths[n].get(operation, 0)))
            ws.column_dimensions[_col(n + 1)].width = max(MIN_WIDTH, min(MAX_WIDTH, width + 2))
        last_col, last_row = _col(len(self.headers)), max(count + 1, 2)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{last_col}{last_row}"
        _page_setup(ws, "1:1")
        _colour_rows(ws, f"A2:{last_col}{last_row}", _col(self.headers.index(state_header) + 1), fills)
        ws.append(_header(ws, self.headers))
        if rows is not None:
            for row in rows.itertuples(index=False, name=None):
                ws.append(row)


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


def _header(ws: WriteOnlyWorksheet, headers: Sequence[str]) -> list[Cell]:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    cells = []
    for h in headers:
        c = WriteOnlyCell(ws, value=h)
        c.font = Font(bold=True, color="FFFFFF")
        c.fill = PatternFill("solid", fgColor=HEADER_FILL)
        c.alignment = Alignment(vertical="center")
        cells.append(c)
    return cells


def _clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells neutralised (no formulas) and free of characters XML cannot hold; missing values as None."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    out = neutralise_frame(frame)
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype).startswith("str"):
            s = out[col].astype(object)
            bad = s.astype("string").str.contains(ILLEGAL_CHARACTERS_RE.pattern, regex=True, na=False)
            if bad.any():
                s = s.where(~bad, s.astype("string").str.replace(ILLEGAL_CHARACTERS_RE.pattern, "\ufffd", regex=True))
            out[col] = s
    return out.astype(object).where(out.notna(), None)


def _text_width(text: str) -> int:
    return len(text) + len(_WIDE.findall(text))


def _colour_rows(ws: _Formatted, ref: str, state_col: str, fills: dict[str, list[str]]) -> None:
    """Conditional formatting: each row of ``ref`` filled by the label in its ``state_col`` cell."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill

    row = re.sub(r"[A-Z]+", "", ref.split(":")[0])
    for colour, labels in fills.items():
        tests = [f'${state_col}{row}="{label}"' for label in labels]
        formula = tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"
        ws.conditional_formatting.add(ref, FormulaRule(formula=[formula], fill=PatternFill("solid", bgColor=colour)))


def _item_names(req: pd.DataFrame, items: pd.DataFrame) -> pd.Series:
    """Per requirement, the names of its linked current items (the same order as its ``items`` IDs), vectorised."""
    import pandas as pd

    if not len(req):
        return pd.Series([], index=req.index, dtype=object)
    ids = req["items"].astype(object).where(req["items"].notna(), "").str.split(", ").explode()
    names = items.drop_duplicates(["operation", "id"]).set_index(["operation", "id"])["name"]
    keys = pd.MultiIndex.from_arrays([req.loc[ids.index, "operation"].to_numpy(), ids.to_numpy()])
    found = pd.Series(names.reindex(keys).to_numpy(), index=ids.index).dropna().astype(str)
    return found.groupby(level=0).agg("、".join).reindex(req.index)


def _japanese_font(wb: Any) -> None:
    """Make :data:`FONT_NAME` the workbook's default (Normal) font: every unstyled cell uses it."""
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    font = Font(name=FONT_NAME, size=11, family=3, charset=128)
    # openpyxl keeps the default font as the first entry of the workbook's font list, with no public setter
    wb._fonts = IndexedList([font])
    wb._named_styles["Normal"].font = font


def _page_setup(ws: Any, title_rows: str) -> None:
    """Print: A4 landscape, one page wide (as many pages down as needed), the header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4 (openpyxl: Worksheet.PAPERSIZE_A4)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _summary_sheet(wb: Workbook, report: Report, title: str) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    ws = wb.create_sheet(title)
    r = report.readiness
    intro: list[list[str]] = [
        [f"Fit & Gap 比較分析表・移行準備状況: {report.municipality}"],
        [f"基準日 {r.as_of.isoformat()}　期限まで {days_text(r.days_to_deadline)}"],
        [r.verdict],
        ["サンプルデータによる結果です（公式の標準仕様書ではありません）。" if report.sample else ""],
    ]
    head = len(intro) + 1
    rows = list(_summary_rows(report))
    widths = [max([_text_width(SUMMARY_HEADERS[i])] + [_text_width(str(row[i] or "")) for row in rows])
              for i in range(len(SUMMARY_HEADERS))]
    for i, w in enumerate(widths):
        ws.column_dimensions[_col(i + 1)].width = max(MIN_WIDTH, min(MAX_WIDTH, w + 2))
    ws.freeze_panes = f"A{head + 1}"
    _page_setup(ws, f"{head}:{head}")
    ref = f"A{head}:{_col(len(SUMMARY_HEADERS))}{head + max(len(rows), 1)}"
    ws.auto_filter.ref = ref
    _colour_rows(ws, f"A{head + 1}:{_col(len(SUMMARY_HEADERS))}{head + max(len(rows), 1)}", "D", STATUS_FILLS)
    for n, line in enumerate(intro):
        c = WriteOnlyCell(ws, value=neutralise_cell(line[0]))
        c.font = Font(bold=n in (0, 2), size=14 if n == 0 else 11)
        ws.append([c])
    ws.append(_header(ws, SUMMARY_HEADERS))
    for row in rows:
        cells = []
        for i, v in enumerate(row, 1):
            c = WriteOnlyCell(ws, value=neutralise_cell(v))
            if i in PERCENT_COLUMNS and v is not None:
                c.number_format = "0.0%"
            elif i == DAYS_COLUMN and v is not None:
                c.number_format = DAYS_FORMAT
            cells.append(c)
        ws.append(cells)


def _summary_rows(report: Report) -> Iterable[list[str | float | None]]:
    summaries = {s.operation: s for s in report.analysis.summaries}
    for o in report.readiness.operations:
        s = summaries.get(o.operation)
        st = s.states if s is not None else {}
        yield [o.name, o.operation, s.spec_version if s else None, STATUS_LABELS[o.status], deadline_text(o.deadline),
               o.days_left, o.mandatory_fit_rate, o.completion_rate, st.get("fit"), st.get("partial"),
               st.get("gap"), st.get("deferred"), st.get("deferral-expired"), st.get("stale"), s.violations if s else None,
               s.custom if s else None, s.undecided if s else None]


class _FixedZip(ZipFile):
    """A zip whose entries all carry the same date, so that identical content gives identical bytes."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, compress_type: Any = None, compresslevel: Any = None) -> None:
        if not isinstance(zinfo_or_arcname, ZipInfo):
            zinfo_or_arcname = ZipInfo(zinfo_or_arcname, date_time=_FIXED_TIME)
            zinfo_or_arcname.compress_type = ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None, compresslevel: Any = None) -> None:
        with open(filename, "rb") as fh:
            self.writestr(arcname or filename, fh.read())


def _save(wb: Workbook) -> bytes:
    """Save without openpyxl stamping the current time into the file."""
    from openpyxl.writer.excel import ExcelWriter

    buf = io.BytesIO()
    with _FixedZip(buf, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return buf.getvalue()
