"""The result cache: a checked project's problems and the results computed from it, kept between runs.

:func:`check_project` is :func:`~gapcheck.validation.project.load_project`
for commands: it returns a :class:`Checked` whose problems are those of the
project, and whose results (:meth:`Checked.analyze`, :meth:`Checked.memo`)
come from the cache when every input is byte for byte as it was.  Each
entry is named by the SHA-256 of the inputs' fingerprint
(:func:`gapcheck.analysis.inputs.snapshot`: every file's path and content,
gapcheck's own files and versions), the kind of result, every option that
changes it (operations, spec versions, the date actually used) and any
further file it reads (the readiness history).  A result is stored only
after the inputs are read and hashed again and found unchanged, so a file
edited while gapcheck ran can never leave a wrong entry behind.

What is kept: the project's problems (printed on a cached run exactly as on
a fresh one), the operations and which file belongs to which, and the
results.  The project itself is not kept: unpickling its hundred thousand
records takes as long as building them again from the parse cache, so a
command that needs it (``show`` of a new ID, readiness on a new date) builds
it again, once.

``GAPCHECK_CACHE=off`` turns the cache off (``GAPCHECK_RESULT_CACHE=off`` this one only); entries are pickles, read only
under the conditions of :mod:`gapcheck.loading.cachedir`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from gapcheck.analysis.inputs import InputState, digest, extra_digest, snapshot
from gapcheck.core.config import Config
from gapcheck.core.errors import InvalidInput, Problem
from gapcheck.core.model import Operation, Project
from gapcheck.loading import cachedir
from gapcheck.loading.discovery import Progress

if TYPE_CHECKING:
    from gapcheck.analysis.explain import Shown
    from gapcheck.analysis.pieces import Base
    from gapcheck.analysis.result import Analysis

T = TypeVar("T")
RESULTS = "results"
"""The folder of result entries inside the cache folder."""


class Checked:
    """A checked project as a command sees it: its problems at once, its results cached, the project when asked."""

    def __init__(self, config: Config, problems: tuple[Problem, ...], operations: tuple[Operation, ...],
                 file_operations: dict[str, str], state: InputState | None, project: Project | None = None,
                 progress: Progress | None = None, base: Base | None = None,
                 part: tuple[Project, frozenset[str]] | None = None) -> None:
        self.config = config
        self.problems = problems
        """Every problem of the project (:attr:`gapcheck.core.model.Project.problems`)."""
        self.operations = operations
        self.file_operations = file_operations
        self._state = state
        self._project = project
        self._progress = progress
        self._verified = False
        self._base = base
        """The project's :class:`~gapcheck.analysis.pieces.Base` (None when it has errors: then every result
        is computed from the whole project)."""
        self._part = part
        """The part loaded instead of the project after a small edit, and the operations it holds (let go once
        the missing pieces are made from it)."""
        self._in_part = part is not None
        self._loaded_part = part[0] if part is not None else None
        """The part itself, kept for :meth:`readiness_project` after the pieces are made."""
        self.hits: list[str] = []
        """The kinds of result this run took from the cache (``header`` for the problems; ``pieces N/M``: N of
        the M operations' rows), for tests (nothing prints them)."""

    @property
    def in_part(self) -> bool:
        """True when only the files a small edit touched were loaded (the others were found clean before)."""
        return self._in_part

    @property
    def cached(self) -> bool:
        """True when the problems came from the cache (the project was not loaded to find them)."""
        return "header" in self.hits

    @property
    def valid(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def blocking(self, operations: Iterable[str] | None = None) -> tuple[list[Problem], list[Problem]]:
        """:meth:`gapcheck.core.model.Project.blocking` of the project, from its problems alone."""
        return self._outline().blocking(operations)

    def operation_code(self, text: str) -> str | None:
        """:meth:`gapcheck.core.model.Project.operation_code`: the code of the operation ``text`` names."""
        return self._outline().operation_code(text)

    def _outline(self) -> Project:
        """The project's operations, problems and file owners without its records (enough for the two above)."""
        return Project(self.operations, (), None, (), self.problems, None, self.file_operations)

    @property
    def project(self) -> Project:
        """The checked project (built from the files, through the parse cache, the first time it is needed)."""
        if self._project is None:
            from gapcheck.validation.project import load_project

            self._project = load_project(self.config, progress=self._progress)
            self._verified = False  # results computed from it are stored only after the inputs are checked again
        return self._project

    def readiness_project(self) -> Project:
        """The project as readiness and the report bundle read it: after a small edit, the part that was loaded,
        with every other operation's catalogues and mappings as heads, without their records
        (:meth:`gapcheck.analysis.pieces.Base.outline`); else the whole project.  Their rows come from
        :meth:`analyze`; nothing else may read this project."""
        if self._project is None and self._loaded_part is not None and self._base is not None:
            self.hits.append("outline")
            return self._base.outline(self._loaded_part)
        return self.project

    def forget_project(self) -> None:
        """Let the loaded project go (it is built again if asked for): a command that has taken what it needs
        from it frees its memory (tens of MB at full scale) for what comes next."""
        self._project = None
        self._loaded_part = None

    def memo(self, kind: str, options: dict[str, Any], compute: Callable[[], T], files: Iterable[Path] = (),
             store: bool = True) -> T:
        """The result of ``compute()`` for these inputs, ``options`` and further ``files``: from the cache, or
        computed and (unless ``store`` is False) stored.  ``options`` must hold every option that changes the result."""
        if self._state is None:
            return compute()
        extra = tuple(files)
        before = extra_digest(extra) if extra else ""
        return self._remembered(entry_key(self._state, kind, options, before), kind, compute, lambda: (
            store and self._inputs_unchanged() and (not extra or extra_digest(extra) == before)))

    def settled(self, kind: str, options: dict[str, Any], compute: Callable[[], T]) -> T:
        """The result of ``compute()`` for a fact of this machine that depends on no input: keyed by ``options``
        (which must hold everything it is made from) and gapcheck's environment (its own files, Python and the
        libraries' versions, the ``GAPCHECK_*`` settings) only, so that an edited input does not ask again."""
        if self._state is None:
            return compute()
        from gapcheck.analysis.inputs import environment

        key = digest({"environment": hashlib.sha256(environment()).hexdigest(), "kind": kind, "options": options})
        return self._remembered(key, kind, compute, lambda: True)

    def _remembered(self, key: str, kind: str, compute: Callable[[], T], storable: Callable[[], bool]) -> T:
        """The entry ``key`` (a result of ``kind``), or ``compute()``, stored if ``storable()`` says so then."""
        found = _held(key)
        if found is not None:
            self.hits.append(kind)
            return found[0]  # type: ignore[no-any-return]  # the entry's key names this kind of result
        value = compute()
        if storable():
            _store(key, (value,))
        return value

    def result_key(self, kind: str, options: dict[str, Any], files: Iterable[Path] = ()) -> str | None:
        """The key :meth:`memo` gives a result of ``kind`` with ``options`` and further ``files``: a name for
        everything the result is made from (None with the cache off).  A file made from that result may be
        recorded under it only once :meth:`inputs_unchanged` says the inputs did not change meanwhile."""
        if self._state is None:
            return None
        extra = tuple(files)
        return entry_key(self._state, kind, options, extra_digest(extra) if extra else "")

    def inputs_unchanged(self) -> bool:
        """True when the inputs are still as keyed (read and hashed again once per project built)."""
        return self._inputs_unchanged()

    def analyze(self, operations: Iterable[str] | None = None, spec_versions: dict[str, str] | None = None,
                as_of: dt.date | None = None, store: bool = True, uncatalogued: str = "error") -> Analysis:
        """:func:`gapcheck.analysis.classify.analyze` of the project, cached (``as_of`` today when None).

        ``uncatalogued`` as :func:`~gapcheck.analysis.classify.analyze` takes it.  ``store=False`` when
        only something made from it will be kept (its rendered text): pickling a full-scale analysis
        costs a tenth of a second that such a run need not spend."""
        from gapcheck.analysis.classify import analyze

        chosen = [operations] if isinstance(operations, str) else list(operations or [])
        blocking, _ = self.blocking([self.operation_code(o) or o for o in chosen] if chosen else None)
        if blocking:  # as analyze() would say, without building the project to say it
            raise InvalidInput(list(self.problems))
        day = as_of or today()
        options = {**analysis_options(chosen, spec_versions, day), "uncatalogued": uncatalogued}
        if not chosen and not spec_versions and self._base is not None and self._base.codes:
            return self.memo("analysis", options, lambda: self._pieced(day, uncatalogued), store=store)
        return self.memo("analysis", options, lambda: analyze(self.project, chosen or None, spec_versions, as_of=day,
                                                               uncatalogued=uncatalogued), store=store)

    def _pieced(self, day: dt.date, uncatalogued: str) -> Analysis:
        """The default analysis from each operation's cached rows, only the missing ones computed: from the part
        loaded after a small edit when they all lie in it, else from the whole project (and kept for next time)."""
        from gapcheck.analysis.classify import analyze, assemble
        from gapcheck.analysis.pieces import Piece, split

        base = self._base
        keys = self.piece_keys("rows", {}, day, uncatalogued)
        if base is None or not keys:  # the inputs changed while this run read them: nothing is kept
            return analyze(self.project, None, as_of=day, uncatalogued=uncatalogued)
        pieces = {c: p for c, p in self.fetch_pieces(keys).items() if isinstance(p, Piece)}
        missing = [c for c in base.codes if c not in pieces]
        if len(missing) == len(base.codes) and self._part is None:  # nothing kept: the whole analysis, then its pieces
            whole = analyze(self.project, None, as_of=day, uncatalogued=uncatalogued)
            self.keep({keys[c]: p for c, p in split(whole, missing).items()})
            return whole
        if missing:  # from the part when it holds them, else from the whole project; with the shared scopes
            part = self._part
            source = part[0] if part is not None and set(missing) <= part[1] else self.project
            wanted = missing + [c for c in base.codes if c in base.shared and c not in missing]
            pieces.update(split(analyze(source, wanted, as_of=day, uncatalogued=uncatalogued), missing))
        self._part = None  # its memory goes before a command loads the whole project (a report does)
        self.keep({keys[c]: pieces[c] for c in missing})
        if len(missing) < len(base.codes):
            self.hits.append(f"pieces {len(base.codes) - len(missing)}/{len(base.codes)}")
        return assemble(base.municipality, base.sample, pieces, base.codes, {o.code: o.name for o in self.operations})

    def piece_keys(self, kind: str, options: dict[str, Any], as_of: dt.date | None = None,
                   uncatalogued: str = "error") -> dict[str, str]:
        """Per operation of the default analysis (``as_of`` None: today; ``uncatalogued`` as :meth:`analyze`
        takes it), the key of something made from its rows alone: ``kind`` (``rows``, its
        :class:`~gapcheck.analysis.pieces.Piece`; ``json-block``...) with ``options``.  Empty when this
        project's results are not kept by operation."""
        from gapcheck.analysis.pieces import piece_key

        if self._base is None or self._state is None:
            return {}
        keyed = {"as_of": (as_of or today()).isoformat(), "uncatalogued": uncatalogued, "kind": kind, **options}
        return {c: piece_key(self._state, self._base, c, keyed) for c in self._base.codes}

    def fetch_pieces(self, keys: dict[str, str]) -> dict[str, Any]:
        """The entries of ``keys`` found in the cache (by operation)."""
        found = {c: _held(k) for c, k in keys.items()}
        return {c: v[0] for c, v in found.items() if v is not None}

    def keep(self, entries: dict[str, Any]) -> None:
        """Store pieces (if the inputs are still as keyed), the cache pruned once for all of them."""
        if entries and self._inputs_unchanged():
            for key, value in entries.items():
                _store(key, (value,), prune=False)
            cachedir.prune()

    def show(self, ident: str, as_of: dt.date | None = None) -> Shown:
        """:func:`gapcheck.analysis.explain.show` of ``ident``: what it names and why its state is what it is."""
        from gapcheck.analysis.explain import show

        day = as_of or today()
        return self.memo("show", {"id": ident, "as_of": day.isoformat()}, lambda: show(self.project, ident, day))

    def _inputs_unchanged(self) -> bool:
        """Read and hash the inputs again (once per project built): a result is stored only if they are as keyed."""
        if self._state is None:
            return False
        if not self._verified:
            if not self._state.still_current(self.config):
                self._state = None  # they changed while this run read them: store nothing more
                return False
            self._verified = True
        return True


def analysis_options(operations: Iterable[str] | None, spec_versions: dict[str, str] | None,
                     as_of: dt.date | None) -> dict[str, Any]:
    """Every option an analysis depends on, as it is keyed (``as_of`` None: today)."""
    chosen = [operations] if isinstance(operations, str) else list(operations or [])
    return {"operations": chosen, "spec_versions": dict(sorted((spec_versions or {}).items())),
            "as_of": (as_of or today()).isoformat()}


def today() -> dt.date:
    """The date used when none is given (a function, so that tests can move it)."""
    return dt.date.today()


def check_project(config: Config, progress: Progress | None = None, whole: bool = False) -> Checked:
    """The project of ``config`` checked: its problems from the cache when no input changed, else by loading it
    (only the part a small edit touched, unless ``whole``: for a command that needs the whole project anyway)."""
    folder = _results_folder()
    if folder is None:
        project = _load(config, progress)
        return Checked(config, project.problems, project.operations, dict(project.file_operations), None, project)
    from gapcheck.analysis.pieces import Base, base_key

    state = snapshot(config)
    key = entry_key(state, "header", {}, "")
    header = _fetch(key)
    if isinstance(header, tuple) and len(header) == 4:
        checked = Checked(config, *header[:3], state=state, progress=progress, base=header[3])
        checked.hits.append("header")
        return checked
    found = _held(base_key(state))
    base = found[0] if found is not None and isinstance(found[0], Base) else None
    partly = _in_part(config, state, base, progress) if base is not None and not whole else None
    if partly is not None:
        checked = partly
    else:
        from gapcheck.analysis.classify import select_operations

        project = _load(config, progress)
        checked = Checked(config, project.problems, project.operations, dict(project.file_operations), state, project,
                          base=Base.of(project, state, select_operations(project)) if Base.allowed(project) else None)
    if checked._inputs_unchanged():  # the header keeps its own base: the one under base_key may be a later state's
        _store(key, (checked.problems, checked.operations, checked.file_operations, checked._base), prune=False)
        if checked._base is not None:
            _store(base_key(state), (checked._base,), prune=False)
        cachedir.prune()
    return checked


def _in_part(config: Config, state: InputState, base: Base, progress: Progress | None) -> Checked | None:
    """The project checked by loading only the files a small edit since ``base`` touches (see
    :mod:`gapcheck.analysis.pieces`); None when that cannot be done exactly (the whole project is loaded)."""
    from gapcheck.analysis.pieces import part_agrees, part_of
    from gapcheck.validation.project import load_project

    planned = part_of(state, base)
    if planned is None:
        return None
    part, loaded = planned
    project = load_project(config, progress=progress, part=part)
    if not part_agrees(project, base, part) or not state.still_current(config):
        return None  # a file saved while the part loaded: the whole project, whose problems and results agree
    checked = Checked(config, project.problems, project.operations, dict(base.file_operations), state,
                      base=base.again(state, project), part=(project, loaded), progress=progress)
    checked._verified = True  # the inputs were hashed again just now: the pieces keyed by them match the part
    return checked


def _load(config: Config, progress: Progress | None) -> Project:
    """The project loaded from its files (the loader is imported only then: a cached run never needs it)."""
    from gapcheck.validation.project import load_project

    return load_project(config, progress=progress)


def entry_key(state: InputState, kind: str, options: dict[str, Any], extra: str) -> str:
    """The name of one entry: the inputs' key, the kind of result, its options and further files."""
    return digest({"inputs": state.key, "kind": kind, "options": options, "files": extra})


def _results_folder() -> Path | None:
    """The folder of result entries; None when caching is off, or only the result cache is
    (``GAPCHECK_RESULT_CACHE=off``: the parse cache stays on, as the benchmarks of the loading path need)."""
    if os.environ.get("GAPCHECK_RESULT_CACHE", "").lower() in ("0", "off", "no", "false"):
        return None
    return cachedir.private_folder(RESULTS)


def _fetch(key: str) -> Any | None:
    """The unpickled entry ``key``, or None (absent, not trustworthy, corrupt: then it is rebuilt)."""
    folder = _results_folder()
    if folder is None:
        return None
    payload = cachedir.read_entry(folder / key, key)
    if payload is None:
        return None
    try:
        return pickle.loads(payload)  # noqa: S301 - checked: our own folder and file, key and SHA-256 match
    except Exception:  # noqa: BLE001 - a cache entry that does not load is rebuilt, never an error
        return None


def _held(key: str) -> tuple[Any] | None:
    """The entry ``key`` as it is stored, ``(result,)`` (a result may be None), or None when there is none."""
    found = _fetch(key)
    return found if isinstance(found, tuple) and len(found) == 1 else None


def _store(key: str, value: Any, prune: bool = True) -> None:
    folder = _results_folder()
    if folder is None:
        return
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - a result that cannot be pickled is simply not cached
        return
    cachedir.write_entry(folder / key, key, payload)
    if prune:
        cachedir.prune()
