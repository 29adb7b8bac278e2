"""Renderers: finished results in, text or bytes out.  They never compute.

Every output format sits behind one interface (:class:`gapcheck.render.base.Renderer`:
what it takes, what it returns, its media type and file suffix), and one
table per kind of result maps each format to its renderer, checked
exhaustively.  May import ``gapcheck.readiness``, ``gapcheck.vendor`` and
the rooms below them (for types and labels), never ``gapcheck.report`` or
``gapcheck.cli``.
"""
