"""The one interface every output format implements.

A :class:`Renderer` takes one kind of finished result (an analysis, a
readiness assessment, a report bundle, a spec diff) and returns text or
bytes; it says its media type and the file suffix it is written under.  It
never computes: the result arrives finished.  :class:`ModuleRenderer` is the
implementation every format uses: its code lives in a module of
:mod:`gapcheck.render`, imported only when the format is rendered, so that
``gapcheck --help`` stays free of rich, pandas, Jinja2, openpyxl and
matplotlib.

To add a format: write ``render/<name>.py`` with a function
``(result, options) -> str | bytes``, add the format to the enum of its
result kind in :mod:`gapcheck.render.formats` and one line to that kind's
table; a test fails until every enum value has a renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import Any, Generic, Protocol, TypeVar

R = TypeVar("R", contravariant=True)


@dataclass(frozen=True)
class RenderOptions:
    """How a result is laid out; every renderer accepts these and ignores what does not apply to it."""

    limit: int = 10
    """Terminal tables: at most this many rows per table (0 = all)."""
    width: int = 80
    """Terminal views: the width laid out to."""
    color: bool = False
    """Terminal views: with ANSI colours (standard output is a terminal)."""
    full: bool = False
    """The Markdown report: every table, however long (default: cut to fit a pull-request comment)."""
    codes: bool = False
    """CSV: ASCII column names and state codes, for machines (default: Japanese headers and labels, for people)."""
    lang: str = "ja"
    """The language of messages for people (``--lang``): part of the key of every rendered text the result cache keeps."""


DEFAULT_OPTIONS = RenderOptions()


class Renderer(Protocol[R]):
    """One output format of one kind of result."""

    @property
    def name(self) -> str:
        """The format's name as the command line spells it (``--format NAME``)."""

    @property
    def media_type(self) -> str:
        """The IANA media type of what :meth:`render` returns."""

    @property
    def suffix(self) -> str:
        """The file name suffix the output is written under (``.html``, ``.junit.xml``)."""

    def render(self, result: R, options: RenderOptions = DEFAULT_OPTIONS) -> str | bytes:
        """The finished ``result`` as text (or bytes, for binary formats)."""


@dataclass(frozen=True)
class ModuleRenderer(Generic[R]):
    """A :class:`Renderer` whose function lives in ``gapcheck.render.<module>``, imported on first use."""

    name: str
    media_type: str
    suffix: str
    target: str
    """``module:function`` inside :mod:`gapcheck.render`; the function takes ``(result, options)``."""
    sections: str = ""
    """``module:function`` of a format rendered in per-operation sections that a later run may take as they are:
    ``(result, options, kept, keep=True) -> (output, made)`` (:meth:`render_sections`); empty for the others."""

    def render(self, result: R, options: RenderOptions = DEFAULT_OPTIONS) -> str | bytes:
        out: str | bytes = _function(self.target)(result, options)
        return out

    def render_sections(self, result: R, options: RenderOptions, kept: Mapping[str, Any]
                        ) -> tuple[str | bytes, dict[str, Any]]:
        """The output with the sections of the operations in ``kept`` (code -> what an earlier run made from
        the same rows) taken as they are, and the sections of the other operations (code -> what to keep).
        The output is what :meth:`render` gives.  A format without sections renders whole and makes none."""
        if not self.sections:
            return self.render(result, options), {}
        out, made = _function(self.sections)(result, options, kept, True)
        return out, dict(made)


def _function(target: str) -> Any:
    module, _, function = target.partition(":")
    return getattr(import_module(f"gapcheck.render.{module}"), function)
