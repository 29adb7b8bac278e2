"""What the project covers: which file belongs to which operation, no inputs at all, operations with no catalogue.

Part of :func:`gapcheck.validation.project.load_project`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gapcheck.core.config import Config
from gapcheck.core.errors import Problem
from gapcheck.core.messages import Msg
from gapcheck.core.paths import display_path

if TYPE_CHECKING:  # a cached run reads a Part back without importing the YAML reader
    from gapcheck.loading.yamlio import YamlDocument


@dataclass(frozen=True)
class Part:
    """Some of a project's files, to be loaded and checked without the others (``load_project(part=...)``).

    The result cache loads a part when a few operations' files changed in a project that was found
    clean: those operations, the shared scopes (whose mappings name any operation's items) and the
    files of no operation (inventory, plan).  ``catalogued`` names the operations whose catalogues are
    among the files left out, so that they are not reported missing.
    """

    files: frozenset[str]
    """The files to load, as shown in problems."""
    catalogued: frozenset[str] = frozenset()


def file_operations(config: Config, files: list[tuple[Path, str | None]], docs: dict[str, list[YamlDocument]],
                     codes: set[str]) -> dict[str, str]:
    """Which operation each catalogue and mapping file belongs to: its ``operation:`` field, else its place
    (``specs/<code>/…``, ``mappings/<code>.yaml``) when the file could not be read far enough to say."""
    owners: dict[str, str] = {}
    for path, kind in files:
        shown = display_path(path)
        if kind == "catalogue" and path.is_relative_to(config.specs) and len(path.relative_to(config.specs).parts) > 1:
            owners[shown] = path.relative_to(config.specs).parts[0]
        elif kind == "mapping" and path.stem in codes:
            owners[shown] = path.stem
    for kind in ("catalogue", "mapping", "broken-catalogue", "broken-mapping"):
        for doc in docs.get(kind, []):
            op = doc.data.get("operation") if isinstance(doc.data, dict) else None
            if isinstance(op, str) and op in codes:
                owners[doc.file] = op
    return owners


def no_inputs(config: Config) -> Problem:
    """No inventory at all: a wrong path (option, gapcheck.toml, CI job) must not pass as an empty success."""
    looked = ", ".join(display_path(f) for f in (config.specs, config.current_system, config.mappings))
    return Problem(display_path(config.current_system), 0, 0, "no-inputs", "$",
                   Msg("no-inputs", looked=looked), Msg("an-inventory-file-tagged"), Msg("found-none"))


def catalogues_missing(b: Any, elsewhere: frozenset[str] = frozenset()) -> None:
    """A warning per operation the inventory lists whose spec catalogue is not loaded yet (as right after
    ``gapcheck init``): it cannot be analysed until one is imported.  ``elsewhere``: operations whose
    catalogues are in files a :class:`Part` leaves out."""
    catalogued = {c.operation for c in b.catalogues.values()} | b.broken_catalogues | elsewhere
    for doc in b.inventory_docs:
        na = {x.get("operation") for x in doc.data.get("not_applicable", []) if isinstance(x, dict)}
        for code in doc.data.get("operations", {}):
            if code in b.operations and code not in catalogued and code not in na:
                b.problem(doc, ("operations", code), "catalogue-missing",
                          Msg("catalogue-missing", name=b.operations[code].name, code=code),
                          f"specs/{code}/<version>.yaml", Msg("found-none"), key=True, severity="warning")
