"""packaging/build.py's packaging stage on Linux, on a stand-in app (no PyInstaller run): the
tarball, the AppImage's folder as appimagetool gets it, and the size budget failing the build."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the Linux packaging")

FAKE_APPIMAGETOOL = """#!/bin/sh
# records what it was given, checks the AppDir, writes the AppImage
appdir="$2"; out="$3"
for f in AppRun zdesk.desktop zdesk.png zdesk/zdesk; do
    [ -e "$appdir/$f" ] || { echo "missing $f" >&2; exit 1; }
done
[ -x "$appdir/AppRun" ] || { echo "AppRun not executable" >&2; exit 1; }
echo "$@ ARCH=$ARCH EXTRACT=$APPIMAGE_EXTRACT_AND_RUN" > "$out"
"""


def stand_in_app(dist: Path, size: int = 1000) -> None:
    app = dist / "zdesk"
    (app / "_internal").mkdir(parents=True)
    (app / "zdesk").write_text("#!/bin/sh\n", encoding="utf-8")
    (app / "zdesk").chmod(0o755)
    with open(app / "_internal" / "libbig.so", "wb") as big:
        big.truncate(size)  # sparse: counted at its size, costing no disk


def package(tmp_path: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--stage", "package",
         "--dist", str(tmp_path / "dist"), "--work", str(tmp_path / "build")],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
        env=dict(os.environ, **environment),
    )  # fmt: skip


def test_the_tarball_and_the_appimage_are_made_from_the_app(tmp_path):
    stand_in_app(tmp_path / "dist")
    tool = tmp_path / "appimagetool"
    tool.write_text(FAKE_APPIMAGETOOL, encoding="utf-8")
    tool.chmod(0o755)
    result = package(tmp_path, APPIMAGETOOL=str(tool))
    assert result.returncode == 0, result.stdout + result.stderr
    (tarball,) = (tmp_path / "dist").glob("zdesk-*-linux-*.tar.gz")
    with tarfile.open(tarball) as tar:
        names = set(tar.getnames())
    assert {"zdesk/zdesk", "zdesk/zdesk.desktop", "zdesk/zdesk.png"} <= names
    (appimage,) = (tmp_path / "dist").glob("zdesk-*-linux-*.AppImage")
    recorded = appimage.read_text(encoding="utf-8")
    assert recorded.startswith("--no-appstream ") and "EXTRACT=1" in recorded
    assert "AppImage" in result.stdout and "MB" in result.stdout


def test_an_app_over_the_budget_fails_the_build(tmp_path):
    stand_in_app(tmp_path / "dist", size=121_000_000)
    result = package(tmp_path, APPIMAGETOOL="")
    assert result.returncode == 1
    assert "Te groot: de map zdesk is 121.0 MB, meer dan het budget van 120 MB" in result.stderr


def test_packaging_without_an_app_says_to_build_it_first(tmp_path):
    result = package(tmp_path)
    assert result.returncode == 2 and "--stage app" in result.stderr
