"""Under umask 000 every folder zdesk makes is 0700 and every file it keeps 0600; an export gets
the umask's mode without write for everyone. A real check and export over loopback HTTP, a saved
setting, a known signalering and the log, then every path under ZDESK_HOME looked at."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from zdesk.app.history import open_history
from zdesk.cli.check import run_check_command, run_export_command
from zdesk.store.logfile import private_log_handler
from zdesk.store.paths import HOME_VARIABLE
from zdesk.store.settings import Settings

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture
def open_umask():
    was = os.umask(0)
    try:
        yield
    finally:
        os.umask(was)


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_under_umask_000_folders_are_0700_and_files_0600(portal, open_umask, tmp_path, monkeypatch):
    home = Path(os.environ[HOME_VARIABLE])
    assert not home.exists()  # made by zdesk in this test, with every folder on the way
    monkeypatch.setenv(HOME_VARIABLE, str(home / "diep" / "zdesk"))
    home = home / "diep" / "zdesk"
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    out, err = io.StringIO(), io.StringIO()
    assert run_check_command(portal.url, None, False, True, None, out=out, err=err) == 0, err
    target = tmp_path / "uit" / "formatie.xlsx"
    target.parent.mkdir(mode=0o777)
    assert run_export_command(str(target), portal.url, None, False, False, out, err) == 0, err
    settings = Settings.load()
    settings.export_dir = str(target.parent)
    settings.save()
    history = open_history(portal.url.split("//")[1])
    saved = history.loads()[0]
    snapshot = history.read(saved)
    history.mark_known(saved.project, snapshot.checks.findings[0], "gezien")
    handler = private_log_handler()
    handler.close()

    folders = [home.parent.parent, home.parent, home]
    files = []
    for root, dirs, names in os.walk(home.parent.parent):
        folders += [Path(root) / d for d in dirs]
        files += [Path(root) / n for n in names]
    kinds = {p.relative_to(home).parts[0] for p in files}
    assert {"cache", "config", "data", "log"} <= kinds
    assert any(p.suffix == ".zdh" for p in files) and any(p.name == "bekend.zdk" for p in files)
    assert any(p.name.endswith(".lock") for p in files)
    assert {str(p): oct(mode(p)) for p in folders if mode(p) != 0o700} == {}
    assert {str(p): oct(mode(p)) for p in files if mode(p) != 0o600} == {}
    assert not mode(target) & stat.S_IWOTH
