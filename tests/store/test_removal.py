"""`zdesk remove-data` (the uninstaller's "remove my data too"): zdesk's keyring entries and
folders go, and nothing else, not even what lies beside them."""

from __future__ import annotations

import os

import keyring.errors
import pytest

from zdesk.cli import main
from zdesk.store.paths import cache_dir, config_dir, data_dir, history_dir, log_dir
from zdesk.store.removal import known_portals, own_folders, remove_everything
from zdesk.store.secrets import HISTORY_SERVICE, SERVICE, SecretStore
from zdesk.store.settings import Settings


@pytest.fixture
def kept(tmp_path, memory_keyring):
    """A profile as zdesk leaves it: two linked portals, a third with only a history, files in
    every folder, and an entry of another program in the same keyring."""
    settings = Settings()
    settings.remember_portal("anderschool")
    settings.remember_portal("mijnschool")
    settings.save()
    store = SecretStore()
    for portal in ("mijnschool", "anderschool"):
        store.save(portal, f"token-{portal}")
        store.history_key(portal)
    store.history_key("oudeschool")
    (history_dir() / "oudeschool" / "401").mkdir(parents=True)
    (history_dir() / "oudeschool" / "401" / "x.zdh").write_bytes(b"sealed")
    for folder in (cache_dir() / "tmp", log_dir()):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "file").write_text("x", encoding="utf-8")
    memory_keyring.set_password("ander-programma", "iemand", "van iemand anders")
    beside = tmp_path / "zdesk-home-beside.txt"
    beside.write_text("niet van zdesk", encoding="utf-8")
    return memory_keyring, beside


def test_known_portals_come_from_settings_and_history(kept):
    (history_dir() / "127.0.0.1_8080").mkdir(parents=True)  # the demo's: never in the keyring
    assert known_portals(Settings.load()) == ["mijnschool", "anderschool", "oudeschool"]


def test_everything_zdesk_kept_goes_and_nothing_else(kept):
    memory, beside = kept
    done = remove_everything()
    assert done.problems == []
    assert sorted(done.portals) == ["anderschool", "mijnschool", "oudeschool"]
    assert memory.items == {("ander-programma", "iemand"): "van iemand anders"}
    for folder in (config_dir(), data_dir(), cache_dir(), log_dir()):
        assert not folder.exists()
    assert beside.read_text(encoding="utf-8") == "niet van zdesk"
    assert os.environ["ZDESK_HOME"] and os.path.isdir(os.environ["ZDESK_HOME"])


def test_the_command_says_what_it_did(kept, capsys):
    assert main(["remove-data"]) == 0
    out = capsys.readouterr().out
    assert "zdesk-gegevens verwijderd" in out and "3 portaal" in out
    assert main(["remove-data"]) == 0  # again: nothing left, still fine


def test_a_locked_keyring_is_reported_by_portal_and_the_folders_still_go(kept, capsys):
    """The personal data goes; the summary names the portals whose entries stayed behind, so
    IT can remove them by hand (Referentiebeheer, Sleutelhanger)."""
    memory, _beside = kept
    memory.locked = True
    assert main(["remove-data"]) == 5
    out = capsys.readouterr().out
    for portal in ("mijnschool", "anderschool", "oudeschool"):
        assert (
            f"sleutelopslag van {portal}: De sleutelopslag van deze computer is vergrendeld" in out
        )
    assert not data_dir().exists() and not config_dir().exists()
    assert len(memory.items) == 6


def test_folders_inside_one_another_are_removed_once(monkeypatch, tmp_path):
    """On Windows the settings, data, cache and logs share %LOCALAPPDATA%\\zdesk."""
    monkeypatch.delenv("ZDESK_HOME")
    root = tmp_path / "LocalAppData" / "zdesk"
    places = {
        "user_config_dir": root,
        "user_data_dir": root,
        "user_cache_dir": root / "Cache",
        "user_log_dir": root / "Logs",
    }
    import platformdirs

    for name, where in places.items():
        monkeypatch.setattr(platformdirs, name, lambda *a, where=where, **k: str(where))
    assert own_folders() == [root]


def test_nothing_stored_is_not_a_problem(memory_keyring):
    memory_keyring.items.clear()
    done = remove_everything()
    assert done.problems == [] and done.folders == []
    with pytest.raises(keyring.errors.PasswordDeleteError):
        memory_keyring.delete_password(SERVICE, "mijnschool")
    assert memory_keyring.get_password(HISTORY_SERVICE, "mijnschool") is None
