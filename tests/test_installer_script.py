"""The Inno Setup script keeps its promises to IT (it is compiled only on Windows, in the release
workflow): per user without administrator rights, Dutch, and an uninstall that removes zdesk's
data only when asked, through a command the program really has."""

from __future__ import annotations

import re
from pathlib import Path

from zdesk.cli.main import build_parser

SCRIPT = (Path(__file__).resolve().parent.parent / "packaging" / "windows" / "zdesk.iss").read_text(
    encoding="utf-8"
)


def setting(name: str) -> str:
    found = re.search(rf"^{name}=(.*)$", SCRIPT, flags=re.M)
    assert found, name
    return found.group(1).strip()


def test_per_user_without_administrator_rights_in_dutch():
    assert setting("PrivilegesRequired") == "lowest"
    assert setting("DefaultDirName") == r"{localappdata}\Programs\zdesk"
    assert re.search(
        r'^Name: "dutch"; MessagesFile: "compiler:Languages\\Dutch.isl"$', SCRIPT, re.M
    )


def test_the_uninstaller_removes_data_only_when_asked():
    code = SCRIPT[SCRIPT.index("[Code]") :]
    assert "HasSwitch('/VERWIJDERGEGEVENS')" in code
    # asked only when not silent, and Nee is the default button
    assert "if not UninstallSilent and not RemoveData then" in code
    assert "MB_YESNO or MB_DEFBUTTON2) = IDYES" in code
    assert "if not RemoveData then\n    exit;" in code


def test_the_command_the_uninstaller_runs_exists():
    code = SCRIPT[SCRIPT.index("[Code]") :]
    (command,) = re.findall(r"Exec\(ExpandConstant\('\{app\}\\zdesk\.exe'\), '([^']+)'", code)
    assert build_parser().parse_args([command]).command == command == "remove-data"
