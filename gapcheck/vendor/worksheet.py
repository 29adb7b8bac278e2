"""Fit & Gap worksheets for vendors: a mapping as an Excel workbook, and back.

Vendors and staff judge requirements in Excel, not YAML.  The template lists
every requirement of one spec version with columns to fill (the current item,
the judgement ○/△/× as a drop-down, a note, a date, and the 標準オプション /
経過措置 decisions) and a sheet of the current items with no standard
counterpart, each with a disposition drop-down.  An existing mapping fills the
template in, so that

* template -> import with no edits -> template gives the same workbook, and
* a filled worksheet imports to exactly the mapping it came from.

A mapping made against an older spec version is carried over (:func:`carry_over`).
A link to a requirement whose title or text changed since is *stale*: its
judgement is not carried over as one.  Its row keeps the current item (and
note) with the judgement cell left empty, and the read-only 改定による再確認
column says ``要再確認: 旧版 5.0 で ○ (KG-F014)``.  Importing such a row
unedited is a ``worksheet-needs-review`` problem: a judgement that needs
review never becomes a judgement on the newer version without a person making
it (judging again, or clearing the item).

Links are written in catalogue order (one row per link, one empty row for a
requirement with none); custom items in inventory order.  Bad cells are
:class:`~gapcheck.errors.Problem` objects whose path is ``sheet!cell``.

This module gathers the public names of the modules that do the work:

* :mod:`gapcheck.worksheet_layout`: the sheets, their columns and the marks in their cells;
* :mod:`gapcheck.worksheet_template`: the template's content, as .xlsx or as mapping YAML;
* :mod:`gapcheck.carryover`: a mapping moved onto a newer spec version;
* :mod:`gapcheck.worksheet_import`: a filled worksheet read back into a mapping document.
"""

from __future__ import annotations

from gapcheck.vendor.carryover import CarryOver, carry_over
from gapcheck.vendor.worksheet_import import (
    WorksheetImport,
    import_worksheet,
    mapping_yaml,
)
from gapcheck.vendor.worksheet_layout import (
    CUSTOM,
    CUSTOM_COLUMNS,
    DISPOSITION_TEXT,
    INFO,
    INFO_ROWS,
    INPUT_COLUMNS,
    ITEM_COLUMNS,
    ITEMS,
    JUDGEMENT_TEXT,
    REQ_COLUMNS,
    REQS,
    REVIEW_MARK,
    TAG,
    UNUSED_MARK,
    UNUSED_TEXT,
    review_mark,
)
from gapcheck.vendor.worksheet_template import (
    FIXED_TIME,
    Template,
    build_template,
    mapping_document,
    template_xlsx,
    template_yaml,
)

__all__ = [
    "CUSTOM", "CUSTOM_COLUMNS", "DISPOSITION_TEXT", "FIXED_TIME", "INFO", "INFO_ROWS", "INPUT_COLUMNS", "ITEMS",
    "ITEM_COLUMNS", "JUDGEMENT_TEXT", "REQS", "REQ_COLUMNS", "REVIEW_MARK", "TAG", "UNUSED_MARK", "UNUSED_TEXT",
    "CarryOver", "Template", "WorksheetImport",
    "build_template", "carry_over", "import_worksheet", "mapping_document", "mapping_yaml", "review_mark",
    "template_xlsx", "template_yaml",
]
