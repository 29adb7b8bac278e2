"""The message catalogue: every sentence gapcheck shows a person, in Japanese and in English.

Messages are kept as a table (one row per stable message key: a Japanese and
an English template with ``str.format`` named fields), beside the registry of
problem codes (:mod:`gapcheck.core.codes`); the rows live in the ``msg_*``
modules of this room, one per part of the package.  Code never holds the
sentence itself: it names a key and its fields, ``Msg("file-empty", what=...)``.

The language is chosen when the text is written, never from the machine's
locale: :meth:`Msg.render` takes ``lang`` (``"ja"``, the default, or
``"en"``); the command line passes the one it was given (``--lang`` or
``GAPCHECK_LANG``).  A :class:`Msg` *is* its Japanese text (a ``str``), so
any place that writes it without a language writes Japanese.

To add a message: add a row ``"key": ("日本語の文 {field}", "the English sentence {field}")``
to the ``msg_*`` module of the room that emits it, and use ``Msg("key", field=value)``
(tests check that every row has both languages with the same fields and that every
``Msg`` names a key of the table with all its fields).
"""

from __future__ import annotations

import string
from typing import Any, Literal

from gapcheck.core import msg_cli, msg_loading, msg_usage, msg_validation, msg_vendor

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")
DEFAULT_LANG: Lang = "ja"


def _merge(*tables: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for table in tables:
        twice = set(merged) & set(table)
        assert not twice, f"message keys defined twice: {sorted(twice)}"
        merged.update(table)
    return merged


CATALOGUE: dict[str, tuple[str, str]] = _merge(msg_loading.MESSAGES, msg_validation.MESSAGES, msg_vendor.MESSAGES,
                                               msg_cli.MESSAGES, msg_usage.MESSAGES)
"""Every message: key -> (Japanese template, English template)."""

_FORMATTER = string.Formatter()


def template(key: str, lang: Lang = DEFAULT_LANG) -> str:
    """The template of ``key`` in ``lang`` (a KeyError names an unknown key: a programming error)."""
    return CATALOGUE[key][0 if lang == "ja" else 1]


def fields(text: str) -> set[str]:
    """The named fields of a template."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in _FORMATTER.parse(text) if name}


def tr(key: str, lang: Lang = DEFAULT_LANG, /, **args: Any) -> str:
    """The message ``key`` in ``lang`` with its fields filled (a field that is itself a :class:`Msg` in the same language)."""
    return template(key, lang).format(**{k: text(v, lang) for k, v in args.items()})


def text(value: Any, lang: Lang = DEFAULT_LANG) -> Any:
    """``value`` in ``lang`` when it is a :class:`Msg`; any other value as it is (data is never translated)."""
    return value.render(lang) if isinstance(value, Msg) else value


class Msg(str):
    """One message of the catalogue with its fields: a ``str`` (its Japanese text) that can be rendered in English.

    ``key`` and ``args`` say which message it is, so a renderer can write it in the language asked for.
    """

    key: str
    args: tuple[tuple[str, Any], ...]

    def __new__(cls, key: str, /, **args: Any) -> Msg:
        self = super().__new__(cls, tr(key, DEFAULT_LANG, **args))
        self.key = key
        self.args = tuple(sorted(args.items()))
        return self

    def render(self, lang: Lang = DEFAULT_LANG) -> str:
        """The message in ``lang``."""
        return str(self) if lang == DEFAULT_LANG else tr(self.key, lang, **dict(self.args))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.key, self.args))

    def astuple(self) -> tuple[str, tuple[tuple[str, Any], ...]]:
        """A plain form (for ``marshal``): ``(key, ((name, value), ...))``, nested messages in the same form."""
        return self.key, tuple((k, ("\x00msg", *v.astuple()) if isinstance(v, Msg) else v) for k, v in self.args)

    @staticmethod
    def fromtuple(key: str, args: tuple[tuple[str, Any], ...]) -> Msg:
        """The inverse of :meth:`astuple`."""
        return Msg(key, **{k: Msg.fromtuple(v[1], v[2]) if isinstance(v, tuple) and v[:1] == ("\x00msg",) else v
                           for k, v in args})


def _rebuild(key: str, args: tuple[tuple[str, Any], ...]) -> Msg:
    return Msg(key, **dict(args))


def plain(value: Any) -> Any:
    """``value`` in a form ``marshal`` keeps: a :class:`Msg` as ``("\\x00msg", key, args)``."""
    return ("\x00msg", *value.astuple()) if isinstance(value, Msg) else value


def unplain(value: Any) -> Any:
    """The inverse of :func:`plain`."""
    if isinstance(value, tuple) and value[:1] == ("\x00msg",):
        return Msg.fromtuple(value[1], value[2])
    return value


def listing(items: list[str], conj: Literal["and", "or"] = "or") -> Msg | str:
    """``a, b or c`` (``a・b・c`` in Japanese) as a message; one item as it is."""
    if len(items) == 1:
        return items[0]
    return Msg(f"list-{conj}", head=", ".join(items[:-1]), head_ja="・".join(items[:-1]), last=items[-1])


def parse_lang(value: str | None) -> Lang | None:
    """``ja`` or ``en`` (any case, spaces around ignored); None for anything else."""
    v = (value or "").strip().lower()
    return "ja" if v == "ja" else "en" if v == "en" else None
