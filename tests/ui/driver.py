"""A small driver of the main window for tests: what a person does and sees, said by intent.

Built on what the window shows publicly (its views, models and actions) and on Qt's own API,
so a test says "open Leerlingen" or "wait until the load ends" without reaching into how the
window is put together.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QWidget

from zdesk.ui.models.style import ObjectRole

LOAD_TIMEOUT = 20_000


def plain(text: str) -> str:
    """A menu's or button's text as read: without its mnemonic and trailing dots."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…")


def press_button(dialog: QWidget, text: str) -> None:
    """Click the dialog's button that reads `text` (mnemonic and dots left out)."""
    buttons = [b for b in dialog.findChildren(QAbstractButton) if plain(b.text()) == text]
    assert len(buttons) == 1, [b.text() for b in dialog.findChildren(QAbstractButton)]
    buttons[0].click()


class WindowDriver:
    """The main window as a test drives it."""

    def __init__(self, window, qtbot) -> None:
        self.window = window
        self.qtbot = qtbot

    @property
    def project(self):
        """The project on screen, or None."""
        return self.window.view.project

    # ---- loading ------------------------------------------------------------------------------

    def load(self, portal, school, token: str | None = None) -> None:
        """Open the school's current project from a linked portal, and wait until it is shown
        (or the load failed and says so)."""
        from zdesk.portal.client import PortalClient
        from zdesk.portal.names import normalise_portal

        self.window.session.adopt(
            PortalClient(normalise_portal(portal.url), token or portal.token, backoff=0.01)
        )
        self.window.loading.open_project(school.current_project)
        self.qtbot.waitUntil(
            lambda: self.loading_ended() and (self.project is not None or self.has_message()),
            timeout=LOAD_TIMEOUT,
        )

    def loading_ended(self) -> bool:
        return self.window.loading.job is None

    def wait_until_loaded(self, replacing: Any = None, timeout: int = LOAD_TIMEOUT) -> None:
        """Wait until no load runs and a project is shown (another than `replacing`, if given)."""
        self.qtbot.waitUntil(
            lambda: (
                self.project is not None and self.project is not replacing and self.loading_ended()
            ),
            timeout=timeout,
        )

    def wait_until_load_ends(self, timeout: int = LOAD_TIMEOUT) -> None:
        """Wait until no load runs, whatever it led to."""
        self.qtbot.waitUntil(self.loading_ended, timeout=timeout)

    # ---- menus and keys -----------------------------------------------------------------------

    def action(self, text: str) -> QAction:
        """The window's action (a menu item) that reads `text`."""
        found = [a for a in self.window.findChildren(QAction) if plain(a.text()) == text]
        assert len(found) == 1, f"{len(found)} actions read {text!r}"
        return found[0]

    def trigger(self, text: str) -> None:
        """Choose the menu item that reads `text`."""
        self.action(text).trigger()

    def press(self, keys: str) -> None:
        """Press a shortcut of the window's menus ("F5", "Ctrl+2"): the action it belongs to runs,
        as the key does when the window is active."""
        wanted = QKeySequence(keys)
        found = [
            a
            for a in self.window.findChildren(QAction)
            if wanted in a.shortcuts() and a.isEnabled()
        ]
        assert len(found) == 1, f"{len(found)} actions have the shortcut {keys}"
        found[0].trigger()

    # ---- the tabs -----------------------------------------------------------------------------

    def tab(self, title: str):
        """The tab titled `title` (its model, view and page), shown or not."""
        return self.window.view.tabs[title]

    def open_tab(self, title: str):
        """Click the tab titled `title` in the tab bar (its text may add a count, as
        "Wijzigingen (5)"); returns the tab."""
        tab = self.tab(title)
        tabs = self.window.view.tab_widget
        bar = tabs.tabBar()
        index = tabs.indexOf(tab.page)
        assert bar.tabText(index).startswith(title)
        self.qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
        assert tabs.currentIndex() == index
        return tab

    def current_tab(self):
        """The tab shown."""
        view = self.window.view
        return view.tabs[view.tab_widget.currentIndex()]

    def shows(self, title: str) -> bool:
        """Whether the tab titled `title` is the one shown."""
        return self.current_tab().name == title

    def table(self, title: str | None = None):
        """The table model of a tab (the one shown when no title is given)."""
        return (self.current_tab() if title is None else self.tab(title)).model

    def rows(self, title: str | None = None) -> list[Any]:
        """The objects a tab's table shows now, in order."""
        model = self.table(title)
        return [model.row_object(r) for r in range(model.rowCount())]

    def keys(self, title: str | None = None) -> set[Any]:
        """The keys ((kind, id)) of the objects a tab's table shows now."""
        model = self.table(title)
        return {model.key_of(r) for r in range(model.rowCount())}

    def chosen(self, title: str | None = None) -> Any:
        """The object of a tab's current row (the tab shown when no title is given)."""
        tab = self.current_tab() if title is None else self.tab(title)
        index = tab.view.currentIndex()
        return tab.model.row_object(index.row()) if index.isValid() else None

    def select_row(self, title: str, row: int) -> None:
        """Open the tab and make `row` of its table the chosen one."""
        self.open_tab(title).view.selectRow(row)

    def activate_row(self, title: str, row: int) -> None:
        """Open the tab, choose `row` and press Enter on it (a jump to what it points at)."""
        view = self.open_tab(title).view
        view.setCurrentIndex(view.model().index(row, 0))
        view.setFocus()
        self.qtbot.keyClick(view, Qt.Key.Key_Return)

    # ---- the tree -----------------------------------------------------------------------------

    def tree_current(self) -> Any:
        """The object of the tree's current node, or None."""
        index = self.window.view.tree.currentIndex()
        return index.data(ObjectRole) if index.isValid() else None

    # ---- the Overzicht ------------------------------------------------------------------------

    def overview_line(self, row: int) -> Any:
        """What a row of the Overzicht's summary counts (a vestiging or an afdeling)."""
        return self.tab("Overzicht").view.model().row_object(row)

    def click_count(self, row: int, column: int) -> None:
        """Open the Overzicht and activate one of its counts (Enter on it, as a click does)."""
        summary = self.open_tab("Overzicht").view
        summary.setCurrentIndex(summary.model().index(row, column))
        summary.setFocus()
        self.qtbot.keyClick(summary, Qt.Key.Key_Return)

    def go_back(self) -> None:
        """Alt+Left: back to where the last jump came from."""
        focus = self.window.view.tab_widget.currentWidget()
        self.qtbot.keyClick(focus, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)

    # ---- what the window says -----------------------------------------------------------------

    def status_text(self) -> str:
        """The status bar's texts, as one line: project, data age and counts."""
        status = self.window.status
        return " | ".join(w.text() for w in (status.project, status.age, status.counts))

    def message(self) -> str:
        """The message bar's text (the last message, also once the bar is closed)."""
        return self.window.messages.text.text()

    def has_message(self) -> bool:
        """Whether the message bar is shown."""
        return self.window.messages.isVisible()

    def message_buttons(self) -> list[str]:
        """What the message bar offers, in order."""
        return [b.text() for b in self.window.messages.buttons]

    def press_message_button(self, text: str) -> None:
        """Click what the message bar offers under `text`."""
        (button,) = [b for b in self.window.messages.buttons if b.text() == text]
        button.click()
