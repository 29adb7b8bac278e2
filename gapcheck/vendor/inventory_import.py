"""``gapcheck inventory import``: a current system's function and form lists into the inventory (``inventory/1``).

The rows are read by :mod:`gapcheck.vendor.inventory_sheet`.  They become the
items of one operation in one inventory file of ``current_system/``: the file
that already holds that operation, else a new ``current_system/<code>.yaml``
naming the municipality of the existing inventory.  Replacing the items a
file already holds (a merge: the file's other operations and fields are
kept) needs ``force``; the items the file held and the lists do not are
returned as removed, and the import stops while a mapping still names one
of them.  Nothing is written that the loader would reject: the project is
loaded with the new text first, and its errors are reported at the cells
their values came from (:mod:`gapcheck.vendor.writecheck`).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gapcheck.core.config import Config
from gapcheck.core.errors import InvalidInput, OutputExists, Problem, UsageError
from gapcheck.core.ids import unknown_operation
from gapcheck.core.merge import write_merged
from gapcheck.core.messages import Msg
from gapcheck.core.model import Operation, Project
from gapcheck.core.paths import display_path
from gapcheck.loading import yamlio
from gapcheck.loading.convert import json_path
from gapcheck.vendor.cells import cell_ref
from gapcheck.vendor.columnmap import DEFAULT_INVENTORY_COLUMNS, InventoryColumns
from gapcheck.vendor.inventory_sheet import InventoryRows, ItemRow, read_inventory_rows
from gapcheck.vendor.writecheck import Cell, new_errors
from gapcheck.vendor.yamldump import Flow, dump_yaml


@dataclass(frozen=True)
class InventoryImport:
    """What an import wrote (or found already written)."""

    operation: str
    path: Path
    """The inventory file."""
    written: bool
    """False when the file already held exactly this."""
    functions: int
    forms: int
    removed: tuple[tuple[str, str], ...]
    """(ID, name) of each item the file held for the operation that the lists do not have."""
    read: InventoryRows


def import_inventory(files: Sequence[Path], operation: str, config: Config, *,
                     columns: InventoryColumns = DEFAULT_INVENTORY_COLUMNS, sheet: str | None = None,
                     force: bool = False) -> InventoryImport:
    """Read the lists in ``files`` into the inventory of ``operation`` and write it.

    Raises :class:`~gapcheck.core.errors.InvalidInput` for a list (or a
    result) with errors, :class:`~gapcheck.core.errors.UsageError` for an
    unknown operation or a project without an inventory, and
    :class:`~gapcheck.core.errors.OutputExists` when the file already holds
    other items of the operation and ``force`` is not given.
    """
    from gapcheck.validation.project import load_project

    before = _inventory_bytes(config)  # read before the project: a change after it is seen at the write
    project = load_project(config)
    op = _operation(project, operation)
    broken = [p for p in project.problems if p.severity == "error" and p.code != "no-inputs"  # no inventory: said below
              and _inside(p.file, config.current_system)]
    if broken:
        raise InvalidInput(broken)  # the inventory to merge into must load first
    if project.inventory is None:
        raise UsageError(Msg("no-inventory-municipality", folder=display_path(config.current_system)))
    read = read_inventory_rows(files, op.code, columns, sheet)
    _check_scope(project, op, read)
    path, doc = _target(project, config, op.code)
    old = [i for i in project.inventory.items if i.operation == op.code and _same(i.file, path)]
    new_ids = {r.item["id"] for r in read.rows}
    removed = tuple((i.id, i.name) for i in old if i.id not in new_ids)
    still = _still_mapped(project, op.code, {rid for rid, _ in removed})
    if still:
        raise InvalidInput(still)
    block = doc.setdefault("operations", {}).setdefault(op.code, {})
    block["items"] = [r.item for r in read.rows]
    text = _yaml(doc, path, [display_path(Path(f)) for f in files])
    errors = new_errors(config, project, {path: text}, _cells(op.code, read.rows))
    if errors:
        raise InvalidInput(errors)
    current = path.read_text("utf-8") if path.exists() else None
    if current is not None and current != text and not force:
        gone = Msg("items-would-be-removed", n=len(removed), ids=", ".join(i for i, _ in removed)) if removed else ""
        raise OutputExists(Msg("inventory-exists", path=display_path(path), code=op.code, old=len(old), n=len(read.rows),
                               gone=gone))
    written = write_merged(path, text, before.get(path.resolve()))
    kinds = [r.item["kind"] for r in read.rows]
    return InventoryImport(op.code, path, written, kinds.count("function"), kinds.count("form"), removed, read)


def _inventory_bytes(config: Config) -> dict[Path, bytes]:
    """The bytes of every input file of the inventory folder (as the loader finds and reads them), by resolved path."""
    from gapcheck.loading.files import read_input, scan

    files, _ = scan(config.current_system) if config.current_system.is_dir() else ([], [])
    found = {f.resolve(): read_input(f)[0] for f in files}  # a FIFO or an oversized file: None, the load says why
    return {f: raw for f, raw in found.items() if raw is not None}


def _operation(project: Project, code: str) -> Operation:
    op = project.operation(project.operation_code(code) or code)  # a code, or the operation's Japanese name
    if op is None:
        raise UsageError(unknown_operation(code, [o.code for o in project.operations]))
    return op


def _inside(file: str, folder: Path) -> bool:
    return Path(file).resolve().is_relative_to(folder.resolve())


def _same(file: str, path: Path) -> bool:
    return Path(file).resolve() == path.resolve()


def _check_scope(project: Project, op: Operation, read: InventoryRows) -> None:
    """An operation the municipality marked not applicable takes no items."""
    inv = project.inventory
    assert inv is not None
    if op.code not in inv.not_applicable or not read.rows:
        return
    first = read.rows[0]
    col = first.cells["name"]
    reason = inv.not_applicable[op.code]
    raise InvalidInput([Problem(first.file, first.row, col, "operation-not-applicable", cell_ref(first.sheet, first.row, col),
                                Msg("not-applicable-import", name=op.name, municipality=inv.municipality,
                                    reason=Msg("reason-paren", reason=reason) if reason else "", n=len(read.rows)),
                                Msg("in-scope-or-remove"), Msg("n-rows", n=len(read.rows)))])


def _target(project: Project, config: Config, code: str) -> tuple[Path, dict[str, Any]]:
    """The inventory file to write and its current document (a new one naming the municipality when none holds ``code``)."""
    inv = project.inventory
    assert inv is not None
    docs = {}
    for file in inv.files:
        doc, _ = yamlio.load(Path(file), file)
        assert doc is not None and isinstance(doc.data, dict)  # loaded without errors a moment ago
        docs[file] = doc.data
    holders = [f for f, d in docs.items() if code in (d.get("operations") or {})]
    if len(holders) > 1:
        raise UsageError(Msg("inventory-split", code=code, files=", ".join(holders)))
    if holders:
        return Path(holders[0]), copy.deepcopy(docs[holders[0]])
    path = config.current_system / f"{code}.yaml"
    shown = display_path(path)
    if shown in docs:  # an inventory file of that name holding other operations: add this one to it
        return path, copy.deepcopy(docs[shown])
    if path.exists():
        raise UsageError(Msg("not-an-inventory-file", path=shown, code=code))
    first = docs[inv.files[0]]
    return path, {"gapcheck": "inventory/1", "municipality": first["municipality"]}


def _still_mapped(project: Project, code: str, removed: set[str]) -> list[Problem]:
    """A problem at every place a mapping names an item that the import would remove."""
    out: list[Problem] = []
    if not removed:
        return out
    for m in project.mappings:  # the operation's own mapping, and a shared scope's (共通機能) naming its items
        if m.operation != code and not any(ln.item_operation == code for ln in m.links):
            continue
        doc, _ = yamlio.load(Path(m.file), m.file)
        if doc is None or not isinstance(doc.data, dict):
            continue
        for key in ("links", "custom"):
            for i, entry in enumerate(doc.data.get(key) or []):
                owner = (entry.get("item_operation") or m.operation) if isinstance(entry, dict) else None
                if isinstance(entry, dict) and owner == code and entry.get("item") in removed:
                    line, col = doc.locate((key, i, "item"))
                    out.append(Problem(doc.file, line, col, "item-still-mapped", json_path((key, i, "item")),
                                       Msg("item-still-mapped", item=entry['item']), Msg("an-item-of-the-list"),
                                       repr(entry["item"])))
    return out


def _yaml(doc: dict[str, Any], path: Path, sources: list[str]) -> str:
    """The inventory file's text: its own leading comment kept (or a new one), small records on one line."""
    head = []
    if path.exists():
        for line in path.read_text("utf-8").splitlines():
            if not line.startswith("#"):
                break
            head.append(line)
    if not head:
        head = [f"# Imported by `gapcheck inventory import` from {', '.join(sources)}; edit the list and import it again",
                "# (with --force) rather than editing this file."]
    out = dict(doc)
    out["municipality"] = Flow(doc["municipality"])
    if "not_applicable" in doc:
        out["not_applicable"] = [Flow(na) for na in doc["not_applicable"]]
    out["operations"] = {code: {k: ([_item(i) for i in v] if k == "items" else v) for k, v in block.items()}
                         for code, block in (doc.get("operations") or {}).items()}
    return dump_yaml(out, "\n".join(head) + "\n")


def _item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: (Flow(v) if k == "workload" else v) for k, v in item.items()}


def _cells(code: str, rows: Sequence[ItemRow]) -> dict[str, Cell]:
    """JSON path of each value of the new items -> the cell it was read from."""
    out = {}
    for i, r in enumerate(rows):
        base = ("operations", code, "items", i)
        out[json_path(base)] = Cell(r.file, r.row, r.cells["name"], cell_ref(r.sheet, r.row, r.cells["name"]))
        for fld, col in r.cells.items():
            out[json_path(base + tuple(fld.split(".")))] = Cell(r.file, r.row, col, cell_ref(r.sheet, r.row, col))
    return out
