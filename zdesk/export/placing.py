"""The written workbook put in place: renamed over the old file in one step, never world-writable,
and every way that can fail on a workstation said in Dutch (Excel holding the file open, a full
disk, a vanished network drive, a path too long for Windows)."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import uuid
from pathlib import Path

from zdesk.errors import FileProblem, os_reason
from zdesk.export.scratch import OUTSIDE_PREFIX, note_outside


class InUse(Exception):
    """The target exists and the system would not replace it: another program holds it open."""


def place(book: Path, target: Path, work: Path) -> None:
    """Move the finished workbook into place in one step, so a failure leaves the old file."""
    try:
        _replace(book, target)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    # The target is on another disk: copy beside it, then rename there (atomic on one disk).
    # The copy is noted in the job's folder, so a kill before the rename is swept at next start.
    beside = target.parent / f"{OUTSIDE_PREFIX}{uuid.uuid4().hex[:12]}.xlsx.tmp"
    note_outside(work, beside)
    try:
        shutil.copyfile(book, beside)
        never_world_writable(beside)
        _replace(beside, target)
    finally:
        with contextlib.suppress(OSError):
            beside.unlink(missing_ok=True)


def never_world_writable(path: Path) -> None:
    """An export gets the mode the user's umask gives, but never writable by everyone (a umask
    of 000 would make it 0666): it holds personal data."""
    if os.name == "posix":
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & stat.S_IWOTH:
            os.chmod(path, mode & ~stat.S_IWOTH)


# Windows refuses to replace a file another program holds open (access denied, or a sharing
# violation); elsewhere a refused rename means a folder one may not write in.
OPEN_FILES_ARE_LOCKED = os.name == "nt"


def _replace(source: Path, target: Path) -> None:
    """os.replace, telling a workbook held open (by Excel) from a folder one may not write in."""
    try:
        os.replace(source, target)
    except PermissionError as exc:
        held = OPEN_FILES_ARE_LOCKED or any(p.exists() for p in _owner_files(target))
        if target.is_file() and held:
            raise InUse() from exc
        raise


def _owner_files(target: Path) -> tuple[Path, ...]:
    """Where Excel (Windows and macOS) marks a workbook it has open: '~$' before the name, or
    in place of its first two letters (longer names)."""
    return (target.with_name("~$" + target.name), target.with_name("~$" + target.name[2:]))


# Windows' errors of a network drive or share that went away (winerror): the network path or
# name not found, the network name deleted, the network not reachable, the connection aborted.
_NETWORK_GONE_WINDOWS = frozenset({51, 53, 59, 64, 67, 1222, 1231, 1236})
_NETWORK_GONE_POSIX = frozenset(
    {errno.ESTALE, errno.ENOTCONN, errno.EHOSTDOWN, errno.EHOSTUNREACH, errno.ENETDOWN,
     errno.ENETUNREACH, errno.ECONNABORTED, errno.ECONNRESET}
)  # fmt: skip
# A path too long for Windows without long-path support (ERROR_FILENAME_EXCED_RANGE) or a name
# too long for the file system.
_TOO_LONG_WINDOWS = frozenset({206})
MAX_NAME = 255  # characters of one name on NTFS, APFS, ext4


def file_problem(exc: Exception, target: Path) -> FileProblem:
    if isinstance(exc, InUse):
        return FileProblem(
            "Het bestand is geopend in Excel; sluit het en kies Opnieuw proberen. (Het oude "
            f"'{target.name}' is niet veranderd; met Andere plek kiezen slaat u het elders op.)"
        )
    if not isinstance(exc, OSError):
        return FileProblem(
            f"'{target.name}' kon niet worden opgeslagen (fout bij het schrijven: "
            f"{type(exc).__name__})."
        )
    winerror = getattr(exc, "winerror", None)
    if winerror in _NETWORK_GONE_WINDOWS or exc.errno in _NETWORK_GONE_POSIX:
        return FileProblem(
            f"De netwerkmap van '{target.name}' is niet (meer) bereikbaar; het bestand is niet "
            "opgeslagen. Controleer de verbinding en kies Opnieuw proberen, of kies een andere "
            "plek."
        )
    too_long = winerror in _TOO_LONG_WINDOWS or exc.errno == errno.ENAMETOOLONG
    if too_long or len(target.name) > MAX_NAME:
        return FileProblem(
            f"Het pad van '{target.name}' is te lang voor deze computer (op Windows meestal meer "
            "dan 260 tekens); het bestand is niet opgeslagen. Kies een map dichter bij de schijf "
            "of een kortere naam."
        )
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return FileProblem(
            f"De schijf is vol; '{target.name}' is niet opgeslagen. Maak ruimte vrij of kies "
            "een andere map."
        )
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return FileProblem(
            f"'{target.name}' kan niet worden opgeslagen: het bestand is geopend in een ander "
            "programma (Excel?) of de map is alleen-lezen. Sluit het bestand of kies een andere "
            "map en probeer het opnieuw."
        )
    if isinstance(exc, FileNotFoundError):
        return FileProblem(
            f"De map van '{target.name}' bestaat niet (meer), of is een netwerkmap die niet "
            "bereikbaar is. Kies een andere map, of kies Opnieuw proberen als de map terug is."
        )
    return FileProblem(f"'{target.name}' kon niet worden opgeslagen ({os_reason(exc)}).")
