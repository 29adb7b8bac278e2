"""業務IDs: which operation a requirement ID's first three digits belong to, and how sure the registry is.

A requirement ID is 7 digits: a 3-digit 業務ID and a 4-digit serial.  The
registry lists, per operation, the 業務IDs a source gives (several per
operation, some shared, some 未確認).  :class:`PrefixIndex` answers, for an ID
in one operation's catalogue (or workbook), one of:

* fine: its 業務ID is the operation's own (or the catalogue's declared one);
* an error: the 業務ID is a verified one of another operation (named);
* a warning: the 業務ID is listed for another operation, but 未確認;
* an error: nobody lists the 業務ID and the operation's own list is all
  verified (so it is taken as complete);
* fine otherwise: an operation whose list is empty or 未確認 may well have
  業務IDs nobody has recorded yet.

The loader and ``spec import`` ask the same question, so a workbook and the
catalogue it becomes are judged alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gapcheck.core.errors import Severity
from gapcheck.core.messages import Msg, listing
from gapcheck.core.model import Operation


@dataclass(frozen=True)
class PrefixVerdict:
    """What is wrong (or doubtful) with the 業務ID of one requirement ID."""

    code: str
    """``id-prefix-mismatch`` (error) or ``id-prefix-unverified`` (warning)."""
    severity: Severity
    message: str
    expected: str


def _problem(code: str, severity: Severity, message: str, expected: str) -> PrefixVerdict:
    """The verdict of one ID (the loader and ``spec import`` turn it into their :class:`~gapcheck.core.errors.Problem`)."""
    return PrefixVerdict(code, severity, message, expected)


def prefix_list(op: Operation, declared: str | None = None) -> str:
    """The operation's 業務IDs as people read them: ``014（収納管理・未確認）, 015（滞納管理・未確認）``."""
    shown = []
    for p in op.prefixes:
        notes = [n for n in (p.name, "" if p.verified else "未確認") if n]
        shown.append(p.code + (f"（{'・'.join(notes)}）" if notes else ""))
    if declared and declared not in {p.code for p in op.prefixes}:
        shown.append(declared)
    return ", ".join(shown)


class PrefixIndex:
    """The registry's 業務IDs, by 業務ID: which operations list it, and whether verified."""

    def __init__(self, operations: Iterable[Operation]):
        self.owners: dict[str, list[tuple[Operation, bool]]] = {}
        self._own: dict[tuple[str, str | None], frozenset[str]] = {}
        for op in operations:
            for p in op.prefixes:
                self.owners.setdefault(p.code, []).append((op, p.verified))

    def check(self, rid: str, op: Operation, declared: str | None = None) -> PrefixVerdict | None:
        """None when the 7-digit ``rid`` may belong to ``op`` (a catalogue declaring ``declared``), else the verdict."""
        code = rid[:3]
        own = self._own.get((op.code, declared))
        if own is None:  # once per operation and catalogue: IDs are checked by the ten thousand
            own = self._own[(op.code, declared)] = frozenset({p.code for p in op.prefixes} | ({declared} if declared else set()))
        if code in own:
            return None
        others = [(o, v) for o, v in self.owners.get(code, []) if o.code != op.code]
        verified = [o for o, v in others if v]
        expected = Msg("an-id-starting", prefixes=listing(sorted(own))) if own else Msg("an-id-of-this-spec")
        if verified:
            names = ", ".join(f"{o.name} ({o.code})" for o in verified)
            return _problem("id-prefix-mismatch", "error", Msg("id-prefix-mismatch", code=code, names=names, name=op.name),
                            expected)
        if others:
            names = ", ".join(f"{o.name} ({o.code})" for o, _ in others)
            return _problem("id-prefix-unverified", "warning", Msg("id-prefix-unverified", code=code, names=names, name=op.name),
                            expected)
        if op.complete_prefixes or (declared and not op.prefixes):
            return _problem("id-prefix-mismatch", "error", Msg("ids-start-with", name=op.name, prefixes=prefix_list(op, declared)),
                            expected)
        return None

    def declared(self, declared: str, op: Operation) -> PrefixVerdict | None:
        """A catalogue's own ``prefix:`` checked against the registry: None when it may be the operation's."""
        verdict = self.check(declared + "0000", op)
        if verdict is None or verdict.severity == "warning":
            return verdict
        return _problem("prefix-mismatch", "error",
                        Msg("registry-gives", name=op.name, prefixes=prefix_list(op)) if op.complete_prefixes else verdict.message,
                        listing([repr(p.code) for p in op.prefixes]) if op.complete_prefixes else
                        Msg("a-prefix-of-this-operation"))
