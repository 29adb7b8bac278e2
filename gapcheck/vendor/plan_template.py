"""``gapcheck plan template``: the migration plan as a workbook, steps × operations in scope, to update in Excel.

Step statuses live in a spreadsheet updated every month; this is that
spreadsheet, made from the plan (``plan/1``) and read back by
:mod:`gapcheck.vendor.plan_import`:

* 情報: the form's tag, the plan file it was made from and the SHA-256 of its
  content (an import over a plan whose content changed since needs ``--force``);
* 業務: one row per operation in scope: product, vendor, planned and actual
  go-live, the 特定移行支援 extension (reason drop-down, deadline, approval);
* 進捗: one row per operation and step of the plan's step list, in plan order:
  the status drop-down (完了済み / 作業中 / 未着手 / 対象外; empty = not listed,
  which counts as 未着手), start and done dates, a note.

The step list itself stays in the plan file (paste the PMO tool's steps there).
A template imported with no edits gives the plan it came from
(:func:`plan_document`), and the same plan always gives the same bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gapcheck.core.config import Config
from gapcheck.core.errors import InvalidInput, UsageError
from gapcheck.core.messages import Msg
from gapcheck.core.model import Project
from gapcheck.core.paths import display_path
from gapcheck.core.plan import EXTENSION_REASONS, STEP_STATUSES
from gapcheck.vendor.workbook import (
    Column,
    column_letters,
    drop_down,
    stable_bytes,
    style_header,
    write_sheet,
)
from gapcheck.vendor.yamldump import Flow

TAG = "plan-worksheet/1"
INFO, OPS, STEPS = "情報", "業務", "進捗"
INFO_COLUMNS: tuple[Column, ...] = (("key", "項目キー", 16), ("label", "項目", 28), ("value", "値", 70))
INFO_ROWS = (("gapcheck", "様式"), ("plan", "計画ファイル"), ("plan_sha256", "計画の内容の SHA-256（変更の検知用）"),
             ("municipality", "団体名（参考）"), ("start", "計画の開始日（参考）"))
OP_COLUMNS: tuple[Column, ...] = (
    ("operation", "業務コード", 16), ("name", "業務名（参考）", 18), ("product", "製品", 24), ("vendor", "ベンダー", 24),
    ("planned_go_live", "稼働予定日", 12), ("actual_go_live", "稼働日", 12), ("reason", "特定移行支援の理由", 26),
    ("deadline", "延長後の期限", 12), ("approved", "延長の承認日", 12), ("extension_note", "延長の備考", 24),
    ("note", "備考", 30),
)
STEP_COLUMNS: tuple[Column, ...] = (
    ("operation", "業務コード", 16), ("name", "業務名（参考）", 18), ("step", "手順ID", 8), ("phase", "段階（参考）", 10),
    ("step_name", "手順名（参考）", 28), ("status", "状況（空欄は未着手）", 12), ("start", "開始日", 12), ("done", "完了日", 12),
    ("note", "備考", 30),
)
OP_INPUTS = ("product", "vendor", "planned_go_live", "actual_go_live", "reason", "deadline", "approved", "extension_note", "note")
STEP_INPUTS = ("status", "start", "done", "note")
REASON_TEXT = {n: f"{n} {label}" for n, label in EXTENSION_REASONS.items()}
"""How an extension reason is written in its cell (and offered in the drop-down): ``4 ベンダーのリソース逼迫``."""


def plan_fingerprint(data: dict[str, Any]) -> str:
    """The SHA-256 of a plan's content (:func:`plan_document`, so layout and comments do not count)."""
    import json

    text = json.dumps(plan_document(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def plan_document(data: dict[str, Any]) -> dict[str, Any]:
    """A plan file's data in the one form the workbook gives back.

    A step given as ``{status: 完了済み}`` alone is the plain status, empty
    ``steps`` and empty fields are left out; an extension, an operation's
    steps and every step entry with dates are one-line (flow) mappings in the YAML.
    """
    doc = {k: v for k, v in data.items() if k != "operations"}
    doc["steps"] = [Flow(s) for s in data.get("steps", [])]
    doc["operations"] = {code: operation_entry(entry) for code, entry in (data.get("operations") or {}).items()}
    return doc


def operation_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """One operation of a plan, normalised (see :func:`plan_document`), keys in schema order."""
    out: dict[str, Any] = {}
    for key in ("product", "vendor", "planned_go_live", "actual_go_live"):
        if entry.get(key):
            out[key] = entry[key]
    if entry.get("extension"):
        out["extension"] = Flow({k: entry["extension"][k] for k in ("reason", "deadline", "approved", "note")
                                 if entry["extension"].get(k) not in (None, "")})
    steps = Flow()
    for step, value in (entry.get("steps") or {}).items():
        v = value if isinstance(value, dict) else {"status": value}
        extra = {k: v[k] for k in ("start", "done", "note") if v.get(k)}
        steps[step] = Flow({"status": v["status"], **extra}) if extra else v["status"]
    if steps:
        out["steps"] = steps
    if entry.get("note"):
        out["note"] = entry["note"]
    return out


def plan_template(project: Project, data: dict[str, Any], plan_file: str) -> bytes:
    """The workbook of the plan ``data`` (the plan file's document) for the operations in scope of ``project``."""
    import openpyxl

    doc = plan_document(data)
    codes = [o.code for o in project.operations if project.in_scope(o.code)]
    names = {o.code: o.name for o in project.operations}
    wb = openpyxl.Workbook()
    info: Any = wb.active
    info.title = INFO
    values = {"gapcheck": TAG, "plan": plan_file, "plan_sha256": plan_fingerprint(data), "municipality": data.get("municipality", ""),
              "start": data.get("start", "")}
    write_sheet(info, INFO_COLUMNS, [{"key": k, "label": label, "value": values[k]} for k, label in INFO_ROWS])
    style_header(info, INFO_COLUMNS, ())
    ops = wb.create_sheet(OPS)
    write_sheet(ops, OP_COLUMNS, _op_rows(doc, codes, names), date_keys={"planned_go_live", "actual_go_live", "deadline", "approved"})
    style_header(ops, OP_COLUMNS, OP_INPUTS, autofilter=True)
    steps = wb.create_sheet(STEPS)
    step_rows = list(_step_rows(doc, codes, names))
    write_sheet(steps, STEP_COLUMNS, step_rows, date_keys={"start", "done"})
    style_header(steps, STEP_COLUMNS, STEP_INPUTS, autofilter=True)
    op_letter, step_letter = column_letters(OP_COLUMNS), column_letters(STEP_COLUMNS)
    drop_down(ops, f"{op_letter['reason']}2:{op_letter['reason']}{len(codes) + 1}", tuple(REASON_TEXT.values()),
              "特定移行支援の理由", "一覧から選んでください。")
    drop_down(steps, f"{step_letter['status']}2:{step_letter['status']}{len(step_rows) + 1}", STEP_STATUSES,
              "状況", "完了済み、作業中、未着手、対象外 のいずれかを選んでください。")
    return stable_bytes(wb)


def _op_rows(doc: dict[str, Any], codes: list[str], names: dict[str, str]) -> Iterable[dict[str, Any]]:
    for code in codes:
        entry = doc["operations"].get(code, {})
        ext = entry.get("extension") or {}
        fields = ("product", "vendor", "planned_go_live", "actual_go_live", "note")
        yield {"operation": code, "name": names[code], **{k: entry.get(k, "") for k in fields},
               "reason": REASON_TEXT.get(ext.get("reason", 0), ""), "deadline": ext.get("deadline", ""),
               "approved": ext.get("approved", ""), "extension_note": ext.get("note", "")}


def _step_rows(doc: dict[str, Any], codes: list[str], names: dict[str, str]) -> Iterable[dict[str, Any]]:
    for code in codes:
        progress = doc["operations"].get(code, {}).get("steps", {})
        for step in doc["steps"]:
            value = progress.get(step["id"], "")
            v = value if isinstance(value, dict) else {"status": value}
            yield {"operation": code, "name": names[code], "step": step["id"], "phase": step["phase"], "step_name": step["name"],
                   "status": v["status"], "start": v.get("start", ""), "done": v.get("done", ""), "note": v.get("note", "")}


@dataclass(frozen=True)
class PlanWorkbook:
    """The plan workbook of a project, and what it holds."""

    data: bytes
    plan: str
    """The plan file it was made from."""
    operations: int
    steps: int


def plan_workbook(config: Config) -> PlanWorkbook:
    """The plan workbook of the project at ``config``, made from its plan file.

    Raises :class:`~gapcheck.core.errors.InvalidInput` when the plan or the
    inventory has errors, :class:`~gapcheck.core.errors.UsageError` when
    there is no plan file.
    """
    from gapcheck.validation.project import load_project

    project = load_project(config)
    path = config.plan_path
    plan = plan_data(project, path)
    folder = config.current_system.resolve()
    scope = [p for p in project.problems if p.severity == "error" and p.code != "no-inputs"  # no inventory: all in scope
             and Path(p.file).resolve().is_relative_to(folder)]
    if scope:
        raise InvalidInput(scope)  # the inventory says which operations are in scope
    data = plan_template(project, plan, display_path(path))
    in_scope = sum(project.in_scope(o.code) for o in project.operations)
    return PlanWorkbook(data, display_path(path), in_scope, len(plan["steps"]))


def plan_data(project: Project, path: Path) -> dict[str, Any]:
    """The document of the plan file at ``path``, which ``project`` loaded without errors.

    Raises :class:`~gapcheck.core.errors.UsageError` when there is no plan
    file there, :class:`~gapcheck.core.errors.InvalidInput` with its errors.
    """
    from gapcheck.loading import yamlio

    shown = display_path(path)
    broken = [p for p in project.problems if p.severity == "error" and p.file == shown]
    if broken:  # first: a plan that is a FIFO or too large is said as such, not as "no plan"
        raise InvalidInput(broken)
    if not path.is_file():
        raise UsageError(Msg("no-plan", path=shown))
    if project.plan is None or Path(project.plan.file).resolve() != path.resolve():
        raise UsageError(Msg("not-a-plan", path=shown))
    doc, _ = yamlio.load(path, shown)
    assert doc is not None and isinstance(doc.data, dict)  # it loaded without errors
    return doc.data
