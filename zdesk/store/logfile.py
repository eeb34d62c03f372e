"""zdesk's log file: rotating, and readable by this user only (0600 in a 0700 folder).

A log names portals, projects and what went wrong; it is personal data next to the school's.
"""

from __future__ import annotations

import logging.handlers
import os
from pathlib import Path
from typing import IO

from zdesk.store.paths import log_dir, private_dir

LOG_NAME = "zdesk.log"


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A RotatingFileHandler whose files (the current one and every rotated one) are 0600."""

    def _open(self) -> IO[str]:
        # Rotating handlers always append; the file is made private before a line is written.
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if os.name == "posix":
            os.fchmod(fd, 0o600)  # a file made by an older zdesk, world-readable
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def private_log_handler(folder: Path | None = None, max_bytes: int = 1_000_000) -> logging.Handler:
    """The handler for zdesk's log file; raises OSError when the folder cannot be made."""
    folder = private_dir(folder or log_dir())
    for old in folder.glob(f"{LOG_NAME}*"):  # rotated files of an older zdesk
        if os.name == "posix":
            old.chmod(0o600)
    return PrivateRotatingFileHandler(
        folder / LOG_NAME, maxBytes=max_bytes, backupCount=3, encoding="utf-8"
    )
