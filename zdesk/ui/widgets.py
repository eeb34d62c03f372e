"""Small parts of the main window: the message bar with its actions, and the status bar."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStatusBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from zdesk.domain.severity import Severity
from zdesk.ui.plain import elide, plain_label, plain_tooltip

Action = tuple[str, Callable[[], None]]
# The scope chip shows "alleen keuzevak netl in h5 (De Vaart Noord)" whole; longer is cut in
# the middle (whole in its tooltip), so the chip never pushes the search box away.
CHIP_CHARS = 48


class MessageBar(QFrame):
    """A calm, non-modal message above the views: what happened, and the action that helps."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.symbol = QLabel()
        self.text = plain_label()  # portal error texts, the linked user's name
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons: list[QPushButton] = []
        close = QToolButton()
        close.setText("✕")
        close.setToolTip(self.tr("Melding sluiten"))
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(8, 4, 4, 4)
        self.row.addWidget(self.symbol)
        self.row.addWidget(self.text, 1)
        self.row.addWidget(close)
        self.severity: Severity | None = None
        self.hide()

    def show_message(
        self, text: str, severity: Severity = Severity.WAARSCHUWING, actions: Sequence[Action] = ()
    ) -> None:
        # The style's types and the severity styles once there is a message, not for the start.
        from PySide6.QtWidgets import QStyle

        from zdesk.present.palette import STYLES
        from zdesk.ui.models.style import dark_theme, icon

        for button in self.buttons:
            self.row.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        style = STYLES[severity]
        self.severity = severity
        colour = style.dark if dark_theme() else style.light
        self.setStyleSheet(f"MessageBar {{ background: {colour}; border-radius: 4px; }}")
        # The tables' icon, not a glyph: a font without "⛔" would show an empty box.
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        symbol = icon(severity)
        if symbol is not None:
            self.symbol.setPixmap(symbol.pixmap(size, size))
        self.symbol.setToolTip(style.label)
        self.symbol.setAccessibleName(style.label)
        self.text.setText(elide(text, 4 * 300))
        for label, callback in actions:
            button = QPushButton(label)
            button.clicked.connect(callback)
            self.row.insertWidget(self.row.count() - 1, button)
            self.buttons.append(button)
        self.show()


class EmptyState(QWidget):
    """What the window shows before any project: what zdesk is for and the two ways to start."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(self.tr("Nog geen project geopend"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        text = QLabel(
            self.tr(
                "zdesk leest de formatie en de roostergroepen uit het Zermelo-portaal van uw "
                "school en laat zien wat er niet klopt. Koppel eerst het portaal (daarvoor hebt "
                "u een koppelcode nodig), of kijk rond in de demoschool: die staat op deze "
                "computer, er gaat niets over het internet."
            )
        )
        text.setWordWrap(True)
        self.link = QPushButton(self.tr("&Koppelen…"))
        self.link.setDefault(True)
        self.demo = QPushButton(self.tr("&Demo bekijken"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.link)
        buttons.addWidget(self.demo)
        buttons.addStretch(1)
        box = QVBoxLayout()
        box.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addWidget(text)
        box.addLayout(buttons)
        holder = QWidget()
        holder.setMaximumWidth(560)
        holder.setLayout(box)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(holder, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)


class ScopeChip(QFrame):
    """ "alleen h5 (De Vaart Noord)" beside the search: what the tables are narrowed to, and ✕."""

    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QStyle  # the project page's: not built for the first paint

        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("scopeChip")
        self.setStyleSheet("#scopeChip { border-radius: 9px; }")
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.clear_button = QToolButton()
        self.clear_button.setIcon(
            self.style().standardIcon(QStyle.StandardPixmap.SP_LineEditClearButton)
        )
        self.clear_button.setAutoRaise(True)
        self.clear_button.setToolTip(self.tr("Weer alles tonen in de tabellen"))
        self.clear_button.setAccessibleName(self.tr("Alles tonen"))
        self.clear_button.clicked.connect(self.cleared)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.text)
        row.addWidget(self.clear_button)
        self.hide()

    def show_scope(self, label: str | None) -> None:
        """Show what the tables are narrowed to; None hides the chip."""
        if label is None:
            self.hide()
            return
        text = self.tr("alleen %s") % label
        metrics = self.text.fontMetrics()
        self.text.setText(
            metrics.elidedText(
                text, Qt.TextElideMode.ElideMiddle, CHIP_CHARS * metrics.averageCharWidth()
            )
        )
        self.setToolTip(plain_tooltip(text))  # names from the portal
        self.show()


class StatusBar(QStatusBar):
    """Project, data age and counts; during a load a progress bar with a cancel button."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = plain_label()  # the project's and portal's names
        self.age = plain_label()
        self.counts = plain_label()
        self.session_only = plain_label()
        self.session_only.setVisible(False)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.cancel = QPushButton(self.tr("Annuleren"))
        self.cancel.setToolTip(self.tr("Laden afbreken (Esc)"))
        self.cancel.clicked.connect(self.cancel_requested)
        self.activity = plain_label()
        # What is being read changes with every answer: a steady width, the text cut if longer
        # (the full text in the tooltip), so a load never widens the window or moves the bar.
        self.activity.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.activity.setFixedWidth(self.activity.fontMetrics().horizontalAdvance("x" * 44))
        for widget in (self.project, self.age, self.counts):
            widget.setMinimumWidth(1)  # a long text is cut short rather than widen the window
            self.addWidget(widget)
        for widget in (self.session_only, self.activity, self.progress, self.cancel):
            self.addPermanentWidget(widget)
        self.busy(False)

    def busy(self, on: bool, text: str = "") -> None:
        self.activity.setText(text)
        for widget in (self.activity, self.progress, self.cancel):
            widget.setVisible(on)
        if on:
            self.progress.setRange(0, 0)

    def step(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{done}/{total}")
        self.activity.setText(text)
        self.activity.setToolTip(plain_tooltip(text))
