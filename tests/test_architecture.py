"""House rules that code can check: a Qt-free core, one seam each to network and secrets."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "zdesk"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def modules_importing(top: str) -> set[str]:
    return {
        str(path.relative_to(ROOT)).replace("\\", "/")
        for path in PACKAGE.rglob("*.py")
        if top in imported_modules(path)
    }


def test_import_contract_core_is_qt_free():
    # Run as the build would, in a fresh interpreter so nothing imported by the tests leaks in.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_the_portal_client_talks_http():
    allowed = {"zdesk/portal/client.py"}
    assert modules_importing("requests") <= allowed
    assert modules_importing("urllib3") <= allowed


def test_only_the_secrets_module_touches_keyring():
    assert modules_importing("keyring") <= {"zdesk/store/secrets.py"}


def test_ruff_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "zdesk", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "zdesk", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
