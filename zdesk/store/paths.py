"""Where zdesk keeps its files on this computer (platformdirs), overridable for tests and IT.

Also where its private folder for temporary files is (`temp_root`); what goes in it and how it is
kept clean is the export's own business (`zdesk.export.scratch`).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from zdesk import ondisk

APP = "zdesk"
# One folder for everything instead of the platform's own places (tests, portable installs).
HOME_VARIABLE = "ZDESK_HOME"


def _root(kind: str) -> Path:
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override) / kind
    finder = {
        "config": platformdirs.user_config_dir,
        "data": platformdirs.user_data_dir,
        "cache": platformdirs.user_cache_dir,
        "log": platformdirs.user_log_dir,
    }[kind]
    return Path(finder(APP, appauthor=False))


def config_dir() -> Path:
    return _root("config")


def data_dir() -> Path:
    return _root("data")


def history_dir() -> Path:
    """The encrypted history of loads: one folder per portal, one per project in it."""
    return data_dir() / "history"


def cache_dir() -> Path:
    return _root("cache")


def log_dir() -> Path:
    return _root("log")


def documents_dir() -> Path:
    """Where an export is suggested first: the user's Documents folder as the system knows it.

    On Windows that is the Documents known folder (SHGetKnownFolderPath), which follows a
    redirection to OneDrive or a network share, never a guessed ~/Documents; on Linux the XDG
    user folder; on macOS ~/Documents. When that folder is not there (OneDrive not yet synced, a
    share away), the home folder.
    """
    try:
        found = Path(platformdirs.user_documents_dir())
    except (OSError, ValueError):
        found = None
    return found if found is not None and found.is_dir() else Path.home()


def settings_file() -> Path:
    return config_dir() / "settings.json"


def temp_root() -> Path:
    """zdesk's own folder for temporary files (exports in progress), private to this user."""
    return cache_dir() / "tmp"


def shown_path(path: Path) -> str:
    """A folder as Over zdesk shows it: inside the user's own folders written from there (`~`,
    `%LOCALAPPDATA%`), so a copied text does not carry the account name."""
    bases = (
        [("%LOCALAPPDATA%", "LOCALAPPDATA"), ("%APPDATA%", "APPDATA")] if os.name == "nt" else []
    )
    for shown, variable in bases:
        base = os.environ.get(variable)
        if base and path.is_relative_to(base):
            return str(Path(shown) / path.relative_to(base))
    home = Path.home()
    if path.is_relative_to(home):
        return str(Path("%USERPROFILE%" if os.name == "nt" else "~") / path.relative_to(home))
    return str(path)


def private_dir(folder: Path) -> Path:
    """`folder`, created if needed (with every folder on the way) and readable by this user only
    (0700 where modes exist), whatever the umask."""
    return ondisk.private_dir(folder)
