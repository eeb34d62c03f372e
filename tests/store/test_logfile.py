"""The log file and its folder are readable by this user only, also after rotation."""

from __future__ import annotations

import logging
import os
import stat

import pytest

from zdesk.store.logfile import private_log_handler
from zdesk.store.paths import log_dir

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes")


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_log_file_and_folder_are_private_also_after_rotation_and_over_old_ones():
    folder = log_dir()
    folder.mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    (folder / "zdesk.log").write_text("oud\n")
    (folder / "zdesk.log").chmod(0o644)
    (folder / "zdesk.log.1").write_text("ouder\n")
    (folder / "zdesk.log.1").chmod(0o644)
    handler = private_log_handler(folder, max_bytes=200)
    logger = logging.getLogger("zdesk.test-logfile")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        for i in range(20):
            logger.warning("regel %d met wat tekst om te laten roteren", i)
    finally:
        logger.removeHandler(handler)
        handler.close()
    files = sorted(folder.glob("zdesk.log*"))
    assert len(files) >= 3  # rotated
    assert mode(folder) == 0o700
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
