"""Nothing leaked: after a whole session the token is nowhere it must not be; zdesk never writes
to the portal; and the token store behaves with a locked, a missing and a real keyring."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from zdesk.errors import KeyringLocked
from zdesk.portal import errors
from zdesk.store.secrets import SecretStore

from .test_app import link_and_load

TIMEOUT = 20_000


def test_a_whole_session_leaks_the_token_nowhere(
    qtbot, window, drive, portal, small_school, tmp_path, caplog, monkeypatch, memory_keyring
):
    from zdesk.ui.app import setup_logging

    raised: list[errors.ZdeskError] = []
    original_init = errors.ZdeskError.__init__

    def recording_init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        raised.append(self)

    monkeypatch.setattr(errors.ZdeskError, "__init__", recording_init)
    shown: list[str] = []
    original_show = window.messages.show_message
    monkeypatch.setattr(
        window.messages,
        "show_message",
        lambda text, *a, **k: (shown.append(text), original_show(text, *a, **k)),
    )
    handler = setup_logging()
    caplog.set_level(logging.DEBUG)
    try:
        link_and_load(qtbot, window, portal, small_school)
        token = window.session.client.token
        window.session.client.transport.backoff = 0.01
        for kind, kwargs in (
            ("status", {"status": 401}),
            ("status", {"status": 503}),
            ("html", {}),
            ("truncate", {}),
        ):
            portal.add_fault(kind, "plannedgroups", **kwargs)
            drive.press("F5")
            drive.wait_until_load_ends(TIMEOUT)
            portal.clear_faults()
        drive.press("F5")
        qtbot.waitUntil(
            lambda: window.loading.job is None and not window.loading.stale, timeout=TIMEOUT
        )
        exports = []
        for pseudo in (False, True):
            window.exporting.set_pseudonymise(pseudo)
            exports.append(tmp_path / f"export-{pseudo}.xlsx")
            window.exporting.export(exports[-1])
            qtbot.waitUntil(lambda: window.exporting.job is None, timeout=TIMEOUT)
        window.driver.on("QMessageBox", lambda box: box.StandardButton.Yes)
        window.linking.unlink_portal()
        qtbot.waitUntil(lambda: window.session.client is None, timeout=TIMEOUT)
    finally:
        logging.getLogger("zdesk").removeHandler(handler)
        handler.close()

    assert len(token) > 10 and raised and len(shown) >= 5
    home = Path(os.environ["ZDESK_HOME"])
    files = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.name == "zdesk.log" for p in files)
    assert any(p.name == "settings.json" for p in files)
    for path in files:
        assert token.encode() not in path.read_bytes(), path
    assert token not in caplog.text
    for request in portal.requests:
        assert token not in request.path and token not in request.query
        assert "access_token" not in request.query
    for path in exports:
        with zipfile.ZipFile(path) as book:
            for member in book.namelist():
                assert token.encode() not in book.read(member), (path, member)
    for error in raised:
        assert token not in str(error) and token not in repr(error) and token not in error.detail
    for text in shown:
        assert token not in text
    # Unlinking removed the keyring entry and revoked the token at the portal.
    assert memory_keyring.items == {}
    assert portal.token_state(token).revoked
    # zdesk never writes: only GETs, plus the token exchange and the logout.
    writes = {(r.method, r.path) for r in portal.requests if r.method != "GET"}
    assert writes == {("POST", "/api/v3/oauth/token"), ("POST", "/api/v3/oauth/logout")}


def test_locked_keyring_has_its_own_message(memory_keyring):
    memory_keyring.locked = True
    with pytest.raises(KeyringLocked) as info:
        SecretStore().save("mijnschool", "abc")
    assert "vergrendeld" in str(info.value)
    with pytest.raises(KeyringLocked):
        SecretStore().load("mijnschool")


def test_missing_backend_keeps_the_token_in_memory_only():
    import keyring.backends.fail

    keyring.set_keyring(keyring.backends.fail.Keyring())
    store = SecretStore()
    assert store.persistent is False
    assert store.save("mijnschool", "abc") is False
    assert store.load("mijnschool") == "abc"  # for this session
    assert SecretStore().load("mijnschool") is None  # a new session has nothing
    store.delete("mijnschool")
    assert store.load("mijnschool") is None


REAL_KEYRING_SCRIPT = textwrap.dedent("""
    import keyring
    from zdesk.store.secrets import SecretStore
    assert type(keyring.get_keyring()).__name__ == "Keyring", keyring.get_keyring()
    assert "SecretService" in type(keyring.get_keyring()).__module__
    store = SecretStore()
    assert store.persistent
    assert store.save("mijnschool", "token-from-test")
    assert SecretStore().load("mijnschool") == "token-from-test"
    store.delete("mijnschool")
    assert SecretStore().load("mijnschool") is None
    print("real keyring ok")
""")


def test_real_secret_service_keyring(tmp_path):
    missing = [
        tool for tool in ("dbus-run-session", "gnome-keyring-daemon") if shutil.which(tool) is None
    ]
    if sys.platform != "linux" or missing:
        pytest.skip(f"no Secret Service here (missing: {', '.join(missing) or sys.platform})")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_RUNTIME_DIR": str(tmp_path),
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    script = tmp_path / "real_keyring.py"
    script.write_text(REAL_KEYRING_SCRIPT)
    command = (
        "printf test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "
        f"'{sys.executable}' '{script}'"
    )
    result = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", command],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "real keyring ok" in result.stdout
