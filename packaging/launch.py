"""Entry point of the frozen app (PyInstaller needs a script, not a console entry point)."""

from zdesk.cli import program

program()
