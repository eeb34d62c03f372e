"""The Signaleringen tab's page: its table under a row to choose a check and a severity.

It keeps what the user chose (a check, a severity, whether "bekend" ones show) and filters its
table's rows when asked; what is shown (the project, the run, the marks) stays with the project
view, which refilters on `filters_changed`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from zdesk.domain.severity import Severity

if TYPE_CHECKING:
    from zdesk.domain.checks import CheckRun
    from zdesk.domain.model import Project
    from zdesk.ui.models.table import RecordTableModel


class FindingsPage(QWidget):
    filters_changed = Signal()  # a check, a severity or "Bekende tonen" was chosen
    mark_requested = Signal(object)  # the Finding of the current row, to mark "bekend" (or not)

    def __init__(
        self, model: RecordTableModel, view: QTableView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.view = view
        self.check_filter = QComboBox()
        self.severity_filter = QComboBox()
        self.severity_filter.addItem(self.tr("Alle ernst"), None)
        for severity in Severity:
            self.severity_filter.addItem(severity.value, severity.value)
        # Exactly these signaleringen (a count of the Overzicht), until a filter is chosen.
        self.only: list[Any] | None = None
        self.only_label = QLabel()
        self.only_clear = QPushButton(self.tr("Alle tonen"))
        self.only_clear.setToolTip(self.tr("Weer alle signaleringen tonen"))
        self.only_clear.clicked.connect(self._changed)
        self.check_filter.currentIndexChanged.connect(self._changed)
        self.severity_filter.currentIndexChanged.connect(self._changed)
        # Signaleringen marked "bekend" (with a note) are hidden unless asked for.
        self.show_known = QCheckBox(self.tr("Bekende tonen"))
        self.show_known.toggled.connect(self._changed)
        self.mark_known = QPushButton(self.tr("Bekend…"))
        self.mark_known.setToolTip(
            self.tr("De gekozen signalering als bekend markeren (met een notitie), of niet meer")
        )
        self.mark_known.clicked.connect(self._mark_selected)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Controle:")))
        bar.addWidget(self.check_filter, 2)
        bar.addWidget(QLabel(self.tr("Ernst:")))
        bar.addWidget(self.severity_filter, 1)
        bar.addWidget(self.show_known)
        bar.addWidget(self.mark_known)
        only = QHBoxLayout()
        only.addWidget(self.only_label, 1)
        only.addWidget(self.only_clear)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 4, 0, 0)
        column.addLayout(bar)
        column.addLayout(only)
        column.addWidget(view)
        self._show_only_row()

    def _changed(self, *_args: Any) -> None:
        """The user chose a filter: no longer only the signaleringen of a count."""
        self.only = None
        self._show_only_row()
        self.filters_changed.emit()

    def _show_only_row(self) -> None:
        self.only_label.setVisible(self.only is not None)
        self.only_clear.setVisible(self.only is not None)

    def show_only(self, findings: list[Any], label: str) -> None:
        """Exactly these signaleringen (bekend or not), every check and severity chosen."""
        for widget in (self.check_filter, self.severity_filter, self.show_known):
            widget.blockSignals(True)
        self.check_filter.setCurrentIndex(0)
        self.severity_filter.setCurrentIndex(0)
        self.show_known.setChecked(False)
        for widget in (self.check_filter, self.severity_filter, self.show_known):
            widget.blockSignals(False)
        self.only = list(findings)
        self.only_label.setText(self.tr("Alleen %s") % label)
        self._show_only_row()
        self.filters_changed.emit()

    def _mark_selected(self) -> None:
        index = self.view.selectionModel().currentIndex()
        if index.isValid():
            self.mark_requested.emit(self.model.row_object(index.row()))

    @property
    def narrowed(self) -> bool:
        """A check or a severity is chosen: not every signalering is shown."""
        return (
            self.only is not None
            or self.check_filter.currentData() is not None
            or self.severity_filter.currentData() is not None
        )

    def fill_checks(self, run: CheckRun) -> None:
        """The checks of a run with their counts (and those skipped); the chosen one stays."""
        from zdesk.domain.checks import CHECKS

        counts = run.counts()
        current = self.check_filter.currentData()
        self.check_filter.blockSignals(True)
        self.check_filter.clear()
        self.check_filter.addItem(self.tr("Alle controles (%d)") % len(run.findings), None)
        for check in CHECKS:
            if check.id in counts:
                self.check_filter.addItem(f"{check.title} ({counts[check.id]})", check.id)
        skipped = {s.check for s in run.skipped}
        for check in CHECKS:
            if check.id in skipped:
                self.check_filter.addItem(f"{check.title} (overgeslagen)", check.id)
        found = self.check_filter.findData(current)
        self.check_filter.setCurrentIndex(max(found, 0))
        self.check_filter.blockSignals(False)

    def refilter(
        self, project: Project, run: CheckRun, known: dict[Any, Any], search_text: str
    ) -> None:
        """Show the run's signaleringen that the chosen check, severity and search text let by."""
        from zdesk.ui.models.tables import filter_findings

        if self.only is not None:
            filter_findings(self.model, self.only, project, None, None, known, True)
        else:
            filter_findings(
                self.model,
                run.findings,
                project,
                self.check_filter.currentData(),
                self.severity_filter.currentData(),
                known,
                self.show_known.isChecked(),
            )
        self.model.set_filter(search_text, None)

    def show_severity(self, severity: Severity | None) -> None:
        """Every check, of one severity (None: of every severity)."""
        self.check_filter.setCurrentIndex(0)
        value = severity.value if severity else None
        self.severity_filter.setCurrentIndex(max(self.severity_filter.findData(value), 0))
