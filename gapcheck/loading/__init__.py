"""Loading: files to documents.

The strict YAML reader (positions of every value, duplicate keys, YAML 1.1
surprises), the content-keyed parse cache, the JSON Schema checks, finding
the input files of a project and telling their kind, and the reader of the
readiness history.  A document here is checked for form only, not meaning.
May import ``gapcheck.core``.
"""
