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
from dataclasses import dataclass, field
from typing import Any, Literal

from gapcheck.core.escape import visible
from gapcheck.core.messages import DEFAULT_LANG, Lang, Msg, text, tr

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
    """What is wrong, in one sentence: a :class:`~gapcheck.core.messages.Msg` of the catalogue (its Japanese
    text; :meth:`text` gives it in another language)."""
    expected: str | None = None
    """What a valid value looks like (a :class:`~gapcheck.core.messages.Msg` when it is words, a plain ``str``
    when it is a form such as ``YYYY-MM-DD``)."""
    found: str | None = None
    """What the file holds instead (the value as written, escaped; words such as "an empty file" are a
    :class:`~gapcheck.core.messages.Msg`)."""
    severity: Severity = "error"
    """``error`` makes the input invalid; ``warning`` is reported but accepted."""

    def __post_init__(self) -> None:
        if STRICT_CODES:
            from gapcheck.core.codes import CODES

            if self.code not in CODES:
                raise ValueError(f"problem code {self.code!r} is not registered in gapcheck/core/codes.py")

    @property
    def key(self) -> str:
        """The catalogue key of the message (the code when the message is not from the catalogue)."""
        return self.message.key if isinstance(self.message, Msg) else self.code

    def text(self, lang: Lang = DEFAULT_LANG) -> tuple[str, str | None, str | None]:
        """The message, expected and found in ``lang`` (values from the input stay as they are)."""
        return text(self.message, lang), text(self.expected, lang), text(self.found, lang)

    def format(self, lang: Lang = DEFAULT_LANG) -> str:
        """The one-line form ``file:line:column: code: $.path: message（期待: …、実際: …）``
        (``lang="en"``: ``message (expected …, found …)``).

        The code, the position and the JSON path are the same in every language (machines match on them);
        ``warning:`` stays ASCII too.  Always one line: a newline, CR, ESC or other control character from a
        value or a file name is written as an escape (:func:`~gapcheck.core.escape.visible`).
        """
        message, expected, found = self.text(lang)
        if lang == "ja":
            detail = ([f"期待: {expected}"] if expected is not None else []) + ([f"実際: {found}"] if found is not None else [])
            tail = f"（{'、'.join(detail)}）" if detail else ""
        else:
            detail = ([f"expected {expected}"] if expected is not None else []) + ([f"found {found}"] if found is not None else [])
            tail = f" ({', '.join(detail)})" if detail else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return visible(f"{prefix}{self.file}:{self.line}:{self.column}: {self.code}: {self.path}: {message}{tail}")

    def to_dict(self, lang: Lang = DEFAULT_LANG) -> dict[str, Any]:
        """The problem as JSON data: ``message``, ``expected`` and ``found`` in ``lang``, the code and position as they are."""
        message, expected, found = self.text(lang)
        return {"file": self.file, "line": self.line, "column": self.column, "code": self.code, "path": self.path,
                "message": message, "expected": expected, "found": found, "severity": self.severity}


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
    """Root of every exception gapcheck raises on purpose.

    Its first argument is the message for people: a :class:`~gapcheck.core.messages.Msg` (``str(exc)`` is
    Japanese; :meth:`text` gives another language) or, for values from elsewhere, plain text.
    """

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        """The message in ``lang``."""
        first = self.args[0] if self.args else ""
        return str(text(first, lang))


class InvalidInput(GapcheckError):
    """Raised by the library's high-level functions when the input has errors.

    ``problems`` holds every problem found (errors and warnings).
    """

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} problem(s) in the input; first: {errors[0].format('en') if errors else '-'}")

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        """How many errors, and the first, in ``lang`` (the command line prints every problem instead)."""
        errors = [p for p in self.problems if p.severity == "error"]
        return tr("invalid-input", lang, n=len(errors), first=errors[0].format(lang) if errors else "-")


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
        self.path, self.errno, self.message = path, errno, message
        super().__init__(message if path is None else f"{path}: {message}")

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        """The message in ``lang``, after the path."""
        return text(self.message, lang) if self.path is None else f"{self.path}: {text(self.message, lang)}"


class InputChanged(GapcheckError):
    """A file an import merges into was changed by another run between reading it and writing the merge."""

    def __init__(self, path: str):
        self.path = path
        super().__init__(Msg("input-changed", path=path))


class LockHeld(GapcheckError):
    """Another gapcheck run holds the lock of a shared file (the history, an output folder's manifest) for too long."""

    def __init__(self, path: str, lock: str, timeout: float, holder: int | None = None):
        self.path, self.lock, self.timeout, self.holder = path, lock, timeout, holder
        by = Msg("held-by", pid=holder) if holder is not None else ""
        self.message = Msg("lock-held", lock=lock, by=by, timeout=f"{timeout:g}")
        super().__init__(f"{path}: lock-held: {self.message}")

    def text(self, lang: Lang = DEFAULT_LANG) -> str:
        """The message in ``lang`` (``lock-held`` stays as the code)."""
        return f"{self.path}: lock-held: {text(self.message, lang)}"
