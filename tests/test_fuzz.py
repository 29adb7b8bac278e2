"""Property tests of every loader: any input gives problems or a result, never an exception (issue 9, point 8).

Each loader gets inputs drawn by hypothesis, both built (any YAML value of
each file kind, any JSON line, any cells) and mutated from a valid file (the
mutations of ``benchmarks/fuzz.py``, from a drawn seed).  The run is short
(a few seconds, ``max_examples`` small) so that it runs on every commit;
``GAPCHECK_FUZZ_EXAMPLES=500`` draws more, and ``python benchmarks/fuzz.py
--minutes N`` is the long run.  Only
:class:`~gapcheck.core.errors.InvalidInput` (and a usage error, for a call
that cannot be made) may come out; a result must then go on through the
analysis, the readiness assessment and the renderers without an exception.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gapcheck.core.config import Config
from gapcheck.core.errors import InvalidInput, UsageError
from gapcheck.loading.history import load_history
from gapcheck.validation.project import load_project

HERE = Path(__file__).parent
REPO = HERE.parent
SMALL = HERE / "fixtures" / "small"
sys.path.insert(0, str(REPO / "benchmarks"))
from fuzz import INTERESTING_VALUES, TOKENS, learn_values, mutate  # noqa: E402

FAST = settings(max_examples=int(os.environ.get("GAPCHECK_FUZZ_EXAMPLES", "10")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])

HOSTILE = st.sampled_from([t.decode("utf-8", "replace") for t in TOKENS + INTERESTING_VALUES if len(t) < 200])
TEXT = st.one_of(st.text(max_size=30), HOSTILE, st.sampled_from(["fit", "gap", "○", "実装必須", "kaigo", "0230265", "F1",
                                                                    "2026-03-31", "6.0", "function", "form"]))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
                    st.floats(allow_nan=True, allow_infinity=True), TEXT)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(TEXT, inner, max_size=4)), max_leaves=12)

learn_values({str(p): p.read_bytes() for p in SMALL.rglob("*.yaml")})


@contextmanager
def project(files: dict[str, bytes]) -> Iterator[Path]:
    """A fresh copy of the small fixture with ``files`` (path -> bytes) laid over it."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "p"
        shutil.copytree(SMALL, root)
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        yield root


def goes_through(root: Path) -> None:
    """Load, analyse, assess and render: problems or a result at every step, never another exception."""
    from gapcheck.analysis.classify import analyze
    from gapcheck.readiness.status import assess
    from gapcheck.render.base import RenderOptions
    from gapcheck.render.formats import ANALYSIS_RENDERERS, READINESS_RENDERERS
    from gapcheck.render.jsonfmt import dumps

    cfg = Config.defaults(root)
    proj = load_project(cfg)
    for p in proj.problems:
        assert "\n" not in p.format() and "\x1b" not in p.format()
    snaps, history_problems = load_history(cfg.history_path)
    if not proj.valid or any(p.severity == "error" for p in history_problems):
        return
    try:
        result = analyze(proj)
    except UsageError:  # e.g. nothing left in scope
        return
    options = RenderOptions(limit=3, width=80)
    for analysis_renderer in ANALYSIS_RENDERERS.values():
        str(analysis_renderer.render(result, options)).encode("utf-8")
    readiness = assess(proj, result, dt.date(2026, 1, 26), snaps)
    for readiness_renderer in READINESS_RENDERERS.values():
        str(readiness_renderer.render(readiness, options)).encode("utf-8")
    dumps(readiness.to_dict()).encode("utf-8")


KINDS = {"catalogue": "specs/kaigo/6.0.yaml", "inventory": "current_system/inventory.yaml",
         "mapping": "mappings/kaigo.yaml", "plan": "current_system/plan.yaml"}


@FAST
@given(kind=st.sampled_from(sorted(KINDS)), body=st.dictionaries(TEXT, VALUES, max_size=6))
def test_any_yaml_value_of_each_file_kind(kind: str, body: dict[str, Any]) -> None:
    doc = {"gapcheck": f"{kind}/1", **body}
    text = yaml.safe_dump(doc, allow_unicode=True, width=10_000)
    with project({KINDS[kind]: text.encode("utf-8")}) as root:
        goes_through(root)


@FAST
@given(kind=st.sampled_from(sorted(KINDS)), seed=st.integers(0, 2**32), gentle=st.booleans())
def test_mutated_inputs_of_each_file_kind(kind: str, seed: int, gentle: bool) -> None:
    source = REPO / KINDS[kind] if kind == "plan" else SMALL / KINDS[kind]
    data = mutate(source.read_bytes(), random.Random(seed), gentle)
    with project({KINDS[kind]: data}) as root:
        goes_through(root)


@FAST
@given(seed=st.integers(0, 2**32), gentle=st.booleans())
def test_mutated_registry(seed: int, gentle: bool) -> None:
    from importlib import resources

    data = resources.files("gapcheck").joinpath("data", "operations.yaml").read_bytes()
    with project({"registry.yaml": mutate(data, random.Random(seed), gentle)}) as root:
        proj = load_project(Config.defaults(root).with_overrides(registry=root / "registry.yaml"))
        assert all("\n" not in p.format() for p in proj.problems)


RECORD = {"date": "2026-01-05", "operation": "kaigo", "status": "on-track", "open_gaps": 3, "mandatory_fit_rate": 0.5,
          "completion_rate": 0.5, "violations": 0, "undecided": 0}


@FAST
@given(lines=st.lists(st.one_of(
    st.builds(lambda changes: json.dumps({**RECORD, **changes}, allow_nan=True),
              st.dictionaries(st.sampled_from(sorted(RECORD) + ["deferred", "x"]), SCALARS, max_size=3)),
    st.builds(lambda seed: mutate(json.dumps(RECORD).encode(), random.Random(seed)).decode("utf-8", "replace"),
              st.integers(0, 2**32)),
    st.builds(lambda d: json.dumps(d, allow_nan=True), VALUES),
    st.text(max_size=40)), max_size=6))
def test_any_history(lines: list[str]) -> None:
    with project({"reports/history.jsonl": "\n".join(lines).encode("utf-8", "surrogatepass")}) as root:
        goes_through(root)


@FAST
@given(seed=st.integers(0, 2**32), gentle=st.booleans())
def test_mutated_policy(seed: int, gentle: bool) -> None:
    from gapcheck.readiness.bundle import build_report
    from gapcheck.readiness.policy import evaluate, load_policy

    data = mutate((REPO / "policy.yaml").read_bytes(), random.Random(seed), gentle)
    with project({"policy.yaml": data}) as root:
        try:
            policy = load_policy(root / "policy.yaml", ["kaigo", "juki"], "policy.yaml")
        except InvalidInput as exc:
            assert all("\n" not in p.format() for p in exc.problems)
            return
        cfg = Config.defaults(root)
        report = build_report(load_project(cfg), cfg, dt.date(2026, 1, 26))
        for breach in evaluate(policy, report.analysis, report.readiness):
            assert "\n" not in breach.format()


def imports(files: list[Path]) -> None:
    """A spec import: problems, or a catalogue that the loader reads back without an error."""
    from gapcheck.core.model import Operation, Prefix
    from gapcheck.vendor.specimport import import_spec, write_catalogue

    kaigo = Operation("kaigo", "介護保険", "厚生労働省", (Prefix("023"),), "介護保険システム標準仕様書")
    try:
        result = import_spec(files, kaigo, "6.0", kinds=("function",))
        write_catalogue(result, files[0].parent / "out.yaml", force=True)
    except InvalidInput as exc:
        assert all("\n" not in p.format() for p in exc.problems)


CSV = "機能ID,機能名称,機能要件,実装区分\n0230265,資格異動,登録できること。,実装必須\n0230275,付番,付番できること。,標準オプション\n"


@FAST
@given(seed=st.integers(0, 2**32), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932"]),
       cells=st.lists(st.lists(TEXT, max_size=5), max_size=4))
def test_any_csv_spec_import(tmp_path: Path, seed: int, encoding: str, cells: list[list[str]]) -> None:
    import csv

    buf = io.StringIO()
    csv.writer(buf).writerows(cells)
    text = CSV + buf.getvalue()
    raw = mutate(text.encode(encoding, "replace"), random.Random(seed)) if seed % 2 else text.encode(encoding, "replace")
    (tmp_path / "functions.csv").write_bytes(raw)
    imports([tmp_path / "functions.csv"])


CELL = st.one_of(st.none(), st.integers(-(10**20), 10**20), st.floats(allow_nan=False, allow_infinity=False), TEXT,
                 st.sampled_from(['=1+1', '=IF(TRUE,"実装必須","")', "０２３０２６５", 230265, "※注記"]))


def _xlsx_safe(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


@FAST
@given(header=st.lists(st.sampled_from(["機能ID", "機能名称", "機能要件", "実装区分", "大項目", "備考", "x", ""]), max_size=6),
       rows=st.lists(st.lists(CELL, max_size=6), max_size=6))
def test_any_xlsx_spec_import(tmp_path: Path, header: list[str], rows: list[list[Any]]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]
    ws.title = "機能要件"
    for row in [header, *rows]:
        ws.append([_xlsx_safe(v) for v in row])
    wb.save(tmp_path / "book.xlsx")
    imports([tmp_path / "book.xlsx"])


@pytest.fixture(scope="module")
def template() -> bytes:
    from gapcheck.vendor.worksheet import (
        build_template,
        mapping_document,
        template_xlsx,
    )

    proj = load_project(Config.defaults(SMALL))
    cat = proj.catalogue("kaigo")
    assert cat is not None and proj.inventory is not None
    items = [i for i in proj.inventory.items if i.operation == "kaigo"]
    return template_xlsx(build_template(cat, items, mapping_document(proj.mappings[0])))


@FAST
@given(edits=st.lists(st.tuples(st.sampled_from(["情報", "要件一覧", "独自機能"]), st.integers(1, 14), st.integers(1, 15),
                                CELL), min_size=1, max_size=6))
def test_any_worksheet_import(template: bytes, edits: list[tuple[str, int, int, Any]]) -> None:
    from gapcheck.vendor.worksheet import import_worksheet, mapping_yaml

    with project({}) as root:
        wb = openpyxl.load_workbook(io.BytesIO(template))
        for sheet, r, c, value in edits:
            wb[sheet].cell(r, c).value = _xlsx_safe(value)
        wb.save(root / "t.xlsx")
        proj = load_project(Config.defaults(root))
        try:
            text = mapping_yaml(import_worksheet(root / "t.xlsx", proj).mapping, "t.xlsx")
        except InvalidInput as exc:
            assert all("\n" not in p.format() for p in exc.problems)
            return
        (root / "mappings" / "kaigo.yaml").write_text(text, "utf-8")  # what `mapping import --output` writes
        again = load_project(Config.defaults(root))
        assert [p.format() for p in again.problems if p.severity == "error"] == []  # validate accepts what it wrote
