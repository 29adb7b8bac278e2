"""Files to documents: find the inputs of a project, tell their kind, parse and schema-check them.

:func:`load_documents` returns the documents that passed layers 1 and 2
(the file itself, its schema) by kind; the meaning checks of layer 3 happen
in :mod:`gapcheck.validation`.  Large files missing from the parse cache are
parsed in worker processes first (:func:`warm_cache`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gapcheck.core.config import Config
from gapcheck.core.errors import Problem
from gapcheck.core.messages import Msg
from gapcheck.core.paths import display_path
from gapcheck.loading.files import read_input, scan

if TYPE_CHECKING:  # the YAML reader and the schemas are imported where files are parsed: a cached run never needs them
    from gapcheck.loading.yamlio import YamlDocument

FILE_TYPES = ("catalogue", "inventory", "mapping", "registry", "plan", "policy")


Progress = Callable[[int, int, str], None]


KEYED_RECORDS = {"plan": {"operations": 2}}
"""Per file kind, top-level mappings whose entries are records (skipped alone when they hold errors)."""


def file_type(doc: YamlDocument, default: str | None) -> tuple[str | None, Problem | None]:
    """The kind of a loaded file from its ``gapcheck:`` tag, else from its folder."""
    from gapcheck.loading import schema as schemas

    data = doc.data
    tag = data.get("gapcheck") if isinstance(data, dict) else None
    if isinstance(tag, str) and "/" in tag and tag.split("/")[0] in FILE_TYPES:
        return tag.split("/")[0], None
    if default is not None:
        return default, None
    line, col = doc.locate(("gapcheck",))
    expected = Msg("one-of", values=", ".join(f"'{t}/1'" for t in FILE_TYPES))
    return None, Problem(doc.file, line, col, "unknown-file-type", "$.gapcheck", Msg("unknown-file-type"), expected,
                         schemas.describe(tag) if isinstance(data, dict) and "gapcheck" in data else Msg("no-gapcheck-field"))


def folder_problems(config: Config) -> list[Problem]:
    """A data folder that does not exist (a typo in an option or in gapcheck.toml) is an error, not an empty project."""
    out = []
    for folder, what in ((config.specs, "folder-specs"), (config.current_system, "folder-inventory"),
                         (config.mappings, "folder-mappings")):
        if not folder.is_dir():
            out.append(Problem(display_path(folder), 0, 0, "folder-missing", "$", Msg("folder-missing", what=Msg(what)),
                               Msg("a-folder"), Msg("found-nothing") if not folder.exists() else Msg("a-file"),
                               severity="warning"))
    return out


def discover(config: Config) -> list[tuple[Path, str]]:
    """Every YAML file of the project's data folders, with its folder's default kind."""
    return scan_project(config)[0]


def scan_project(config: Config) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Every input of the data folders with its folder's default kind, and the problems of their other entries.

    Extensions match in any case (``.YAML``); an entry that cannot be listed
    is a problem, and a file that is not read a ``file-ignored`` warning
    (:func:`gapcheck.loading.files.scan`).
    """
    known = frozenset(p for p in (config.history_path, config.policy_path, config.registry, config.plan) if p is not None)
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for folder, kind in ((config.specs, "catalogue"), (config.current_system, "inventory"), (config.mappings, "mapping")):
        if folder.is_dir():
            files, probs = scan(folder, known=known)
            found.extend((p, kind) for p in files)
            problems.extend(p for p in probs if Path(p.file) not in seen)
            seen.update(Path(p.file) for p in probs)
    return found, problems


PARALLEL_BYTES = 2 * 1024 * 1024
"""Above this many bytes of files not yet in the parse cache, some of them are parsed in worker processes."""

WORKER = "import os, sys; from gapcheck.loading.yamlio import warm; [warm(p) for p in sys.argv[1:]]; os._exit(0)"
"""What a parse worker runs: a fresh ``python -P -c`` (no working folder on ``sys.path``), so nothing of the
caller's own script runs again in it, and it imports the same gapcheck (its folder leads ``PYTHONPATH``).  Its
entries are written and closed file by file, so once they are all written it leaves without the interpreter's
teardown, which this process waits for (a failure still exits as Python does: not 0, and its files are parsed
here)."""


class Parsing:
    """Files being parsed into the parse cache by worker processes while this process loads the others."""

    def __init__(self, paths: set[Path], procs: list[subprocess.Popen[bytes]] | None = None,
                 own: list[Path] | None = None):
        self.paths = paths
        """The files handed to the workers: load them only after :meth:`wait` (a worker that failed costs only
        time: its files are then parsed here)."""
        self.own = own or []
        """The files not yet cached that this process keeps to parse itself."""
        self._procs = procs or []

    def wait(self) -> None:
        """Until every worker is done."""
        for proc in self._procs:
            proc.wait()
        self._procs = []


def start_parsing(paths: list[Path], min_bytes: int | None = None) -> Parsing:
    """Hand part of the files missing from the parse cache to worker processes, and return at once.

    With ``n`` cores, ``n - 1`` workers (at most 3) each get an equal share
    of the bytes to parse, largest files first, and this process keeps a
    share for itself: it parses its own while the workers start and parse
    theirs, instead of waiting idle for them and then reading everything
    back.  Nothing is handed over with one core, with the cache off, or when
    there is too little to parse to repay starting a worker (``min_bytes``,
    default :data:`PARALLEL_BYTES`).  The workers are new interpreters
    started with :mod:`subprocess`, not ``multiprocessing``: its ``spawn``
    start re-imports the caller's ``__main__``, so a library user's script
    without an ``if __name__ == "__main__"`` guard ran again in every worker
    and the pool broke; ``fork`` is unsafe in a process with threads.
    """
    from gapcheck.loading import parsecache

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = min(cores - 1, 3)
    folder = parsecache.directory()
    if workers < 1 or folder is None or not sys.executable:
        return Parsing(set())
    todo = _uncached(paths, parsecache)
    if sum(size for size, _ in todo) < (PARALLEL_BYTES if min_bytes is None else min_bytes) or len(todo) < 2:
        return Parsing(set())
    shares: list[list[Path]] = [[] for _ in range(workers + 1)]  # the last share is this process's own
    loads = [0] * len(shares)
    for size, path in sorted(todo, key=lambda t: (-t[0], str(t[1]))):  # largest first, each to the least loaded
        i = loads.index(min(loads))
        shares[i].append(path)
        loads[i] += size
    root = str(Path(__file__).resolve().parents[2])  # the gapcheck being run, wherever it was imported from
    env = {**os.environ, "GAPCHECK_CACHE_DIR": str(folder.absolute()),
           "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
    procs, given = [], set()
    for share in (s for s in shares[:-1] if s):
        try:
            procs.append(subprocess.Popen([sys.executable, "-P", "-c", WORKER, *map(str, share)], env=env,
                                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        except OSError:
            break
        given.update(share)
    return Parsing(given, procs, [p for _, p in todo if p not in given])


def warm_cache(paths: list[Path], min_bytes: int | None = None) -> int:
    """Parse the files missing from the parse cache into it, partly in worker processes (:func:`start_parsing`);
    returns how many the workers parsed."""
    from gapcheck.loading import yamlio

    parsing = start_parsing(paths, min_bytes)
    for path in parsing.own:
        yamlio.warm(path)
    parsing.wait()
    return len(parsing.paths)


def _uncached(paths: list[Path], parsecache: Any) -> list[tuple[int, Path]]:
    """(size, path) of the regular files large enough for the cache and not yet in it (probed by stat)."""
    todo = []
    for path in paths:
        try:
            if os.stat(path).st_size < parsecache.MIN_BYTES:
                continue
        except OSError:
            continue
        raw, _ = read_input(path, str(path))
        if raw is not None and len(raw) >= parsecache.MIN_BYTES and not parsecache.has(raw):
            todo.append((len(raw), path))
    return todo


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
    from gapcheck.loading import schema as schemas
    from gapcheck.loading import yamlio

    shown = display_path(path)
    doc, probs = yamlio.load(path, shown) if text is None else yamlio.loads(text, shown)
    if doc is None or not isinstance(doc.data, dict):
        if doc is not None:
            probs = probs + [Problem(shown, 1, 1, "wrong-type", "$", Msg("not-a-mapping-file"),
                                     Msg("type-mapping"), schemas.describe(doc.data))]
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
