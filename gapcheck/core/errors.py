"""Problems found in the user's input, as data.

Every problem has a stable kebab-case ``code`` (registered in
:mod:`gapcheck.core.codes`, listed in the README), a
position (file, 1-based line and column, JSON path of the field) and says what
was expected and what was found.  Loaders collect problems; they never raise
on bad input, so that every problem is reported at once.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from gapcheck.core.escape import visible

Severity = Literal["error", "warning"]

STRICT_CODES = os.environ.get("GAPCHECK_STRICT_CODES") == "1"
"""Under the test suite (``tests/conftest.py`` sets it), a problem with an unregistered code raises at once."""


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

    def __post_init__(self) -> None:
        if STRICT_CODES:
            from gapcheck.core.codes import CODES

            if self.code not in CODES:
                raise ValueError(f"problem code {self.code!r} is not registered in gapcheck/core/codes.py")

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

    def __iter__(self) -> Iterator[Problem]:
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


class OutputError(GapcheckError):
    """An output could not be written: a full disk, a target that is not a regular file, a folder that cannot be written.

    ``path`` is the file being written (as shown to the user; None when the
    message names several).  The message says what was kept: a set of files
    is replaced whole or not at all.
    """

    def __init__(self, path: str | None, message: str, errno: int | None = None):
        self.path, self.errno = path, errno
        super().__init__(message if path is None else f"{path}: {message}")


class InputChanged(GapcheckError):
    """A file an import merges into was changed by another run between reading it and writing the merge."""

    def __init__(self, path: str):
        self.path = path
        super().__init__(f"{path}: changed by another run while this one was merging into it; nothing was written: "
                         "run the command again")


class LockHeld(GapcheckError):
    """Another gapcheck run holds the lock of a shared file (the history, an output folder's manifest) for too long."""

    def __init__(self, path: str, lock: str, timeout: float, holder: int | None = None):
        self.path, self.lock, self.timeout, self.holder = path, lock, timeout, holder
        by = f", held by process {holder}" if holder is not None else ""
        super().__init__(f"{path}: lock-held: another gapcheck run is changing this file (lock {lock}{by}); "
                         f"gave up after waiting {timeout:g} s (--lock-timeout)")
