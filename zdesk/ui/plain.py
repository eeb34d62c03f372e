"""Text from the portal or the user in widgets: always plain text, and never longer than readable.

Qt shows a label's or tooltip's text as rich text when it merely looks like HTML, so a project named
`<img src=... width=2000 height=2000>` would stretch the window. Labels that show such text are
set to plain text; tooltips (which have no such setting) get the text escaped into a paragraph.
A name is shown up to MAX_SHOWN characters; the export keeps the whole value.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel

MAX_SHOWN = 300  # characters of one name or text shown; beyond that an ellipsis


def elide(text: str, limit: int = MAX_SHOWN) -> str:
    """`text` cut to `limit` characters with an ellipsis (the whole value stays in the data)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain_tooltip(text: str) -> str:
    """A tooltip that shows `text` as it is, whatever it contains (line breaks kept)."""
    if not text:
        return text
    return GuiQt.convertFromPlainText(
        elide(text, 4 * MAX_SHOWN), Qt.WhiteSpaceMode.WhiteSpaceNormal
    )


def plain_label(label: QLabel | None = None) -> QLabel:
    """A label (a new one by default) that never interprets its text as rich text."""
    label = label if label is not None else QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
