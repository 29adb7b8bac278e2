"""Import the ministries' requirement lists (別紙 機能・帳票要件) into a spec catalogue.

The official lists arrive as Excel workbooks (one sheet of function
requirements, one of form requirements), sometimes as CSV.  Real sheets are
untidy, and this module copes with what they contain:

* a title block above the header row: the header row is *found* (the first row,
  among the first ``header_search_rows``, holding the ID header and the title
  or class header), and may be split over two rows: a group header merged
  across columns above the column names (:mod:`gapcheck.vendor.headers`);
* both kinds are expected: a workbook with function rows and no form sheet
  (or the reverse) is refused unless the import says it holds one kind only
  (``kinds``, ``--functions-only`` / ``--forms-only``); a function and a form
  may share an ID (separate namespaces);
* a new version with under half the requirements of the previous version of
  the same operation is refused unless forced (``spec-shrunk``): a sheet or
  rows not read look like that;
* merged cells (category path, function name, class): a vertical merge gives
  its value to every row it spans; category cells left blank carry the value
  from above, and a new upper level resets the lower ones;
* blank rows, category-only rows and note rows (``※...``) are skipped;
* full-width digits and spaces, line breaks inside cells;
* IDs stored as numbers, which lost their leading zeros (``230265`` is
  ``0230265`` again);
* spellings of the implementation class (``実装必須機能`` / ``実装必須`` ...),
  from a table the user's column map can extend, and the 類型 spellings of
  共通機能 (【類型1 実装必須機能】), read by their words, never their number.

Every row that cannot be read becomes a :class:`~gapcheck.errors.Problem`
naming the file, the row and the column, with ``sheet!cell`` as its path.
Nothing is returned (and so nothing written) while any error remains:
:func:`import_spec` raises :class:`~gapcheck.errors.InvalidInput`.

Files are read into tables by :mod:`gapcheck.vendor.tables`, the tables and
their headers found by :mod:`gapcheck.vendor.headers`; the headers and class
spellings come from the column map (:mod:`gapcheck.vendor.columnmap`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gapcheck.core.errors import InvalidInput, Problem
from gapcheck.core.ids import (  # one definition of what an ID is
    ID_EXPECTED,
    normalise_id,
    normalise_version,
    version_key,
)
from gapcheck.core.labels import KIND_NAMES
from gapcheck.core.merge import write_kept
from gapcheck.core.messages import Msg
from gapcheck.core.model import KINDS, Operation, class_from_text
from gapcheck.core.paths import display_path
from gapcheck.core.prefixes import PrefixIndex
from gapcheck.vendor.cells import cell_id, cell_problem, cell_ref, cell_text, header_key
from gapcheck.vendor.columnmap import (
    CLASS_JA,
    DEFAULT_COLUMNS,
    FIELDS,
    ColumnMap,
    TableMap,
)
from gapcheck.vendor.headers import Header, locate_tables
from gapcheck.vendor.tables import NOTE_ROW, Table, first_words, read_all_tables
from gapcheck.vendor.yamldump import dump_checked

SEVEN = re.compile(r"[0-9]{7}\Z")
"""Seven digits: an ID cell that is a requirement ID, not the start of a note row."""


# -- reading rows --------------------------------------------------------------------------


@dataclass
class _Reader:
    """Turns the rows under one header into requirement dicts."""

    table: Table
    header: Header
    spec: TableMap
    cmap: ColumnMap
    operation: Operation
    prefixes: PrefixIndex
    seen: dict[tuple[str, str], str]
    """(kind, ID) -> where it was first defined (``sheet row N``): a function and a form may share an ID."""
    problems: list[Problem] = field(default_factory=list)
    category: list[str] = field(default_factory=list)

    def problem(self, row: int, col: int | None, code: str, message: str, expected: str | None, found: str | None) -> None:
        c = col or 1
        self.problems.append(Problem(self.table.file, row, c, code, cell_ref(self.table.name, row, c), message, expected, found))

    def text(self, row: int, fld: str, one_line: bool = False) -> str:
        return cell_text(self.table.value(row, self.header.columns.get(fld)), one_line)

    def rows(self) -> Iterable[dict[str, Any]]:
        self.category = [""] * len(self.header.category)
        for r in range(self.header.row + 1, len(self.table.rows) + 1):
            req = self.row(r)
            if req is not None:
                yield req

    def row(self, r: int) -> dict[str, Any] | None:
        cols = self.header.columns
        raw_id = self.table.value(r, cols["id"], fill_merged=False)
        values = {f: self.text(r, f, f in ("title",)) for f in FIELDS if f != "id"}
        cats = [cell_text(self.table.value(r, c), True) for c in self.header.category]
        first = next((cell_text(c, True) for c in self.table.rows[r - 1] if cell_text(c, True)), "")
        if not first:
            return None  # blank row
        if NOTE_ROW.match(unicodedata.normalize("NFKC", first)) and not SEVEN.match(cell_id(raw_id)):
            return None  # note row (※..., 注1...), wherever its text starts
        if cell_text(raw_id) == "":
            own = [cell_text(self.table.value(r, cols[f], fill_merged=False)) for f in ("title", "summary", "class")]
            if not any(own):
                self.carry(cats)
                return None  # category heading row
            self.problem(r, cols["id"], "missing-id", Msg("missing-id", row=r), ID_EXPECTED, Msg("an-empty-cell"))
            return None
        if self.unusable_cells(r):
            return None
        self.carry(cats)
        rid = self.requirement_id(r, raw_id)
        klass = self.klass(r, values["class"])
        if not values["title"] and cols["title"] is not None:  # a missing column is reported once, at the header
            self.problem(r, cols["title"], "missing-value", Msg("no-title", rid=rid or cell_text(raw_id)),
                         "/".join(self.spec.columns["title"]), Msg("an-empty-cell"))
        if rid is None or klass is None or not values["title"]:
            return None
        req: dict[str, Any] = {"id": rid, "kind": self.spec.kind, "class": klass, "title": values["title"]}
        category = list(self.category)
        while category and not category[-1]:
            category.pop()
        if category:
            req["category"] = category
        for fld in ("summary", "reason", "note"):
            if values[fld]:
                req[fld] = values[fld]
        return req

    def unusable_cells(self, r: int) -> bool:
        """Report every cell of row ``r`` that gapcheck reads and cannot import (:func:`cell_problem`)."""
        found = False
        used = sorted({c for c in (*self.header.columns.values(), *self.header.category) if c is not None})
        for c in used:
            problem = cell_problem(self.table.value(r, c), self.table.from_xlsx)
            if problem is not None:
                self.problem(r, c, *problem)
                found = True
        return found

    def carry(self, cats: list[str]) -> None:
        """Category levels: a blank cell keeps the value above; a new upper value resets the lower ones."""
        for i, value in enumerate(cats):
            if value and value != self.category[i]:
                self.category[i] = value
                for j in range(i + 1, len(cats)):
                    if not cats[j]:
                        self.category[j] = ""

    def requirement_id(self, r: int, raw: Any) -> str | None:
        col = self.header.columns["id"]
        shown = repr(raw) if not isinstance(raw, str) else repr(cell_text(raw))
        prefix = self.operation.prefix
        norm = normalise_id(cell_id(raw), prefix)  # the loader's own rules: 7 digits, legacy sections, 4-digit serials
        if norm.needs_prefix:
            self.problem(r, col, "id-prefix-unknown",
                         Msg("serial-needs-spec-number", name=self.operation.name), Msg("a-seven-digit-id"), shown)
            return None
        if norm.value is None:
            self.problem(r, col, "invalid-id", Msg("invalid-id-normalised"), ID_EXPECTED, shown)
            return None
        rid = norm.value
        if norm.style == "seven":
            verdict = self.prefixes.check(rid, self.operation)
            if verdict is not None:
                self.problems.append(Problem(self.table.file, r, col or 1, verdict.code, cell_ref(self.table.name, r, col or 1),
                                             verdict.message, verdict.expected, shown, verdict.severity))
                if verdict.severity == "error":
                    return None
        where = Msg("sheet-row", sheet=self.table.name, row=r)
        key = (self.spec.kind, rid)
        if key in self.seen:
            self.problem(r, col, "duplicate-id", Msg("duplicate-id-cell", kind=self.spec.kind, rid=rid, where=self.seen[key]),
                         Msg("unique-ids-per-kind"), shown)
            return None
        self.seen[key] = where
        return rid

    def klass(self, r: int, text: str) -> str | None:
        col = self.header.columns["class"]
        if col is None:  # no 実装区分 column: reported once at the header row, not again on every row
            return None
        if not text:
            self.problem(r, col, "missing-value", Msg("no-class"), Msg("three-classes"), Msg("an-empty-cell"))
            return None
        klass = self.cmap.classes.get(header_key(text))
        if klass is None and (words := class_from_text(text)) is not None:  # 【類型1 実装必須機能】: by its words
            klass = CLASS_JA[words]
        if klass is None:
            self.problem(r, col, "unknown-class", Msg("unknown-class-cell"), Msg("class-expected-cell"), repr(text))
        return klass


# -- the import -------------------------------------------------------------------------


@dataclass(frozen=True)
class SpecImport:
    """The outcome of an import: the catalogue to write and any warnings."""

    catalogue: dict[str, Any]
    """The catalogue document (valid for ``catalogue.schema.json``)."""
    sheets: tuple[tuple[str, str, int], ...]
    """(kind, sheet name, header row) of each table read."""
    warnings: tuple[Problem, ...] = ()


def import_spec(files: Sequence[Path], operation: Operation, version: str, *, published: str | None = None,
                columns: ColumnMap = DEFAULT_COLUMNS, title: str | None = None,
                registry: Sequence[Operation] = (), kinds: Sequence[str] = KINDS,
                previous: Previous | None = None, force: bool = False) -> SpecImport:
    """Read requirement tables from workbooks and CSV files into one catalogue.

    ``kinds`` are the tables expected (both by default: a workbook with
    functions and no forms is refused unless ``kinds`` says functions only).
    ``registry`` (every operation) lets an ID with another operation's 業務ID
    be named as such (:mod:`gapcheck.core.prefixes`).  ``previous``
    (:func:`previous_version`) is the version before: a new version with
    under half its requirements is refused unless ``force``.  Raises
    :class:`~gapcheck.errors.InvalidInput` with every problem found when any
    file, sheet or row cannot be read.
    """
    tables = read_all_tables(files)
    located, problems = locate_tables(tables, columns, kinds)
    if any(p.severity == "error" for p in problems):
        raise InvalidInput(problems)
    requirements: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], str] = {}
    for spec in columns.tables:
        if spec.kind not in located:
            continue
        table, header = located[spec.kind]
        missing = _missing_columns(table, header, spec)
        problems.extend(missing)
        reader = _Reader(table, header, spec, columns, operation, PrefixIndex(registry or (operation,)), seen)
        rows = list(reader.rows())
        problems.extend(reader.problems)
        if not rows and not reader.problems and not any(p.severity == "error" for p in missing):
            problems.append(Problem(table.file, header.row, 1, "no-requirements", cell_ref(table.name, header.row, 1),
                                    Msg("no-requirements", sheet=table.name), Msg("one-requirement-row"), Msg("found-none")))
        requirements.extend(rows)
    if not any(p.severity == "error" for p in problems) and previous is not None and not force \
            and (shrunk := _shrunk(files, operation, version, requirements, previous)):
        problems.append(shrunk)  # only when every row was read: rows with errors are not "missing"
    if any(p.severity == "error" for p in problems):
        raise InvalidInput(problems)
    doc: dict[str, Any] = {"gapcheck": "catalogue/1", "operation": operation.code, "version": version,
                           "title": title or operation.spec_title or operation.name}
    if published:
        doc["published"] = published
    if operation.prefix:
        doc["prefix"] = operation.prefix
    names = ", ".join(sorted({Path(p).name for p in files}))
    doc["source"] = f"{names} を gapcheck spec import で読み込み（加工して作成）"
    doc["requirements"] = requirements
    sheets = tuple((k, located[k][0].name, located[k][1].row) for k in ("function", "form") if k in located)
    return SpecImport(doc, sheets, tuple(problems))


@dataclass(frozen=True)
class Previous:
    """The version before the one imported: how many requirements of each kind it has."""

    version: str
    file: str
    counts: dict[str, int]
    """Kind -> number of requirements."""


def previous_version(specs: Path, operation: str, version: str) -> Previous | None:
    """The newest catalogue under ``specs/<operation>/`` older than ``version`` (None when there is none).

    Files are read as data only; one that cannot be read is passed over (``gapcheck validate`` reports it).
    """
    from gapcheck.core.paths import display_path
    from gapcheck.loading import yamlio

    best: Previous | None = None
    for path in sorted((specs / operation).glob("*.y*ml")):
        doc, _ = yamlio.load(path, display_path(path))
        data = doc.data if doc is not None else None
        if not isinstance(data, dict) or data.get("operation") != operation or not isinstance(data.get("requirements"), list):
            continue
        v = normalise_version(str(data.get("version", "")))
        if v is None or version_key(v) >= version_key(version) or (best and version_key(v) <= version_key(best.version)):
            continue
        counts = {k: sum(isinstance(r, dict) and r.get("kind") == k for r in data["requirements"]) for k in KINDS}
        best = Previous(v, display_path(path), counts)
    return best


def _shrunk(files: Sequence[Path], operation: Operation, version: str, requirements: list[dict[str, Any]],
            previous: Previous) -> Problem | None:
    """``spec-shrunk`` when the new version has under half the requirements of the previous one."""
    now = {k: sum(r["kind"] == k for r in requirements) for k in KINDS}
    before, after = sum(previous.counts.values()), sum(now.values())
    if not before or after * 2 >= before:
        return None
    per_kind = ", ".join(f"{KIND_NAMES[k]} {previous.counts[k]} -> {now[k]}" for k in KINDS)
    return Problem(display_path(Path(files[0])), 0, 0, "spec-shrunk", "$",
                   Msg("spec-shrunk", operation=operation.code, version=version, after=after, before=before,
                       previous=previous.version, file=previous.file, fewer=before - after, per_kind=per_kind),
                   Msg("at-least-requirements", n=(before + 1) // 2), f"{after}")


def _missing_columns(table: Table, header: Header, spec: TableMap) -> list[Problem]:
    out = []
    for fld in ("title", "class"):
        if header.columns[fld] is None:
            spellings = "/".join(spec.columns[fld])
            out.append(Problem(table.file, header.row, 1, "xlsx-missing-column", cell_ref(table.name, header.row, 1),
                               Msg("header-no-column", sheet=table.name, spellings=spellings),
                               Msg("a-header-cell", header=spellings),
                               first_words(Table(table.file, table.name, [table.rows[header.row - 1]]))))
    if header.columns["summary"] is None:  # importable, but a later version with text would look re-worded everywhere
        spellings = "/".join(spec.columns["summary"])
        out.append(Problem(table.file, header.row, 1, "xlsx-missing-column", cell_ref(table.name, header.row, 1),
                           Msg("header-no-summary", sheet=table.name, spellings=spellings),
                           Msg("a-header-cell", header=spellings), Msg("found-none"), severity="warning"))
    return out


# -- writing ------------------------------------------------------------------------------------


def catalogue_path(specs: Path, operation: str, version: str) -> Path:
    """Where the catalogue of ``operation`` at ``version`` lives: ``specs/<code>/<version>.yaml``."""
    return specs / operation / f"{version}.yaml"


def write_catalogue(result: SpecImport, path: Path, force: bool = False) -> bool:
    """Write the imported catalogue; an existing file with other content needs ``force``.

    Returns False when the file already held exactly this catalogue.
    Raises :class:`~gapcheck.errors.OutputExists` otherwise without ``force``,
    and :class:`~gapcheck.errors.InvalidInput` (writing nothing) if the YAML
    would not pass ``gapcheck validate`` (:func:`~gapcheck.vendor.yamldump.dump_checked`).
    """
    header = "# Imported by `gapcheck spec import`; edit the workbook and import again rather than this file.\n"
    written = write_kept(path, dump_checked(result.catalogue, "catalogue", display_path(path), header), force)
    from gapcheck.loading.yamlio import warm

    warm(path)  # into the parse cache now: catalogues change a few times a year, and are the largest inputs
    return written
