"""zdesk's own files as found on disk: a settings file or load hints that is a FIFO is passed
over at once (never waited on), load hints far beyond any real size are not read, and a saved
load dated in the future is pruned. On real files."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time

import pytest

from zdesk.store import load_hints
from zdesk.store.history import History, Retention
from zdesk.store.load_hints import hints_file, read_hints
from zdesk.store.paths import private_dir, settings_file
from zdesk.store.settings import Settings

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")


def bounded(call, seconds: float = 3.0):
    """(finished within `seconds`, value) of `call` on a thread of its own."""
    outcome: dict[str, object] = {}
    thread = threading.Thread(target=lambda: outcome.update(value=call()), daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive(), outcome.get("value")


@contextlib.contextmanager
def fifo_at(path):
    private_dir(path.parent)
    os.mkfifo(path)
    try:
        yield
    finally:
        # A reader still waiting (the old code) gets its end of file and lets go.
        with contextlib.suppress(OSError):
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))


@posix_only
def test_a_settings_file_that_is_a_fifo_gives_the_defaults_at_once(logfail):
    logfail.expect("zdesk.store.settings", "geen gewoon bestand")
    with fifo_at(settings_file()):
        finished, settings = bounded(Settings.load)
    assert finished, "reading the settings waited for a writer"
    assert settings == Settings()


@posix_only
def test_load_hints_that_are_a_fifo_are_no_hints(logfail):
    logfail.expect("zdesk.store.load_hints", "^Laadhints onleesbaar")
    with fifo_at(hints_file()):
        finished, hints = bounded(lambda: read_hints("mijnschool", 401))
    assert finished and hints is None


def test_load_hints_beyond_the_cap_are_not_read(logfail):
    logfail.expect("zdesk.store.load_hints", "^Laadhints onleesbaar")
    path = hints_file()
    private_dir(path.parent)
    wanted = {"afdelingen": [1, 2, 3]}
    padding = "x" * load_hints.MAX_BYTES
    path.write_text(json.dumps({"mijnschool/401": wanted, "opvulling": padding}))
    assert read_hints("mijnschool", 401) is None
    # A write starts afresh instead of carrying the oversized file along.
    load_hints.write_hints("mijnschool", 401, wanted)
    assert read_hints("mijnschool", 401) == wanted
    assert path.stat().st_size < 1000


def test_a_load_dated_in_the_future_is_pruned(tmp_path, small_project):
    project, _run = small_project
    history = History("mijnschool", bytes(range(32)), tmp_path / "history")
    now = time.time()
    content = b"een lading"
    # Saved while the clock was a month ahead: it would stay "the newest" for a month.
    future = history.save(project.info.id, now + 30 * 86400, content, now=now + 30 * 86400)
    assert future is not None and history.loads() == [future]

    today = history.save(project.info.id, now, content, now=now)  # the clock is right again
    assert history.loads() == [today] and not future.path.exists()
    assert history.prune(Retention(), now=now) == 0


def test_a_history_that_cannot_be_written_is_said_in_dutch(portal, monkeypatch, logfail):
    import io

    from zdesk.cli.check import run_check_command
    from zdesk.store.paths import history_dir

    logfail.expect("zdesk.cli.diff", "niet bewaard in de geschiedenis")
    private_dir(history_dir().parent)
    history_dir().write_text("geen map")  # where the history's folder should be
    monkeypatch.setenv("ZDESK_TOKEN", portal.token)
    out, err = io.StringIO(), io.StringIO()
    assert run_check_command(portal.url, None, False, True, None, out=out, err=err) == 0
    said = err.getvalue()
    assert said == "Niet bewaard in de geschiedenis: een map in het pad is geen map\n"


def test_a_settings_file_on_a_home_that_hangs_gives_the_defaults_in_time(monkeypatch, logfail):
    """A network home that stops answering during the read itself: zdesk starts with the
    defaults after READ_SECONDS, and says why, instead of hanging for good."""
    import threading

    from zdesk import ondisk
    from zdesk.store import settings as settings_module

    logfail.expect("zdesk.store.settings", "geen antwoord")
    path = settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}", encoding="utf-8")
    release = threading.Event()
    real_open = ondisk.os.open

    def hanging_open(target, *args, **kwargs):
        if str(target) == str(path):
            release.wait(30)  # the network share does not answer
        return real_open(target, *args, **kwargs)

    monkeypatch.setattr(ondisk.os, "open", hanging_open)
    monkeypatch.setattr(settings_module, "READ_SECONDS", 0.2)
    try:
        finished, settings = bounded(Settings.load)
    finally:
        release.set()
    assert finished, "reading the settings hung with the network home"
    assert settings == Settings()
