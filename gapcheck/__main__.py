"""``python -m gapcheck`` runs the command-line interface."""

from gapcheck.cli import main

if __name__ == "__main__":  # not when a worker process imports it
    main()
