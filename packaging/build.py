"""Build the double-click app for this platform, the same way everywhere.

    python packaging/build.py [--self-test]

Runs PyInstaller on packaging/zdesk.spec (one folder, windowed), then makes what this platform
installs from: on Windows the Inno Setup installer (when `iscc` is on PATH), on macOS a zip of
zdesk.app, on Linux a tarball with the .desktop file and icons. With --self-test the frozen app
then runs `zdesk --self-test`. Needs `pip install pyinstaller` (the `packaging` extra).
"""

from __future__ import annotations

import argparse
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
BUILD = ROOT / "build"


def set_folders(dist: Path, work: Path) -> None:
    global DIST, BUILD
    DIST, BUILD = dist, work


def version() -> str:
    text = (ROOT / "zdesk" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'__version__ = "([^"]+)"', text).group(1)


def folder_size(path: Path) -> int:
    """Bytes on disk, counting each file once (PyInstaller links some libraries)."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def frozen_executable() -> Path:
    if sys.platform == "darwin":
        return DIST / "zdesk.app" / "Contents" / "MacOS" / "zdesk"
    return DIST / "zdesk" / ("zdesk.exe" if sys.platform == "win32" else "zdesk")


def pyinstaller() -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(BUILD),
            str(ROOT / "packaging" / "zdesk.spec"),
        ],
        check=True,
        cwd=ROOT,
    )


def linux_tarball(v: str) -> Path:
    target = DIST / f"zdesk-{v}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(target, "w:gz") as tar:
        tar.add(DIST / "zdesk", arcname="zdesk")
        tar.add(ROOT / "resources" / "zdesk.desktop", arcname="zdesk/zdesk.desktop")
        tar.add(ROOT / "resources" / "icons" / "zdesk-256.png", arcname="zdesk/zdesk.png")
    return target


def windows_installer(v: str) -> Path | None:
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if iscc is None:
        print("Inno Setup (iscc) niet gevonden: alleen de map dist/zdesk is gemaakt.")
        return None
    subprocess.run(
        [iscc, f"/DAppVersion={v}", str(ROOT / "packaging" / "windows" / "zdesk.iss")],
        check=True,
        cwd=ROOT,
    )
    return DIST / f"zdesk-setup-{v}.exe"


def macos_zip(v: str) -> Path:
    target = DIST / f"zdesk-{v}-macos.zip"
    subprocess.run(
        ["ditto", "-c", "-k", "--keepParent", str(DIST / "zdesk.app"), str(target)], check=True
    )
    return target


def main() -> int:
    parser = argparse.ArgumentParser(prog="python packaging/build.py")
    parser.add_argument("--self-test", action="store_true", help="run the frozen self-test")
    parser.add_argument("--dist", type=Path, default=DIST, help="where the app goes (dist/)")
    parser.add_argument("--work", type=Path, default=BUILD, help="PyInstaller's work folder")
    args = parser.parse_args()
    set_folders(args.dist.resolve(), args.work.resolve())
    v = version()
    started = time.perf_counter()
    pyinstaller()
    built = time.perf_counter() - started
    if sys.platform == "win32":
        artefact = windows_installer(v)
    elif sys.platform == "darwin":
        artefact = macos_zip(v)
    else:
        artefact = linux_tarball(v)
    size = folder_size(DIST / ("zdesk.app" if sys.platform == "darwin" else "zdesk"))
    print(
        f"zdesk {v}: gebouwd in {built:.0f} s, map {size / 1e6:.0f} MB"
        + (f", {artefact.name} {artefact.stat().st_size / 1e6:.0f} MB" if artefact else "")
    )
    if args.self_test:
        result = subprocess.run(
            [str(frozen_executable()), "--self-test"], capture_output=True, text=True, timeout=300
        )
        print(result.stdout.strip() or result.stderr.strip())
        return result.returncode
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
