"""Requirement tables: the one-line-per-requirement text each operation module holds.

A line is ``[ID] K C 大/中/小 | [title |] summary``: an optional 7-digit ID,
the kind (``F`` function, ``R`` form), the class (``M`` 実装必須, ``O``
標準オプション, ``X`` 実装不可), the category path, then the title (the last
category level when left out) and the summary.
"""

from __future__ import annotations

from .model import CLASS_CODES, FICTIONAL_NOTE, KIND_CODES, Req


def parse_table(table: str, prefix: str, note: str = FICTIONAL_NOTE) -> list[Req]:
    """Requirements from a table; IDs are given (``0230201 F M ...``) or numbered here.

    Numbered IDs put functions at serials 0201- and forms at 0011-, as real
    specs keep functions and forms in separate serial ranges.
    """
    serial = {"function": 201, "form": 11}
    reqs: list[Req] = []
    for line in (ln.strip() for ln in table.strip().splitlines()):
        head, *rest = (part.strip() for part in line.split("|"))
        words = head.split()
        given = words[0] if words[0].isdigit() else None
        kind_code, class_code, path = words[-3:]
        kind = KIND_CODES[kind_code]
        if given is None:
            given = f"{prefix}{serial[kind]:04d}"
            serial[kind] += 1
        category = tuple(path.split("/"))
        title, summary = (rest[0], rest[1]) if len(rest) == 2 else (category[-1], rest[0])
        reqs.append(Req(given, kind, CLASS_CODES[class_code], title, category, summary, note))
    return reqs
