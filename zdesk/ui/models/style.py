"""How severities look in the views: the shared palette as Qt colours, icons and tooltips."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from zdesk.domain.severity import Severity
from zdesk.present.palette import STYLES, worst
from zdesk.ui.plain import plain_tooltip

if TYPE_CHECKING:
    from zdesk.domain.checks import Finding

SortRole = Qt.ItemDataRole.UserRole + 1
ObjectRole = Qt.ItemDataRole.UserRole + 2
SeverityRole = Qt.ItemDataRole.UserRole + 3

# The roles as plain ints: a view asks a model for a dozen roles per cell on every paint, and
# looking up a Qt enum member from Python costs more than answering.
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
DECORATION = int(Qt.ItemDataRole.DecorationRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
HORIZONTAL = Qt.Orientation.Horizontal
RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
# What the app's models answer; any other role (font, foreground, check state, ...) is None.
ANSWERED = frozenset(
    {
        DISPLAY,
        DECORATION,
        TOOLTIP,
        ALIGNMENT,
        BACKGROUND,
        FOREGROUND,
        SortRole,
        ObjectRole,
        SeverityRole,
    }
)


def muted_text() -> object:
    """The palette's own colour for text that is there but not current (light and dark)."""
    from PySide6.QtGui import QGuiApplication, QPalette

    return QGuiApplication.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)


# The standard icons per severity (QStyle's enums are made on first use: not at start-up).
_ICON_NAMES = {
    Severity.FOUT: "SP_MessageBoxCritical",
    Severity.WAARSCHUWING: "SP_MessageBoxWarning",
    Severity.INFO: "SP_MessageBoxInformation",
}
_icon_cache: dict[Severity, QIcon] = {}
_colour_cache: dict[tuple[Severity, bool], QColor] = {}


def dark_theme() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    return QGuiApplication.palette().window().color().lightness() < 128


def background(severity: Severity | None) -> QColor | None:
    if severity is None:
        return None
    dark = dark_theme()
    colour = _colour_cache.get((severity, dark))
    if colour is None:
        style = STYLES[severity]
        colour = _colour_cache[(severity, dark)] = QColor(style.dark if dark else style.light)
    return colour


def icon(severity: Severity | None) -> QIcon | None:
    if severity is None:
        return None
    if severity not in _icon_cache:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return None
        from PySide6.QtWidgets import QStyle

        pixmap = getattr(QStyle.StandardPixmap, _ICON_NAMES[severity])
        _icon_cache[severity] = app.style().standardIcon(pixmap)
    return _icon_cache[severity]


_change_icon: list[QIcon] = []


def change_icon() -> QIcon | None:
    """The marker of an object that changed since the compared load (with a tooltip saying so)."""
    if not _change_icon:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return None
        from PySide6.QtWidgets import QStyle

        _change_icon.append(app.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload))
    return _change_icon[0]


_marked_cache: dict[Severity, QIcon] = {}


def marked_icon(severity: Severity | None, changed: bool) -> QIcon | None:
    """The icon of a row: its worst signalering, the change marker, or both (the marker drawn
    small in the corner of the signalering's icon, so neither hides the other)."""
    if not changed:
        return icon(severity)
    if severity is None:
        return change_icon()
    found = _marked_cache.get(severity)
    if found is None:
        base, marker = icon(severity), change_icon()
        if base is None or marker is None:
            return base or marker
        from PySide6.QtGui import QPainter, QPixmap

        size = 16
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        base.paint(painter, 0, 0, size, size)
        painter.drawPixmap(size // 2, size // 2, marker.pixmap(size // 2, size // 2))
        painter.end()
        found = _marked_cache[severity] = QIcon(pixmap)
    return found


def tooltip(findings: Sequence[Finding], extra: str = "") -> str:
    """Every finding of an object, one per line, with its severity in words (not colour alone)."""
    lines = [f"{STYLES[f.severity].label.capitalize()}: {f.message}" for f in findings]
    if extra:
        lines.insert(0, extra)
    return plain_tooltip("\n".join(lines))  # messages carry names from the portal


def titles(findings: Sequence[Finding]) -> str:
    from zdesk.domain.checks import CHECK_BY_ID

    return ", ".join(dict.fromkeys(CHECK_BY_ID[f.check].title for f in findings))


__all__ = [
    "ObjectRole",
    "SeverityRole",
    "SortRole",
    "background",
    "icon",
    "titles",
    "tooltip",
    "worst",
]
