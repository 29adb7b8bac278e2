"""Load and check a project: registry, spec catalogues, inventory, vendor mappings.

:func:`load_project` never raises on bad input: it returns a
:class:`~gapcheck.model.Project` whose ``problems`` lists every problem found,
in every file, at once.  Checks happen in three layers:

1. the file itself (:mod:`gapcheck.yamlio`): encoding, YAML syntax, duplicate keys;
2. its schema (:mod:`gapcheck.schema`): fields, types, enumerations, formats;
3. meaning, within and across files: ID forms and duplicates (here), the
   references of each mapping (:mod:`gapcheck.references`) and the migration
   plan (:mod:`gapcheck.planload`).

A file that fails layer 1 or 2 is not used for layer 3, and references to
what it would have defined are not reported again (no cascades).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gapcheck.core.config import Config
from gapcheck.core.errors import InvalidInput, Problem, Severity, UsageError
from gapcheck.core.ids import (
    nearest_ids,
    normalise_id,
    normalise_version,
    unknown_operation,
    version_key,
)
from gapcheck.core.messages import Msg
from gapcheck.core.model import (
    Catalogue,
    Inventory,
    InventoryItem,
    Mapping,
    Operation,
    Project,
    Requirement,
    class_from_text,
    class_hint,
)
from gapcheck.core.municipality import code_issue
from gapcheck.core.paths import display_path
from gapcheck.core.prefixes import PrefixIndex
from gapcheck.loading.convert import PathPart, json_path
from gapcheck.loading.discovery import (
    Progress,
    folder_problems,
    load_documents,
    scan_project,
)
from gapcheck.loading.yamlio import YamlDocument
from gapcheck.validation.plan import build_plan
from gapcheck.validation.references import MappingReferences
from gapcheck.validation.registry import load_registry as load_registry  # re-exported: callers load the registry here
from gapcheck.validation.scope import Part, catalogues_missing, file_operations, no_inputs


def registry_operation(path: Path | None, code: str) -> Operation:
    """The operation ``code`` (or its Japanese name) names in the registry (packaged, or the file at ``path``).

    Raises :class:`~gapcheck.core.errors.UsageError` for an unknown code (with
    the nearest one) and :class:`~gapcheck.core.errors.InvalidInput` for a
    registry file with errors.
    """
    operations, problems = load_registry(path)
    if any(p.severity == "error" for p in problems):
        raise InvalidInput(problems)
    known = Project(operations, (), None, ())
    op = known.operation(known.operation_code(code) or code)  # a code, or the operation's Japanese name
    if op is None:
        raise UsageError(unknown_operation(code, [o.code for o in operations]))
    return op


@dataclass
class _Builder:
    """Accumulates checked objects and problems while a project loads."""

    operations: dict[str, Operation]
    problems: list[Problem] = field(default_factory=list)
    prefixes: PrefixIndex = field(default_factory=lambda: PrefixIndex(()))
    catalogues: dict[tuple[str, str], Catalogue] = field(default_factory=dict)
    broken_catalogues: set[str] = field(default_factory=set)
    inventory_docs: list[YamlDocument] = field(default_factory=list)
    inventory_broken: bool = False
    mapping_docs: list[YamlDocument] = field(default_factory=list)
    items: dict[str, dict[str, InventoryItem]] = field(default_factory=dict)
    _owners: dict[str, set[str]] | None = None
    partial_ops: set[str] = field(default_factory=set)
    """Operations whose catalogue had records skipped for errors: unknown IDs there are not reported again."""
    partial_items: set[str] = field(default_factory=set)
    """Operations whose inventory had items skipped for errors."""

    def problem(self, doc: YamlDocument, path: tuple[PathPart, ...], code: str, message: str, expected: str | None = None,
                found: str | None = None, severity: Severity = "error", key: bool = False) -> None:
        line, col = doc.locate(path, key=key)
        self.problems.append(Problem(doc.file, line, col, code, json_path(path), message, expected, found, severity))

    def check_operation(self, doc: YamlDocument, path: tuple[PathPart, ...], code: str, key: bool = False) -> bool:
        if code in self.operations:
            return True
        hint = nearest_ids(code, list(self.operations))
        self.problem(doc, path, "unknown-operation",
                     Msg("unknown-operation-hint", code=code, hint=hint[0]) if hint else Msg("unknown-operation", code=code),
                     Msg("a-code-of-operations"), repr(code), key=key)
        return False

    def owner_of(self, rid: str, besides: str) -> str | None:
        """The operation (other than ``besides``) whose catalogue defines ``rid``."""
        if self._owners is None:
            self._owners = {}
            for c in self.catalogues.values():
                for r in c.requirements:
                    self._owners.setdefault(r.id, set()).add(c.operation)
        owners = sorted(self._owners.get(rid, set()) - {besides})
        return owners[0] if owners else None

    # -- catalogues -----------------------------------------------------------------

    def add_catalogue(self, doc: YamlDocument) -> None:
        data = doc.data
        op_code = data["operation"]
        if not self.check_operation(doc, ("operation",), op_code):
            self.broken_catalogues.add(op_code)
            return
        op = self.operations[op_code]
        version = normalise_version(data["version"]) or data["version"]
        declared = data.get("prefix")
        mislabelled = False
        if declared:
            verdict = self.prefixes.declared(declared, op)
            if verdict is not None:
                self.problem(doc, ("prefix",), verdict.code, verdict.message, verdict.expected, repr(declared),
                             verdict.severity)
                mislabelled = verdict.severity == "error"
        prefix = (None if mislabelled else declared) or op.prefix
        key = (op_code, version)
        if key in self.catalogues:
            self.problem(doc, ("version",), "duplicate-catalogue",
                         Msg("duplicate-catalogue", operation=op_code, version=version, file=self.catalogues[key].file),
                         Msg("one-file-per-version"), repr(data["version"]))
            return
        if doc.skips:
            self.partial_ops.add(op_code)
        reqs = self.requirements(doc, op, version, prefix, None if mislabelled else declared, check_prefix=not mislabelled)
        self.catalogues[key] = Catalogue(op_code, version, data.get("title", op.spec_title or op.name),
                                         data.get("published"), prefix, bool(data.get("sample", False)),
                                         data.get("source", ""), doc.file, tuple(reqs))

    def requirements(self, doc: YamlDocument, op: Operation, version: str, prefix: str | None, declared: str | None,
                     check_prefix: bool) -> list[Requirement]:
        """The requirements of one catalogue: IDs checked and unique per kind (a function and a form may share one)."""
        reqs: list[Requirement] = []
        seen: dict[tuple[str, str], int] = {}
        for i, raw in enumerate(doc.data["requirements"]):
            if ("requirements", i) in doc.skips:
                continue
            line = doc.line_of(("requirements",), i)
            rid = self.requirement_id(doc, ("requirements", i, "id"), raw["id"], prefix, op,
                                      check_prefix=check_prefix, declared=declared)
            klass = class_from_text(raw["class"])
            if klass is None:
                self.partial_ops.add(op.code)  # links to it are not reported again
                self.problem(doc, ("requirements", i, "class"), "unknown-class",
                             Msg("unknown-class", hint=class_hint(raw["class"])), Msg("class-expected"), repr(raw["class"]))
            if rid is None or klass is None:
                continue
            if (raw["kind"], rid) in seen:
                self.problem(doc, ("requirements", i, "id"), "duplicate-id",
                             Msg("duplicate-id", kind=raw['kind'], rid=rid, line=seen[(raw['kind'], rid)]),
                             Msg("unique-ids-per-kind"), repr(raw["id"]))
                continue
            seen[(raw["kind"], rid)] = line
            reqs.append(Requirement(op.code, version, rid, raw["kind"], klass, raw["title"],
                                    tuple(raw.get("category", ())), raw.get("summary", ""), raw.get("note", ""),
                                    raw.get("section", ""), doc.file, line))
        return reqs

    def requirement_id(self, doc: YamlDocument, path: tuple[PathPart, ...], raw: str, prefix: str | None, op: Operation,
                       check_prefix: bool = True, declared: str | None = None) -> str | None:
        norm = normalise_id(raw, prefix)
        if norm.fullwidth and norm.value is not None:
            self.problem(doc, path, "id-fullwidth", Msg("id-fullwidth", value=norm.value), Msg("ascii-digits"), repr(raw),
                         severity="warning")
        if norm.needs_prefix:
            self.problem(doc, path, "id-prefix-unknown",
                         Msg("id-prefix-unknown", name=op.name), Msg("seven-digit-or-prefix"), repr(raw))
            return None
        if norm.value is None:
            self.problem(doc, path, "invalid-id", Msg("invalid-id"), Msg("id-expected"), repr(raw))
            return None
        if check_prefix and norm.style == "seven":
            verdict = self.prefixes.check(norm.value, op, declared)
            if verdict is not None:
                self.problem(doc, path, verdict.code, verdict.message, verdict.expected, repr(raw), verdict.severity)
                if verdict.severity == "error":
                    return None
        return norm.value

    # -- inventory ------------------------------------------------------------------

    def build_inventory(self) -> Inventory | None:
        if not self.inventory_docs:
            return None
        names: dict[str, str] = {}
        not_applicable: dict[str, str] = {}
        items: list[InventoryItem] = []
        first = self.inventory_docs[0]
        for doc in self.inventory_docs:
            data = doc.data
            name = data["municipality"]["name"]
            code = data["municipality"].get("code")
            first_code = first.data["municipality"].get("code")
            if code and first_code and code != first_code:
                self.problem(doc, ("municipality", "code"), "municipality-mismatch",
                             Msg("municipality-code-mismatch", file=first.file, code=first_code), repr(first_code), repr(code))
            if names and name not in names:
                self.problem(doc, ("municipality", "name"), "municipality-mismatch",
                             Msg("municipality-name-mismatch", file=first.file, name=first.data['municipality']['name']),
                             repr(first.data["municipality"]["name"]), repr(name))
            names.setdefault(name, doc.file)
            if code and (doc is first or code != first_code):  # each distinct code once
                self.check_code(doc, code)
            for i, na in enumerate(data.get("not_applicable", [])):
                if ("not_applicable", i) in doc.skips:
                    continue
                if self.check_operation(doc, ("not_applicable", i, "operation"), na["operation"]):
                    not_applicable[na["operation"]] = na.get("reason", "")
        for doc in self.inventory_docs:
            for op_code, block in doc.data.get("operations", {}).items():
                if not self.check_operation(doc, ("operations", op_code), op_code, key=True):
                    continue
                if op_code in not_applicable:
                    self.problem(doc, ("operations", op_code), "not-applicable-has-items",
                                 Msg("not-applicable-has-items", name=self.operations[op_code].name),
                                 Msg("no-items-not-applicable"), Msg("n-items", n=len(block['items'])), key=True)
                    continue
                items.extend(self.inventory_items(doc, op_code, block))
        return Inventory(first.data["municipality"]["name"], first.data["municipality"].get("code"),
                         bool(first.data.get("sample", False)), not_applicable, tuple(items),
                         tuple(d.file for d in self.inventory_docs))

    def check_code(self, doc: YamlDocument, code: str) -> None:
        """A wrong check digit or an unknown prefecture in the 団体コード is a warning here (an error in ``rollup``)."""
        issue = code_issue(code)
        if issue is not None:
            self.problem(doc, ("municipality", "code"), issue[0], issue[1], issue[2], repr(code), severity="warning")

    def inventory_items(self, doc: YamlDocument, op_code: str, block: dict[str, Any]) -> Iterable[InventoryItem]:
        known = self.items.setdefault(op_code, {})
        for i, raw in enumerate(block["items"]):
            if ("operations", op_code, "items", i) in doc.skips:
                self.partial_items.add(op_code)
                continue
            line = doc.line_of(("operations", op_code, "items"), i)
            if raw["id"] in known:
                prev = known[raw["id"]]
                self.problem(doc, ("operations", op_code, "items", i, "id"), "duplicate-item",
                             Msg("duplicate-item", item=raw['id'], file=prev.file, line=prev.line), Msg("unique-item-ids"),
                             repr(raw["id"]))
                continue
            wl = raw.get("workload", {})
            item = InventoryItem(op_code, raw["id"], raw["kind"], raw["name"], raw.get("description", ""),
                                 raw.get("department", ""), wl.get("cases"), wl.get("hours"), doc.file, line)
            known[raw["id"]] = item
            yield item

    # -- mappings -------------------------------------------------------------------

    def add_mapping(self, doc: YamlDocument, inventory: Inventory | None) -> Mapping | None:
        data = doc.data
        op_code = data["operation"]
        if not self.check_operation(doc, ("operation",), op_code):
            return None
        op = self.operations[op_code]
        version = normalise_version(data["spec_version"]) or data["spec_version"]
        if inventory is not None and op_code in inventory.not_applicable:
            self.problem(doc, ("operation",), "operation-not-applicable",
                         Msg("operation-not-applicable", name=op.name, municipality=inventory.municipality),
                         Msg("an-operation-in-scope"), repr(op_code))
            return None
        cat = self.catalogues.get((op_code, version))
        if cat is None and op_code not in self.broken_catalogues:
            have = sorted({v for (o, v) in self.catalogues if o == op_code}, key=version_key)
            self.problem(doc, ("spec_version",), "unknown-spec-version",
                         Msg("unknown-spec-version", operation=op_code, version=version),
                         Msg("one-of", values=", ".join(have)) if have else Msg("a-loaded-catalogue"), repr(data["spec_version"]))
        refs = MappingReferences(self, doc, op, cat, inventory)
        links = refs.links(data.get("links", []))
        linked_items = {link.item for link in links if not link.item_operation}
        custom = refs.custom(data.get("custom", []), linked_items)
        unused = refs.decisions(data.get("optional_unused", []), links)
        deferrals = refs.deferrals(data.get("deferrals", []), links)
        return Mapping(op_code, version, data.get("vendor", ""), data.get("product", ""), data.get("date"),
                       bool(data.get("sample", False)), doc.file, links, custom, unused, deferrals)


def _shared_links_of_custom_items(b: _Builder, mappings: list[Mapping], docs: dict[str, YamlDocument]) -> None:
    """An item another mapping (共通機能's) links, listed as custom in its own operation's mapping: the error of
    ``custom-item-linked`` across files, at the custom entry (the item would be linked and custom at once)."""
    shared = {(link.item_operation, link.item): link for m in mappings for link in m.links if link.item_operation}
    if not shared:
        return
    for m in mappings:
        doc = docs[m.file]
        custom = {c.item for c in m.custom}
        for i, raw in enumerate(doc.data.get("custom") or []):
            link = shared.get((m.operation, str(raw.get("item")))) if isinstance(raw, dict) else None
            if link is not None and raw["item"] in custom:
                b.problem(doc, ("custom", i, "item"), "custom-item-linked",
                          Msg("custom-item-linked-shared", item=raw["item"], file=link.file, line=link.line),
                          Msg("links-or-custom"), repr(raw["item"]))


def load_project(config: Config, extra_files: Iterable[Path] = (), progress: Progress | None = None,
                 replacing: dict[Path, str] | None = None, part: Part | None = None) -> Project:
    """Load everything under the project's data folders (plus ``extra_files``) and check it.

    ``replacing`` maps paths to the YAML text to read instead of the file (which
    need not exist yet): an importer checks what it would write before writing it.
    ``part`` loads only some of the files (:class:`~gapcheck.validation.scope.Part`).

    The garbage collector is paused while loading: the YAML node trees are
    large and acyclic, and repeated collections over them would double the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_project(config, extra_files, progress, {p.resolve(): t for p, t in (replacing or {}).items()}, part)
    finally:
        if was_enabled:
            gc.enable()


def _load_project(config: Config, extra_files: Iterable[Path], progress: Progress | None,
                  replacing: dict[Path, str], part: Part | None = None) -> Project:
    operations, problems = load_registry(config.registry)
    if any(p.severity == "error" for p in problems):  # without the registry nothing else can be checked
        return Project((), (), None, (), tuple(problems))
    problems += folder_problems(config)
    found, scan_problems = scan_project(config)
    problems += scan_problems
    files: list[tuple[Path, str | None]] = list(found)
    known = {p.resolve() for p, _ in files}
    files += [(p, None) for p in extra_files if p.resolve() not in known]
    known |= {p.resolve() for p, _ in files}
    files += [(p, None) for p in sorted(replacing) if p not in known]  # files not written yet: their tag tells their kind
    if config.plan is not None and config.plan.resolve() not in known | {p.resolve() for p, _ in files}:
        files.append((config.plan, "plan"))  # a plan kept outside the inventory folder (gapcheck.toml: plan =)
    if part is not None:
        files = [(p, k) for p, k in files if display_path(p) in part.files]
    docs, load_problems = load_documents(files, progress, replacing)
    problems += load_problems
    owners = file_operations(config, files, docs, {o.code for o in operations})
    b = _Builder({o.code: o for o in operations}, problems, PrefixIndex(operations))
    for doc in docs.get("broken-catalogue", []):
        if isinstance(doc.data.get("operation"), str):
            b.broken_catalogues.add(doc.data["operation"])
    for doc in sorted(docs["catalogue"], key=lambda d: d.file):
        b.add_catalogue(doc)
    b.inventory_docs = docs["inventory"]
    b.inventory_broken = bool(docs.get("broken-inventory"))
    inventory = b.build_inventory()
    if inventory is None and not b.inventory_broken and docs["mapping"]:
        b.problems.append(Problem(display_path(config.current_system), 0, 0, "inventory-missing", "$",
                                  Msg("inventory-missing"), Msg("an-inventory-file"), Msg("found-none")))
    elif inventory is None and not b.inventory_broken:
        b.problems.append(no_inputs(config))
    catalogues_missing(b, part.catalogued if part is not None else frozenset())
    mappings: list[Mapping] = []
    for doc in sorted(docs["mapping"], key=lambda d: d.file):
        mapping = b.add_mapping(doc, inventory)
        if mapping is None:
            continue
        first = next((m for m in mappings if m.operation == mapping.operation), None)
        if first is not None:
            b.problem(doc, ("operation",), "duplicate-mapping",
                      Msg("duplicate-mapping", name=b.operations[mapping.operation].name, file=first.file),
                      Msg("one-mapping-per-operation"), repr(mapping.operation))
            continue
        mappings.append(mapping)
    _shared_links_of_custom_items(b, mappings, {d.file: d for d in docs["mapping"]})
    configured = display_path(config.plan_path)  # the configured (or default) plan file wins over any other plan file
    plans = sorted(docs["plan"], key=lambda d: (d.file != configured, d.file))
    for extra in plans[1:]:
        b.problems.append(Problem(extra.file, 1, 1, "duplicate-plan", "$", Msg("duplicate-plan", file=plans[0].file),
                                  Msg("one-plan-file"), Msg("a-second-plan")))
    plan = build_plan(b, plans[0], inventory) if plans else None
    catalogues = tuple(sorted(b.catalogues.values(), key=lambda c: (c.operation, version_key(c.version))))
    return Project(operations, catalogues, inventory, tuple(mappings), tuple(b.problems), plan, owners)


