"""The Typer application with every command registered: import ``app`` from here to run or test a command.

Each command module adds its commands to :data:`gapcheck.cli.app.app` when
it is imported; this module imports them all.  ``gapcheck.cli`` itself
imports none of them, so that ``gapcheck --help`` answered from the help
cache (:mod:`gapcheck.cli.helpcache`) loads neither Typer nor a command.
"""

from __future__ import annotations

import gapcheck.cli.core  # noqa: F401  (imported for its commands)
import gapcheck.cli.owndata  # noqa: F401  (imported for its commands)
import gapcheck.cli.readiness  # noqa: F401  (imported for its commands)
import gapcheck.cli.reports  # noqa: F401  (imported for its commands)
import gapcheck.cli.rollup  # noqa: F401  (imported for its commands)
import gapcheck.cli.vendor  # noqa: F401  (imported for its commands)
from gapcheck.cli.app import app

__all__ = ["app"]
