"""JSON: the analysis exactly as :meth:`Analysis.to_dict` returns it."""

from __future__ import annotations

import json
from typing import Any


def dumps(data: Any) -> str:
    """Stable JSON text: UTF-8 Japanese kept as is, two-space indent, trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def records(df: Any) -> list[dict[str, Any]]:
    """A DataFrame as JSON-ready records (missing values become null)."""
    from ..analysis import _records

    return _records(df)
