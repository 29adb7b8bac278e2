"""The vendor's worksheet for one spec version, filled in from the mapping that exists (``gapcheck mapping template``).

:func:`prefill` finds the mapping to start from: the one made against the
version, else the newest older one, carried over (judgements of re-worded
requirements left empty for review).  :func:`mapping_template` builds the
workbook (or YAML) bytes; the caller writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from gapcheck.core.errors import UsageError
from gapcheck.core.messages import Msg
from gapcheck.core.model import Project


@dataclass(frozen=True)
class MappingTemplate:
    """A worksheet made for one operation and spec version."""

    data: bytes | str
    version: str
    requirements: int
    """Requirements listed."""
    custom: int
    """Current items listed as without counterpart."""
    notes: list[str] = field(default_factory=list)
    """What it was filled in from, and what a carry-over dropped or left to judge again."""
    suggestions: int = 0
    """Suggested links listed on the 候補 sheet (``suggest``)."""
    suggested: int = 0
    """Items with at least one suggested link."""


def mapping_template(project: Project, operation: str, spec_version: str | None = None,
                     fmt: Literal["xlsx", "yaml"] | str = "xlsx", mapping: Path | None = None,
                     blank: bool = False, suggest: bool = False, shown: str = "<mapping template>") -> MappingTemplate:
    """The worksheet of ``operation`` (newest version unless ``spec_version``), prefilled unless ``blank``.

    ``shown`` names the workbook in a ``cell-too-long`` problem (text longer than an Excel cell holds).

    With ``suggest``, the items with no link get their suggested links
    (:mod:`gapcheck.vendor.worksheet_suggest`): to judge, never judgements.
    """
    from gapcheck.analysis.specdiff import resolve_version
    from gapcheck.vendor.kinds import template_items
    from gapcheck.vendor.worksheet import build_template, template_xlsx, template_yaml
    from gapcheck.vendor.worksheet_suggest import worksheet_suggestions

    op = project.operation(operation)
    if op is None:
        raise UsageError(Msg("unknown-operation-usage", code=operation))
    if not project.versions(operation):
        raise UsageError(Msg("no-catalogue-import", code=operation))
    version = resolve_version(project, operation, spec_version) if spec_version else project.versions(operation)[-1]
    catalogue = project.catalogue(operation, version)
    assert catalogue is not None
    doc, review, notes = (None, {}, []) if blank else prefill(project, operation, version, mapping)
    items = template_items(project, operation)  # a shared scope (共通機能): every operation's items after its own
    own = [i for i in items if i.operation == operation]
    found = worksheet_suggestions(project, catalogue, own, doc) if suggest else None
    template = build_template(catalogue, items, doc, op.name, review, found)
    data: bytes | str = template_xlsx(template, shown) if fmt == "xlsx" else template_yaml(template, catalogue, doc, items)
    return MappingTemplate(data, version, len(catalogue.requirements), len(template.custom), notes,
                           len(template.suggestions or ()), sum(bool(v) for v in (found or {}).values()))


def prefill(project: Project, operation: str, version: str, mapping: Path | None
             ) -> tuple[dict[str, Any] | None, dict[tuple[str, str], str], list[str]]:
    """The mapping to fill the template from: the one made against ``version``, else the newest older one carried over.

    Returns (document, review, lines to report); (None, {}, []) when there is none.
    """
    from gapcheck.core.ids import version_key
    from gapcheck.loading import yamlio
    from gapcheck.vendor.kinds import kind_rule
    from gapcheck.vendor.worksheet import carry_over, mapping_document

    mine = [m for m in project.mappings if m.operation == operation and version_key(m.spec_version) <= version_key(version)]
    if mapping is not None:
        mine = [m for m in mine if Path(m.file).resolve() == mapping.resolve()]
        if not mine:
            raise UsageError(Msg("not-a-loaded-mapping", mapping=str(mapping), code=operation, version=version))
    elif mine:
        best = max((m.spec_version for m in mine), key=version_key)
        mine = [m for m in mine if m.spec_version == best]
    if not mine:
        return None, {}, []
    if len(mine) > 1:
        raise UsageError(Msg("several-mappings", n=len(mine), code=operation, version=mine[0].spec_version,
                             files=", ".join(m.file for m in mine)))
    found = mine[0]
    raw, _ = yamlio.load(Path(found.file))
    doc = mapping_document(found, raw.data if raw is not None and isinstance(raw.data, dict) else None,
                           kind_rule(project, operation, found.spec_version))
    if found.spec_version == version:
        return doc, {}, [Msg("filled-in-from", file=found.file)]
    old, new = project.catalogue(operation, found.spec_version), project.catalogue(operation, version)
    assert old is not None and new is not None
    moved = carry_over(doc, old, new, project.inventory.items if project.inventory else ())
    review = len(moved.needs_review)  # judgements to make again; a class change alone keeps its judgement
    lines: list[str] = [Msg("carried-over", file=found.file, old=found.spec_version, links=len(moved.mapping.get('links', [])),
                            version=version, review=review, dropped=len(moved.dropped))]
    lines += [Msg("dropped-link", what=d) for d in moved.dropped]
    return moved.mapping, moved.review, lines


