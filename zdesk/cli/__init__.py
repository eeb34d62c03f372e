"""The command line: its arguments, then the window or one of the commands without a window
(check, export, diff, portal-report, remove-data, the self-test)."""

from zdesk.cli.main import main, program

__all__ = ["main", "program"]
