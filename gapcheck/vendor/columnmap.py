"""The column maps: how the columns of the lists people keep are headed, and how their codes are spelt.

Requirement tables (spec import): :data:`DEFAULT_COLUMNS` holds the headers of
DOMAIN.md; a user's ``--columns`` file (``columns/1``, :data:`COLUMNS_SCHEMA`)
overrides any part of it (:func:`load_column_map`).

Current-system lists (inventory import, 機能一覧 / 帳票一覧):
:data:`DEFAULT_INVENTORY_COLUMNS`, overridden by an ``inventory-columns/1``
file (:data:`INVENTORY_COLUMNS_SCHEMA`, :func:`load_inventory_columns`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gapcheck.core.errors import InvalidInput
from gapcheck.core.paths import display_path
from gapcheck.vendor.cells import header_key

FIELDS = ("id", "title", "summary", "class", "reason", "note")
"""The columns of a requirement table besides the category levels."""

CLASS_JA = {"mandatory": "実装必須", "optional": "標準オプション", "forbidden": "実装不可"}

DEFAULT_CLASSES: dict[str, str] = {
    "実装必須": "実装必須", "実装必須機能": "実装必須", "実装必須帳票": "実装必須", "必須": "実装必須",
    "標準オプション": "標準オプション", "標準オプション機能": "標準オプション", "標準オプション帳票": "標準オプション",
    "オプション": "標準オプション",
    "実装不可": "実装不可", "実装不可機能": "実装不可", "実装不可帳票": "実装不可",
    "mandatory": "実装必須", "optional": "標準オプション", "forbidden": "実装不可",
}
"""Spellings of 実装区分 seen in the lists, keyed by their :func:`header_key` form."""


@dataclass(frozen=True)
class TableMap:
    """Where one requirement table (functions or forms) is and how its columns are headed."""

    kind: str
    """``function`` (機能要件) or ``form`` (帳票要件)."""
    label: str
    """How people call the table, e.g. 機能要件."""
    columns: dict[str, tuple[str, ...]]
    """Field (``id``, ``title``, ``summary``, ``class``, ``reason``, ``note``) -> accepted header spellings."""
    category: tuple[tuple[str, ...], ...]
    """Header spellings of the category levels (大項目, 中項目, 小項目), top level first."""
    sheet: str | None = None
    """Exact sheet name; None: the sheet whose header row holds the ID header."""
    sheet_hint: str = ""
    """A word in the sheet name that tells which sheet was meant when no header is found."""
    required: bool = True
    """Whether an import without this table is an error (both are, by default: a kind is never dropped silently;
    ``--functions-only`` / ``--forms-only``, or ``required: false`` in a column map, say the spec has one kind only)."""


@dataclass(frozen=True)
class ColumnMap:
    """The column map: the two tables and the class spellings."""

    functions: TableMap
    forms: TableMap
    classes: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CLASSES))
    """Spelling (in :func:`header_key` form) -> 実装必須, 標準オプション or 実装不可."""
    header_search_rows: int = 30
    """How many rows from the top are searched for the header row."""

    @property
    def tables(self) -> tuple[TableMap, TableMap]:
        return (self.functions, self.forms)


DEFAULT_COLUMNS = ColumnMap(
    functions=TableMap(
        "function", "機能要件",
        {"id": ("機能ID", "機能要件ID"), "title": ("機能名称", "機能名"), "summary": ("機能要件", "要件"),
         "class": ("実装区分",), "reason": ("要件の考え方・理由", "考え方・理由"), "note": ("備考",)},
        (("大項目",), ("中項目",), ("小項目",)), sheet_hint="機能", required=True),
    forms=TableMap(
        "form", "帳票要件",
        {"id": ("帳票ID", "帳票要件ID"), "title": ("帳票名称", "帳票名"), "summary": ("帳票の要件", "帳票要件", "概要"),
         "class": ("実装区分",), "reason": ("要件の考え方・理由", "考え方・理由"), "note": ("備考",)},
        (("大項目",), ("中項目",), ("小項目",)), sheet_hint="帳票", required=True),
)
"""The headers of DOMAIN.md; a user's ``--columns`` file overrides any part of it."""


# -- the column map file ----------------------------------------------------------------------

_SPELLINGS = {"oneOf": [{"type": "string", "minLength": 1},
                        {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}],
              "x-expected": "a header text or a list of header texts",
              "x-expected-ja": "見出しの文字列、またはそのリスト"}
_TABLE_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "sheet": {"type": "string", "minLength": 1},
        "sheet_hint": {"type": "string"},
        "required": {"type": "boolean"},
        "columns": {"type": "object", "additionalProperties": False,
                    "properties": {**{f: _SPELLINGS for f in FIELDS},
                                   "category": {"type": "array", "maxItems": 3, "items": _SPELLINGS,
                                                "x-expected": "up to three headers [大項目, 中項目, 小項目]",
                                                "x-expected-ja": "見出しを 3 つまで [大項目, 中項目, 小項目]"}}},
    },
}
COLUMNS_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "additionalProperties": False,
    "properties": {
        "gapcheck": {"const": "columns/1", "x-expected": "'columns/1'"},
        "functions": _TABLE_SCHEMA,
        "forms": _TABLE_SCHEMA,
        "classes": {"type": "object",
                    "additionalProperties": {"enum": ["実装必須", "標準オプション", "実装不可", "mandatory", "optional", "forbidden"],
                                             "x-expected": "実装必須, 標準オプション or 実装不可",
                                             "x-expected-ja": "実装必須・標準オプション・実装不可のいずれか"}},
        "header_search_rows": {"type": "integer", "minimum": 1},
    },
}


def load_column_map(path: Path) -> ColumnMap:
    """The default column map overridden by the YAML file at ``path``.

    Raises :class:`~gapcheck.errors.InvalidInput` for a file that cannot be
    read or does not follow :data:`COLUMNS_SCHEMA`.
    """
    return merge_column_map(DEFAULT_COLUMNS, _load_map(path, COLUMNS_SCHEMA))


def _load_map(path: Path, schema_doc: dict[str, Any]) -> dict[str, Any]:
    """The data of a column map file checked against ``schema_doc``; InvalidInput with every problem otherwise."""
    import jsonschema

    from gapcheck.loading import schema, yamlio

    doc, problems = yamlio.load(path, display_path(path))
    if doc is not None:
        for error in jsonschema.Draft202012Validator(schema_doc).iter_errors(doc.data):
            problems.extend(schema._problems(doc, error))
    if doc is None or any(p.severity == "error" for p in problems):
        raise InvalidInput(problems)
    return doc.data  # type: ignore[no-any-return]


def _spellings(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def merge_column_map(base: ColumnMap, data: dict[str, Any]) -> ColumnMap:
    """``base`` with the parts given in ``data`` (a column map document) replaced."""
    tables = {}
    for key in ("functions", "forms"):
        spec: TableMap = getattr(base, key)
        over = data.get(key) or {}
        cols = dict(spec.columns)
        category = spec.category
        for fld, value in (over.get("columns") or {}).items():
            if fld == "category":
                category = tuple(_spellings(v) for v in value)
            else:
                cols[fld] = _spellings(value)
        tables[key] = replace(spec, columns=cols, category=category, sheet=over.get("sheet", spec.sheet),
                              sheet_hint=over.get("sheet_hint", spec.sheet_hint), required=over.get("required", spec.required))
    classes = dict(base.classes)
    for spelling, klass in (data.get("classes") or {}).items():
        classes[header_key(spelling)] = CLASS_JA.get(klass, klass)
    return ColumnMap(tables["functions"], tables["forms"], classes,
                     data.get("header_search_rows", base.header_search_rows))


# -- current-system lists (機能一覧 / 帳票一覧) ------------------------------------------------------

INVENTORY_FIELDS = ("id", "name", "kind", "description", "department", "cases", "hours")
"""The columns of a current-system list an inventory item is made of."""

DEFAULT_KINDS: dict[str, str] = {"機能": "function", "帳票": "form", "function": "function", "form": "form"}
"""Spellings of 種別 (in :func:`header_key` form) -> ``function`` or ``form``."""


@dataclass(frozen=True)
class InventoryColumns:
    """How the columns of a current system's function and form lists are headed."""

    columns: dict[str, tuple[str, ...]]
    """Field (:data:`INVENTORY_FIELDS`) -> accepted header spellings."""
    kinds: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_KINDS))
    """Spelling of a 種別 cell (in :func:`header_key` form) -> ``function`` or ``form``."""
    header_search_rows: int = 30
    """How many rows from the top are searched for the header row."""
    id_prefix: dict[str, str] = field(default_factory=dict)
    """``function``/``form`` -> text put before each item ID of that kind read from the lists (a 機能一覧 and a
    帳票一覧 both numbered from 1: ``{function: F, form: R}`` makes F1 and R1 of the two 1s)."""


DEFAULT_INVENTORY_COLUMNS = InventoryColumns({
    "id": ("機能ID", "帳票ID", "管理番号", "機能番号", "帳票番号", "ID"),
    "name": ("機能名", "機能名称", "帳票名", "帳票名称", "機能・帳票名", "名称"),
    "kind": ("種別", "機能・帳票", "機能/帳票"),
    "description": ("概要", "説明", "機能概要", "帳票概要", "内容"),
    "department": ("所管課", "担当課", "所管部署", "担当部署"),
    "cases": ("年間件数", "年間処理件数", "件数"),
    "hours": ("年間時間", "年間処理時間", "時間"),
})
"""What such lists usually hold; row numbers (No., 項番) are never taken for IDs, as a row can move."""

INVENTORY_COLUMNS_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "additionalProperties": False,
    "properties": {
        "gapcheck": {"const": "inventory-columns/1", "x-expected": "'inventory-columns/1'"},
        "columns": {"type": "object", "additionalProperties": False,
                    "properties": {f: _SPELLINGS for f in INVENTORY_FIELDS}},
        "kinds": {"type": "object",
                  "additionalProperties": {"enum": ["機能", "帳票", "function", "form"], "x-expected": "機能 or 帳票",
                                           "x-expected-ja": "機能 か 帳票"}},
        "header_search_rows": {"type": "integer", "minimum": 1},
        "id_prefix": {"type": "object", "additionalProperties": False, "x-expected": "機能 and/or 帳票",
                      "x-expected-ja": "機能・帳票のどちらかまたは両方",
                      "properties": {k: {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$",
                                         "x-expected": "1 to 16 letters, digits, '-', '_' or '.' (ASCII), "
                                                       "starting with a letter or digit",
                                         "x-expected-ja": "英字・数字で始まる、英数字と '-'・'_'・'.' の 1〜16 文字"}
                                     for k in ("機能", "帳票", "function", "form")}},
    },
}


def load_inventory_columns(path: Path) -> InventoryColumns:
    """The default inventory columns overridden by the ``inventory-columns/1`` file at ``path``.

    Raises :class:`~gapcheck.errors.InvalidInput` for a file that cannot be
    read or does not follow :data:`INVENTORY_COLUMNS_SCHEMA`.
    """
    data = _load_map(path, INVENTORY_COLUMNS_SCHEMA)
    base = DEFAULT_INVENTORY_COLUMNS
    columns = dict(base.columns) | {f: _spellings(v) for f, v in (data.get("columns") or {}).items()}
    kinds = dict(base.kinds) | {header_key(k): DEFAULT_KINDS[v] for k, v in (data.get("kinds") or {}).items()}
    prefix = {DEFAULT_KINDS[k]: v for k, v in (data.get("id_prefix") or {}).items()}
    return InventoryColumns(columns, kinds, data.get("header_search_rows", base.header_search_rows), prefix)
