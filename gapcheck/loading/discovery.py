"""Files to documents: find the inputs of a project, tell their kind, parse and schema-check them.

:func:`load_documents` returns the documents that passed layers 1 and 2
(the file itself, its schema) by kind; the meaning checks of layer 3 happen
in :mod:`gapcheck.validation`.  Large files missing from the parse cache are
parsed in worker processes first (:func:`warm_cache`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gapcheck.core.config import Config
from gapcheck.core.errors import Problem
from gapcheck.core.paths import display_path
from gapcheck.loading import schema as schemas
from gapcheck.loading import yamlio
from gapcheck.loading.yamlio import YamlDocument

FILE_TYPES = ("catalogue", "inventory", "mapping", "registry", "plan", "policy")


Progress = Callable[[int, int, str], None]


KEYED_RECORDS = {"plan": {"operations": 2}}
"""Per file kind, top-level mappings whose entries are records (skipped alone when they hold errors)."""


def file_type(doc: YamlDocument, default: str | None) -> tuple[str | None, Problem | None]:
    """The kind of a loaded file from its ``gapcheck:`` tag, else from its folder."""
    data = doc.data
    tag = data.get("gapcheck") if isinstance(data, dict) else None
    if isinstance(tag, str) and "/" in tag and tag.split("/")[0] in FILE_TYPES:
        return tag.split("/")[0], None
    if default is not None:
        return default, None
    line, col = doc.locate(("gapcheck",))
    expected = "one of " + ", ".join(f"'{t}/1'" for t in FILE_TYPES)
    return None, Problem(doc.file, line, col, "unknown-file-type", "$.gapcheck",
                         "cannot tell what kind of gapcheck file this is", expected,
                         schemas.describe(tag) if isinstance(data, dict) and "gapcheck" in data else "no 'gapcheck' field")


def folder_problems(config: Config) -> list[Problem]:
    """A data folder that does not exist (a typo in an option or in gapcheck.toml) is an error, not an empty project."""
    out = []
    for folder, what in ((config.specs, "spec catalogues"), (config.current_system, "the inventory"),
                         (config.mappings, "vendor mappings")):
        if not folder.is_dir():
            out.append(Problem(display_path(folder), 0, 0, "folder-missing", "$",
                               f"no folder of {what} here; check --specs/--current-system/--mappings or gapcheck.toml",
                               "a folder", "nothing" if not folder.exists() else "a file", severity="warning"))
    return out


def discover(config: Config) -> list[tuple[Path, str]]:
    """Every YAML file of the project's data folders, with its folder's default kind."""
    found: list[tuple[Path, str]] = []
    for folder, kind in ((config.specs, "catalogue"), (config.current_system, "inventory"), (config.mappings, "mapping")):
        if folder.is_dir():
            files = sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
            found.extend((p, kind) for p in files)
    return found


PARALLEL_BYTES = 2 * 1024 * 1024
"""Above this many bytes of files not yet in the parse cache, some of them are parsed in worker processes."""


class Parsing:
    """Files being parsed into the parse cache by worker processes while this process loads the others."""

    def __init__(self, paths: set[Path], pool: Any = None, jobs: list[Any] | None = None):
        self.paths = paths
        """The files handed to the workers: load them only after :meth:`wait`."""
        self._pool, self._jobs = pool, jobs or []

    def wait(self) -> None:
        """Until every worker is done; a worker that failed costs only time (its files are parsed here)."""
        for job in self._jobs:
            try:
                job.result()
            except Exception:  # noqa: BLE001 - the caller parses what the worker did not
                pass
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


def start_parsing(paths: list[Path]) -> Parsing:
    """Hand part of the files missing from the parse cache to worker processes, and return at once.

    With ``n`` cores, ``n - 1`` workers (at most 3) each get an equal share
    of the bytes to parse, largest files first, and this process keeps one
    share for itself: it parses its own while the workers start and parse
    theirs, instead of waiting for them and reading everything back.
    Nothing is handed over with one core, with the cache off, or when there
    is too little to parse (:data:`PARALLEL_BYTES`) to repay starting a worker.
    """
    from gapcheck.loading import parsecache

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = min(cores - 1, 3)
    if workers < 1 or parsecache.directory() is None:
        return Parsing(set())
    todo: list[tuple[int, Path]] = []
    for path in paths:
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        if len(raw) >= parsecache.MIN_BYTES and not parsecache.has(raw):  # probed by stat, not read
            todo.append((len(raw), path))
    if sum(size for size, _ in todo) < PARALLEL_BYTES or len(todo) < 2:
        return Parsing(set())
    shares: list[list[Path]] = [[] for _ in range(workers + 1)]  # the last share is this process's own
    loads = [0] * len(shares)
    for size, path in sorted(todo, key=lambda t: (-t[0], str(t[1]))):
        i = loads.index(min(loads))
        shares[i].append(path)
        loads[i] += size
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    given = [share for share in shares[:-1] if share]
    pool = ProcessPoolExecutor(max_workers=len(given), mp_context=multiprocessing.get_context("spawn"))
    jobs = [pool.submit(warm_files, share) for share in given]
    return Parsing({p for share in given for p in share}, pool, jobs)


def warm_files(paths: list[Path]) -> None:
    """In a worker: parse each file into the cache."""
    for path in paths:
        yamlio.warm(path)


def warm_cache(paths: list[Path]) -> int:
    """Parse the files missing from the parse cache, partly in worker processes (:func:`start_parsing`),
    all into the cache; returns how many the workers parsed."""
    parsing = start_parsing(paths)
    parsing.wait()
    return len(parsing.paths)


def load_documents(files: list[tuple[Path, str | None]], progress: Progress | None = None,
                   replacing: dict[Path, str] | None = None) -> tuple[dict[str, list[YamlDocument]], list[Problem]]:
    """Load and schema-check files; the documents that passed, by kind, and all problems.

    ``replacing`` maps resolved paths to the text to read instead of the file
    (which need not exist): what the project would be if those files held it.
    Files not yet in the parse cache are parsed partly by worker processes
    meanwhile (:func:`start_parsing`); the result is the same, in the same order.
    """
    replacing = replacing or {}
    parsing = start_parsing([p for p, _ in files if p.resolve() not in replacing])
    order = sorted(range(len(files)), key=lambda i: files[i][0] in parsing.paths)  # the workers' files last
    loaded: dict[int, tuple[str | None, YamlDocument | None, list[Problem]]] = {}
    try:
        for n, i in enumerate(order, 1):
            path, default = files[i]
            if path in parsing.paths:
                parsing.wait()
            if progress is not None:
                progress(n, len(files), display_path(path))
            loaded[i] = _document(path, default, replacing.get(path.resolve()))
    finally:
        parsing.wait()
    by_kind: dict[str, list[YamlDocument]] = {k: [] for k in FILE_TYPES}
    problems: list[Problem] = []
    for i in range(len(files)):
        bucket, doc, probs = loaded[i]
        problems.extend(probs)
        if bucket is not None and doc is not None:
            by_kind.setdefault(bucket, []).append(doc)
    return by_kind, problems


def _document(path: Path, default: str | None, text: str | None) -> tuple[str | None, YamlDocument | None, list[Problem]]:
    """One file loaded and schema-checked: (its kind, or ``broken-<kind>`` when unusable, or None; the
    document; its problems)."""
    shown = display_path(path)
    doc, probs = yamlio.load(path, shown) if text is None else yamlio.loads(text, shown)
    if doc is None or not isinstance(doc.data, dict):
        if doc is not None:
            probs = probs + [Problem(shown, 1, 1, "wrong-type", "$", "a gapcheck file is a YAML mapping",
                                     "a mapping", schemas.describe(doc.data))]
        return None, None, probs
    kind, prob = file_type(doc, default)
    if prob is not None:
        return None, None, probs + [prob]
    assert kind is not None  # file_type gives either a kind or the problem
    schema_problems = schemas.validate(doc, kind)
    # one mistake, one line: a schema error where YAML already failed, or a YAML 1.1 warning on a refused value
    already = {p.path for p in probs if p.severity == "error"}
    refused = {p.path for p in schema_problems}
    found = [p for p in probs if not (p.code == "yaml-boolean-word" and p.path in refused)]
    found += [p for p in schema_problems if p.path not in already]
    skips = doc.record_skips(KEYED_RECORDS.get(kind))
    if skips is None:
        return "broken-" + kind, doc, found
    doc.skips = skips
    return kind, doc, found
