"""Excel workbook: the sheets staff expect, styled and filterable; no cell can run as a formula."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
from report_helpers import FORMULAS, inject

from gapcheck.core.config import load_config
from gapcheck.readiness.bundle import build_report
from gapcheck.render.csvfmt import dumps as csv_dumps
from gapcheck.render.formats import render
from gapcheck.validation.project import load_project


def _workbook(small: Path) -> openpyxl.Workbook:
    cfg = load_config(".")
    data = render(build_report(load_project(cfg), cfg, dt.date(2026, 11, 29)), "xlsx")
    return openpyxl.load_workbook(io.BytesIO(data))


def test_sheets_and_rows(small: Path) -> None:
    wb = _workbook(small)
    assert wb.sheetnames == ["概要", "介護保険 標準→現行", "介護保険 独自"]
    std = wb["介護保険 標準→現行"]
    assert [c.value for c in std[1]] == ["ID", "種別", "実装区分", "分類", "名称", "要件", "状態", "判定", "現行機能", "現行機能名",
                                         "経過措置期限", "備考"]
    assert std.max_row == 1 + 11  # every requirement of the analysed version
    assert [c.value for c in std[2]][:8] == ["0230265", "機能", "実装必須", None, "住民異動に伴う資格異動", None, "適合 ○", "○"]
    custom = wb["介護保険 独自"]
    assert [c.value for c in custom[1]][:5] == ["現行ID", "種別", "名称", "担当", "処置"]
    assert [row[0].value for row in custom.iter_rows(min_row=2)] == ["F4", "R2", "F5"]
    summary = wb["概要"]
    assert summary["A3"].value == ("期限超過あり: 介護保険 が期限を過ぎて未移行、19 業務は準備中（判定に必要なデータが未登録）。"
        "対象 20 業務（期限超過 1・準備中 19）")
    assert [c.value for c in summary[6]][:7] == ["介護保険", "kaigo", "6.0", "期限超過", "令和7年度末（2026-03-31）", -243, 0.2857]
    assert summary["G6"].number_format == "0.0%"


def test_header_freeze_filter_widths_and_colours(small: Path) -> None:
    wb = _workbook(small)
    for ws, header_row in ((wb["概要"], 5), (wb["介護保険 標準→現行"], 1), (wb["介護保険 独自"], 1)):
        header = ws[header_row][0]
        assert header.font.bold and header.fill.fgColor.rgb.endswith("1F4E79")
        assert ws.freeze_panes == f"A{header_row + 1}"
        assert ws.auto_filter.ref.startswith(f"A{header_row}:")
        assert len(ws.conditional_formatting) >= 1
    std = wb["介護保険 標準→現行"]
    assert std.auto_filter.ref == "A1:L12"
    # Excel stores a width of n characters as n plus its 5-pixel cell padding (0.7109375 at the default font)
    widths = {k: round(v.width - 0.7109375, 4) for k, v in std.column_dimensions.items()}
    assert widths["E"] == 2 * len("被保険者証等再交付申請書") + 2  # full-width characters count double
    assert widths["A"] == len("0230265") + 2
    rules = [r for cf in std.conditional_formatting for r in cf.rules]
    assert any('"ギャップ ×"' in r.formula[0] for r in rules)


def test_formulas_are_neutralised(small: Path) -> None:
    inject(small)
    wb = _workbook(small)
    values = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in values)
    texts = {c.value for c in values}
    for formula in FORMULAS:
        assert "'" + formula in texts
        assert formula not in texts
    assert not any(v.startswith(("=", "+", "-", "@")) for v in texts)


def test_csv_cells_are_neutralised_too(small: Path) -> None:
    inject(small)
    cfg = load_config(".")
    report = build_report(load_project(cfg), cfg, dt.date(2026, 11, 29))
    text = csv_dumps(report.analysis.items)
    for formula in FORMULAS[1:]:
        assert f",'{formula}," in text or f",'{formula}\n" in text


def test_identical_bytes_for_identical_input(small: Path) -> None:
    cfg = load_config(".")
    report = build_report(load_project(cfg), cfg, dt.date(2026, 11, 29))
    assert render(report, "xlsx") == render(report, "xlsx")


def test_the_workbook_prints_and_reads_as_staff_expect(small: Path) -> None:
    """A Japanese default font, A4 landscape one page wide with the header repeated, the requirement text and
    the current items' names beside their IDs, 残日数 as a number."""
    from gapcheck.render.xlsx import DAYS_FORMAT, FONT_NAME

    wb = _workbook(small)
    summary, reqs = wb.worksheets[0], wb.worksheets[1]
    for ws in (summary, reqs):
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        # fitToWidth left out is its default, 1 page (ECMA-376 Part 1, 18.3.1.64 pageSetup)
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True)
    assert reqs.print_title_rows == "$1:$1"
    header = [c.value for c in reqs[1]]
    row = {h: c.value for h, c in zip(header, next(r for r in reqs.iter_rows(min_row=2) if r[0].value == "0230265"), strict=True)}
    assert (row["現行機能"], row["現行機能名"]) == ("F1", "資格異動")
    assert "要件" in header
    assert reqs["A2"].font.name == FONT_NAME
    days = next(r for r in summary.iter_rows(min_row=1) if r[1].value == "kaigo")[5]
    assert (days.value, days.number_format) == (-243, DAYS_FORMAT)


def test_long_text_is_cut_with_a_mark_and_urls_stay_text(small: Path) -> None:
    """A cell holds at most 32,767 characters: a longer note ends with the cut mark (the whole text is in the
    JSON and HTML reports); a URL is text, never a link."""
    from gapcheck.render.xlsx import CUT_MARK, MAX_TEXT

    mapping = small / "mappings" / "kaigo.yaml"
    long_note = "https://example.invalid/a " + "🗾あ" * 20000  # astral characters count two UTF-16 units
    text = mapping.read_text("utf-8").replace(
        "{item: F3, requirement: \"0230286\", judgement: gap}",
        "{item: F3, requirement: \"0230286\", judgement: gap, note: \"" + long_note + "\"}").replace(
        "{item: F5, disposition: abolish}", "{item: F5, disposition: abolish, note: \"https://example.invalid/b\"}")
    mapping.write_text(text, "utf-8")
    wb = _workbook(small)
    std, custom = wb["介護保険 標準→現行"], wb["介護保険 独自"]
    notes = [c.value for c in std["L"] if isinstance(c.value, str) and c.value.startswith("https://example.invalid/a")]
    assert len(notes) == 1 and notes[0].endswith(CUT_MARK)
    assert len(notes[0].encode("utf-16-le")) // 2 <= MAX_TEXT
    assert notes[0][: -len(CUT_MARK)] == long_note[: len(notes[0]) - len(CUT_MARK)]
    assert "https://example.invalid/b" in [c.value for c in custom["I"]]
    assert not std._hyperlinks and not custom._hyperlinks
