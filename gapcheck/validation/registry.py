"""The operation registry: the packaged one of the 20 operations and 共通機能, or the user's own file.

Part of :func:`gapcheck.validation.project.load_project`.  Each operation has
its 業務IDs (``prefixes``, several allowed, some 未確認); the older single
``prefix:`` of user registries is still read as a one-item list.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from gapcheck.core.errors import Problem
from gapcheck.core.messages import Msg
from gapcheck.core.model import Operation, Prefix
from gapcheck.core.paths import display_path
from gapcheck.loading import schema as schemas
from gapcheck.loading import yamlio
from gapcheck.loading.convert import json_path
from gapcheck.loading.yamlio import YamlDocument


def load_registry(path: Path | None) -> tuple[tuple[Operation, ...], list[Problem]]:
    """The operation registry: the packaged one, or the file at ``path``."""
    if path is None:
        ref = resources.files("gapcheck").joinpath("data", "operations.yaml")
        doc, problems = yamlio.loads(ref.read_text("utf-8"), "<packaged operations.yaml>")
    else:
        doc, problems = yamlio.load(path, display_path(path))
    if doc is None:
        return (), problems
    problems += schemas.validate(doc, "registry")
    if any(p.severity == "error" for p in problems):
        return (), problems
    ops, seen = [], set()
    for i, raw in enumerate(doc.data["operations"]):
        if raw["code"] in seen:
            line, col = doc.locate(("operations", i, "code"))
            problems.append(Problem(doc.file, line, col, "duplicate-operation", json_path(("operations", i, "code")),
                                    Msg("duplicate-operation", code=raw['code']), Msg("unique-codes"), repr(raw["code"])))
            continue
        seen.add(raw["code"])
        prefixes = _prefixes(doc, i, raw, problems)
        ops.append(Operation(raw["code"], raw["name"], raw.get("ministry"), prefixes, raw.get("spec_title"),
                             bool(raw.get("shared", False))))
    return tuple(ops), problems


def _prefixes(doc: YamlDocument, i: int, raw: dict[str, Any], problems: list[Problem]) -> tuple[Prefix, ...]:
    """An operation's 業務IDs: ``prefixes: [...]`` (text or {code, name, verified}), or the older single ``prefix:``."""
    if "prefix" in raw and "prefixes" in raw:
        line, col = doc.locate(("operations", i, "prefix"))
        problems.append(Problem(doc.file, line, col, "prefix-and-prefixes", json_path(("operations", i, "prefix")),
                                Msg("prefix-and-prefixes"), Msg("either-field"), Msg("both-fields")))
    if "prefixes" not in raw:
        return (Prefix(raw["prefix"]),) if raw.get("prefix") else ()
    out: list[Prefix] = []
    for j, p in enumerate(raw["prefixes"]):
        entry = Prefix(p) if isinstance(p, str) else Prefix(p["code"], p.get("name", ""), bool(p.get("verified", True)))
        if any(o.code == entry.code for o in out):
            line, col = doc.locate(("operations", i, "prefixes", j))
            problems.append(Problem(doc.file, line, col, "duplicate-prefix", json_path(("operations", i, "prefixes", j)),
                                    Msg("duplicate-prefix", code=entry.code, operation=raw['code']), Msg("each-prefix-once"),
                                    repr(entry.code)))
            continue
        out.append(entry)
    return tuple(out)
