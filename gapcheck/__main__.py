"""``python -m gapcheck`` runs the command-line interface."""

from .cli import main

main()
