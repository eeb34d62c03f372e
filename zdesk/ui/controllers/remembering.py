"""The history in the window: the last project at once from history, each load kept, the comparison.

At start the last project's newest saved load is shown at once, marked as saved data, while the
fresh load runs; the fresh load then replaces it. Every load that succeeds is saved in a worker
and compared with the previous load from another day; the window shows that comparison.
Without a usable keyring there is no history, and the status bar says so. The history's key is
asked of the keyring on a worker thread only (a keyring can hang); once found it is kept for the
portal, and what is done on the main thread (marks, the dialog) uses that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from zdesk.domain.severity import Severity
from zdesk.ui.jobs import Job
from zdesk.ui.shell import Shell, start_job

if TYPE_CHECKING:
    from zdesk.app.history import History, SavedLoad
    from zdesk.domain.diff import Comparison
    from zdesk.ui.controllers.loading import LoadResult
    from zdesk.ui.controllers.session import PortalSession


class Remembering(QObject):
    reopened = Signal(object)  # a LoadResult read from history, to show until the fresh one
    opened = Signal(object)  # a LoadResult of a saved load the user chose to look at
    compared = Signal(object)  # the Comparison of the shown load with an earlier one, or None
    known_changed = Signal(object)  # the marks "bekend" of the shown project (by known_key)
    changed = Signal()

    def __init__(self, session: PortalSession, shell: Shell, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.shell = shell
        self.saved_shown: SavedLoad | None = None  # the shown project comes from this file
        self.comparison: Comparison | None = None
        self.compared_with: SavedLoad | None = None  # chosen in Bestand > Geschiedenis
        self.known: dict[Any, Any] = {}  # marks "bekend" of the shown project
        self.project_id: int | None = None  # the project those marks are of
        self.fresh_shown = False  # a load from the portal is on screen (a reopen comes too late)
        self.unavailable = ""  # why there is no history, in Dutch ("" when there is)
        self._history: tuple[str, History] | None = None
        self._current: float | None = None  # loaded_at of the fresh project being compared
        self.jobs: list[Job] = []

    # ---- the history of this portal ------------------------------------------------------------

    def history(self) -> History | None:
        """The history of the session's portal when its key is known; never asks the keyring."""
        name = self.session.portal_name
        if self._history is not None and self._history[0] == name:
            return self._history[1]
        return None

    def _opener(self) -> Any:
        """A function for a worker: the portal's History, or why there is none (a str).

        None when there is nothing to remember (no portal, or the demo school, made anew on
        every start).
        """
        name = self.session.portal_name
        if not name or self.session.is_demo:
            return lambda: None
        known = self.history()
        if known is not None:
            return lambda: known
        secrets = self.session.secrets

        def open_it() -> Any:
            from zdesk.app.history import HistoryUnavailable, open_history

            try:
                return open_history(name, secrets)
            except HistoryUnavailable as exc:
                return str(exc)

        return open_it

    def _opened(self, name: str, history: Any) -> History | None:
        """Take what a worker found (on the main thread)."""
        if isinstance(history, str):
            self.unavailable = history
            self.changed.emit()
            return None
        if history is not None:
            self.unavailable = ""
            self._history = (name, history)
        return history

    def _start(self, job: Job) -> None:
        self.jobs.append(job)
        job.ended.connect(lambda: self._finished(job))
        start_job(self.shell, job)

    def _finished(self, job: Job) -> None:
        # A job's work holds a whole project: let go of it, so a replaced project is freed.
        self.jobs.remove(job)
        job.function = None  # type: ignore[assignment]
        job.deleteLater()

    # ---- instant reopen ----------------------------------------------------------------------

    def reopen(self, project_id: int) -> None:
        """Show the project's newest saved load at once (a fresh load is on its way)."""
        name, opener = self.session.portal_name, self._opener()
        self.fresh_shown = False

        def work(_progress, _cancel) -> Any:
            from zdesk.ui.controllers.loading import LoadResult
            from zdesk.ui.models.tables import prepare_views

            history = opener()
            if history is None or isinstance(history, str):
                return history, None
            snapshot = history.latest(project_id)
            if snapshot is None:
                return history, None
            views = prepare_views(snapshot.project, snapshot.checks)
            marks = history.known(project_id)
            result = LoadResult(snapshot.project, snapshot.checks, None, views)
            return history, (snapshot.saved, result, marks)

        # Like a load: it makes a whole project (no collector meanwhile, frozen once shown).
        job = Job(work, "geschiedenis openen", self, heavy=True)
        job.succeeded.connect(lambda out: self._reopened(name, *out))
        self._start(job)

    def _reopened(self, name: str, history: Any, found: Any) -> None:
        self._opened(name, history)
        if found is None or self.fresh_shown:
            return  # nothing saved yet, or the portal answered first
        self.saved_shown, result, marks = found
        self.reopened.emit(result)
        self._set_marks(result.project.info.id, marks)
        self.changed.emit()

    # ---- every load is kept and compared -----------------------------------------------------

    def remember(self, result: LoadResult) -> None:
        """A fresh load is on screen: keep it, and compare it with an earlier one."""
        self.fresh_shown = True
        self.saved_shown = None
        self.comparison = None
        self.compared.emit(None)
        self.changed.emit()
        name, opener = self.session.portal_name, self._opener()
        from zdesk.store.history import retention_of

        retention = retention_of(self.session.settings)
        project, run = result.project, result.run
        self._current = project.loaded_at
        self.project_id = project.info.id
        opened: dict[str, Any] = {}

        def work(_progress, _cancel) -> Any:
            from zdesk.domain.diff import compare
            from zdesk.errors import FileProblem, os_reason
            from zdesk.store.history import comparison_choices

            history = opened["history"] = opener()
            if history is None or isinstance(history, str):
                return None
            opened["marks"] = history.known(project.info.id)
            try:
                saved = history.save(project, run, retention=retention)
            except OSError as exc:
                raise FileProblem(
                    f"Deze lading is niet in de geschiedenis bewaard: {os_reason(exc)}."
                ) from None
            choices = comparison_choices(history.loads(project.info.id), project.loaded_at)
            if saved is not None:
                choices = [c for c in choices if c.saved.path != saved.path]
            earlier = history.first_readable(c.saved for c in choices)
            if earlier is None:
                return None
            return compare(earlier.project, project, earlier.checks.findings, run.findings)

        loaded_at, pid = project.loaded_at, project.info.id

        def ended() -> None:
            history = self._opened(name, opened.get("history"))
            if history is not None and loaded_at == self._current:
                self._set_marks(pid, opened.get("marks", {}))

        job = Job(work, "geschiedenis bewaren", self)
        job.succeeded.connect(lambda comparison: self._compared(loaded_at, comparison))
        job.failed.connect(lambda exc: self.shell.show_message(str(exc), Severity.WAARSCHUWING))
        job.ended.connect(ended)
        self._start(job)

    def _compared(
        self, loaded_at: float, comparison: Comparison | None, saved: SavedLoad | None = None
    ) -> None:
        if comparison is None or loaded_at != self._current:
            return  # nothing to compare with, or another load is on screen by now
        self.comparison = comparison
        self.compared_with = saved
        self.compared.emit(comparison)
        self.changed.emit()

    # ---- Bestand > Geschiedenis ---------------------------------------------------------------

    def show_dialog(self, shown: Any) -> None:
        """Retention, a load to compare the shown one with, or wipe the history."""
        from zdesk.store.history import comparison_choices, retention_of, statement
        from zdesk.ui.dialogs.history import HistoryDialog

        settings = self.session.settings
        history = self.history()
        name = self.session.portal_name
        choices = []
        if history is not None and shown is not None:
            project = shown[0]
            choices = comparison_choices(history.loads(project.info.id), project.loaded_at)
        text = statement(name, retention_of(settings), available=history is not None)
        if history is None and self.unavailable:
            text = self.unavailable
        compared = self.compared_with
        dialog = HistoryDialog(text, retention_of(settings), choices, compared, None)
        self.shell.run_dialog(dialog)
        retention = dialog.retention()
        settings.history_keep_days = retention.keep_days
        settings.history_every_load_days = retention.every_load_days
        self.session.save_settings()
        if dialog.clear_requested:
            if self.shell.confirm(
                self.tr("Geschiedenis wissen"),
                self.tr(
                    "Alle bewaarde ladingen en bekende signaleringen van alle portalen van deze "
                    "computer verwijderen?"
                ),
            ):
                self.clear_all()
            return
        chosen = dialog.chosen()
        if chosen is not None and shown is not None:
            self.compare_with(chosen, *shown)
        to_open = dialog.to_open()
        if to_open is not None:
            self.open_saved(to_open)

    def open_saved(self, saved: SavedLoad) -> None:
        """Show a saved load as it was (read in a worker); F5 brings the fresh data back."""
        history = self.history()
        if history is None:
            return

        def work(_progress, _cancel) -> Any:
            from zdesk.ui.controllers.loading import LoadResult
            from zdesk.ui.models.tables import prepare_views

            snapshot = history.read(saved)
            views = prepare_views(snapshot.project, snapshot.checks)
            marks = history.known(saved.project)
            return LoadResult(snapshot.project, snapshot.checks, None, views), marks

        def show(out: Any) -> None:
            result, marks = out
            self.saved_shown = saved
            self._current = None  # a comparison still on its way is not of this one
            self.comparison = None
            self.compared_with = None
            self.compared.emit(None)
            self.opened.emit(result)
            self._set_marks(saved.project, marks)
            self.changed.emit()

        # Like a load: it makes a whole project (no collector meanwhile, frozen once shown).
        job = Job(work, "geschiedenis openen", self, heavy=True)
        job.succeeded.connect(show)
        job.failed.connect(lambda exc: self.shell.show_message(str(exc), Severity.WAARSCHUWING))
        self._start(job)

    def compare_with(self, saved: SavedLoad, project: Any, run: Any) -> None:
        """Compare the shown load with this saved one (read in a worker)."""
        history = self.history()
        if history is None:
            return

        def work(_progress, _cancel) -> Any:
            from zdesk.domain.diff import compare

            earlier = history.read(saved)
            return compare(earlier.project, project, earlier.checks.findings, run.findings)

        loaded_at = project.loaded_at
        self._current = loaded_at
        job = Job(work, "vergelijken", self)
        job.succeeded.connect(lambda comparison: self._compared(loaded_at, comparison, saved))
        job.failed.connect(lambda exc: self.shell.show_message(str(exc), Severity.WAARSCHUWING))
        self._start(job)

    def clear_all(self) -> None:
        """Geschiedenis wissen: every portal's saved loads and known signaleringen."""
        from zdesk.store.history import clear_all

        erased = clear_all()
        self.comparison = None
        self.compared_with = None
        self.compared.emit(None)
        self.known = {}
        self.known_changed.emit({})
        # Exactly what was removed, and what stayed and why (a linked folder, a locked file).
        severity = Severity.INFO if erased.complete else Severity.WAARSCHUWING
        self.shell.show_message(erased.describe(), severity)
        self.changed.emit()

    # ---- known signaleringen ------------------------------------------------------------------

    def _set_marks(self, project_id: int, marks: dict[Any, Any]) -> None:
        self.project_id = project_id
        self.known = marks
        self.known_changed.emit(self.known)
        self.changed.emit()

    def _load_marks(self, project_id: int) -> None:
        history = self.history()
        self._set_marks(project_id, history.known(project_id) if history is not None else {})

    def is_known(self, finding: Any) -> bool:
        from zdesk.domain.known import known_key

        return known_key(finding) in self.known

    def mark_known(self, finding: Any, note: str) -> None:
        """Mark a signalering "bekend" with a note (kept with the history, encrypted)."""
        history = self.history()
        if history is None or self.project_id is None:
            self.shell.show_message(
                self.unavailable or self.tr("Er is geen geschiedenis om dit in te bewaren."),
                Severity.INFO,
            )
            return
        history.mark_known(self.project_id, finding, note)
        self._load_marks(self.project_id)
        self.changed.emit()

    def unmark_known(self, finding: Any) -> None:
        history = self.history()
        if history is None or self.project_id is None:
            return
        history.unmark_known(self.project_id, finding)
        self._load_marks(self.project_id)
        self.changed.emit()

    def export_extras(self) -> dict[str, Any]:
        """What an export of the shown project adds: the comparison, known marks, the history."""
        from zdesk.store.history import retention_of, statement

        name = self.session.portal_name
        if not name or self.session.is_demo:
            return {}
        history = self.history()
        extras: dict[str, Any] = {
            "comparison": self.comparison,
            "history": statement(  # an export never names this computer's folders
                name,
                retention_of(self.session.settings),
                available=history is not None,
                where=False,
            ),
        }
        if self.known:
            extras["known"] = dict(self.known)
        return extras

    def cancel(self) -> None:
        for job in list(self.jobs):
            job.cancel()
