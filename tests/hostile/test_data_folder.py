"""Neither an export nor Help > Over zdesk names this computer's data folder: its path holds the
account name of whoever made it (C:\\Users\\jdevries\\AppData\\Local\\zdesk). A real export over
loopback HTTP, read back; Over's text with the platform's own folders."""

from __future__ import annotations

import io
import os

import openpyxl
import pytest

from zdesk.cli.check import run_export_command
from zdesk.store.paths import HOME_VARIABLE

ACCOUNT = "jdevries"


def test_an_export_does_not_name_the_data_folder(portal, monkeypatch, tmp_path):
    monkeypatch.setenv(HOME_VARIABLE, str(tmp_path / "Users" / ACCOUNT / "zdesk"))
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    target = tmp_path / "formatie.xlsx"
    out, err = io.StringIO(), io.StringIO()
    assert run_export_command(str(target), portal.url, None, False, True, out, err) == 0, err
    book = openpyxl.load_workbook(target, read_only=True)
    try:
        cells = [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
    finally:
        book.close()
    history = [c for c in cells if c.startswith("Versleuteld op deze computer")]
    assert history and "datamap van zdesk" in history[0]
    assert not any(ACCOUNT in cell for cell in cells)


@pytest.mark.skipif(os.name != "posix", reason="the platform's folders under HOME")
def test_over_zdesk_shows_the_folders_from_the_users_own_folder(monkeypatch, tmp_path):
    from zdesk.ui.dialogs.about import version_text

    home = tmp_path / "home" / ACCOUNT
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv(HOME_VARIABLE)
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(variable, raising=False)
    text = version_text()
    assert ACCOUNT not in text
    assert "Geschiedenis: ~/" in text and "Instellingen: ~/" in text
