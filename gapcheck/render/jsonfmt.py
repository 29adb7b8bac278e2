"""JSON: the analysis exactly as :meth:`Analysis.to_dict` returns it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions

if TYPE_CHECKING:
    import pandas as pd

    from gapcheck.analysis.result import Analysis
    from gapcheck.analysis.specdiff import SpecDiff
    from gapcheck.readiness.status import Readiness

_compact = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


_SCALARS = (str, int, float, bool, type(None))


def _scalars(values: Iterable[object]) -> bool:
    return all(isinstance(v, _SCALARS) for v in values)


def _flat(value: object) -> bool:
    """A record: scalars, or small mappings/lists of scalars, as values (written on one line)."""
    values: Iterable[object] = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for v in values:
        if isinstance(v, RawRecords):
            return False
        if isinstance(v, _SCALARS):
            continue
        if isinstance(v, dict) and len(v) <= 12 and _scalars(v.values()):
            continue
        if isinstance(v, list) and len(v) <= 12 and _scalars(v):
            continue
        return False
    return True


class RawRecords:
    """A table rendered as JSON Lines (one object per line) when it is written, placed as a JSON list by :func:`dumps`."""

    def __init__(self, df: pd.DataFrame):
        self.df = df
        """The table; its text is made only in :meth:`write`, so that a document of many tables never holds
        the text of more than one at a time (at full scale the tables' text is about 20 MB)."""

    def write(self, indent: str, out: list[str]) -> None:
        if not len(self.df):
            out.append("[]")
            return
        # pandas' C writer; a JSON string never holds a raw line break, so lines are records
        text = self.df.to_json(orient="records", lines=True, force_ascii=False, double_precision=15)
        inner = indent + "  "
        out.append("[\n" + inner + text.rstrip("\n").replace("\n", ",\n" + inner) + "\n" + indent + "]")


def table_records(df: pd.DataFrame) -> RawRecords:
    """A DataFrame's rows as JSON objects, rendered by pandas' C writer (missing values as null) when written.

    The same data as :func:`records`, about ten times faster for large tables;
    pandas writes ``/`` as ``\\/``, which any JSON reader reads back as ``/``.
    """
    return RawRecords(df)


def _write(value: object, indent: str, out: list[str]) -> None:
    if isinstance(value, RawRecords):
        value.write(indent, out)
        return
    if _flat(value) or not isinstance(value, (dict, list)) or not value:
        out.append(_compact.encode(value))
        return
    inner = indent + "  "
    if isinstance(value, dict):
        out.append("{\n")
        for n, (k, v) in enumerate(value.items()):
            out.append(f"{inner}{_compact.encode(k)}: ")
            _write(v, inner, out)
            out.append(",\n" if n < len(value) - 1 else "\n")
        out.append(indent + "}")
    else:
        out.append("[\n")
        for n, v in enumerate(value):
            out.append(inner)
            _write(v, inner, out)
            out.append(",\n" if n < len(value) - 1 else "\n")
        out.append(indent + "]")


class _Utf8(list[bytes]):
    """The pieces of a document kept as UTF-8 as they are made (a text piece is twice its bytes in memory for
    Japanese, and the joined text would be held beside its encoding)."""

    def append(self, piece: str) -> None:  # type: ignore[override]  # takes text, keeps bytes
        super().append(piece.encode("utf-8"))


def dumps_utf8(data: object) -> bytes:
    """:func:`dumps` as UTF-8 bytes, made without the whole text ever being held (for files: the JSON report)."""
    out = _Utf8()
    _write(data, "", out)  # type: ignore[arg-type]  # a list of pieces that encodes what is appended
    out.append("\n")
    return b"".join(out)


def dumps(data: object) -> str:
    """Stable JSON text: Japanese kept as is, nested levels indented, each flat record on one line.

    One record per line keeps large results fast to write (the C encoder
    does each line) and readable in a diff; the text is valid JSON either way.
    """
    out: list[str] = []
    _write(data, "", out)
    out.append("\n")
    return "".join(out)  # one copy: joining and then adding the line break would make a second


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """A DataFrame as JSON-ready records (missing values become null)."""
    from gapcheck.analysis.result import records as plain_records

    return plain_records(df)


def analysis_json(analysis: Analysis) -> str:
    """An analysis as JSON text (what ``analyze --format json`` prints), tables written by pandas' C writer.

    The same data as :meth:`gapcheck.analysis.result.Analysis.to_dict` (tested).
    """
    return dumps(analysis.document(table_records))


def render_analysis(analysis: Analysis, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """``analyze --format json``."""
    return analysis_json(analysis)


def render_readiness(readiness: Readiness, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """``readiness --format json``."""
    return dumps(readiness.to_dict())


def render_diff(diff: SpecDiff, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """``spec diff --format json``."""
    return dumps(diff.to_dict())


def render_rollup(rollup: Any, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """``rollup --format json``: :meth:`gapcheck.rollup.result.Rollup.to_dict` (schema ``rollup.schema.json``)."""
    return dumps(rollup.to_dict())
