"""The test harness itself can fail: a dialog without a handler and an unexpected WARNING."""

from __future__ import annotations

import logging

from tests.conftest import LogFail

from .conftest import DialogDriver


def test_a_crash_in_a_job_reaches_the_dialog_driver_as_a_crash_box(qtbot, window, logfail):
    from zdesk.ui.jobs import Job
    from zdesk.ui.shell import start_job

    logfail.expect("zdesk.ui.jobs", "Fout in achtergrondtaak")

    def work(_progress, _cancel):
        raise KeyError("stuk")

    job = Job(work, "proef", window)
    with qtbot.waitSignal(job.ended, timeout=5000):
        start_job(window, job)
    (unhandled,) = window.driver.unhandled
    assert unhandled.startswith("CrashBox:") and "KeyError: 'stuk'" in unhandled
    window.driver.unhandled.clear()  # seen and checked here: the fixture need not fail


def test_a_dialog_with_a_handler_is_answered_by_it_and_one_without_is_recorded(qtbot):
    from PySide6.QtWidgets import QDialog

    driver = DialogDriver()
    driver.on("QDialog", lambda _dialog: QDialog.DialogCode.Accepted)
    assert driver(QDialog()) == QDialog.DialogCode.Accepted
    assert driver.unhandled == []

    class Unexpected(QDialog):
        pass

    odd = Unexpected()
    odd.setWindowTitle("Onverwacht")
    assert driver(odd) == 0
    assert driver.unhandled == ["Unexpected: Onverwacht"]
    assert driver.seen[-1] is odd


def test_the_log_handler_tells_expected_warnings_from_the_others():
    handler = LogFail()
    logger, other = logging.getLogger("zdesk.proef"), logging.getLogger("zdeskander")
    for each in (logger, other):  # kept from this test's own log check
        each.addHandler(handler)
        each.propagate = False
    try:
        logger.info("gewoon")  # below WARNING: not collected at all
        logger.warning("verwacht: de sleutelopslag")
        logger.error("onverwacht")
        other.warning("verwacht: maar een andere logger")
    finally:
        for each in (logger, other):
            each.removeHandler(handler)
            each.propagate = True
    handler.expect("zdesk", "^verwacht")
    assert [r.getMessage() for r in handler.records] == [
        "verwacht: de sleutelopslag",
        "onverwacht",
        "verwacht: maar een andere logger",
    ]
    assert [r.getMessage() for r in handler.unexpected()] == [
        "onverwacht",
        "verwacht: maar een andere logger",
    ]


def test_only_urllib3_retries_are_expected_everywhere():
    handler = LogFail()
    retry, full = (
        logging.makeLogRecord(
            {"name": "urllib3.connectionpool", "levelno": logging.WARNING, "msg": m}
        )
        for m in ("Retrying (Retry(total=2)) after ...", "Connection pool is full, discarding")
    )
    handler.handle(retry)
    handler.handle(full)
    assert handler.unexpected() == [full]
