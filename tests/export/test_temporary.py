"""An export's temporary files: one private folder of zdesk's own, removed on every way out,
leftovers of a killed run swept at the next start, and a read-only disk never breaks cleanup."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import openpyxl
import pytest

from zdesk.errors import FileProblem
from zdesk.export.scratch import sweep
from zdesk.export.xlsx import write_workbook
from zdesk.store.paths import temp_root

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes and rlimits are POSIX")


@pytest.fixture(autouse=True)
def _expected_warnings(logfail):
    """Every test here makes zdesk warn on purpose; the warning is part of what is tested."""
    logfail.expect("zdesk.export.scratch", r"niet verwijderd")


@pytest.fixture
def system_tmp(tmp_path, monkeypatch) -> Path:
    """The system's temp folder, watched: nothing of an export may land there."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def everything_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


@posix_only
def test_temporary_files_are_in_one_private_folder_while_writing(
    small_project, tmp_path, system_tmp
):
    project, run = small_project
    seen: list[tuple[int, int, list[str]]] = []

    def look(_fraction: float) -> None:
        jobs = list(temp_root().iterdir())
        assert len(jobs) == 1
        seen.append(
            (
                stat.S_IMODE(temp_root().stat().st_mode),
                stat.S_IMODE(jobs[0].stat().st_mode),
                everything_under(jobs[0]),
            )
        )

    target = write_workbook(tmp_path / "out.xlsx", project, run, progress=look, scratch=temp_root())
    assert openpyxl.load_workbook(target).sheetnames[0] == "Over deze export"
    assert seen and all(root == 0o700 and job == 0o700 for root, job, _ in seen)
    assert any(files for _, _, files in seen)  # the row files were there, not elsewhere
    assert everything_under(system_tmp) == []
    assert everything_under(temp_root()) == []
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~zdesk")] == []


@posix_only
def test_a_file_size_limit_fails_cleanly_and_leaves_nothing(small_project, tmp_path, system_tmp):
    import resource

    project, run = small_project
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"previous")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a killed process
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, hard))
    try:
        with pytest.raises(FileProblem):
            write_workbook(target, project, run, scratch=temp_root())
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert target.read_bytes() == b"previous"
    assert everything_under(system_tmp) == []
    assert everything_under(temp_root()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx", "system-tmp", "zdesk-home"]


def test_a_disk_full_while_packing_leaves_no_sheet_anywhere(
    small_project, tmp_path, system_tmp, monkeypatch
):
    # XlsxWriter writes every sheet as a temporary XML file, then zips them one by one; a full
    # disk halfway leaves the rest (the Leerlingen sheet with names) wherever they were written.
    import zipfile

    project, run = small_project
    real_write = zipfile.ZipFile.write
    calls = []

    def fills_up(self, *args, **kwargs):
        calls.append(args)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "write", fills_up)
    with pytest.raises(FileProblem, match="schijf is vol"):
        write_workbook(tmp_path / "out.xlsx", project, run, scratch=temp_root())
    assert len(calls) == 3
    assert everything_under(system_tmp) == []
    assert everything_under(temp_root()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["system-tmp", "zdesk-home"]


def test_a_read_only_disk_never_breaks_the_cleanup(small_project, tmp_path, caplog):
    # Writing fails, and so does every removal: the Dutch message still comes, no OSError.
    import xlsxwriter.workbook

    project, run = small_project

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    with pytest.MonkeyPatch.context() as broken:
        broken.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", full)
        for name in ("unlink", "remove", "rmdir"):
            broken.setattr(os, name, read_only)
        with pytest.raises(FileProblem, match="schijf is vol"):
            write_workbook(tmp_path / "out.xlsx", project, run, scratch=temp_root())
    assert "niet verwijderd" in caplog.text
    # What stayed is swept at the next start (a later run of this process counts as one).
    assert everything_under(temp_root()) != []
    leftover = next(temp_root().iterdir())
    os.rename(leftover, leftover.with_name(f"export-{dead_pid()}-x"))
    assert sweep(temp_root()) == 1 and everything_under(temp_root()) == []


def test_an_export_to_another_disk_is_copied_beside_and_renamed(
    small_project, tmp_path, monkeypatch
):
    import zdesk.export.placing as placing

    project, run = small_project
    real_replace = os.replace

    def across_disks(src, dst):
        if str(src).startswith(str(temp_root())):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_replace(src, dst)

    monkeypatch.setattr(placing.os, "replace", across_disks)
    target = write_workbook(tmp_path / "out.xlsx", project, run, scratch=temp_root())
    assert openpyxl.load_workbook(target).sheetnames[0] == "Over deze export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~zdesk")] == []
    assert everything_under(temp_root()) == []


def dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    return int(done.stdout)


KILLED_EXPORT = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {root!r})
    from tests.domain.factory import Build
    from zdesk.domain.checks import run_checks
    from zdesk.export.xlsx import write_workbook
    from zdesk.store.paths import temp_root

    b = Build()
    d = b.dept("h4", 4)
    g = b.group(d, "h4a", main=True)
    b.fill(d, g, 50)
    project = b.project()

    def die(fraction):
        if fraction > 0.5:  # half the sheets written: their row files are on disk
            os.kill(os.getpid(), signal.SIGKILL)

    write_workbook({target!r}, project, run_checks(project), progress=die, scratch=temp_root())
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_leftovers_of_a_killed_export_are_swept_at_the_next_start(tmp_path):
    from zdesk.cli import main

    target = tmp_path / "out.xlsx"
    root = str(Path(__file__).resolve().parents[2])
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_EXPORT.format(root=root, target=str(target))],
        env=os.environ | {"PYTHONPATH": root},
        capture_output=True,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = everything_under(temp_root())
    assert any(name.startswith("export-") and "/" in name for name in left)  # row files
    assert not target.exists()
    assert main(["export", str(tmp_path / "not-a-workbook.txt")]) == 2  # any start sweeps
    assert everything_under(temp_root()) == []
