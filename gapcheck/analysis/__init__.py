"""Analysis: the checked project to Fit & Gap frames.

The vectorised classification (every requirement and item in exactly one
state, keyed by operation, kind and ID; the frames it joins are built in
``frames``), its result objects, the diff between two spec versions, and the
lookup behind ``gapcheck show``, and the suggested links (``suggest``: which
items, which requirements; ``similarity``: how they are ranked, with
scikit-learn imported only inside its functions).  Reserved here: the result
cache.  May import ``gapcheck.validation``, ``gapcheck.loading`` and
``gapcheck.core``; never a renderer.
"""
