"""Where zdesk keeps its files on this computer (platformdirs), overridable for tests and IT."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

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


def cache_dir() -> Path:
    return _root("cache")


def log_dir() -> Path:
    return _root("log")


def settings_file() -> Path:
    return config_dir() / "settings.json"
