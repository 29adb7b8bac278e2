"""Message catalogue rows (see :mod:`gapcheck.core.messages`)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
}
