"""Problems found in the user's input, as data.

Every problem has a stable kebab-case ``code`` (documented in the README), a
position (file, 1-based line and column, JSON path of the field) and says what
was expected and what was found.  Loaders collect problems; they never raise
on bad input, so that every problem is reported at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Literal

from gapcheck.core.escape import visible

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or suspicious) in one input file."""

    file: str
    """Path of the file as the user named it (relative to the working directory where possible)."""
    line: int
    """1-based line of the offending value; 0 when the whole file is concerned."""
    column: int
    """1-based column of the offending value; 0 when the whole file is concerned."""
    code: str
    """Stable kebab-case identifier, e.g. ``duplicate-key``."""
    path: str = "$"
    """JSON path of the field, e.g. ``$.requirements[3].id``."""
    message: str = ""
    """What is wrong, in one sentence."""
    expected: str | None = None
    """What a valid value looks like."""
    found: str | None = None
    """What the file holds instead."""
    severity: Severity = "error"
    """``error`` makes the input invalid; ``warning`` is reported but accepted."""

    def format(self) -> str:
        """The one-line form ``file:line:column: code: $.path: message (expected ..., found ...)``.

        Always one line: a newline, CR, ESC or other control character from a
        value or a file name is written as an escape (:func:`~gapcheck.core.escape.visible`).
        """
        detail = []
        if self.expected is not None:
            detail.append(f"expected {self.expected}")
        if self.found is not None:
            detail.append(f"found {self.found}")
        tail = f" ({', '.join(detail)})" if detail else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return visible(f"{prefix}{self.file}:{self.line}:{self.column}: {self.code}: {self.path}: {self.message}{tail}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Problems:
    """An ordered collection of problems (errors and warnings)."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def sorted(self) -> list[Problem]:
        """Problems in file, line, column order; duplicates removed."""
        return sorted(set(self.items), key=lambda p: (p.file, p.line, p.column, p.code, p.path, p.message))

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class GapcheckError(Exception):
    """Root of every exception gapcheck raises on purpose."""


class InvalidInput(GapcheckError):
    """Raised by the library's high-level functions when the input has errors.

    ``problems`` holds every problem found (errors and warnings).
    """

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} problem(s) in the input; first: {errors[0].format() if errors else '-'}")


class UsageError(GapcheckError):
    """The call itself is wrong (an unknown operation code, a missing directory...)."""


class OutputExists(GapcheckError):
    """An output file exists with other content and overwriting was not allowed."""
