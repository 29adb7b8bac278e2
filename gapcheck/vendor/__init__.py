"""Vendor: the workbooks people already keep, in and out.

Spec import from the official 機能・帳票要件 workbooks (tables, headers and
the kinds they hold, column maps, cell repair, YAML dumping), the vendor's
Fit & Gap worksheet (template, import, carry-over to a new spec version, and
the rule of when a mapping says ``kind:``, in ``kinds``) and the OSCAL export.  A sibling
of ``gapcheck.readiness``: neither imports the other.  May import
``gapcheck.analysis`` and the rooms below it.
"""
