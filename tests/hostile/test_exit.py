"""A command that fails fast ends with its own exit code and after the history's opener, never
during it (an abort, exit 134, when the interpreter shut down around that thread). Real
processes against a portal on loopback that refuses at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from ..portal.hostile import HostileServer

ROOT = Path(__file__).resolve().parents[2]
EXIT_PORTAL = 4


def redirecting(ex) -> None:
    ex.head("302 Found", {"Location": "https://elders.example/", "Content-Length": "0"})


def run_check(url: str, home: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "ZDESK_HOME": str(home / "zdesk"),
        "ZDESK_TOKEN": "testtoken",
        "PYTHONPATH": str(ROOT),
        "PYTHON_KEYRING_BACKEND": "tests.hostile.slow_keyring.SlowKeyring",
        "QT_QPA_PLATFORM": "offscreen",
        **extra,
    }
    return subprocess.run(
        [sys.executable, "-m", "zdesk", "check", "--portal", url, "--project", "401"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_a_fast_failure_ends_after_the_history_opener_with_its_own_code(tmp_path):
    answered = tmp_path / "beantwoord"
    with HostileServer(redirecting) as server:
        # Far longer than a refused request takes, far shorter than the keyring's time limit.
        result = run_check(
            server.url, tmp_path, ZDESK_TEST_SLOW="1.0", ZDESK_TEST_ANSWERED=str(answered)
        )
    assert result.returncode == EXIT_PORTAL, result.stderr
    assert "Traceback" not in result.stderr and "doorverw" in result.stderr
    # The keyring's answer came before the process ended: the opener was waited for.
    assert answered.read_text() == "beantwoord\n"


def test_fast_failures_end_with_their_own_code_every_time(tmp_path):
    codes = []
    until = time.monotonic() + 4.0  # bounded: as many runs as fit, at least three
    with HostileServer(redirecting) as server:
        while len(codes) < 3 or (time.monotonic() < until and len(codes) < 12):
            result = run_check(server.url, tmp_path)
            assert "Traceback" not in result.stderr and "FATAL" not in result.stderr
            codes.append(result.returncode)
    assert set(codes) == {EXIT_PORTAL}, codes
