"""Koppelen: portal name plus a koppelcode or an API token, checked as the user types."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from zdesk.errors import InputError, ZdeskError
from zdesk.portal.linking import Linked, link
from zdesk.portal.names import normalise_koppelcode, normalise_portal
from zdesk.ui.jobs import Job
from zdesk.ui.plain import plain_label

OK_STYLE = "color: palette(text);"
ERROR_STYLE = "color: #c0392b;"


class LinkDialog(QDialog):
    """Links a portal in the background; `linked` holds the result after accept()."""

    def __init__(self, parent: QWidget | None = None, portal: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Portaal koppelen"))
        self.setMinimumWidth(520)
        self.linked: Linked | None = None
        self.job: Job | None = None

        intro = QLabel(
            self.tr(
                "Koppel zdesk aan het Zermelo-portaal van uw school. zdesk leest alleen; het "
                "verandert niets in het portaal."
            )
        )
        intro.setWordWrap(True)
        self.portal = QLineEdit(portal)
        self.portal.setPlaceholderText(self.tr("bijvoorbeeld mijnschool of mijnschool.zportal.nl"))
        self.portal_hint = plain_label()  # says what was typed
        self.use_code = QRadioButton(self.tr("Koppelcode (12 cijfers)"))
        self.use_token = QRadioButton(self.tr("API-token van de beheerder"))
        self.use_code.setChecked(True)
        choice = QButtonGroup(self)
        choice.addButton(self.use_code)
        choice.addButton(self.use_token)
        self.secret = QLineEdit()
        self.secret_hint = plain_label()
        for hint in (self.portal_hint, self.secret_hint):
            hint.setWordWrap(True)
            hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setVisible(False)
        self.error = plain_label()  # may carry the portal's own error text
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow(self.tr("&Portaal:"), self.portal)
        form.addRow("", self.portal_hint)
        form.addRow(self.tr("Koppelen met:"), self.use_code)
        form.addRow("", self.use_token)
        self.secret_label = QLabel()
        form.addRow(self.secret_label, self.secret)
        form.addRow("", self.secret_hint)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Koppelen"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        self.buttons.accepted.connect(self.start_link)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        for field in (self.portal, self.secret):
            field.textChanged.connect(self.validate)
            field.textEdited.connect(self._clear_error)  # the user acts on it: it has done its work
        self.use_code.toggled.connect(self._mode_changed)
        self._mode_changed()

    # ---- validation as the user types ---------------------------------------------------------

    def _mode_changed(self) -> None:
        code = self.use_code.isChecked()
        self.secret_label.setText(self.tr("&Koppelcode:") if code else self.tr("API-&token:"))
        self.secret_label.setBuddy(self.secret)
        self.secret.setEchoMode(QLineEdit.EchoMode.Normal if code else QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText(
            self.tr("1234 5678 9012 (Koppelingen > Koppel App in het portaal)")
            if code
            else self.tr("het token dat de beheerder heeft aangemaakt")
        )
        self.validate()

    def validate(self) -> bool:
        ok = True
        portal_text = self.portal.text()
        try:
            portal = normalise_portal(portal_text)
            self._hint(self.portal_hint, self.tr("Portaal: %s") % portal.base_url, True)
        except InputError as exc:
            ok = False
            self._hint(self.portal_hint, str(exc) if portal_text.strip() else "", False)
        secret = self.secret.text()
        if self.use_code.isChecked():
            try:
                normalise_koppelcode(secret)
                self._hint(self.secret_hint, self.tr("Koppelcode compleet."), True)
            except InputError as exc:
                ok = False
                self._hint(self.secret_hint, str(exc) if secret.strip() else "", False)
        else:
            ok = ok and bool(secret.strip())
            self._hint(self.secret_hint, "", True)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok and self.job is None)
        return ok

    def _clear_error(self) -> None:
        if self.error.text():
            self.error.clear()
            self._fit()

    def show_error(self, message: str) -> None:
        """Show why linking failed, the dialog grown to it so it is never cut off."""
        self.error.setText(message)
        self._fit()

    def _fit(self) -> None:
        """Grow (or shrink) to the messages shown, so a wrapped message is never cut off."""
        layout = self.layout()
        layout.activate()
        self.resize(self.width(), max(layout.heightForWidth(self.width()), self.minimumHeight()))

    @staticmethod
    def _hint(label: QLabel, text: str, good: bool) -> None:
        label.setText(text)
        label.setStyleSheet(OK_STYLE if good else ERROR_STYLE)

    # ---- linking in the background -----------------------------------------------------------

    def start_link(self) -> None:
        if not self.validate() or self.job is not None:
            return
        portal_text, secret = self.portal.text(), self.secret.text()
        use_code = self.use_code.isChecked()

        def work(_progress, _cancel) -> Linked:
            if use_code:
                return link(portal_text, koppelcode=secret)
            return link(portal_text, token=secret)

        self.error.clear()
        self._set_busy(True)
        self.job = Job(work, "koppelen", self)
        self.job.succeeded.connect(self._linked)
        self.job.failed.connect(self._failed)
        self.job.crashed.connect(lambda exc, _details: self._failed(exc))
        self.job.start()

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for widget in (self.portal, self.secret, self.use_code, self.use_token):
            widget.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)

    def _linked(self, linked: Linked) -> None:
        self.job = None
        self.linked = linked
        self._set_busy(False)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.job = None
        self._set_busy(False)
        message = (
            str(error)
            if isinstance(error, ZdeskError)
            else self.tr(
                "Koppelen is mislukt door een fout in zdesk. Details staan in het logbestand."
            )
        )
        self.show_error(message)
        if self.use_code.isChecked():
            self.secret.selectAll()
        self.secret.setFocus()
        self.validate()
