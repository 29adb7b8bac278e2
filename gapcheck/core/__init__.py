"""Core: the types every room shares, and nothing that reads or computes.

The data model (requirements, inventory items, mappings, the plan), the
problem type and the registry of problem codes, the configuration, IDs and
versions, 業務IDs (which operation an ID's first digits belong to), dates and fiscal years, Japanese labels, paths as shown, atomic
file output and (for the reliability work) locks.  May import only the
standard library and other ``gapcheck.core`` modules.
"""
