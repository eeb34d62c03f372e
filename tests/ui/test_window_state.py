"""What the window remembers between sessions, and what happens when zdesk itself fails."""

from __future__ import annotations

import logging
import sys
import threading

from zdesk.store.settings import Settings


def test_window_size_splitters_and_columns_are_remembered(qtbot, small_project):
    from zdesk.ui.main_window import MainWindow

    project, run = small_project
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.view.show_project(project, run)
    first.resize(700, 500)  # within the offscreen screen (800 x 600), which clamps geometry
    first.view.split.setSizes([200, 480])
    first.view.tabs["Roostergroepen"].view.horizontalHeader().resizeSection(0, 177)
    qtbot.waitUntil(lambda: (first.width(), first.height()) == (700, 500))  # the resize is applied
    left, size = first.view.split.sizes()[0], first.size()
    first.state.save()
    assert "geometry" in Settings.load().window

    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    second.state.save()  # closing before any project is shown must not forget the widths
    second.view.show_project(project, run)
    assert second.size() == size
    assert second.view.split.sizes()[0] == left
    assert second.view.tabs["Roostergroepen"].view.horizontalHeader().sectionSize(0) == 177
    # Saved widths win over fitting to the data.
    assert "Roostergroepen" in second.view.settled_columns
    assert second.view.tabs["Leerlingen"].view.horizontalHeader().sectionSize(0) > 0
    first.shutdown()
    second.shutdown()


def test_crashes_in_main_and_worker_threads_reach_a_dialog_and_the_log(qtbot, caplog, logfail):
    logfail.expect("zdesk", "Onverwachte fout")
    from zdesk.ui.app import CrashRelay

    relay = CrashRelay(show=lambda details: None)  # the dialog itself is tested by looking at it
    saved = sys.excepthook, threading.excepthook
    relay.install()
    try:
        with qtbot.waitSignal(relay.crashed, timeout=5000) as main:
            try:
                raise ValueError("fout in de hoofdthread")
            except ValueError:
                sys.excepthook(*sys.exc_info())
        assert "ValueError: fout in de hoofdthread" in main.args[0]

        def fail() -> None:
            raise RuntimeError("fout in een achtergrondthread")

        with qtbot.waitSignal(relay.crashed, timeout=5000) as worker:
            thread = threading.Thread(target=fail)
            thread.start()
            thread.join()
        assert "RuntimeError: fout in een achtergrondthread" in worker.args[0]
    finally:
        sys.excepthook, threading.excepthook = saved
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 2 and "Onverwachte fout" in errors[0].getMessage()
