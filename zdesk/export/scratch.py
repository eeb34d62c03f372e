"""Scratch folders for an export's temporary files: one private folder per job, gone afterwards.

XlsxWriter keeps the rows of every sheet (the Leerlingen sheet with names) in temporary files until
the workbook is packed. They go into a folder of zdesk's own (`root`, given by the caller: the
store knows where), one subfolder per job, removed however the job ends; what a killed run left is
swept at the next start. Nothing here ever raises out of a cleanup (a read-only disk).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from zdesk.ondisk import open_private, private_dir

log = logging.getLogger(__name__)

# A job's temporary folder is named after the process that made it, so that the next start can
# tell the leftovers of a killed run from the folder of a run still busy (another window, or a
# `zdesk export` beside the app). Files a job had to put elsewhere (the copy beside an export's
# target, on another disk) are listed in OUTSIDE, one path a line, so they are swept too.
_RUN = re.compile(r"^[a-z]+-(\d+)-")
OUTSIDE = "outside.txt"
OUTSIDE_PREFIX = ".~zdesk-"  # only files named so are ever removed outside zdesk's own folder


@contextlib.contextmanager
def temporary_folder(purpose: str, root: Path | None) -> Iterator[Path]:
    """A fresh private folder for one job's temporary files under `root`, removed on every way
    out. Without a root it is made in the system's temp folder (still private, still removed,
    but not swept after a kill): callers in zdesk always give one."""
    where = private_dir(root) if root is not None else None
    folder = Path(tempfile.mkdtemp(prefix=f"{purpose}-{os.getpid()}-", dir=where))
    try:
        yield folder
    finally:
        remove_quietly(folder)


def note_outside(folder: Path, path: Path) -> None:
    """Record that a file of this job lives outside its folder (removed with the folder)."""
    with open(open_private(folder / OUTSIDE), "a", encoding="utf-8") as out:
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


def sweep(root: Path) -> int:
    """Remove what killed runs left in `root`; returns how many job folders were removed.

    Called at every start; never raises. A folder of a process still running is left alone.
    """
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
