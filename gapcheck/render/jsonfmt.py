"""JSON: the analysis exactly as :meth:`Analysis.to_dict` returns it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
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

    def write(self, indent: str, emit: Callable[[str], None]) -> None:
        if not len(self.df):
            emit("[]")
            return
        # pandas' C writer; a JSON string never holds a raw line break, so lines are records
        text = self.df.to_json(orient="records", lines=True, force_ascii=False, double_precision=15)
        inner = indent + "  "
        emit("[\n" + inner + text.rstrip("\n").replace("\n", ",\n" + inner) + "\n" + indent + "]")


def table_records(df: pd.DataFrame) -> RawRecords:
    """A DataFrame's rows as JSON objects, rendered by pandas' C writer (missing values as null) when written.

    The same data as :func:`records`, about ten times faster for large tables;
    pandas writes ``/`` as ``\\/``, which any JSON reader reads back as ``/``.
    """
    return RawRecords(df)


class Rendered:
    """JSON text made earlier at this place of a document (an operation's block kept in the cache), written as is."""

    def __init__(self, text: str):
        self.text = text


def _write(value: object, indent: str, emit: Callable[[str], None]) -> None:
    if isinstance(value, RawRecords):
        value.write(indent, emit)
        return
    if isinstance(value, Rendered):
        emit(value.text)
        return
    if _flat(value) or not isinstance(value, (dict, list)) or not value:
        emit(_compact.encode(value))
        return
    inner = indent + "  "
    if isinstance(value, dict):
        emit("{\n")
        for n, (k, v) in enumerate(value.items()):
            emit(f"{inner}{_compact.encode(k)}: ")
            _write(v, inner, emit)
            emit(",\n" if n < len(value) - 1 else "\n")
        emit(indent + "}")
    else:
        emit("[\n")
        for n, v in enumerate(value):
            emit(inner)
            _write(v, inner, emit)
            emit(",\n" if n < len(value) - 1 else "\n")
        emit(indent + "]")


def dumps_utf8(data: object) -> bytes:
    """:func:`dumps` as UTF-8 bytes, each piece encoded as it is made, so that the whole text (twice its bytes
    in memory for Japanese) is never held beside its encoding (for files: the JSON report)."""
    out: list[bytes] = []
    _write(data, "", lambda piece: out.append(piece.encode("utf-8")))
    out.append(b"\n")
    return b"".join(out)


def dumps(data: object) -> str:
    """Stable JSON text: Japanese kept as is, nested levels indented, each flat record on one line.

    One record per line keeps large results fast to write (the C encoder
    does each line) and readable in a diff; the text is valid JSON either way.
    """
    out: list[str] = []
    _write(data, "", out.append)
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
    return analysis_json_with(analysis, {})[0]


OPERATION_INDENT = "    "
"""The indent of an operation's block in the document (an item of ``operations``, inside the top object)."""


def analysis_json_with(analysis: Analysis, blocks: dict[str, str]) -> tuple[str, dict[str, str]]:
    """:func:`analysis_json` with the blocks of some operations given as text (made earlier from the same rows),
    and the text of every other operation's block, made here (for the cache to keep)."""
    doc = analysis.document(table_records)
    made: dict[str, str] = {}
    for n, block in enumerate(doc["operations"]):
        text = blocks.get(block["code"])
        if text is None:
            pieces: list[str] = []
            _write(block, OPERATION_INDENT, pieces.append)
            text = made[block["code"]] = "".join(pieces)
        doc["operations"][n] = Rendered(text)
    return dumps(doc), made


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
