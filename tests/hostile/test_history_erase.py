"""Erasing the history says exactly what was removed and what was not: a history folder or a
portal's folder that is a link to elsewhere, a file that cannot be removed. On real files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from zdesk.domain.severity import Severity
from zdesk.store.history import clear_all, forget_portal, portal_folder
from zdesk.store.paths import history_dir
from zdesk.store.secrets import HISTORY_SERVICE, SecretStore

PORTAL = "mijnschool"


def saved_files(folder: Path) -> list[Path]:
    files = [folder / "401" / "20261201T101010000Z-0a0b0c0d.zdh", folder / "401" / "bekend.zdk"]
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"ZDESK\x1a sealed")
    return files


@pytest.fixture
def unremovable(monkeypatch):
    """Makes a file that cannot be removed: its folder read-only, or (for root, whom modes do
    not stop) the system's refusal as it comes for a file locked by another program."""
    made: list[Path] = []

    def make(path: Path) -> None:
        if os.name == "posix" and os.geteuid() != 0:
            path.parent.chmod(0o500)
            made.append(path.parent)
            return
        unlink = os.unlink

        def refusing(target, *args, **kwargs):
            if Path(target) == path:
                raise PermissionError(13, "Permission denied", str(target))
            return unlink(target, *args, **kwargs)

        monkeypatch.setattr(os, "unlink", refusing)

    yield make
    for folder in made:
        folder.chmod(0o700)


def test_a_linked_history_folder_is_not_said_to_be_wiped(tmp_path, logfail):
    logfail.expect("zdesk.store.history", "niet verwijderd")
    elsewhere = tmp_path / "elders"
    kept = saved_files(elsewhere / PORTAL)
    history_dir().parent.mkdir(parents=True)
    history_dir().symlink_to(elsewhere, target_is_directory=True)

    erased = clear_all()

    assert all(path.exists() for path in kept)  # a link is never followed out of the folder
    assert not erased.complete and erased.removed == 0
    message = erased.describe()
    assert "niet helemaal gewist" in message and str(history_dir()) in message
    assert "koppeling" in message


def test_a_file_that_cannot_be_removed_is_named_and_the_rest_goes(
    unremovable, logfail, memory_keyring
):
    logfail.expect("zdesk.store.history", "niet verwijderd")
    store = SecretStore()
    assert store.history_key(PORTAL) is not None
    stuck, goes = saved_files(portal_folder(PORTAL))
    other = saved_files(portal_folder("andereschool"))
    unremovable(stuck)

    erased = forget_portal(PORTAL, store)

    assert stuck.exists() and not goes.exists()
    assert all(path.exists() for path in other)  # another portal's history is not touched
    assert (HISTORY_SERVICE, PORTAL) not in memory_keyring.items  # the key goes all the same
    assert erased.removed == 1 and [p for p, _why in erased.kept] == [stuck]
    message = erased.describe()
    assert str(stuck) in message and "geen toestemming" in message
    assert "Permission denied" not in message  # the system's own English stays out


def test_geschiedenis_wissen_in_the_window_says_what_stayed(qtbot, window, tmp_path, logfail):
    logfail.expect("zdesk.store.history", "niet verwijderd")
    elsewhere = tmp_path / "elders"
    linked = saved_files(elsewhere)
    own = saved_files(portal_folder(PORTAL))
    portal_folder("gekoppeld").symlink_to(elsewhere, target_is_directory=True)

    window.remembering.clear_all()

    assert all(path.exists() for path in linked) and not any(path.exists() for path in own)
    text = window.messages.text.text()
    assert "niet helemaal gewist" in text and str(portal_folder("gekoppeld")) in text
    assert "2 bestanden verwijderd" in text
    assert window.messages.severity == Severity.WAARSCHUWING


def test_a_history_that_went_whole_says_so(qtbot, window):
    saved_files(portal_folder(PORTAL))
    window.remembering.clear_all()
    assert not history_dir().exists()
    assert window.messages.text.text() == "De geschiedenis is gewist (2 bestanden verwijderd)."


def test_ontkoppelen_says_what_of_the_history_stayed(
    qtbot, window, portal, small_school, tmp_path, logfail
):
    from ..ui.test_app import LOAD_TIMEOUT, link_and_load

    logfail.expect("zdesk.store.history", "niet verwijderd")
    link_and_load(qtbot, window, portal, small_school)
    name = window.session.client.portal.name
    qtbot.waitUntil(lambda: not window.remembering.jobs, timeout=LOAD_TIMEOUT)
    elsewhere = tmp_path / "elders"
    linked = saved_files(elsewhere)
    (portal_folder(name) / "999").symlink_to(elsewhere, target_is_directory=True)
    window.driver.on("QMessageBox", lambda box: box.StandardButton.Yes)

    window.linking.unlink_portal()

    qtbot.waitUntil(lambda: window.session.client is None, timeout=LOAD_TIMEOUT)
    assert all(path.exists() for path in linked)
    text = window.messages.text.text()
    assert "ingetrokken" in text and "niet helemaal gewist" in text
    assert str(portal_folder(name) / "999") in text
    assert window.messages.severity == Severity.WAARSCHUWING
