"""Build the double-click app for this platform, the same way everywhere.

    python packaging/build.py [--self-test] [--stage all|app|package]

Runs PyInstaller on packaging/zdesk.spec (one folder, windowed), then makes what this platform
installs from: on Windows the Inno Setup installer (when `iscc` is on PATH), on macOS a zip of
zdesk.app, on Linux a tarball with the .desktop file and icons, and an AppImage when appimagetool
is at hand (APPIMAGETOOL or PATH). With --self-test the frozen app then runs `zdesk --self-test`.
`--stage app` stops after the app (so a release can sign it), `--stage package` packages the app
already built. Prints the sizes and fails past the size budget (BUDGETS). Needs `pip install
pyinstaller` (the `packaging` extra).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
BUILD = ROOT / "build"
MB = 1_000_000
# What a school network downloads and a workstation keeps, in MB: on Linux the unpacked app, on
# Windows the installer, on macOS the download. The build fails past it.
BUDGETS: dict[str, tuple[str, int]] = {
    "linux": ("app", 120),
    "win32": ("installer", 60),
    "darwin": ("download", 80),
}


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
    target.unlink(missing_ok=True)
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


def linux_appimage(v: str) -> Path | None:
    """The app as one AppImage file, made with appimagetool (APPIMAGETOOL or on PATH)."""
    tool = os.environ.get("APPIMAGETOOL") or shutil.which("appimagetool")
    if not tool:
        print("appimagetool niet gevonden: geen AppImage, alleen de tarball.")
        return None
    appdir = BUILD / "zdesk.AppDir"
    shutil.rmtree(appdir, ignore_errors=True)
    shutil.copytree(DIST / "zdesk", appdir / "zdesk", symlinks=True)
    shutil.copy2(ROOT / "resources" / "zdesk.desktop", appdir / "zdesk.desktop")
    shutil.copy2(ROOT / "resources" / "icons" / "zdesk-256.png", appdir / "zdesk.png")
    run = appdir / "AppRun"
    run.write_text(
        '#!/bin/sh\nexec "$(dirname "$(readlink -f "$0")")/zdesk/zdesk" "$@"\n', encoding="utf-8"
    )
    run.chmod(0o755)
    target = DIST / f"zdesk-{v}-linux-{platform.machine()}.AppImage"
    target.unlink(missing_ok=True)
    # appimagetool is itself an AppImage: without FUSE (CI runners) it unpacks itself to run.
    environment = dict(os.environ, ARCH=platform.machine(), APPIMAGE_EXTRACT_AND_RUN="1")
    subprocess.run([tool, "--no-appstream", str(appdir), str(target)], check=True, env=environment)
    return target


def macos_zip(v: str) -> Path:
    target = DIST / f"zdesk-{v}-macos-{platform.machine()}.zip"
    target.unlink(missing_ok=True)
    subprocess.run(
        ["ditto", "-c", "-k", "--keepParent", str(DIST / "zdesk.app"), str(target)], check=True
    )
    return target


def app_folder() -> Path:
    return DIST / ("zdesk.app" if sys.platform == "darwin" else "zdesk")


def package(v: str) -> list[Path]:
    """What this platform installs from, made from the app in DIST."""
    if sys.platform == "win32":
        made = [windows_installer(v)]
    elif sys.platform == "darwin":
        made = [macos_zip(v)]
    else:
        made = [linux_tarball(v), linux_appimage(v)]
    return [path for path in made if path is not None]


def over_budget(app: int, made: list[Path]) -> str | None:
    """Why the build is too large for its platform's budget, or None when it fits."""
    what, limit = BUDGETS.get(sys.platform, ("app", BUDGETS["linux"][1]))
    if what == "app":
        size, name = app, "de map " + app_folder().name
    else:
        wanted = [p for p in made if p.suffix in (".exe", ".zip")]
        if not wanted:
            return None  # nothing made to weigh (no iscc): said above
        size, name = wanted[0].stat().st_size, wanted[0].name
    if size > limit * MB:
        return f"{name} is {size / MB:.1f} MB, meer dan het budget van {limit} MB"
    return None


def self_test() -> int:
    result = subprocess.run(
        [str(frozen_executable()), "--self-test"], capture_output=True, text=True, timeout=300
    )
    print(result.stdout.strip() or result.stderr.strip())
    return result.returncode


def window_check() -> int:
    """Start the frozen app until its window is shown, then it quits (ZDESK_SHOWN_FILE): the
    Qt libraries and platform plugin the build kept are enough. Prints start to window."""
    with tempfile.TemporaryDirectory(prefix="zdesk-window-") as home:
        shown = Path(home) / "shown"
        environment = dict(os.environ, ZDESK_HOME=home, ZDESK_SHOWN_FILE=str(shown))
        headless = not (environment.get("DISPLAY") or environment.get("WAYLAND_DISPLAY"))
        if sys.platform.startswith("linux") and headless:
            environment["QT_QPA_PLATFORM"] = "offscreen"
        started = time.time()
        result = subprocess.run(
            [str(frozen_executable())], env=environment, capture_output=True, text=True, timeout=120
        )
        if result.returncode != 0 or not shown.exists():
            print(
                f"Venstercontrole MISLUKT (exitcode {result.returncode}): {result.stderr[-2000:]}"
            )
            return 1
        seconds = float(shown.read_text(encoding="ascii")) - started
        platform_used = environment.get("QT_QPA_PLATFORM", "standaard")
        print(f"Venstercontrole geslaagd: venster na {seconds:.2f} s ({platform_used})")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python packaging/build.py")
    parser.add_argument(
        "--self-test", action="store_true", help="run the frozen self-test and a window check"
    )
    parser.add_argument(
        "--stage",
        choices=["all", "app", "package"],
        default="all",
        help="app: only the app (to sign it before packaging); package: only package the app built",
    )
    parser.add_argument("--dist", type=Path, default=DIST, help="where the app goes (dist/)")
    parser.add_argument("--work", type=Path, default=BUILD, help="PyInstaller's work folder")
    args = parser.parse_args()
    set_folders(args.dist.resolve(), args.work.resolve())
    v = version()
    built = None
    if args.stage in ("all", "app"):
        started = time.perf_counter()
        pyinstaller()
        built = time.perf_counter() - started
    elif not frozen_executable().exists():
        print(f"Geen gebouwde app in {DIST}: eerst --stage app.", file=sys.stderr)
        return 2
    made = package(v) if args.stage in ("all", "package") else []
    size = folder_size(app_folder())
    print(
        f"zdesk {v}:"
        + (f" gebouwd in {built:.0f} s," if built is not None else "")
        + f" map {size / MB:.1f} MB"
        + "".join(f", {p.name} {p.stat().st_size / MB:.1f} MB" for p in made)
    )
    code = 0
    if args.self_test:
        code = self_test() or window_check()
    problem = over_budget(size, made)
    if problem:
        print(f"Te groot: {problem}.", file=sys.stderr)
        code = code or 1
    return code


if __name__ == "__main__":
    raise SystemExit(main())
