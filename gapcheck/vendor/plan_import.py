"""``gapcheck plan import``: a filled plan workbook (:mod:`gapcheck.vendor.plan_template`) back into the plan file.

Each row of 業務 sets its operation's product, vendor, go-live dates and
extension; each row of 進捗 sets one step of one operation.  What the
workbook does not list (a deleted row, an operation out of scope) is kept as
the plan file has it, and the plan's own fields (start, the step list) are
never changed.  Every bad cell is a :class:`~gapcheck.core.errors.Problem` at
its ``sheet!cell``; the plan is then checked by the loader before it is
written (go-live before the plan's start, an extension out of the law's
range ... are reported at their cells too).  A plan file edited since the
workbook was made is only replaced with ``force``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gapcheck.core.config import Config
from gapcheck.core.errors import InvalidInput, OutputExists, Problem
from gapcheck.core.merge import write_merged
from gapcheck.core.messages import Msg
from gapcheck.core.model import Project
from gapcheck.core.paths import display_path
from gapcheck.core.plan import STEP_STATUSES
from gapcheck.loading.convert import json_path
from gapcheck.loading.files import read_input
from gapcheck.vendor.cells import cell_text, header_key
from gapcheck.vendor.plan_template import (
    INFO,
    INFO_COLUMNS,
    OP_COLUMNS,
    OPS,
    STEP_COLUMNS,
    STEPS,
    TAG,
    operation_entry,
    plan_data,
    plan_document,
    plan_fingerprint,
)
from gapcheck.vendor.workbook import Sheet, cell_date, open_workbook, read_sheet
from gapcheck.vendor.writecheck import Cell, new_errors
from gapcheck.vendor.yamldump import Flow, dump_yaml

STATUS_TEXT = {header_key(s): s for s in STEP_STATUSES}


@dataclass(frozen=True)
class PlanImport:
    """What a plan import wrote (or found already written)."""

    path: Path
    written: bool
    """False when the plan file already held exactly this."""
    plan: dict[str, Any]
    """The plan document written."""
    changed: tuple[str, ...]
    """Codes of the operations whose entry changed."""


def import_plan(file: Path, config: Config, force: bool = False) -> PlanImport:
    """Read a filled plan workbook into the project's plan file, and write it.

    Raises :class:`~gapcheck.core.errors.InvalidInput` listing every bad cell,
    :class:`~gapcheck.core.errors.UsageError` when the project has no plan,
    and :class:`~gapcheck.core.errors.OutputExists` when the plan file changed
    since the workbook was made and ``force`` is not given.
    """
    from gapcheck.validation.project import load_project

    path = config.plan_path
    base, _ = read_input(path)  # before the project (a later change is seen at the write); its problems: the load's
    project = load_project(config)
    data = plan_data(project, path)
    shown = display_path(file)
    wb, problems = open_workbook(file, shown)
    if wb is None:
        raise InvalidInput(problems)
    sheets = {name: read_sheet(wb, shown, name, cols) for name, cols in ((INFO, INFO_COLUMNS), (OPS, OP_COLUMNS), (STEPS, STEP_COLUMNS))}
    missing = [n for n, s in sheets.items() if s is None]
    if missing:
        raise InvalidInput([Problem(shown, 0, 0, "xlsx-sheet-missing", "$", Msg("no-sheet-plan", sheet=missing[0]),
                                    Msg("plan-sheets", info=INFO, ops=OPS, steps=STEPS),
                                    Msg("sheets", names=", ".join(repr(n) for n in wb.sheetnames)))])
    reader = _Reader(project, {s["id"] for s in data["steps"]})
    made_from = reader.info(sheets[INFO])  # type: ignore[arg-type]
    doc = plan_document(data)
    if not reader.problems:
        reader.operations(sheets[OPS], doc)  # type: ignore[arg-type]
        reader.steps(sheets[STEPS], doc)  # type: ignore[arg-type]
    if reader.problems:
        raise InvalidInput(reader.problems)
    _tidy(doc, data)
    text = _yaml(doc, path)
    errors = new_errors(config, project, {path: text}, reader.cells)
    if errors:
        raise InvalidInput(errors)
    before = plan_document(data)["operations"]
    changed = tuple(code for code, entry in doc["operations"].items() if before.get(code) != entry)
    if path.read_text("utf-8") != text and made_from != plan_fingerprint(data) and not force:
        raise OutputExists(Msg("plan-changed-since", path=display_path(path), shown=shown))
    return PlanImport(path, write_merged(path, text, base), doc, changed)


def _tidy(doc: dict[str, Any], original: dict[str, Any]) -> None:
    """Steps in the order of the plan's step list; no empty entry for an operation the plan did not have."""
    order = {s["id"]: n for n, s in enumerate(original["steps"])}
    for code in list(doc["operations"]):
        entry = operation_entry(doc["operations"][code])
        if entry.get("steps"):
            entry["steps"] = Flow(sorted(entry["steps"].items(), key=lambda kv: order.get(kv[0], len(order))))
        doc["operations"][code] = entry
        if not entry and code not in (original.get("operations") or {}):
            del doc["operations"][code]


def _yaml(doc: dict[str, Any], path: Path) -> str:
    head = []
    for line in path.read_text("utf-8").splitlines():
        if not line.startswith("#"):
            break
        head.append(line)
    if not head:
        head = ["# Migration plan; `gapcheck plan template` / `gapcheck plan import` keep it in step with the workbook."]
    return dump_yaml(doc, "\n".join(head) + "\n")


@dataclass
class _Reader:
    """Reads the sheets of one filled plan workbook into the plan document."""

    project: Project
    step_ids: set[str]
    problems: list[Problem] = field(default_factory=list)
    cells: dict[str, Cell] = field(default_factory=dict)
    """JSON path of each value set -> its cell, for the loader's problems."""

    def problem(self, sheet: Sheet, row: int, key: str, code: str, message: str, expected: str | None, found: str | None) -> None:
        self.problems.append(sheet.problem(row, key, code, message, expected, found))

    def at(self, path: tuple[str, ...], sheet: Sheet, row: int, key: str) -> None:
        col, ref = sheet.ref(row, key)
        self.cells[json_path(path)] = Cell(sheet.file, row, col, ref)

    def date(self, sheet: Sheet, row: int, key: str) -> str | None:
        iso, bad = cell_date(sheet.get(row, key))
        if bad is not None:
            self.problem(sheet, row, key, "invalid-date", Msg("not-a-real-date"), Msg("a-date-yyyy-mm-dd"), repr(bad))
        return iso

    def info(self, sheet: Sheet) -> str:
        """The SHA-256 of the plan file the workbook was made from (problems for a workbook of another kind)."""
        rows = {cell_text(r[0]) if r else "": i for i, r in enumerate(sheet.rows, 1)}
        sheet.columns.setdefault("value", 3)
        tag = sheet.text(rows["gapcheck"], "value") if "gapcheck" in rows else ""
        if tag != TAG:
            self.problem(sheet, rows.get("gapcheck", 1), "value", "worksheet-invalid-value",
                         Msg("not-a-plan-workbook"), repr(TAG), repr(tag))
        return sheet.text(rows["plan_sha256"], "value") if "plan_sha256" in rows else ""

    def operation(self, sheet: Sheet, r: int) -> str | None:
        """The operation code of a row, if it is one in scope."""
        code = sheet.text(r, "operation")
        op = self.project.operation(self.project.operation_code(code) or code)
        if op is None:
            self.problem(sheet, r, "operation", "unknown-operation", Msg("unknown-operation", code=code),
                         Msg("a-code-of-operations"), repr(code))
            return None
        code = op.code
        if not self.project.in_scope(code):
            self.problem(sheet, r, "operation", "operation-not-applicable",
                         Msg("operation-not-applicable", name=op.name,
                             municipality=self.project.inventory.municipality),  # type: ignore[union-attr]
                         Msg("an-operation-in-scope"), repr(code))
            return None
        return code

    def operations(self, sheet: Sheet, doc: dict[str, Any]) -> None:
        self.problems.extend(sheet.missing_columns(OP_COLUMNS, ("operation",)))
        seen: dict[str, int] = {}
        for r in range(2, len(sheet.rows) + 1):
            if not any(sheet.text(r, k) for k, _, _ in OP_COLUMNS) or "operation" not in sheet.columns:
                continue
            code = self.operation(sheet, r)
            if code is None:
                continue
            if code in seen:
                self.problem(sheet, r, "operation", "worksheet-conflict", Msg("already-has-row", what=code, row=seen[code]),
                             Msg("one-row-per-operation"), repr(code))
                continue
            seen[code] = r
            entry = dict(doc["operations"].get(code, {}))
            for key in ("product", "vendor", "note"):
                entry[key] = sheet.text(r, key)
            for key in ("planned_go_live", "actual_go_live"):
                entry[key] = self.date(sheet, r, key)
                self.at(("operations", code, key), sheet, r, key)
            entry["extension"] = self.extension(sheet, r, code)
            doc["operations"][code] = operation_entry(entry)
            self.at(("operations", code), sheet, r, "operation")

    def extension(self, sheet: Sheet, r: int, code: str) -> dict[str, Any] | None:
        text = sheet.text(r, "reason")
        ext = {"deadline": self.date(sheet, r, "deadline"), "approved": self.date(sheet, r, "approved"),
               "note": sheet.text(r, "extension_note")}
        for key, cell in (("reason", "reason"), ("deadline", "deadline"), ("approved", "approved"), ("note", "extension_note")):
            self.at(("operations", code, "extension", key), sheet, r, cell)
        if not text and not any(ext.values()):
            return None
        m = re.match(r"\s*([1-4])(?![0-9])", unicodedata.normalize("NFKC", text))
        if m is None:
            self.problem(sheet, r, "reason", "worksheet-invalid-value" if text else "worksheet-missing-value",
                         Msg("extension-reason"), Msg("reason-1-4"), repr(text) if text else Msg("an-empty-cell"))
            return None
        if ext["deadline"] is None:
            if not sheet.text(r, "deadline"):
                self.problem(sheet, r, "deadline", "worksheet-missing-value", Msg("extension-deadline"),
                             Msg("a-date-yyyy-mm-dd"), Msg("an-empty-cell"))
            return None
        return {"reason": int(m.group(1)), **ext}

    def steps(self, sheet: Sheet, doc: dict[str, Any]) -> None:
        missing = sheet.missing_columns(STEP_COLUMNS, ("operation", "step", "status"))
        if missing:
            self.problems.extend(missing)
            return
        seen: dict[tuple[str, str], int] = {}
        for r in range(2, len(sheet.rows) + 1):
            if not any(sheet.text(r, k) for k, _, _ in STEP_COLUMNS):
                continue
            code, step = self.operation(sheet, r), sheet.text(r, "step")
            if code is None:
                continue
            if step not in self.step_ids:
                self.problem(sheet, r, "step", "unknown-step", Msg("unknown-step", step=step or Msg("empty-paren")),
                             Msg("a-step-id-of-plan"), repr(step))
                continue
            if (code, step) in seen:
                self.problem(sheet, r, "step", "worksheet-conflict",
                             Msg("already-has-row", what=f"{code} {step}", row=seen[code, step]),
                             Msg("one-row-per-step"), repr(step))
                continue
            seen[code, step] = r
            self.step(sheet, r, doc["operations"].setdefault(code, {}), code, step)

    def step(self, sheet: Sheet, r: int, entry: dict[str, Any], code: str, step: str) -> None:
        text = sheet.text(r, "status")
        status = STATUS_TEXT.get(header_key(text))
        extra = {"start": self.date(sheet, r, "start"), "done": self.date(sheet, r, "done"), "note": sheet.text(r, "note")}
        for key in ("status", "start", "done", "note"):
            self.at(("operations", code, "steps", step, key), sheet, r, key)
        self.at(("operations", code, "steps", step), sheet, r, "status")
        progress = Flow(entry.get("steps") or {})
        if text and status is None:
            self.problem(sheet, r, "status", "worksheet-invalid-value", Msg("not-a-step-status"),
                         Msg("one-of", values=", ".join(STEP_STATUSES)), repr(text))
            return
        filled = {k: v for k, v in extra.items() if v}
        if status is None:
            if filled:
                self.problem(sheet, r, "status", "worksheet-missing-value", Msg("step-no-status", code=code, step=step),
                             Msg("one-of", values=", ".join(STEP_STATUSES)), Msg("an-empty-cell"))
                return
            progress.pop(step, None)  # an empty status: the step is not listed (未着手)
        else:
            progress[step] = Flow({"status": status, **filled}) if filled else status
        entry["steps"] = progress
        if not progress:
            del entry["steps"]
