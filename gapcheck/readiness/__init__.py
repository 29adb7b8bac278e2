"""Readiness: the analysis judged against the deadline.

Status rules per operation, step rates, the history's record and forecast,
the policy gate, and the report bundle (everything a report shows, computed
once).  A sibling of ``gapcheck.vendor``: neither imports the other.  May
import ``gapcheck.analysis`` and the rooms below it.
"""
