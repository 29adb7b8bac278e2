"""Helpers shared by the report tests (not a test module)."""

from __future__ import annotations

from pathlib import Path

SCRIPT = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
"""Markup an attacker (or a careless copy-paste) could put into a vendor note."""
FORMULAS = ("=HYPERLINK(\"http://example.invalid\",\"x\")", "+1+2", "-3+4", "@SUM(A1)")
"""Text that a spreadsheet would run as a formula."""


def inject(project: Path) -> None:
    """Put markup into a vendor note and formulas into notes and item names of the small fixture copy."""
    mapping = project / "mappings" / "kaigo.yaml"
    text = mapping.read_text("utf-8")
    text = text.replace('{requirement: "0230291", until: "2027-03-31"}',
                        "{requirement: \"0230291\", until: \"2027-03-31\", note: '" + SCRIPT + "'}")
    text = text.replace("{item: F3, requirement: \"0230286\", judgement: gap}",
                        "{item: F3, requirement: \"0230286\", judgement: gap, note: '" + FORMULAS[0].replace("'", "''") + "'}")
    text = text.replace("{item: F5, disposition: abolish}", "{item: F5, disposition: abolish, note: '" + FORMULAS[3] + "'}")
    mapping.write_text(text, "utf-8")
    inventory = project / "current_system" / "inventory.yaml"
    text = inventory.read_text("utf-8")
    text = text.replace("name: 独自機能（未決定）}", f"name: '{FORMULAS[1]}'}}").replace("name: 独自帳票}", f"name: '{FORMULAS[2]}'}}")
    inventory.write_text(text, "utf-8")
