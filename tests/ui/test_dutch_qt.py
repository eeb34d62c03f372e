"""Qt's own texts are Dutch: buttons, the text fields' menu, message boxes and the file dialog."""

from __future__ import annotations

import re

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

# Qt's English defaults that a Dutch user must not meet (whole words, & left out).
QT_ENGLISH = (
    "Close", "Cancel", "Show Details", "Hide Details", "Look in", "File name", "Files of type",
    "Undo", "Redo", "Cut", "Copy", "Paste", "Delete", "Select All", "Save", "Open", "Yes", "No",
    "Retry", "Abort", "Ignore", "Apply", "Reset", "Discard", "Back", "Forward", "Parent Directory",
    "Create New Folder", "List View", "Detail View", "Size", "Date Modified", "Choose",
)  # fmt: skip
ENGLISH = re.compile(r"\b(" + "|".join(map(re.escape, QT_ENGLISH)) + r")\b")


def english_in(texts) -> list[str]:
    return [t for t in texts if t and ENGLISH.search(t.replace("&", ""))]


def texts_of(widget: QWidget) -> list[str]:
    out = [widget.windowTitle()]
    for child in [widget, *widget.findChildren(QWidget)]:
        if isinstance(child, QAbstractButton | QLabel):
            out.append(child.text())
        out.append(child.toolTip())
        out += [a.text() for a in child.actions()]
    return out


def test_translations_are_installed_once(qapp, dutch_qt):
    from zdesk.ui.app import install_translations

    assert len(dutch_qt) == 2  # Qt's catalogue and the gaps it leaves
    assert install_translations(qapp) is dutch_qt
    assert QLocale().toString(1620) == "1.620"


def test_text_field_menus_are_dutch(qtbot):
    for field in (QLineEdit(), QPlainTextEdit()):
        qtbot.addWidget(field)
        menu = field.createStandardContextMenu()
        texts = [a.text().replace("&", "") for a in menu.actions() if a.text()]
        assert any("Kopiëren" in t for t in texts) and any("Plakken" in t for t in texts)
        assert not english_in(texts), texts


def test_buttons_and_message_boxes_are_dutch(qtbot):
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Close
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Save
        | QDialogButtonBox.StandardButton.Retry
        | QDialogButtonBox.StandardButton.Yes
        | QDialogButtonBox.StandardButton.No
    )
    qtbot.addWidget(buttons)
    texts = [b.text() for b in buttons.buttons()]
    assert "Sluiten" in texts and "Annuleren" in texts
    assert not english_in(texts), texts
    box = QMessageBox(QMessageBox.Icon.Critical, "zdesk", "Er ging iets mis.")
    box.setDetailedText("Traceback ...")
    qtbot.addWidget(box)
    box.show()
    assert any("Details" in t for t in texts_of(box))
    assert not english_in(texts_of(box)), texts_of(box)


def test_the_file_dialog_is_dutch(qtbot):
    dialog = QFileDialog(None, "Exporteren", "", "Excel-werkmap (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = texts_of(dialog)
    assert "&Zoeken in:" in texts and "Bestands&type:" in texts
    assert not english_in(texts), texts
