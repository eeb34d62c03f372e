"""The history in the app: unlinking a portal takes its history and key with it."""

from __future__ import annotations

from zdesk.commands.history import open_history
from zdesk.store.history import portal_folder
from zdesk.store.secrets import HISTORY_SERVICE

from .test_app import LOAD_TIMEOUT, link_and_load


def test_unlinking_deletes_the_history_and_its_key(
    qtbot, window, portal, small_school, memory_keyring
):
    link_and_load(qtbot, window, portal, small_school)
    name = window.session.client.portal.name
    open_history(name).save(window.view.project, window.view.run)
    assert (HISTORY_SERVICE, name) in memory_keyring.items and portal_folder(name).exists()
    window.driver.on("QMessageBox", lambda box: box.StandardButton.Yes)
    window.linking.unlink_portal()
    qtbot.waitUntil(lambda: window.session.client is None, timeout=LOAD_TIMEOUT)
    assert (HISTORY_SERVICE, name) not in memory_keyring.items
    assert not portal_folder(name).exists()
