"""Validation: documents to a checked project.

Builds the :class:`~gapcheck.core.model.Project` from the loaded documents:
the operation registry, ID forms and duplicates, the references of each mapping, the migration
plan's checks, and the validation report of ``gapcheck validate``.  Every
problem is collected, none raised.  May import ``gapcheck.loading`` and
``gapcheck.core``.
"""
