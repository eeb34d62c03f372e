"""The commands without a window as processes: what they do while the portal answers, what they
leave behind, and how they end."""

from __future__ import annotations

import gc
import io
import json
import subprocess
import sys
import time

import keyring
import keyring.backends.fail

from zdesk.app import load_and_check as use_case
from zdesk.cli import check as headless
from zdesk.cli import main
from zdesk.cli.check import run_check_command
from zdesk.demo.server import FakePortal
from zdesk.domain.model import Project
from zdesk.runtime.switching import QUICK_SWITCH
from zdesk.store.history import NO_KEYRING


def test_the_history_is_opened_while_the_portal_answers(small_school, memory_keyring, monkeypatch):
    read_at: list[float] = []
    reading = memory_keyring.get_password

    def get_password(service, username):
        if service == "zdesk-history":
            read_at.append(time.monotonic())
        return reading(service, username)

    monkeypatch.setattr(memory_keyring, "get_password", get_password)
    loaded_at: list[float] = []
    loading = use_case.load_project

    def load_project(*args, **kwargs):
        project = loading(*args, **kwargs)
        loaded_at.append(time.monotonic())
        return project

    monkeypatch.setattr(use_case, "load_project", load_project)
    with FakePortal(small_school, latency_ms=150) as fake:  # two rounds of requests: 0.3 s
        monkeypatch.setenv("ZDESK_TOKEN", fake.token)
        out, err = io.StringIO(), io.StringIO()
        code = run_check_command(fake.url, None, False, True, None, out=out, err=err)
        portal = fake.url.split("//")[1]
    assert code == 0 and err.getvalue() == ""
    assert read_at and loaded_at and read_at[0] < loaded_at[0]
    from zdesk.app.history import open_history

    assert len(open_history(portal).loads(small_school.current_project)) == 1


def test_without_a_keyring_the_check_says_so_and_keeps_no_project_alive(
    portal, monkeypatch, isolated
):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    out, err = io.StringIO(), io.StringIO()
    was_on = gc.isenabled()
    gc.disable()
    try:
        before = {id(o) for o in gc.get_objects() if isinstance(o, Project)}  # other tests'
        code = run_check_command(portal.url, None, False, True, None, out=out, err=err)
        # Freed as the command returned, not left in a cycle for the collector.
        alive = [o for o in gc.get_objects() if isinstance(o, Project) and id(o) not in before]
    finally:
        if was_on:
            gc.enable()
    assert code == 0 and json.loads(out.getvalue())["findings"]
    assert err.getvalue() == f"Niet bewaard in de geschiedenis: {NO_KEYRING}\n"
    assert alive == []


def test_a_command_runs_without_the_collector_and_gives_it_back(monkeypatch, capsys):
    seen = []

    def check(*args, **kwargs):
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(headless, "run_check_command", check)
    assert gc.isenabled()
    usual = sys.getswitchinterval()
    assert main(["check", "--demo"]) == 0
    assert seen == [False] and gc.isenabled()
    assert sys.getswitchinterval() == usual


def test_a_command_hands_the_interpreter_over_quickly_while_it_runs(monkeypatch):
    seen = []
    monkeypatch.setattr(
        headless, "run_check_command", lambda *a, **k: seen.append(sys.getswitchinterval()) or 0
    )
    assert main(["check", "--demo"]) == 0
    assert seen == [QUICK_SWITCH] and sys.getswitchinterval() > QUICK_SWITCH


def test_the_program_ends_a_check_with_its_whole_report(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "zdesk", "check", "--demo", "--json"],
        capture_output=True,
        text=True,
        env={"ZDESK_HOME": str(tmp_path), "PATH": "", "QT_QPA_PLATFORM": "offscreen"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert report["counts"]["students"] == 1500 and report["findings"]
