"""Analysis: the checked project to Fit & Gap frames.

The vectorised classification (every requirement and item in exactly one
state), its result objects, the diff between two spec versions, and the
lookup behind ``gapcheck show``.  Reserved here: the link suggestions and
the result cache.  May import ``gapcheck.validation``, ``gapcheck.loading``
and ``gapcheck.core``; never a renderer.
"""
