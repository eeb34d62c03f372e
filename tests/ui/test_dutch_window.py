"""Every dialog and menu of the app is Dutch: no English word from Qt's defaults anywhere."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox

from .test_app import LOAD_TIMEOUT, load_directly
from .test_dutch_qt import english_in, texts_of


def menu_texts(menu: QMenu) -> list[str]:
    menu.aboutToShow.emit()  # menus filled when opened (Portaal wisselen)
    out = [menu.title()]
    for action in menu.actions():
        out += [action.text(), action.toolTip()]
        if action.menu() is not None:
            out += menu_texts(action.menu())
    return out


def test_every_dialog_and_menu_is_dutch(qtbot, window, portal, small_school):
    seen: dict[str, list[str]] = {}

    def record(answer):
        def handler(dialog):
            dialog.show()
            seen[type(dialog).__name__ + ": " + dialog.windowTitle()] = texts_of(dialog)
            dialog.hide()
            return answer

        return handler

    for name in ("LinkDialog", "ProjectDialog", "RightsDialog", "AboutDialog", "CrashBox"):
        window.driver.on(name, record(0))
    window.driver.on("QMessageBox", record(QMessageBox.StandardButton.No))
    empty = texts_of(window.empty)
    window.linking.link_portal()
    load_directly(qtbot, window, portal, small_school)
    window.loading.choose_project()
    qtbot.waitUntil(lambda: any(k.startswith("ProjectDialog") for k in seen), timeout=LOAD_TIMEOUT)
    window.loading.show_rights()
    window.show_about()
    window.linking.unlink_portal()  # asks first: answered "Nee"
    window.show_crash(RuntimeError("kapot"), "Traceback (most recent call last): ...")
    assert {k.split(":")[0] for k in seen} == {
        "LinkDialog",
        "ProjectDialog",
        "RightsDialog",
        "AboutDialog",
        "QMessageBox",
        "CrashBox",
    }

    menus = [t for m in window.menuBar().findChildren(QMenu) for t in menu_texts(m)]
    menus += [a.text() for a in window.findChildren(QAction)]
    view = window.view
    for tab in view.tabs:
        tab.view.selectRow(0)
        menus += menu_texts(tab.view.context_menu())
    menus += [a.text() for a in view.search.createStandardContextMenu().actions()]
    everything = {"window": texts_of(window) + menus, "empty": empty, **seen}
    found = {where: english_in(texts) for where, texts in everything.items()}
    assert not any(found.values()), found
    assert "Kopiëren met kolomkoppen" in menus and "&Vernieuwen" in menus
