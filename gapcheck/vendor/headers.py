"""Finding the requirement tables of a workbook: which sheet holds which kind, and where its header is.

The header row is *found* (:func:`~gapcheck.vendor.tables.find_header_row`,
shared with the inventory import): the first row, among the first
``header_search_rows``, holding the ID header and the title or class header
(:class:`~gapcheck.vendor.columnmap.TableMap` spellings).  A header may be
split over two rows, as official lists often are: a group header merged
across columns above the column names (``機能`` over ``ID`` / ``名称`` /
``要件`` reads ``機能ID`` / ``機能名称`` / ``機能要件``), and names merged down
over both rows (``実装区分``).  The data then starts under the second row.

Every kind the import asks for must be found: a workbook with function rows
and no form sheet (or the reverse) is refused (``spec-kind-missing``) unless
the import says it holds one kind only (``--functions-only`` /
``--forms-only``); a sheet of a kind not asked for is reported, never
dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gapcheck.core.errors import Problem
from gapcheck.core.messages import Msg
from gapcheck.vendor.cells import cell_ref
from gapcheck.vendor.columnmap import FIELDS, ColumnMap, TableMap
from gapcheck.vendor.tables import Table, find_header_row, first_words, header_columns_at, sheet_list

KIND_OPTION = {"function": "--functions-only", "form": "--forms-only"}


@dataclass(frozen=True)
class Header:
    """The header row of a table and the column of each field (1-based; None when absent).

    ``row`` is the last header row (the second of a two-row header); the data starts under it.
    """

    row: int
    columns: dict[str, int | None]
    category: tuple[int | None, ...]


def find_header(table: Table, spec: TableMap, search_rows: int) -> Header | None:
    """The first row holding the ID header and the title or class header; the second row of a two-row header."""
    found = find_header_row(table, {f: spec.columns.get(f, ()) for f in FIELDS}, search_rows,
                            lambda c: c["id"] is not None and (c["title"] is not None or c["class"] is not None))
    if found is None:
        return None
    r, cols = found
    if cols["summary"] == cols["title"]:
        cols["summary"] = None
    levels = header_columns_at(table, r, dict(enumerate(spec.category)))
    return Header(r, cols, tuple(levels.values()))


def locate_tables(tables: Sequence[Table], cmap: ColumnMap, kinds: Sequence[str] = ("function", "form")
                  ) -> tuple[dict[str, tuple[Table, Header]], list[Problem]]:
    """The sheet and header row of each kind asked for (``kinds``); problems for those not found, and a
    warning for a sheet of a kind not asked for."""
    found: dict[str, tuple[Table, Header]] = {}
    problems: list[Problem] = []
    pending: list[TableMap] = []
    for spec in cmap.tables:
        if spec.sheet is not None:
            table = next((t for t in tables if t.name == spec.sheet), None)
            if table is None:
                if spec.kind in kinds:
                    file = tables[0].file if tables else ""
                    problems.append(Problem(file, 0, 0, "xlsx-sheet-missing", "$",
                                            Msg("no-sheet-named-label", sheet=spec.sheet, label=spec.label),
                                            Msg("a-sheet", sheet=spec.sheet), Msg("sheets", names=sheet_list(tables))))
                continue
            header = find_header(table, spec, cmap.header_search_rows)
            if header is None:
                if spec.kind in kinds:
                    problems.append(_no_header(table, spec, cmap))
                continue
            found[spec.kind] = (table, header)
            continue
        hits = [(t, h) for t in tables if (h := find_header(t, spec, cmap.header_search_rows)) is not None]
        hits.sort(key=lambda th: spec.sheet_hint not in th[0].name)
        if hits:
            found[spec.kind] = hits[0]
        else:
            pending.append(spec)
    problems += _unfound(tables, cmap, found, [s for s in pending if s.kind in kinds])
    for kind in [k for k in found if k not in kinds]:
        table, header = found.pop(kind)
        spec = next(s for s in cmap.tables if s.kind == kind)
        other = next(k for k in KIND_OPTION if k != kind)
        problems.append(Problem(table.file, header.row, 1, "spec-kind-skipped", cell_ref(table.name, header.row, 1),
                                Msg("spec-kind-skipped", sheet=table.name, label=spec.label, option=KIND_OPTION[other]),
                                Msg("no-label-with", label=spec.label, option=KIND_OPTION[other]),
                                Msg("a-label-header-row", label=spec.label), "warning"))
    return found, problems


def _unfound(tables: Sequence[Table], cmap: ColumnMap, found: dict[str, tuple[Table, Header]],
             pending: list[TableMap]) -> list[Problem]:
    """Problems for the kinds asked for and not found: never imported without them unless the import says so."""
    problems = []
    used = {id(t) for t, _ in found.values()}
    for spec in pending:
        named = [t for t in tables if spec.sheet_hint and spec.sheet_hint in t.name and id(t) not in used]
        if named:  # a sheet that looks meant for this table: say why it was not read
            problems.append(_no_header(named[0], spec, cmap))
        elif not spec.required or not tables:
            continue
        elif found:
            ids = "/".join(spec.columns["id"])
            have = "、".join(next(s.label for s in cmap.tables if s.kind == k) for k in found)
            only = KIND_OPTION[next(iter(found))]
            problems.append(Problem(tables[0].file, 0, 0, "spec-kind-missing", "$",
                                    Msg("spec-kind-missing", label=spec.label, ids=ids, have=have, only=only),
                                    Msg("a-label-sheet-or", label=spec.label, only=only), Msg("sheets", names=sheet_list(tables))))
        else:
            problems.append(_no_header(tables[0], spec, cmap))
    return problems


def _no_header(table: Table, spec: TableMap, cmap: ColumnMap) -> Problem:
    ids = "/".join(spec.columns["id"])
    others = "/".join(spec.columns["title"] + spec.columns["class"])
    return Problem(table.file, 1, 1, "xlsx-no-header", cell_ref(table.name, 1, 1),
                   Msg("xlsx-no-header-label", rows=cmap.header_search_rows, sheet=table.name, label=spec.label),
                   Msg("a-row-with-headers", ids=ids, others=others), first_words(table))
