"""`zdesk --self-test` in-process, and the frozen Linux app built and self-tested."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from zdesk.cli.selftest import run_self_test

ROOT = Path(__file__).resolve().parent.parent


def test_self_test_passes_with_one_line():
    out = io.StringIO()
    assert run_self_test(out) == 0
    (line,) = out.getvalue().splitlines()
    assert "zelftest geslaagd" in line and "1500 leerlingen" in line


def test_self_test_says_why_it_failed(monkeypatch):
    from zdesk.errors import FileProblem
    from zdesk.export import xlsx

    def broken(*args, **kwargs):
        raise FileProblem("De schijf is vol.")

    monkeypatch.setattr(xlsx, "write_workbook", broken)
    out = io.StringIO()
    assert run_self_test(out) == 1
    assert "MISLUKT" in out.getvalue() and "De schijf is vol." in out.getvalue()


def test_self_test_opens_no_window_and_loads_no_qt():
    script = (
        "import sys; from zdesk.cli.selftest import run_self_test; code = run_self_test(); "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt was imported'; "
        "sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.packaging
def test_frozen_linux_app_passes_its_self_test(tmp_path):
    pytest.importorskip("PyInstaller")
    if sys.platform != "linux":
        pytest.skip("this test builds the Linux app")
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            "--self-test",
            "--dist",
            str(tmp_path / "dist"),
            "--work",
            str(tmp_path / "build"),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "zelftest geslaagd" in result.stdout
    assert list((tmp_path / "dist").glob("zdesk-*-linux-*.tar.gz"))
    assert (tmp_path / "dist" / "zdesk" / "_internal" / "resources" / "zdesk.desktop").exists()
