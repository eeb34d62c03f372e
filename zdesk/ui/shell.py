"""What the controllers may ask of the window: the small `Shell` protocol that it implements.

A controller shows a message with actions, says what it is busy with, runs a dialog or asks a yes/no
question through the shell; it never reaches into the window's widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication

from zdesk.domain.severity import Severity
from zdesk.present.remedies import Action, Remedy, remedy_for

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QWidget

    from zdesk.ui.jobs import Job

MessageAction = tuple[str, Callable[[], None]]


class Shell(Protocol):
    def show_message(
        self,
        text: str,
        severity: Severity = Severity.WAARSCHUWING,
        actions: Sequence[MessageAction] = (),
    ) -> None: ...

    def hide_message(self) -> None: ...

    def show_busy(self, text: str, cancellable: bool = True) -> None:
        """A progress bar with `text` in the status bar; `cancellable` adds the cancel button."""

    def show_idle(self) -> None: ...

    def show_progress(self, done: int, total: int, text: str) -> None: ...

    def show_activity(self, text: str) -> None: ...

    def show_session_only(self, session_only: bool) -> None:
        """Whether the status bar says that the link holds for this session only."""

    def run_dialog(self, dialog: QDialog) -> int:
        """Show a dialog modally (the one place tests replace to drive dialogs)."""

    def confirm(self, title: str, text: str) -> bool: ...

    def dialog_parent(self) -> QWidget: ...

    def show_crash(self, error: Exception, details: str) -> None: ...


def start_job(shell: Shell, job: Job) -> None:
    """Start a background job whose bugs reach the user as a crash box."""
    job.crashed.connect(shell.show_crash)
    job.start()


def action_label(action: Action) -> str:
    labels = {
        Action.RETRY: "Opnieuw proberen",
        Action.RELOAD: "Opnieuw laden",
        Action.RELINK: "Opnieuw koppelen",
        Action.RIGHTS: "Toegangsrechten",
        Action.ELSEWHERE: "Andere plek kiezen…",
    }
    return QCoreApplication.translate("Shell", labels[action])


def show_error(
    shell: Shell,
    error: Exception,
    bind: Mapping[Action, Callable[[], None]],
    suffix: str = "",
) -> Remedy:
    """The error's message with the buttons its remedy offers, of those `bind` can do here."""
    remedy = remedy_for(error)
    actions = [(action_label(a), bind[a]) for a in remedy.actions if a in bind]
    shell.show_message(str(error) + suffix, remedy.severity, actions)
    return remedy
