"""Bestand > Instellingen: the previous project the doorstroom follows, chosen per portal."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from .test_app import load_directly

DOORSTROOM = {"student-not-placed-next-year", "student-repeats-year", "student-changes-education"}


def reload_with(qtbot, window, answer) -> None:
    window.driver.on("SettingsDialog", answer)
    before = window.view.project
    window.show_settings()
    qtbot.waitUntil(
        lambda: window.view.project is not before and window.loading.job is None, timeout=20_000
    )


def test_none_then_automatic_again(qtbot, window, portal, small_school):
    load_directly(qtbot, window, portal, small_school)
    project = window.view.project
    (last,) = [p for p in small_school.project_ids() if p != small_school.current_project]
    assert project.previous_info.id == last
    name = window.session.portal_name

    def none(dialog):
        assert dialog.previous_choice() == "auto"
        assert dialog.previous.isEnabled()
        note = dialog.findChild(QLabel, "previous_note")
        assert f"Nu gevolgd: {project.previous_info.label}" in note.text()
        dialog.previous.setCurrentIndex(dialog.previous.findData("none"))
        return dialog.DialogCode.Accepted

    reload_with(qtbot, window, none)
    assert window.session.settings.previous_project == {name: None}
    skipped = {s.check: s.reason for s in window.view.run.skipped}
    assert set(skipped) >= DOORSTROOM
    assert "geen vorig project gekozen" in skipped["student-not-placed-next-year"]
    assert window.view.project.previous_info is None

    def chosen_by_id(dialog):
        assert dialog.previous_choice() is None
        dialog.previous.setCurrentIndex(dialog.previous.findData(last))
        return dialog.DialogCode.Accepted

    window.loading.projects = (name, [project.info, project.previous_info])
    reload_with(qtbot, window, chosen_by_id)
    assert window.session.settings.previous_project == {name: last}
    assert window.view.project.previous_info.id == last

    def automatic(dialog):
        assert dialog.previous_choice() == last
        # the project itself is never offered as its own previous project
        assert dialog.previous.findData(small_school.current_project) == -1
        dialog.previous.setCurrentIndex(dialog.previous.findData("auto"))
        return dialog.DialogCode.Accepted

    reload_with(qtbot, window, automatic)
    assert window.session.settings.previous_project == {}
    assert not DOORSTROOM & {s.check for s in window.view.run.skipped}
