"""Exports on admin workstations, as far as Linux can play them: a workbook held open by Excel
(Windows refuses to replace it), a user name with spaces and non-ASCII letters, paths over 260
characters, a network drive that goes away mid-export. Each ends in a clear Dutch message that
offers Opnieuw proberen and Andere plek kiezen, the old file as it was and nothing half-written."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from zdesk.errors import FileProblem
from zdesk.export import placing
from zdesk.export.xlsx import SHEETS, write_workbook
from zdesk.present.remedies import Action, remedy_for
from zdesk.store.paths import temp_root

EXCEL_OPEN = "Het bestand is geopend in Excel; sluit het en kies Opnieuw proberen"


def previous(path: Path) -> bytes:
    path.write_bytes(b"previous workbook")
    return path.read_bytes()


def nothing_half_written(folder: Path, *keep: str) -> None:
    """Only the files named stay in the target's folder, and zdesk's scratch folder is empty."""
    here = sorted(p.name for p in folder.iterdir() if p.name != "zdesk-home")  # the test's home
    assert here == sorted(keep)
    scratch = temp_root()
    assert not scratch.exists() or list(scratch.iterdir()) == []


def held_open_by_excel(target: Path, monkeypatch) -> list[str]:
    """os.replace onto `target` refused as Windows refuses it while Excel has it open (a
    sharing violation); returns a log of the attempts, and stops refusing once `closed` is in it."""
    real_replace = os.replace
    attempts: list[str] = []

    def replace(src, dst):
        if Path(dst) == target and "closed" not in attempts:
            attempts.append("refused")
            error = PermissionError(errno.EACCES, "The process cannot access the file", str(dst))
            error.winerror = 32  # ERROR_SHARING_VIOLATION
            raise error
        attempts.append("replaced")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return attempts


def test_a_workbook_open_in_excel_on_windows_says_so_and_then_retries(
    small_project, tmp_path, monkeypatch
):
    project, run = small_project
    monkeypatch.setattr(placing, "OPEN_FILES_ARE_LOCKED", True)  # Windows
    target = tmp_path / "Formatie 2026-2027.xlsx"
    before = previous(target)
    attempts = held_open_by_excel(target, monkeypatch)
    with pytest.raises(FileProblem) as info:
        write_workbook(target, project, run)
    assert str(info.value).startswith(EXCEL_OPEN)
    assert remedy_for(info.value).actions == (Action.RETRY, Action.ELSEWHERE)
    assert target.read_bytes() == before
    nothing_half_written(tmp_path, target.name)

    attempts.append("closed")  # the person closes the workbook and chooses Opnieuw proberen
    write_workbook(target, project, run)
    assert openpyxl.load_workbook(target).sheetnames == list(SHEETS)
    nothing_half_written(tmp_path, target.name)


def test_excel_on_a_mac_is_known_by_its_owner_file(small_project, tmp_path, monkeypatch):
    project, run = small_project
    target = tmp_path / "formatie.xlsx"
    before = previous(target)
    (tmp_path / "~$formatie.xlsx").write_bytes(b"owner")
    held_open_by_excel(target, monkeypatch)
    with pytest.raises(FileProblem, match=EXCEL_OPEN):
        write_workbook(target, project, run)
    assert target.read_bytes() == before
    nothing_half_written(tmp_path, target.name, "~$formatie.xlsx")


def test_a_folder_one_may_not_write_in_is_not_blamed_on_excel(small_project, tmp_path, monkeypatch):
    project, run = small_project
    monkeypatch.setattr(placing, "OPEN_FILES_ARE_LOCKED", False)  # POSIX: nothing holds files
    target = tmp_path / "formatie.xlsx"
    previous(target)
    held_open_by_excel(target, monkeypatch)
    with pytest.raises(FileProblem) as info:
        write_workbook(target, project, run)
    assert "Excel;" not in str(info.value) and "alleen-lezen" in str(info.value)


def test_open_in_excel_on_another_disk_leaves_no_copy_beside_it(
    small_project, tmp_path, monkeypatch
):
    """The target on another disk (a network share): the copy beside it goes too."""
    project, run = small_project
    monkeypatch.setattr(placing, "OPEN_FILES_ARE_LOCKED", True)
    target = tmp_path / "formatie.xlsx"
    before = previous(target)
    real_replace = os.replace

    def replace(src, dst):
        if Path(src).parent != Path(dst).parent:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        if Path(dst) == target:
            raise PermissionError(errno.EACCES, "The process cannot access the file")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(FileProblem, match=EXCEL_OPEN):
        write_workbook(target, project, run)
    assert target.read_bytes() == before
    nothing_half_written(tmp_path, target.name)


def long_paths_enabled() -> bool:
    """Windows opens paths over 260 characters only with the LongPathsEnabled policy on."""
    if os.name != "nt":
        return True
    import winreg

    try:
        with winreg.OpenKey(
            winreg.HKEY_LOCAL_MACHINE, r"SYSTEM\CurrentControlSet\Control\FileSystem"
        ) as key:
            return winreg.QueryValueEx(key, "LongPathsEnabled")[0] == 1
    except OSError:
        return False


@pytest.mark.skipif(not long_paths_enabled(), reason="Windows without LongPathsEnabled")
def test_a_user_name_with_spaces_and_accents_and_a_path_over_260_characters(
    small_project, tmp_path
):
    project, run = small_project
    folder = (
        tmp_path / "Users" / "Anne-Marie van 't Hoff-Çelik" / "OneDrive - Sint-Ignatius Gymnasium"
    )
    while len(str(folder)) < 280:
        folder = folder / "Formatie en roostergroepen — schooljaar 2026-2027"
    folder.mkdir(parents=True)
    target = folder / "Leerjaar 4 (havo, vwo) — Ö, é, ĳ.xlsx"
    assert len(str(target)) > 260
    write_workbook(target, project, run)
    assert openpyxl.load_workbook(target).sheetnames == list(SHEETS)
    nothing_half_written(folder, target.name)


def test_a_name_too_long_for_the_file_system_says_so(small_project, tmp_path):
    project, run = small_project
    target = tmp_path / ("Formatie " * 40 + ".xlsx")  # over 255 bytes: too long on any disk
    with pytest.raises(FileProblem, match="te lang"):
        write_workbook(target, project, run)
    nothing_half_written(tmp_path)


def test_a_path_too_long_for_windows_says_so(small_project, tmp_path, monkeypatch):
    """Without long-path support Windows refuses paths over 260 characters (winerror 206)."""
    project, run = small_project
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst).parent == tmp_path:
            error = FileNotFoundError(errno.ENOENT, "The filename or extension is too long")
            error.winerror = 206
            raise error
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(FileProblem, match="te lang voor deze computer"):
        write_workbook(tmp_path / "formatie.xlsx", project, run)
    nothing_half_written(tmp_path)


def test_a_network_drive_that_goes_away_during_the_export(small_project, tmp_path):
    project, run = small_project
    share = tmp_path / "H-schijf"
    share.mkdir()
    target = share / "formatie.xlsx"

    def unplugged(fraction: float) -> None:
        if fraction > 0.3 and share.exists():
            shutil.rmtree(share)  # the drive is gone while the sheets are written

    with pytest.raises(FileProblem) as info:
        write_workbook(target, project, run, progress=unplugged, scratch=temp_root())
    assert "netwerkmap" in str(info.value) and "Opnieuw proberen" in str(info.value)
    assert remedy_for(info.value).actions == (Action.RETRY, Action.ELSEWHERE)
    assert not share.exists()
    nothing_half_written(tmp_path)


@pytest.mark.parametrize(
    ("code", "winerror"),
    [(errno.EINVAL, 64), (errno.EINVAL, 53), (errno.ESTALE, None), (errno.EHOSTDOWN, None)],
)
def test_a_network_share_that_is_gone_is_named_as_such(
    small_project, tmp_path, monkeypatch, code, winerror
):
    project, run = small_project
    target = tmp_path / "formatie.xlsx"
    before = previous(target)

    def replace(src, dst):
        error = OSError(code, "The specified network name is no longer available")
        if winerror is not None:
            error.winerror = winerror
        raise error

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(FileProblem, match=r"netwerkmap van 'formatie\.xlsx' is niet"):
        write_workbook(target, project, run, scratch=temp_root())
    assert target.read_bytes() == before
    nothing_half_written(tmp_path, target.name)
