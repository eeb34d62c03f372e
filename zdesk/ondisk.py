"""What zdesk keeps on this computer is the user's only, whatever the umask, and what it reads
back is only ever a regular file of a bounded size.

Every folder zdesk makes is 0700 (each missing one on the way, not only the last), every file it
writes 0600 (Windows has no such modes: the user's profile folders are private already). A file
zdesk reads (settings, load hints) that is a FIFO, a device or a folder is no file of zdesk's:
opening a FIFO for reading would wait for a writer for good.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from pathlib import Path
from typing import Any

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def private_dir(folder: Path) -> Path:
    """`folder`, made if needed, and every folder made on the way, readable by this user only."""
    missing: list[Path] = []
    step = folder
    while not os.path.lexists(step):
        missing.append(step)
        if step.parent == step:
            break
        step = step.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, PRIVATE_FOLDER)
        except FileExistsError:
            continue  # made meanwhile, by another zdesk
        if os.name == "posix":
            os.chmod(path, PRIVATE_FOLDER)  # the umask may have taken bits away from 0700
    if not missing and os.name == "posix":
        # Made by an older zdesk or by hand: made private; a folder not ours stays as it is.
        with contextlib.suppress(OSError):
            if stat.S_IMODE(folder.stat().st_mode) != PRIVATE_FOLDER:
                folder.chmod(PRIVATE_FOLDER)
    return folder


def open_private(path: Path, flags: int = os.O_WRONLY | os.O_CREAT | os.O_APPEND) -> int:
    """A file descriptor of `path`, created 0600 whatever the umask (and made so if it was not)."""
    fd = os.open(path, flags, PRIVATE_FILE)
    if os.name == "posix":
        try:
            if stat.S_IMODE(os.fstat(fd).st_mode) != PRIVATE_FILE:
                os.fchmod(fd, PRIVATE_FILE)
        except OSError:
            os.close(fd)
            raise
    return fd


class NotRegular(OSError):
    """The path is there but is no regular file (a FIFO, a device, a folder)."""


class TooLarge(ValueError):
    """The file is larger than the cap for what it is."""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of `path` if it is a regular file of at most `limit` bytes.

    Raises FileNotFoundError, NotRegular, TooLarge or another OSError. Opened without blocking,
    so a FIFO is refused at once instead of waiting for a writer.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(f"{path.name} is geen gewoon bestand")
        if info.st_size > limit:
            raise TooLarge(f"groter dan {limit} bytes")
        with os.fdopen(fd, "rb", closefd=False) as file:
            data = file.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise TooLarge(f"groter dan {limit} bytes")
    return data


class NoAnswer(OSError):
    """The file system did not answer in time (a network home that hangs)."""


def read_regular_within(path: Path, limit: int, seconds: float) -> bytes:
    """`read_regular`, given up after `seconds`: a read on a network home that hangs must not
    hang zdesk. The read goes on in a daemon thread and its result is dropped."""
    done = threading.Event()
    outcome: list[Any] = []

    def read() -> None:
        try:
            outcome.append(read_regular(path, limit))
        except BaseException as exc:  # handed to the caller
            outcome.append(exc)
        finally:
            done.set()

    threading.Thread(target=read, name="zdesk-read", daemon=True).start()
    if not done.wait(seconds):
        raise NoAnswer(f"{path.name} gaf binnen {seconds:.0f} seconden geen antwoord")
    result = outcome.pop()
    if isinstance(result, BaseException):
        # Raised and then forgotten here: kept in this frame, the error's traceback would hold
        # the callers' frames (and what they hold, a whole project) in a cycle.
        try:
            raise result
        finally:
            del result
    return result
