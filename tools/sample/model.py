"""The dataclasses of the sample: requirements, custom items, profiles, operations, items.

Also the spellings shared by every module: the three implementation classes,
the one-letter kind and class codes of the requirement tables, and the notes
that say whether a requirement is fictional or quoted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

MANDATORY, OPTIONAL, FORBIDDEN = "実装必須", "標準オプション", "実装不可"
CLASS_CODES = {"M": MANDATORY, "O": OPTIONAL, "X": FORBIDDEN}
KIND_CODES = {"F": "function", "R": "form"}
FICTIONAL_NOTE = "架空（サンプル）"
REAL_NOTE = "ID・名称は公表仕様書に基づく"


@dataclass(frozen=True)
class Req:
    """One requirement of a sample catalogue."""

    id: str
    kind: str
    """``function`` or ``form``."""
    klass: str
    """実装必須, 標準オプション or 実装不可."""
    title: str
    category: tuple[str, ...]
    summary: str = ""
    note: str = ""
    section: str = ""


@dataclass(frozen=True)
class Custom:
    """A current item with no standard counterpart, and its disposition in the mapping."""

    kind: str
    name: str
    description: str
    disposition: str | None
    """undecided/abolish/replace/euc/external, or None: not listed (undecided by default)."""
    replace_by: str | None = None
    """For ``replace``: the title of the replacing requirement."""


def custom(kind: str, disposition: str | None, name: str, description: str,
           replace_by: str | None = None) -> Custom:
    """A custom item from its one-letter kind (``F`` function, ``R`` form)."""
    return Custom(KIND_CODES[kind], name, description, disposition, replace_by)


@dataclass(frozen=True)
class Profile:
    """How far one operation's mapping is from the standard."""

    partial: float
    """Share of mandatory requirements judged partial."""
    gap: float
    """Share of mandatory requirements that are gaps (no link, or a link judged gap)."""
    deferred: int
    """Mandatory requirements under 経過措置."""
    violations: int
    """実装不可 requirements the current system still does."""
    optional_used: float
    """Share of optional requirements used."""
    style: str = "word"
    """Judgement spelling: ``word`` (fit/partial/gap), ``symbol`` (○/△/×) or ``mixed``."""


NOT_MAPPED = Profile(0, 0, 0, 0, 0)
"""The profile of an operation the town does not run (nothing is mapped)."""


@dataclass(frozen=True)
class Catalogue:
    """One version of an operation's sample catalogue, as written to ``specs/<code>/<version>.yaml``."""

    version: str
    head: tuple[str, ...]
    """Comment lines on top of the file."""
    title: str
    source: str
    note: str
    requirements: list[Req]


@dataclass(frozen=True)
class OperationSample:
    """Everything the sample says about one operation (one module under ``operations/``)."""

    code: str
    prefix: str
    item_prefix: str
    """Prefix of the town's item IDs (``KH`` -> ``KH-F001``, ``KH-R001``)."""
    department: str = ""
    system: str = ""
    vendor: str = ""
    product: str = ""
    profile: Profile = NOT_MAPPED
    requirements: str = ""
    """Requirement table, one per line: ``K C 大/中/小 | [title |] summary`` (see ``tables.py``)."""
    custom: tuple[Custom, ...] = ()
    forced: dict[str, str] = field(default_factory=dict)
    """Requirement ID -> planned state that must not be left to chance."""
    not_applicable: str | None = None
    """Why the town does not run this operation (catalogue only: no items, no mapping), or None."""
    catalogues: Callable[[str], list[Catalogue]] | None = None
    """Builds the catalogue(s) from the operation's name; None: one synthetic "1.0" from ``requirements``."""
    mapped_version: str = "1.0"
    """The catalogue version the vendor mapping was made against."""
    mapping_head: tuple[str, ...] = ()
    """Extra comment lines on top of the mapping file."""


@dataclass
class Item:
    """One inventory item being built, with the links it carries."""

    id: str
    kind: str
    name: str
    description: str
    links: list[tuple[str, str, str]] = field(default_factory=list)
    """(requirement ID, judgement, note)."""
    workload: tuple[int, float] | None = None
