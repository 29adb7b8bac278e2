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
"""Above this many bytes of large files not yet in the parse cache, they are parsed in worker processes."""


def warm_cache(paths: list[Path]) -> int:
    """Parse large files missing from the parse cache in parallel worker processes; returns how many.

    Each worker parses whole files and stores them in the cache; the caller
    then reads every file back from the cache.  Nothing happens with one CPU,
    with the cache off, or when there is too little to parse to repay
    starting the workers.
    """
    from gapcheck.loading import parsecache

    workers = min(os.cpu_count() or 1, 4)
    if workers < 2 or parsecache.directory() is None:
        return 0
    todo: list[tuple[int, Path]] = []
    for path in paths:
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        if len(raw) >= parsecache.MIN_BYTES and parsecache.get(raw) is None:
            todo.append((len(raw), path))
    if sum(size for size, _ in todo) < PARALLEL_BYTES or len(todo) < 2:
        return 0
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    todo.sort(reverse=True)  # largest first, for an even split
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(yamlio.warm, [p for _, p in todo]))
    return len(todo)


def load_documents(files: list[tuple[Path, str | None]], progress: Progress | None = None,
                   replacing: dict[Path, str] | None = None) -> tuple[dict[str, list[YamlDocument]], list[Problem]]:
    """Load and schema-check files; the documents that passed, by kind, and all problems.

    ``replacing`` maps resolved paths to the text to read instead of the file
    (which need not exist): what the project would be if those files held it.
    """
    replacing = replacing or {}
    warm_cache([p for p, _ in files if p.resolve() not in replacing])
    by_kind: dict[str, list[YamlDocument]] = {k: [] for k in FILE_TYPES}
    problems: list[Problem] = []
    for n, (path, default) in enumerate(files, 1):
        shown = display_path(path)
        if progress is not None:
            progress(n, len(files), shown)
        text = replacing.get(path.resolve())
        doc, probs = yamlio.load(path, shown) if text is None else yamlio.loads(text, shown)
        if doc is None or not isinstance(doc.data, dict):
            problems.extend(probs)
            if doc is not None:
                problems.append(Problem(shown, 1, 1, "wrong-type", "$", "a gapcheck file is a YAML mapping",
                                        "a mapping", schemas.describe(doc.data)))
            continue
        kind, prob = file_type(doc, default)
        if prob is not None:
            problems.extend(probs + [prob])
            continue
        assert kind is not None  # file_type gives either a kind or the problem
        schema_problems = schemas.validate(doc, kind)
        # one mistake, one line: a schema error where YAML already failed, or a YAML 1.1 warning on a refused value
        already = {p.path for p in probs if p.severity == "error"}
        refused = {p.path for p in schema_problems}
        problems.extend(p for p in probs if not (p.code == "yaml-boolean-word" and p.path in refused))
        problems.extend(p for p in schema_problems if p.path not in already)
        skips = doc.record_skips(KEYED_RECORDS.get(kind))
        if skips is None:
            by_kind.setdefault("broken-" + kind, []).append(doc)
            continue
        doc.skips = skips
        by_kind[kind].append(doc)
    return by_kind, problems
