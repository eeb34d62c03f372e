"""zdesk's places on a Windows workstation, played on Linux with platformdirs' Windows rules and
a stand-in for the shell's known folders: the export starts in Documents as Windows knows it
(redirected to OneDrive), and zdesk's own files are in the user's %LOCALAPPDATA%."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import platformdirs.windows
import pytest

from zdesk.store import paths

DOCUMENTS = "{FDD39AD0-238F-46AF-ADB4-6C85480369C7}"  # FOLDERID_Documents, as platformdirs asks


@pytest.fixture
def windows(tmp_path, monkeypatch):
    """platformdirs answering as on Windows for a user 'Anne-Marie van 't Hoff-Çelik' whose
    Documents folder is redirected to OneDrive; returns the known folders it was asked for."""
    profile = tmp_path / "Users" / "Anne-Marie van 't Hoff-Çelik"
    known = {
        "CSIDL_PERSONAL": profile / "OneDrive - Sint-Ignatius Gymnasium" / "Documenten",
        "CSIDL_LOCAL_APPDATA": profile / "AppData" / "Local",
        "CSIDL_APPDATA": profile / "AppData" / "Roaming",
    }
    asked: list[str] = []

    def resolve(csidl_name: str) -> str:
        asked.append(csidl_name)
        return str(known[csidl_name])

    monkeypatch.setattr(platformdirs.windows, "_RESOLVE_WIN_FOLDER", resolve)
    for name in ("user_documents_dir", "user_config_dir", "user_data_dir", "user_cache_dir",
                 "user_log_dir"):  # fmt: skip
        monkeypatch.setattr(
            platformdirs,
            name,
            lambda *args, name=name, **kwargs: getattr(
                platformdirs.windows.Windows(*args, **kwargs), name
            ),
        )
    monkeypatch.delenv("ZDESK_HOME")
    monkeypatch.setenv("HOME", str(profile))  # a ~/Documents that must not be chosen
    (profile / "Documents").mkdir(parents=True)
    return known, asked


def test_the_export_starts_in_documents_redirected_to_onedrive(windows):
    known, asked = windows
    known["CSIDL_PERSONAL"].mkdir(parents=True)
    assert paths.documents_dir() == known["CSIDL_PERSONAL"] != Path.home() / "Documents"
    assert asked == ["CSIDL_PERSONAL"]


def test_documents_not_there_yet_falls_back_to_the_profile(windows):
    """OneDrive not synced yet, or a redirected share away: the home folder, not an error."""
    known, _asked = windows
    assert not known["CSIDL_PERSONAL"].exists()
    assert paths.documents_dir() == Path.home() != Path.home() / "Documents"


def test_zdesk_keeps_its_files_in_local_appdata_never_roaming(windows):
    known, _asked = windows
    local = known["CSIDL_LOCAL_APPDATA"] / "zdesk"
    assert paths.config_dir() == local
    assert paths.data_dir() == local
    assert paths.history_dir() == local / "history"
    assert paths.cache_dir() == local / "Cache"
    assert paths.temp_root() == local / "Cache" / "tmp"
    assert paths.log_dir() == local / "Logs"
    for folder in (paths.config_dir(), paths.cache_dir(), paths.log_dir()):
        assert known["CSIDL_APPDATA"] not in folder.parents
        assert known["CSIDL_PERSONAL"] not in folder.parents
