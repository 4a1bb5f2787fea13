"""The ``uireview`` command (also ``python -m uireview``): review, diff, show, export."""

from uireview.cli.main import main

__all__ = ["main"]
