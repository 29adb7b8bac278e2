"""The domain objects gapcheck loads: operations, requirements, inventory, mappings.

All are frozen dataclasses holding normalised values (ASCII codes, ISO date
strings).  Japanese labels for people live in :mod:`gapcheck.labels`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gapcheck.core.errors import Problem
    from gapcheck.core.plan import Plan

CLASSES = ("mandatory", "optional", "forbidden")
"""Implementation classes (実装区分): 実装必須, 標準オプション, 実装不可."""

CLASS_FROM_TEXT = {
    "実装必須": "mandatory", "標準オプション": "optional", "実装不可": "forbidden",
    "mandatory": "mandatory", "optional": "optional", "forbidden": "forbidden",
}
CLASS_WORDS = ("実装必須", "標準オプション", "実装不可")
_TYPE_CLASS = re.compile(r"【?類型[0-9]+[:：・]?(実装必須|標準オプション|実装不可)(?:機能|帳票)?】?\Z")
"""共通機能 spellings such as 【類型1 実装必須機能】 (after NFKC and without spaces); the words decide, never the number."""


def class_from_text(text: str) -> str | None:
    """The implementation class of ``text`` (``mandatory``, ``optional``, ``forbidden``), None when unknown.

    Accepts the plain words (実装必須, mandatory, ...) and the 類型 spellings of
    共通機能標準仕様書 (【類型1 実装必須機能】 ...), mapped by their words: the
    number in 類型N is never used, so a list that numbers its classes otherwise
    still reads right.
    """
    known = CLASS_FROM_TEXT.get(text)
    if known is not None:
        return known
    folded = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    m = _TYPE_CLASS.match(folded)
    return CLASS_FROM_TEXT[m.group(1)] if m else CLASS_FROM_TEXT.get(folded)


def class_hint(text: str) -> str:
    """``; did you mean '実装必須'?`` (a :class:`~gapcheck.core.messages.Msg`) for a near spelling of a class word, else empty."""
    import difflib

    from gapcheck.core.messages import Msg

    words = list(CLASS_WORDS) + ["mandatory", "optional", "forbidden"]
    near = difflib.get_close_matches(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)), words, n=1, cutoff=0.5)
    return Msg("hint-did-you-mean", word=near[0]) if near else ""


KINDS = ("function", "form")
JUDGEMENTS = ("fit", "partial", "gap")
JUDGEMENT_FROM_TEXT = {"fit": "fit", "partial": "partial", "gap": "gap", "○": "fit", "△": "partial", "×": "gap",
                       "〇": "fit", "◯": "fit", "✕": "gap", "x": "gap"}
"""Judgements as written: the words, or the marks of Japanese RFP sheets (IME variants of ○ and × included)."""
DISPOSITIONS = ("undecided", "abolish", "replace", "euc", "external")


@dataclass(frozen=True, slots=True)
class Prefix:
    """One 業務ID: the 3 digits that start the requirement IDs of (a part of) an operation's spec."""

    code: str
    """The 3 digits, e.g. ``023``."""
    name: str = ""
    """What the 業務ID covers where it is narrower than the operation, e.g. 収納管理."""
    verified: bool = True
    """False for a 業務ID known only from a secondary source (未確認): an ID against it is a warning, not an error."""


@dataclass(frozen=True, slots=True)
class Operation:
    """One of the 20 target operations (基幹業務), or another scope such as 共通機能."""

    code: str
    """ASCII code, e.g. ``kaigo``."""
    name: str
    """Japanese name, e.g. 介護保険."""
    ministry: str | None = None
    """Responsible ministry (所管府省) where known."""
    prefixes: tuple[Prefix, ...] = ()
    """The 業務IDs starting its requirement IDs, where a source gives them (never invented; may be shared)."""
    spec_title: str | None = None
    """Title of the standard specification, e.g. 介護保険システム標準仕様書."""
    shared: bool = False
    """A shared scope (共通機能): its mapping may link inventory items of any operation's system."""

    @property
    def prefix(self) -> str | None:
        """The operation's one 業務ID when it has exactly one (4-digit serials are made 7 digits with it), else None."""
        return self.prefixes[0].code if len(self.prefixes) == 1 else None

    @property
    def complete_prefixes(self) -> bool:
        """True when every listed 業務ID is verified: an ID starting otherwise is then an error, not a gap in the list."""
        return bool(self.prefixes) and all(p.verified for p in self.prefixes)


@dataclass(frozen=True, slots=True)
class Requirement:
    """One function or form requirement of one spec version."""

    operation: str
    version: str
    id: str
    """Normalised ID (7 digits, or a legacy section number)."""
    kind: str
    """``function`` (機能要件) or ``form`` (帳票要件)."""
    klass: str
    """``mandatory``, ``optional`` or ``forbidden``."""
    title: str
    category: tuple[str, ...] = ()
    summary: str = ""
    note: str = ""
    section: str = ""
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The requirements of one operation's standard specification, one version."""

    operation: str
    version: str
    """Normalised version, e.g. ``6.0`` (第6.0版)."""
    title: str
    published: str | None
    prefix: str | None
    sample: bool
    source: str
    file: str
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True, slots=True)
class InventoryItem:
    """One function or form of the municipality's current system."""

    operation: str
    id: str
    kind: str
    name: str
    description: str = ""
    department: str = ""
    cases: int | None = None
    """Annual workload in cases, where given."""
    hours: float | None = None
    """Annual workload in hours, where given."""
    file: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Inventory:
    """A municipality's current functions and forms per operation."""

    municipality: str
    code: str | None
    sample: bool
    not_applicable: dict[str, str]
    """Operation code -> reason it does not apply (e.g. run by the prefecture)."""
    items: tuple[InventoryItem, ...]
    files: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A vendor's judgement that an inventory item meets a requirement."""

    operation: str
    spec_version: str
    item: str
    requirement: str
    judgement: str
    """``fit`` (○), ``partial`` (△) or ``gap`` (×)."""
    note: str = ""
    date: str | None = None
    file: str = ""
    line: int = 0
    kind: str = "function"
    """Kind of the requirement: the item's kind unless the link says ``kind:`` (IDs are keyed by kind and ID)."""
    item_operation: str = ""
    """The operation whose inventory holds the item, when not the mapping's own (a shared scope such as 共通機能)."""

    @property
    def item_owner(self) -> str:
        """The operation whose inventory holds the item."""
        return self.item_operation or self.operation


@dataclass(frozen=True, slots=True)
class CustomItem:
    """An inventory item with no standard counterpart and what will become of it."""

    operation: str
    item: str
    disposition: str
    """``undecided``, ``abolish`` (業務見直し), ``replace``, ``euc`` or ``external`` (独自施策, loosely coupled)."""
    requirement: str | None = None
    note: str = ""
    file: str = ""
    line: int = 0
    kind: str | None = None
    """Kind of the replacing requirement (None when there is none)."""


@dataclass(frozen=True, slots=True)
class Decision:
    """A decision that an optional requirement is not used."""

    operation: str
    requirement: str
    note: str = ""
    file: str = ""
    line: int = 0
    kind: str = "function"
    """Kind of the requirement (``kind:`` in the file where the ID names both a function and a form)."""


@dataclass(frozen=True, slots=True)
class Deferral:
    """経過措置: a mandatory requirement implemented after migration, by a date."""

    operation: str
    requirement: str
    until: str
    note: str = ""
    file: str = ""
    line: int = 0
    kind: str = "function"
    """Kind of the requirement (``kind:`` in the file where the ID names both a function and a form)."""


@dataclass(frozen=True, slots=True)
class Mapping:
    """One vendor mapping file: one operation, one spec version."""

    operation: str
    spec_version: str
    vendor: str
    product: str
    date: str | None
    sample: bool
    file: str
    links: tuple[Link, ...] = ()
    custom: tuple[CustomItem, ...] = ()
    optional_unused: tuple[Decision, ...] = ()
    deferrals: tuple[Deferral, ...] = ()


@dataclass(frozen=True)
class Project:
    """Everything loaded from one municipality's data directories."""

    operations: tuple[Operation, ...]
    catalogues: tuple[Catalogue, ...]
    inventory: Inventory | None
    mappings: tuple[Mapping, ...]
    problems: tuple[Problem, ...] = field(default=())
    """Every problem found while loading (:class:`gapcheck.errors.Problem`)."""
    plan: Plan | None = None
    """The migration plan (:class:`gapcheck.plan.Plan`), if one was loaded."""
    file_operations: dict[str, str] = field(default_factory=dict)
    """File (as shown in problems) -> the operation it belongs to, for catalogues and mappings; shared files
    (inventory, plan, registry) belong to none."""

    def operation(self, code: str) -> Operation | None:
        return next((o for o in self.operations if o.code == code), None)

    def operation_code(self, text: str) -> str | None:
        """The code of the operation ``text`` names: its code (any letter case) or its Japanese name
        (全角/半角 folded), e.g. ``介護保険`` -> ``kaigo``; None when it names none."""
        import unicodedata

        wanted = unicodedata.normalize("NFKC", text).strip()
        for o in self.operations:
            if wanted in (o.code, o.name) or wanted.lower() == o.code.lower():
                return o.code
        return None

    def versions(self, code: str) -> list[str]:
        """The spec versions loaded for an operation, oldest first."""
        from gapcheck.core.ids import version_key

        return sorted({c.version for c in self.catalogues if c.operation == code}, key=version_key)

    def catalogue(self, code: str, version: str | None = None) -> Catalogue | None:
        """The catalogue of ``code`` at ``version`` (default: the newest loaded)."""
        versions = self.versions(code)
        if not versions:
            return None
        wanted = version or versions[-1]
        return next((c for c in self.catalogues if c.operation == code and c.version == wanted), None)

    def in_scope(self, code: str) -> bool:
        """True when the operation applies to the municipality."""
        return self.inventory is None or code not in self.inventory.not_applicable

    @property
    def valid(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def blocking(self, operations: Iterable[str] | None = None) -> tuple[list[Problem], list[Problem]]:
        """(errors that stop an analysis of ``operations``, errors set aside as belonging to other operations).

        With ``operations`` None every error blocks.  Otherwise an error in a
        catalogue or mapping file of an operation not among them is set aside:
        that operation is not analysed, the others can be.
        """
        errors = [p for p in self.problems if p.severity == "error"]
        if operations is None:
            return errors, []
        chosen = set(operations)
        aside = [p for p in errors if self.file_operations.get(p.file, "") not in ("", *chosen)]
        return [p for p in errors if p not in aside], aside
