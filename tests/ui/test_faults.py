"""The fault matrix in the app, over real loopback HTTP: a Dutch message with the action that helps,
the previous data kept and marked not fresh, no crash and no traceback."""

from __future__ import annotations

import pytest

from zdesk.portal.client import PortalClient
from zdesk.portal.names import normalise_portal

TIMEOUT = 20_000

# (fault, words in the message, buttons offered)
MATRIX = [
    (
        dict(kind="status", endpoint="plannedgroups", status=401),
        "Koppel opnieuw",
        ["Opnieuw koppelen"],
    ),
    (
        dict(kind="status", endpoint="plannedgroups", status=403),
        "'plannedgroups'",
        ["Toegangsrechten"],
    ),
    (dict(kind="status", endpoint="groupindepartments", status=404), "kent", ["Opnieuw proberen"]),
    (
        dict(kind="status", endpoint="branchesofschools", status=500),
        "foutmelding (500)",
        ["Opnieuw proberen"],
    ),
    (
        dict(kind="status", endpoint="branchesofschools", status=502),
        "foutmelding (502)",
        ["Opnieuw proberen"],
    ),
    (
        dict(kind="status", endpoint="branchesofschools", status=503),
        "foutmelding (503)",
        ["Opnieuw proberen"],
    ),
    (
        dict(kind="latency", endpoint="choosableindepartments", delay_ms=1500),
        "niet op tijd",
        ["Opnieuw proberen"],
    ),
    (dict(kind="drop", endpoint="groupindepartments"), "niet bereikbaar", ["Opnieuw proberen"]),
    (dict(kind="truncate", endpoint="studentsindepartments"), "onbruikbaar", ["Opnieuw proberen"]),
    (
        dict(kind="html", endpoint="plannedgroups"),
        "webpagina",
        ["Opnieuw proberen", "Opnieuw koppelen"],
    ),
    (
        dict(kind="mismatch", endpoint="plannedgroups", status=500),
        "foutmelding (500)",
        ["Opnieuw proberen"],
    ),
]


def load(qtbot, window, portal, school):
    client = PortalClient(
        normalise_portal(portal.url), portal.token, backoff=0.01, timeout=(2.0, 0.5)
    )
    window.session.adopt(client)
    window.loading.open_project(school.current_project)
    qtbot.waitUntil(lambda: window.loading.job is None, timeout=TIMEOUT)


@pytest.mark.parametrize(
    ("fault", "words", "buttons"),
    MATRIX,
    ids=[f"{f['kind']}-{f.get('status', '')}" for f, _, _ in MATRIX],
)
def test_fault_during_reload(qtbot, window, drive, portal, small_school, fault, words, buttons):
    window.driver.close("RightsDialog")  # a refused right opens the rights report
    load(qtbot, window, portal, small_school)
    before = window.view.project
    assert before is not None and not window.loading.stale
    kind = fault.pop("kind")
    portal.add_fault(kind, **fault)  # a reload reuses the rights: the data read fails
    drive.press("F5")
    drive.wait_until_load_ends(TIMEOUT)
    text = drive.message()
    assert words in text, text
    assert "niet bijgewerkt" in text and "Traceback" not in text
    assert drive.message_buttons() == buttons
    assert window.view.project is before and window.loading.stale
    assert "niet bijgewerkt" in window.status.age.text()
    crash_boxes = [d for d in window.driver.seen if type(d).__name__ == "CrashBox"]
    assert crash_boxes == []


def test_first_load_failing_shows_nothing_as_loaded(qtbot, window, drive, portal, small_school):
    portal.add_fault("status", "plannedgroups", status=500)
    load(qtbot, window, portal, small_school)
    assert window.view.project is None
    assert "foutmelding (500)" in drive.message()
    assert "niet bijgewerkt" not in drive.message()
    assert window.status.project.text() == "Geen project geladen"
    assert window.view.tree_model.rowCount() == 0


def test_401_at_link_is_said_in_the_dialog(qtbot, window, portal):
    from PySide6.QtWidgets import QDialogButtonBox

    def handler(dialog):
        dialog.portal.setText(portal.url)
        dialog.use_token.setChecked(True)
        dialog.secret.setText("not-a-valid-token")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=TIMEOUT)
        handler.error = dialog.error.text()
        return 0

    window.driver.on("LinkDialog", handler)
    window.linking.link_portal()
    assert "Koppel opnieuw" in handler.error and "not-a-valid-token" not in handler.error
    assert window.session.client is None


def test_used_koppelcode_and_unknown_portal_at_link(qtbot, window, portal):
    from PySide6.QtWidgets import QDialogButtonBox

    errors = []

    def handler(dialog):
        dialog.portal.setText(portal.url)
        dialog.secret.setText(portal.koppelcodes[0])
        for _ in range(2):
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
            qtbot.waitUntil(
                lambda: (
                    dialog.job is None and (dialog.linked is not None or bool(dialog.error.text()))
                ),
                timeout=TIMEOUT,
            )
            errors.append(dialog.error.text())
            dialog.linked = None
        portal.add_fault("status", "oauth/token", status=404)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        qtbot.waitUntil(lambda: dialog.job is None and bool(dialog.error.text()), timeout=TIMEOUT)
        errors.append(dialog.error.text())
        return 0

    window.driver.on("LinkDialog", handler)
    window.linking.link_portal()
    assert errors[0] == ""  # the first exchange worked
    assert "al gebruikt" in errors[1]
    assert "geen Zermelo-portaal met de naam" in errors[2]


def test_reload_reuses_the_rights_and_probes_again_when_refused(
    qtbot, window, drive, portal, small_school
):
    load(qtbot, window, portal, small_school)
    portal.clear_log()
    drive.press("F5")
    drive.wait_until_load_ends(TIMEOUT)
    assert not any("id=0" in r.query for r in portal.requests)  # F5: no rights probe
    # The school withdraws the right on afdelingsdeelnames: the reload probes again and shows
    # what can still be shown, with the rights report.
    from zdesk.demo.server import Rights

    window.session.client.token = portal.issue_token(Rights.without("studentsindepartments"))
    window.driver.close("RightsDialog")
    drive.press("F5")
    drive.wait_until_load_ends(TIMEOUT)
    assert window.view.project.lacks("studentsindepartments") and not window.loading.stale
    assert any(type(d).__name__ == "RightsDialog" for d in window.driver.seen)
