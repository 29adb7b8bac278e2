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
