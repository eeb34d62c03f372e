"""Conditions UI tests wait for, in place of waiting a while."""

from __future__ import annotations


def release_jobs() -> list:
    """The jobs freeing a replaced project or a released object (`release_in_background`) that
    are still there: running, or ended but not yet deleted."""
    from PySide6.QtCore import QCoreApplication

    from zdesk.ui.jobs import Job

    return [j for j in QCoreApplication.instance().findChildren(Job) if j.name == "opruimen"]


def wait_until_released(qtbot, timeout: int = 5000) -> None:
    """Wait until every release job has ended and its end is handled (the job deleted): after
    that, nothing of it holds or touches what it was given."""
    qtbot.waitUntil(lambda: not release_jobs(), timeout=timeout)
