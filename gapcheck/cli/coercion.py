"""Option values without pydantic where Typer's answer is certain; every other value through Typer's own coercion.

Typer (from 0.2x) turns every option value, defaults included, into its
Python value through a pydantic ``TypeAdapter`` built on first use.
Importing pydantic and building the adapters of one command took about a
third of a cached ``gapcheck analyze`` (0.1–0.2 s).  :func:`install` gives
each Typer parameter a coercion that answers without pydantic for the values
gapcheck's options take in normal use, by Typer's own pydantic-free rules:

* no value: ``None`` (``()`` for a repeatable option), as Typer does first;
* ``str``: a text as it is; a list of texts as a list;
* a choice (an ``Enum`` or ``Literal``): Typer's ``coerce_cli_choice``;
* ``int`` and ``float``: a number of that type, or a text of plain digits
  (``10``, ``-2``, ``2.5`` for a float), within ``min``/``max`` and
  without ``clamp``;
* a path: the text as the path type (or a path as it is), then Typer's ``coerce_cli_path`` (its
  checks of ``exists``, ``file_okay``, ``dir_okay``, ``resolve_path``…).

Anything else, and any value one of those rules refuses, goes to Typer's
coercion unchanged (pydantic and all), so a wrong value gets Typer's own
message, word for word.  ``tests/test_cli_coercion.py`` compares both for
every option of every command.  With a Typer that has no such layer (older
versions) :func:`install` changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

_INT = re.compile(r"-?[0-9]{1,18}")
_FLOAT = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,15})?")
_MISS = object()


def install() -> None:
    """Give Typer's parameters the coercion of this module (once; nothing when this Typer has no such layer)."""
    try:
        from typer import core
    except ImportError:  # pragma: no cover - Typer is a dependency
        return
    cls = getattr(core, "_TyperParameter", None)
    build = getattr(core, "build_runtime_param", None)
    if cls is None or build is None or not hasattr(cls, "get_runtime_param") or getattr(cls, "_gapcheck_fast", False):
        return

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            self._runtime_param = FastParam(self.type_descriptor, build)
        return self._runtime_param

    cls.get_runtime_param = get_runtime_param
    cls._gapcheck_fast = True


class FastParam:
    """One parameter's coercion: :func:`plain` first, Typer's own (built when first needed) for the rest."""

    def __init__(self, descriptor: Any, build: Any) -> None:
        self.descriptor = descriptor
        self._build = build
        self._real: Any = None

    def real(self) -> Any:
        """Typer's own coercion of this parameter."""
        if self._real is None:
            self._real = self._build(self.descriptor)
        return self._real

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        if value is None and not (param.multiple or param.nargs == -1):
            return None
        if value is None:
            return ()
        got = plain(self.descriptor, value, param, ctx)
        if got is not _MISS:
            return got
        return self.real().coerce(value, param=param, ctx=ctx)


def plain(descriptor: Any, value: Any, param: Any, ctx: Any) -> Any:
    """Typer's value for ``value`` when a pydantic-free rule is certain of it, else ``_MISS``."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or info.parser is not None:
        return _MISS
    if descriptor.is_list:
        inner = getattr(descriptor.annotation, "__args__", (None,))[0]
        if inner is str and isinstance(value, (list, tuple)) and all(type(v) is str for v in value):
            return list(value)
        return _MISS
    try:
        return _leaf(descriptor, value, param, ctx)
    except Exception:  # noqa: BLE001 - Typer's own coercion gives the message
        return _MISS


def _leaf(descriptor: Any, value: Any, param: Any, ctx: Any) -> Any:
    from pathlib import Path

    from typer._param_types import choice_coercion_annotation, coerce_cli_choice, coerce_cli_path, lenient_issubclass

    annotation, info = descriptor.annotation, descriptor.parameter_info
    choice = choice_coercion_annotation(annotation, info)
    if choice is not None:
        return coerce_cli_choice(value, choices=choice[0], case_sensitive=choice[1], ctx=ctx)
    if annotation is int or annotation is float:
        return _number(annotation, value, info)
    if annotation is str:
        return value if type(value) is str else _MISS
    if annotation is bool:
        return _MISS
    if descriptor.is_path:
        path_type = info.path_type
        if path_type is None and lenient_issubclass(annotation, Path):
            path_type = annotation
        if path_type is None or not lenient_issubclass(path_type, Path):
            return _MISS
        if type(value) is str and value:
            value = path_type(value)
        elif not isinstance(value, path_type):
            return _MISS
        return coerce_cli_path(value, info, path_type=path_type, param=param, ctx=ctx)
    return _MISS


def _number(kind: type, value: Any, info: Any) -> Any:
    if type(value) is kind:
        number = value
    elif type(value) is str and (_INT if kind is int else _FLOAT).fullmatch(value):
        number = kind(value)
    else:
        return _MISS
    if info.clamp or (info.min is not None and number < info.min) or (info.max is not None and number > info.max):
        return _MISS
    return number
