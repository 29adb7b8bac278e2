"""Rebuild the binary inputs of the invalid-input cases (the .xlsx worksheets, one EUC-JP CSV, the roll-up's results files).

    PYTHONPATH=$PWD python3 tests/cases/make_workbooks.py          # rewrite them
    PYTHONPATH=$PWD python3 tests/cases/make_workbooks.py --check  # exit 1 if a committed file differs

Every worksheet is a real ``gapcheck mapping template`` of the case's own
project (the small fixture with the case's files laid over it, as the test
does), then edited with openpyxl the way a vendor would, then saved with fixed
timestamps: the same script always gives the same bytes.  Never edit the
binaries by hand; change the edits below and run the script again
(``tests/test_invalid_inputs.py`` checks that the committed files are what the
script builds).  The roll-up case's results files are ``gapcheck report``'s
results of the small fixture, then edited with pyarrow (a wrong check digit,
a newer schema, ...) the way :mod:`tests.rollup_helpers` does.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run_case import prepare  # noqa: E402

CASES = HERE / "invalid"
FIXED_TIME = b"2000-01-01T00:00:00Z"


def _template(case: str) -> bytes:
    """``gapcheck mapping template --operation kaigo`` run in the case's project (the newest version, pre-filled)."""
    from typer.testing import CliRunner

    from gapcheck.cli.commands import app

    cwd = Path.cwd()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        prepare(CASES / case, project)
        os.chdir(project)
        try:
            res = CliRunner().invoke(app, ["mapping", "template", "--operation", "kaigo", "--output", "template.xlsx"])
            assert res.exit_code == 0, res.output
            return (project / "template.xlsx").read_bytes()
        finally:
            os.chdir(cwd)


def _stable(wb: Any) -> bytes:
    """The workbook saved with fixed document timestamps and zip entry times."""
    buf = io.BytesIO()
    wb.save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_TIME, data)
            entry = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    return out.getvalue()


def _edited(case: str, edit: Callable[[Any], None]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(_template(case)))
    edit(wb)
    return _stable(wb)


# -- the vendor's edits, one function per case ----------------------------------------------------


def _invalid_values(wb: Any) -> None:
    wb["情報"]["C9"] = "はい"  # サンプル: true or empty
    wb["要件一覧"]["H3"] = "◎"  # 0230275 / F2: not ○, △ or ×
    wb["要件一覧"]["K9"] = "使わない"  # 0230301: the mark is 不使用
    wb["独自機能"]["D2"] = "保留"  # F4: not a disposition


def _missing_values(wb: Any) -> None:
    reqs, custom = wb["要件一覧"], wb["独自機能"]
    reqs["H6"] = "○"  # 0230290: a judgement, no item
    reqs["I11"] = "確認中"  # 0230401: a note, no item
    reqs["F13"] = "R1"  # 0230014: an item, no judgement
    reqs["M7"] = None  # 0230291: the 経過措置 date cleared, its note kept
    reqs["N7"] = "令和9年度末まで"
    custom["D2"] = "代替"  # F4: replace, but by which requirement?
    custom["F4"] = "検討中"  # R2: a note, no disposition
    custom["D5"] = "廃止"  # a disposition on a row with no item


def _conflict(wb: Any) -> None:
    reqs = wb["要件一覧"]
    reqs["M4"] = dt.datetime(2027, 3, 31)  # 0230286, row of F3
    reqs["M5"] = dt.datetime(2028, 3, 31)  # 0230286, row of F1: another deadline for the same requirement


def _needs_review(wb: Any) -> None:
    wb["要件一覧"]["H4"] = "×"  # 0230286 / F3 judged again on 7.0; the row of F1 (H5) is left as carried over


def _renamed_sheet(wb: Any) -> None:
    wb["要件一覧"].title = "要件一覧（回答）"


def _renamed_column(wb: Any) -> None:
    wb["要件一覧"]["H1"] = "判定"


WORKBOOKS: dict[str, Callable[[Any], None]] = {
    "worksheet-invalid-value": _invalid_values,
    "worksheet-missing-value": _missing_values,
    "worksheet-conflict": _conflict,
    "worksheet-needs-review": _needs_review,
    "xlsx-sheet-missing": _renamed_sheet,
    "worksheet-missing-column": _renamed_column,
}
"""Case -> the edit made to its template; the result is the case's ``t.xlsx``."""

EUC_JP_CSV = ("機能ID,機能名称,機能要件,実装区分\r\n"
              "0230265,住民異動に伴う資格異動,住民記録システムからの異動データを受け取り、資格を取得・喪失させること。,実装必須\r\n")
"""csv-encoding: a requirement list exported by an old system in EUC-JP (neither UTF-8 nor Shift_JIS/CP932)."""


ROLLUP_VARIANTS: dict[str, dict[str, Any]] = {
    "b-older.parquet": {"as_of": "2026-05-31"},
    "c-april.parquet": {"as_of": "2026-04-30", "municipality_code": "990027", "municipality": "もみじ市"},
    "d-july.parquet": {"as_of": "2026-07-31", "municipality_code": "990035", "municipality": "テスト村"},
    "f-newer-schema.parquet": {"schema_version": 2},
    "g-no-state.parquet": {"drop": ("state",)},
    "h-no-version.parquet": {"gapcheck_version": ""},
    "i-newer-gapcheck.parquet": {"gapcheck_version": "9.0.0", "municipality_code": "990043", "municipality": "かえで町"},
    "j-no-code.parquet": {"municipality_code": ""},
    "k-five-digits.parquet": {"municipality_code": "12345"},
    "l-check-digit.parquet": {"municipality_code": "999999"},
    "m-no-prefecture.parquet": {"municipality_code": "489999"},
}
"""rollup-results: edited copies of the small fixture's results file, one per failure mode (a-good.parquet is the file itself)."""


def _parquet(table: Any) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return bytes(sink.getvalue().to_pybytes())


def _rollup_results() -> dict[Path, bytes]:
    import pyarrow as pa

    sys.path.insert(0, str(HERE.parent))
    from rollup_helpers import small_results, variant

    folder = CASES / "rollup-results" / "results"
    with tempfile.TemporaryDirectory() as tmp:
        good = small_results(Path(tmp) / "good.parquet")
        files = {folder / "a-good.parquet": good.read_bytes()}
        for name, change in ROLLUP_VARIANTS.items():
            files[folder / name] = variant(good, Path(tmp) / name, **change).read_bytes()
    files[folder / "e-plain.parquet"] = _parquet(pa.table({"x": [1]}))
    return files


SPEC_HEAD = "機能ID,機能名称,機能要件,実装区分\n"


def _spec_inputs() -> dict[Path, bytes]:
    """The spec import's own failure modes: a CSV in two encodings, an encrypted workbook, an uncomputed formula,
    a cell longer than Excel holds (a CSV field: no workbook can hold it)."""
    files = {CASES / "csv-mixed-encoding" / "book.csv":  # CP932, with one cell pasted as UTF-8 (reads as 莉玖ｭｷ菫晞匱)
             (SPEC_HEAD + "0230265,資格異動,登録できること。,実装必須\n").encode("cp932") + b"0230275,"
             + "介護保険".encode() + ",付番できること。,実装必須\n".encode("cp932")}
    sector = bytearray(512)  # the directory of an OLE compound file, as Excel stores a password-protected .xlsx
    for i, name in enumerate(("Root Entry", "EncryptionInfo", "EncryptedPackage")):
        entry = name.encode("utf-16-le")
        sector[i * 128: i * 128 + len(entry)] = entry
    files[CASES / "xlsx-encrypted" / "book.xlsx"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + bytes(sector)
    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]
    ws.title = "機能要件"
    for row in (["機能ID", "機能名称", "機能要件", "実装区分"], ["0230265", "資格異動", "登録できること。", '=IF(TRUE,"実装必須","")'],
                ["0230275", "付番", "付番できること。", "実装必須"]):
        ws.append(row)  # openpyxl computes no formula: the workbook holds none of its results
    files[CASES / "xlsx-formula" / "book.xlsx"] = _stable(wb)
    files[CASES / "cell-too-long" / "book.csv"] = (SPEC_HEAD + '0230265,資格異動,"' + "登録できること。" * 5000 + '",実装必須\n'
                                                   "0230275,付番,付番できること。,実装必須\n").encode()
    return files


def _inventory_inputs() -> dict[Path, bytes]:
    """A 機能一覧 whose IDs are numbered 0101, 0102, ... where two cells were typed as numbers (Excel kept 103, 104)."""
    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]
    ws.title = "機能一覧"
    for row in (["管理番号", "機能名"], ["0101", "住民票の写しの交付"], ["0102", "転入届の受付"], [103, "転出届の受付"],
                [104, "印鑑登録"]):
        ws.append(row)
    return {CASES / "id-leading-zero-lost" / "list.xlsx": _stable(wb)}


def build() -> dict[Path, bytes]:
    """Every generated file, by path."""
    files = {CASES / case / "t.xlsx": _edited(case, edit) for case, edit in WORKBOOKS.items()}
    files[CASES / "csv-encoding" / "book.csv"] = EUC_JP_CSV.encode("euc_jp")
    files.update(_spec_inputs())
    files.update(_inventory_inputs())
    files.update(_rollup_results())
    return files


def main(argv: list[str]) -> int:
    os.environ.setdefault("GAPCHECK_CACHE_DIR", tempfile.mkdtemp(prefix="gapcheck-cache-"))
    stale = []
    for path, data in build().items():
        if path.exists() and path.read_bytes() == data:
            continue
        stale.append(path)
        if "--check" not in argv:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    for path in stale:
        print(f"{'differs' if '--check' in argv else 'wrote'}: {path.relative_to(HERE.parent.parent)}")
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
