"""Where zdesk keeps its files on this computer (platformdirs), overridable for tests and IT.

Also its private folder for temporary files: every job gets a folder of its own there, removed
when the job ends however it ends, and what a killed run left is swept at the next start.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)
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


def temp_root() -> Path:
    """zdesk's own folder for temporary files (exports in progress), private to this user."""
    return cache_dir() / "tmp"


def private_dir(folder: Path) -> Path:
    """`folder`, created if needed and readable by this user only (0700 where modes exist)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix" and stat.S_IMODE(folder.stat().st_mode) != 0o700:
        folder.chmod(0o700)
    return folder


# A job's temporary folder is named after the process that made it, so that the next start can
# tell the leftovers of a killed run from the folder of a run still busy (another window, or a
# `zdesk export` beside the app). Files a job had to put elsewhere (the copy beside an export's
# target, on another disk) are listed in OUTSIDE, one path a line, so they are swept too.
_RUN = re.compile(r"^[a-z]+-(\d+)-")
OUTSIDE = "outside.txt"
OUTSIDE_PREFIX = ".~zdesk-"  # only files named so are ever removed outside zdesk's own folder


@contextlib.contextmanager
def temporary_folder(purpose: str) -> Iterator[Path]:
    """A fresh private folder for one job's temporary files, removed on every way out."""
    folder = Path(
        tempfile.mkdtemp(prefix=f"{purpose}-{os.getpid()}-", dir=private_dir(temp_root()))
    )
    try:
        yield folder
    finally:
        remove_quietly(folder)


def note_outside(folder: Path, path: Path) -> None:
    """Record that a file of this job lives outside its folder (removed with the folder)."""
    with open(folder / OUTSIDE, "a", encoding="utf-8") as out:
        out.write(f"{path}\n")


def remove_quietly(folder: Path) -> bool:
    """Remove a job's folder and what it listed outside; never raises (a read-only disk, a file
    still open elsewhere): what cannot go is logged and left for the next start."""
    try:
        listed = (folder / OUTSIDE).read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        listed = []
    gone = True
    for line in listed:
        path = Path(line)
        if path.name.startswith(OUTSIDE_PREFIX):
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                gone = False
                log.warning("Tijdelijk bestand %s niet verwijderd: %s", path, exc.strerror or exc)

    def failed(_function: object, path: str, info: object) -> None:
        nonlocal gone
        gone = False
        log.warning("Tijdelijk bestand %s niet verwijderd", path)

    if folder.exists():
        if sys.version_info >= (3, 12):
            shutil.rmtree(folder, onexc=failed)
        else:  # pragma: no cover - the same on older Pythons, by its older name
            shutil.rmtree(folder, onerror=failed)
    return gone


def sweep_temporary() -> int:
    """Remove what killed runs left in zdesk's temporary folder; returns how many were removed.

    Called at every start; never raises. A folder of a process still running is left alone.
    """
    root = temp_root()
    try:
        entries = list(root.iterdir())
    except OSError:
        return 0
    removed = 0
    for entry in entries:
        match = _RUN.match(entry.name)
        if match is None or not entry.is_dir():
            continue
        pid = int(match.group(1))
        if pid == os.getpid() or _running(pid, entry):
            continue
        if remove_quietly(entry):
            removed += 1
    if removed:
        log.info("%d achtergebleven tijdelijke map(pen) van zdesk opgeruimd", removed)
    return removed


def _running(pid: int, folder: Path) -> bool:
    if os.name == "posix":
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            return True  # a process of another user has this pid: not ours, and not dead
        return True
    # Elsewhere a pid cannot be probed safely from the standard library (os.kill would end the
    # process): a folder untouched for a day belongs to no export still running.
    try:
        return time.time() - folder.stat().st_mtime < 24 * 3600
    except OSError:
        return False
