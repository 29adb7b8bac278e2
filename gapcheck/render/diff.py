"""``gapcheck spec diff`` as text: one line per change and per impact on the mappings.

Every line goes through :func:`~gapcheck.core.escape.visible`: a title holding a newline, CR or ESC is one entry
with escapes, never raw control characters.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gapcheck.core.escape import visible
from gapcheck.core.labels import CLASS_LABELS, STATE_LABELS, ref_label
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions

if TYPE_CHECKING:
    from gapcheck.analysis.specdiff import SpecDiff


CHANGE_LABELS = {"added": "追加", "removed": "削除", "reworded": "文言変更", "retitled": "名称変更",
                 "reclassified": "区分変更"}
"""What a revision did to a requirement, in Japanese."""
IMPACT_LABELS = {"broken": "対応切れ", "stale": "要再確認", "new-gap": "新たなギャップ", "new-violation": "新たな違反",
                 "not-done": "実装不可・該当なし"}
"""What a revision does to a mapping, in Japanese."""
JUDGEMENTS = {"fit": "○", "partial": "△", "gap": "×"}
CLOSING = "）」』】、。・"
"""Marks that never start a line in Japanese (禁則)."""


def render_text(diff: SpecDiff, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """A spec diff in Japanese, one entry per change and per impact, wrapped to ``options.width``.

    Lines are folded at spaces (IDs, paths and codes are never broken) and
    continue under their first word; every entry names the version it is about.
    """
    from rich.text import Text

    from gapcheck.render.terminal import text_console

    console = text_console(options)
    for line in map(visible, _lines(diff)):  # a title with a CR or ESC cannot rewrite a line
        indent = len(line) - len(line.lstrip(" ")) + 2
        console.print(Text(_hanging(line, indent, options.width)))  # Text: input never read as rich markup
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]  # the StringIO of text_console


def _hanging(line: str, indent: int, width: int) -> str:
    """``line`` folded to ``width`` cells, later lines indented by ``indent``.

    Breaks at spaces; a word too long for a line is broken between
    characters only when it holds Japanese text (where any place is a valid
    break), never an ASCII word such as an ID, a path or a code.
    """
    from rich.cells import cell_len

    lead = len(line) - len(line.lstrip(" "))
    out: list[str] = []
    current = " " * lead
    for word in line[lead:].split(" "):
        sep = "" if current.strip() == "" else " "
        if cell_len(current + sep + word) <= width or current.strip() == "" and not _japanese(word):
            current += sep + word
            continue
        if _japanese(word):  # break beside a Japanese character only, so IDs and paths inside stay whole
            last = ""
            for piece in re.findall(r"[\u2e80-\uffff]|[^\u2e80-\uffff]+", sep + word):
                if cell_len(current + piece) > width and current.strip():
                    carry = last if piece in CLOSING and last else ""  # 禁則: a closing mark never starts a line
                    out.append(current[: len(current) - len(carry)].rstrip())
                    current = " " * indent + carry
                    piece = piece.lstrip()
                current += piece
                last = piece
            continue
        out.append(current)
        current = " " * indent + word
    out.append(current)
    return "\n".join(out)


def _japanese(word: str) -> bool:
    return any("\u2e80" <= ch <= "\uffff" for ch in word)


def _lines(diff: SpecDiff) -> list[str]:
    def cls(k: str | None) -> str:
        return CLASS_LABELS.get(k, k) if k else "—"

    def short(text: str | None) -> str:
        one = (text or "").replace("\n", " ")
        return "「" + (one if len(one) <= 40 else one[:39] + "…") + "」"

    s = diff.summary
    new = f"第{diff.new_version}版"
    lines = [f"{diff.operation} 第{diff.old_version}版 → {new}: "
             + "、".join(f"{CHANGE_LABELS[k]} {s[k]}" for k in CHANGE_LABELS)]
    for c in diff.changes:
        if c.change in ("added", "removed"):
            detail = f"{cls(c.after or c.before)} {c.title}（{new}で{CHANGE_LABELS[c.change]}）"
        elif c.change == "reclassified":
            detail = f"{c.title}: {cls(c.before)} → {cls(c.after)}（{new}）"
        else:
            detail = f"{c.title}: {short(c.before)} → {short(c.after)}（{new}）"
        lines.append(f"  {CHANGE_LABELS[c.change]} {ref_label(c.ref)} {detail}")
    lines.append(f"対応表への影響: {IMPACT_LABELS['broken']} {s['broken']}、{IMPACT_LABELS['stale']} {s['stale']}、"
                 f"{IMPACT_LABELS['new-gap']} {s['new-gap']}、{IMPACT_LABELS['new-violation']} {s['new-violation']}")
    for i in diff.links:
        what = "・".join(CHANGE_LABELS.get(c, c) for c in i.changes)
        when = f"第{i.changed_in or diff.new_version}版で{what}、対応表は第{i.mapping_version}版"
        lines.append(f"  {IMPACT_LABELS[i.state]} {i.mapping}:{i.line} {i.item} → {ref_label(i.ref)}"
                     f"（{JUDGEMENTS.get(i.judgement, i.judgement)}; {when}）")
    for k in diff.mandatory + diff.forbidden:
        was = f"旧区分 {cls(k.before)}" if k.before else f"{new}で追加"
        by = f"; 現行 {', '.join(k.items)}" if k.items else ""
        state = IMPACT_LABELS.get(k.state) or STATE_LABELS.get(k.state, k.state)
        lines.append(f"  {state} {ref_label(k.ref)} {k.title}: {cls(k.after)}（{was}）{by}")
    return lines
