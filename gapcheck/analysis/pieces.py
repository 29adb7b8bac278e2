"""The result cache's increments: an analysis kept per operation, and a project loaded in part after a small edit.

A vendor edits one mapping; the next run should redo that operation, not
twenty.  Two facts make that exact rather than approximate:

* **An operation's rows depend on few files.**  The rows of operation X in
  the default analysis (every operation in scope) are made from X's own
  catalogues and mapping, the files of no operation (inventory, plan,
  registry) and the files of the shared scopes (共通機能: only their mappings
  may link items of other operations; any other mapping that tries is an
  error).  So each operation's rows (a :class:`Piece`) are kept under a key
  made of exactly those files' contents, the settings and the options.
* **After an edit, the problems of a project without errors are those of a
  part.**  A run that found no error (warnings allowed) leaves a
  :class:`Base`: each file's digest, which operation it belongs to, and
  which operations have a warning.  If the next run has the same files and
  only catalogues or mappings of operations that are not shared changed,
  every check that could give a new problem involves those files, the
  shared scopes' files or the files of no operation; the files of the other
  operations had no problem and have none now (their checks look only at
  their own operation's files, the inventory and the registry, except on
  errors).  Loading those operations, the shared scopes, the operations
  with a warning and the files of no operation (:func:`part_of`) therefore
  finds every problem of the whole project, in the loader's order.  The
  part's outcome is used only when it has no error either and gives every
  file the operation and kind it had; otherwise the whole project is loaded.

An operation's files are its catalogues and mappings *as loaded*
(:attr:`Base.owners`): a file that only its place ties to an operation (an
inventory document under ``specs/<code>/``) is a file of no operation, in
every part and every key.  The inputs are hashed again right after a part
is loaded; a file saved meanwhile sends the run down the whole path, so the
problems printed and the rows read back describe the same files.

Anything else (a file added, removed or renamed, an inventory, plan or
registry edited, a shared scope's file, another version of gapcheck, an
error before or after) takes the whole path, as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from gapcheck.analysis.inputs import InputState, digest
from gapcheck.core.model import Catalogue, Mapping, Operation, Project
from gapcheck.validation.scope import Part

if TYPE_CHECKING:
    import pandas as pd

    from gapcheck.analysis.result import Analysis


@dataclass(frozen=True)
class Base:
    """What a run of a clean project leaves for the next: enough to load only what a small edit touches."""

    digests: dict[str, str]
    """File (as shown) -> SHA-256 of its bytes, for every input file."""
    operations: tuple[Operation, ...]
    file_operations: dict[str, str]
    """:attr:`gapcheck.core.model.Project.file_operations` (which may name a file by its place alone)."""
    catalogue_files: frozenset[str]
    mapping_files: frozenset[str]
    codes: tuple[str, ...]
    """The operations the default analysis covers (in scope, with a catalogue), in the registry's order."""
    municipality: str
    sample: bool
    warned: frozenset[str] = frozenset()
    """Operations with a warning in one of their files: a part always loads them again, so that every
    warning of the project is found again, in its place."""
    catalogue_heads: tuple[Catalogue, ...] = ()
    """Every catalogue as loaded, in the loader's order when the base was made, without its requirements
    (:meth:`outline`)."""
    mapping_heads: tuple[Mapping, ...] = ()
    """Every mapping as loaded, in the loader's order when the base was made, without its links and decisions
    (:meth:`outline`)."""

    @classmethod
    def of(cls, project: Project, state: InputState, codes: list[str]) -> Base:
        """The base of a clean ``project`` read as ``state``, whose default analysis covers ``codes``."""
        inv = project.inventory
        base = cls({f.shown: f.digest for f in state.files}, project.operations, dict(project.file_operations),
                   frozenset(c.file for c in project.catalogues), frozenset(m.file for m in project.mappings),
                   tuple(codes), inv.municipality if inv else "", bool(inv.sample) if inv else False,
                   catalogue_heads=tuple(_catalogue_head(c) for c in project.catalogues),
                   mapping_heads=tuple(_mapping_head(m) for m in project.mappings))
        return base.again(state, project)

    def again(self, state: InputState, part: Project) -> Base:
        """The same project after ``part`` was loaded and agreed (:func:`part_agrees`): new digests, warnings and
        heads of the part's files."""
        owners = self.owners
        warned = frozenset(owners[p.file] for p in part.problems if p.file in owners)
        inv = part.inventory  # every inventory document is in every part (a file of no operation)
        return Base({f.shown: f.digest for f in state.files}, self.operations, self.file_operations,
                    self.catalogue_files, self.mapping_files, self.codes, inv.municipality if inv else "",
                    bool(inv.sample) if inv else False, warned,
                    _merged(self.catalogue_heads, [_catalogue_head(c) for c in part.catalogues]),
                    _merged(self.mapping_heads, [_mapping_head(m) for m in part.mappings]))

    def outline(self, part: Project) -> Project:
        """The project as readiness and the report bundle read it, from a ``part`` that agreed: the part's own
        files whole, every other operation's catalogues and mappings as heads (their version, title, vendor,
        product, sample flag and file; no records), in the base's order (what reads it depends on no order).

        Readiness and the bundle read of another operation's files only which exist, their versions, vendors,
        products and sample flags; their rows come from the analysis.  Nothing else may read this project:
        its other records are absent, not empty."""
        return replace(part, catalogues=_merged(self.catalogue_heads, part.catalogues),
                       mappings=_merged(self.mapping_heads, part.mappings), file_operations=dict(self.file_operations))

    @property
    def owners(self) -> dict[str, str]:
        """The files that belong to an operation here: catalogues and mappings as loaded.  Any other file is a
        file of no operation, always loaded and part of every key, even where its place names an operation
        (an inventory document under ``specs/<code>/``, a plan at ``mappings/<code>.yaml``)."""
        kept = self.catalogue_files | self.mapping_files
        return {f: o for f, o in self.file_operations.items() if f in kept}

    @staticmethod
    def allowed(project: Project) -> bool:
        """A project leaves a base when it has no errors (warnings stay with their operations' files)."""
        return all(p.severity == "warning" for p in project.problems)

    @property
    def shared(self) -> frozenset[str]:
        return frozenset(o.code for o in self.operations if o.shared)


@dataclass(frozen=True)
class Piece:
    """One operation's rows of the default analysis, and what its summary needs besides them."""

    requirements: pd.DataFrame
    items: pd.DataFrame
    broken: int
    """Its broken links (they are counted, not listed)."""
    version: str


H = TypeVar("H", Catalogue, Mapping)


def _merged(heads: tuple[H, ...], loaded: Iterable[H]) -> tuple[H, ...]:
    """``heads`` with each file that was ``loaded`` in its place, in the order of ``heads``."""
    by_file = {x.file: x for x in loaded}
    return tuple(by_file.get(h.file, h) for h in heads)


def _catalogue_head(c: Catalogue) -> Catalogue:
    return replace(c, requirements=())


def _mapping_head(m: Mapping) -> Mapping:
    return replace(m, links=(), custom=(), optional_unused=(), deferrals=())


def base_key(state: InputState) -> str:
    """The key of a project's :class:`Base`: the settings and the names (not the contents) of its files."""
    names = [[f.kind, f.shown, f.resolved] for f in state.files]
    return digest({"base": state.context, "files": names})


def part_of(state: InputState, base: Base) -> tuple[Part, frozenset[str]] | None:
    """What to load after the edit from ``base`` to ``state``, and the operations it holds; None when the
    change is not one a part can check (then the whole project is loaded)."""
    now = {f.shown: f.digest for f in state.files}
    if now.keys() != base.digests.keys():
        return None
    changed = {f for f, d in now.items() if base.digests[f] != d}
    owned = base.owners
    owners = {owned.get(f) for f in changed}
    if None in owners or owners & base.shared:
        return None
    ops = frozenset(o for o in owners if o is not None)
    loaded = ops | base.shared | base.warned
    files = frozenset(f for f in now if owned.get(f, "") in loaded or f not in owned)
    elsewhere = frozenset(owned[f] for f in base.catalogue_files if f not in files)
    return Part(files, elsewhere), loaded


def part_agrees(project: Project, base: Base, part: Part) -> bool:
    """True when the part loaded without errors and every file in it still belongs to its operation, as the
    same kind (an error takes the whole project's path: some errors look at other operations' files)."""
    if not Base.allowed(project):
        return False
    owners = {f: o for f, o in base.file_operations.items() if f in part.files}
    return (project.file_operations == owners
            and {c.file for c in project.catalogues} == base.catalogue_files & part.files
            and {m.file for m in project.mappings} == base.mapping_files & part.files)


def piece_key(state: InputState, base: Base, code: str, options: dict[str, Any]) -> str:
    """The key of operation ``code``'s :class:`Piece`: the files it is made from (its own, the shared scopes',
    those of no operation), the settings and the options."""
    used, owned = base.shared | {code}, base.owners
    files = [[f.kind, f.shown, f.resolved, f.digest] for f in state.files if owned.get(f.shown, code) in used]
    return digest({"piece": state.context, "operation": code, "files": files, "options": options})


def split(analysis: Analysis, codes: list[str] | tuple[str, ...]) -> dict[str, Piece]:
    """The pieces of ``codes`` in an analysis that covered them (and the shared scopes)."""
    out = {}
    for code in codes:
        out[code] = Piece(analysis.operation_requirements(code).reset_index(drop=True),
                          analysis.operation_items(code).reset_index(drop=True), analysis.summary(code).broken_links,
                          analysis.versions[code])
    return out
