"""``gapcheck spec diff`` as text: one line per change and per impact on the mappings.

Every line goes through :func:`~gapcheck.core.escape.visible`: a title holding a newline, CR or ESC is one line
with escapes, never raw control characters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gapcheck.core.escape import visible
from gapcheck.core.labels import CLASS_LABELS
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions

if TYPE_CHECKING:
    from gapcheck.analysis.specdiff import SpecDiff


def render_text(diff: SpecDiff, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """A spec diff as plain text, one line per change and per impact."""
    def cls(k: str | None) -> str:
        return CLASS_LABELS.get(k, k) if k else "—"

    def short(text: str | None) -> str:
        one = (text or "").replace("\n", " ")
        return repr(one if len(one) <= 40 else one[:39] + "…")

    s = diff.summary
    lines = [f"{diff.operation} {diff.old_version} -> {diff.new_version}: "
             + ", ".join(f"{s[k]} {k}" for k in ("added", "removed", "reworded", "retitled", "reclassified"))]
    for c in diff.changes:
        if c.change in ("added", "removed"):
            detail = f"{cls(c.after or c.before)} {c.title}"
        elif c.change == "reclassified":
            detail = f"{c.title}: {cls(c.before)} -> {cls(c.after)}"
        else:
            detail = f"{c.title}: {short(c.before)} -> {short(c.after)}"
        lines.append(f"  {c.change:<13}{c.id}  {detail}")
    lines.append(f"impact on mappings: {s['broken']} broken, {s['stale']} stale link(s), "
                 f"{s['new-gap']} new gap(s), {s['new-violation']} new violation(s)")
    for i in diff.links:
        why = ", ".join(i.changes) + (f" since {i.mapping_version}" if i.state == "stale" else f" in {diff.new_version}")
        lines.append(f"  {i.state:<14}{i.mapping}:{i.line}  {i.item} -> {i.requirement} ({i.judgement}; {why})")
    for c in diff.mandatory + diff.forbidden:
        was = f"was {cls(c.before)}" if c.before else "new"
        by = f"; {', '.join(c.items)}" if c.items else ""
        lines.append(f"  {c.state:<14}{c.requirement}  {c.title}: {cls(c.after)} ({was}){by}")
    return "".join(visible(line) + "\n" for line in lines)  # a title with a CR or ESC cannot rewrite a line
