"""`zdesk demo-server` with arguments it cannot use ends at once with a Dutch usage error (exit 2),
never a traceback or a server that runs anyway: real processes, bounded."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest


def demo_server(*arguments: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [sys.executable, "-m", "zdesk", "demo-server", "--tier", "small", *arguments],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except subprocess.TimeoutExpired:  # it started a server after all
        pytest.fail(f"demo-server {' '.join(arguments)} kept running")


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (("--latency-ms", "-5"), "argument --latency-ms: '-5' kan niet; geef een getal van 0"),
        (("--port", "99999"), "argument --port: '99999' kan niet; geef een getal van 0 tot en"),
        (("--koppelcodes", "-1"), "argument --koppelcodes: '-1' kan niet"),
    ],
)
def test_an_argument_out_of_range_is_a_dutch_usage_error(arguments, said):
    result = demo_server(*arguments)
    assert result.returncode == 2 and result.stdout == ""
    assert said in result.stderr and "Traceback" not in result.stderr


def test_a_port_in_use_is_a_dutch_message():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = demo_server("--port", str(port))
    assert result.returncode == 2 and result.stdout == ""
    assert f"poort {port} op 127.0.0.1 kan niet (al in gebruik)" in result.stderr
    assert "Traceback" not in result.stderr
