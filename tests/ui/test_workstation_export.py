"""Exporting from the window on an admin workstation: the save dialog starts in Documents as the
system knows it, and a workbook held open by Excel ends in the Dutch message with Opnieuw
proberen and Andere plek kiezen…, and Opnieuw proberen works once it is closed."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from PySide6.QtCore import Qt

from zdesk.export import placing

from .test_app import LOAD_TIMEOUT, load_directly


def test_the_save_dialog_starts_in_documents_as_the_system_knows_it(
    qtbot, window, drive, portal, small_school, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QFileDialog

    from zdesk.store import paths

    load_directly(qtbot, window, portal, small_school)
    onedrive = tmp_path / "OneDrive - Sint-Ignatius" / "Documenten"
    onedrive.mkdir(parents=True)
    monkeypatch.setattr(paths, "documents_dir", lambda: onedrive)
    window.session.settings.export_dir = None
    offered = []

    def dialog(parent, title, suggested, filters):
        offered.append(Path(suggested))
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    assert window.exporting.ask_target(window.view.project) is None
    assert offered[0].parent == onedrive and offered[0].suffix == ".xlsx"


def test_a_workbook_open_in_excel_offers_retry_and_another_place(
    qtbot, window, drive, portal, small_school, tmp_path, monkeypatch
):
    load_directly(qtbot, window, portal, small_school)
    monkeypatch.setattr(placing, "OPEN_FILES_ARE_LOCKED", True)  # as on Windows
    target = tmp_path / "formatie.xlsx"
    target.write_bytes(b"the workbook Excel has open")
    real_replace = os.replace
    excel = {"open": True}

    def replace(src, dst):
        if Path(dst) == target and excel["open"]:
            raise PermissionError(errno.EACCES, "The process cannot access the file", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    window.exporting.export(target)
    qtbot.waitUntil(lambda: window.exporting.job is None, timeout=LOAD_TIMEOUT)
    assert drive.message().startswith(
        "Het bestand is geopend in Excel; sluit het en kies Opnieuw proberen"
    )
    buttons = {b.text(): b for b in window.messages.buttons}
    assert list(buttons) == ["Opnieuw proberen", "Andere plek kiezen…"]
    assert target.read_bytes() == b"the workbook Excel has open"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "zdesk-home") == [target.name]

    excel["open"] = False
    qtbot.mouseClick(buttons["Opnieuw proberen"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.exporting.job is None, timeout=LOAD_TIMEOUT)
    assert "Geëxporteerd naar" in drive.message()
    assert target.read_bytes()[:2] == b"PK"
