"""The YAML that gapcheck writes (catalogues, mappings, templates): block style, every ID, version and date quoted."""

from __future__ import annotations

import re
from typing import Any

import yaml


class Dumper(yaml.SafeDumper):
    """Block-style YAML that quotes every ID, version and date and keeps line breaks readable (flow style on request)."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if re.fullmatch(r"[0-9][0-9.:\-]*", value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


class Flow(dict):  # type: ignore[type-arg]
    """A mapping written on one line (``{cases: 360, hours: 18}``), for small records inside block-style files."""


def _flow(dumper: yaml.SafeDumper, value: Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


Dumper.add_representer(str, _str)
Dumper.add_representer(Flow, _flow)


def dump_yaml(data: Any, header: str = "") -> str:
    """A gapcheck YAML document: IDs, versions and dates quoted, Japanese as is."""
    body = yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
    return header + body


def dump_checked(data: Any, kind: str, shown: str, header: str = "") -> str:
    """:func:`dump_yaml`, read back by gapcheck's own loader and schema before anyone writes it.

    An import must never write a file that ``gapcheck validate`` would
    reject: a value the dumper cannot write as gapcheck reads it raises
    :class:`~gapcheck.core.errors.InvalidInput` with the loader's problems,
    named ``shown`` (the file that was not written).
    """
    from gapcheck.core.errors import InvalidInput
    from gapcheck.loading import schema, yamlio

    text = dump_yaml(data, header)
    doc, problems = yamlio.loads(text, shown + " (not written)")
    if doc is not None:
        problems += schema.validate(doc, kind)
    if doc is None or any(p.severity == "error" for p in problems):
        raise InvalidInput(problems)
    return text
