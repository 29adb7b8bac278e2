"""Report: the files of ``gapcheck report`` written as a set.

Renders the chosen formats of a finished report bundle and writes them
into the output folder with its manifest (atomically, never over a file
gapcheck did not write).  May import ``gapcheck.render`` and every room
below it; only ``gapcheck.cli`` (and the roll-up) import it.
"""
