"""The link dialog: its message is never cut off, and goes away when the user types again."""

from __future__ import annotations

from PySide6.QtCore import Qt

from zdesk.portal.errors import NetworkError


def test_a_long_message_is_shown_whole_and_typing_clears_it(qtbot):
    from zdesk.ui.dialogs.link import LinkDialog

    dialog = LinkDialog(None, "mijnschol")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    before = dialog.height()
    message = str(NetworkError(portal="mijnschol"))
    long = message + " " + message * 3
    dialog.show_error(long)
    label = dialog.error
    assert label.height() >= label.heightForWidth(label.width()) > 2 * label.fontMetrics().height()
    assert label.geometry().bottom() < dialog.buttons.geometry().top()
    grown = dialog.height()
    assert grown > before

    dialog.portal.setText("mijnschool")  # set by zdesk, not typed: the message stays
    assert dialog.error.text() == long
    qtbot.keyClick(dialog.portal, Qt.Key.Key_L)
    assert dialog.error.text() == ""
    assert dialog.height() <= before < grown
