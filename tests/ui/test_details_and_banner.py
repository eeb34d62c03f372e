"""The details pane (both afdelingen of a student, where to fix a signalering) and the banner."""

from __future__ import annotations

import pytest

from tests.domain.factory import Build
from zdesk.domain.checks import Finding
from zdesk.domain.severity import Severity


def two_vestigingen():
    b = Build()
    north, south = b.dept("h4", 4, branch=1), b.dept("h4", 4, branch=2)
    g_north, g_south = b.group(north, "1"), b.group(south, "2")
    b.place("123", north, [g_north])
    b.place("123", south, [g_south])
    return b.project(), g_north, g_south


def test_a_student_in_two_afdelingen_with_one_code_shows_both_by_vestiging():
    from zdesk.ui.details import describe

    project, g_north, g_south = two_vestigingen()
    _title, _facts, related = describe(project, project.placements[0])
    assert related == {
        "Afdeling h4 (Noord)": [("group", g_north, "h4.1")],
        "Afdeling h4 (Zuid)": [("group", g_south, "h4.2")],
    }
    _title, facts, _related = describe(project, project.group_by_id[g_south])
    assert dict(facts)["Afdeling"] == "h4 (Zuid)"


def test_one_vestiging_keeps_the_short_afdeling_names():
    from zdesk.ui.details import describe

    b = Build()
    b.branches = b.branches[:1]
    dept = b.dept("h4", 4)
    group = b.group(dept, "1")
    _title, facts, _related = describe(b.project(), b.project().group_by_id[group])
    assert dict(facts)["Afdeling"] == "h4"


def test_the_details_say_where_to_fix_a_signalering(qtbot):
    from zdesk.ui.details import DetailsPane

    project, g_north, _ = two_vestigingen()
    finding = Finding(
        "group-empty", Severity.FOUT, "group", g_north, "Roostergroep <h4.1> is leeg."
    )
    pane = DetailsPane()
    qtbot.addWidget(pane)
    pane.show_object(project, project.group_by_id[g_north], lambda _o: [finding])
    text = pane.facts.text()
    assert "<b>Fout</b>: Roostergroep &lt;h4.1&gt; is leeg." in text
    assert "Oplossen in het portaal bij Leerlingen &gt; Roostergroepindelingen" in text
    assert "⛔" not in text


@pytest.mark.parametrize("severity", list(Severity))
def test_the_banner_shows_the_tables_icon_not_a_glyph(qtbot, severity):
    from PySide6.QtWidgets import QStyle

    from zdesk.ui.models.style import icon
    from zdesk.ui.widgets import MessageBar

    bar = MessageBar()
    qtbot.addWidget(bar)
    bar.show_message("Het portaal is niet bereikbaar.", severity)
    size = bar.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    assert bar.symbol.text() == ""
    assert bar.symbol.pixmap().toImage() == icon(severity).pixmap(size, size).toImage()
    assert bar.symbol.toolTip() == severity.value


def test_the_details_show_the_note_of_a_signalering_marked_bekend(qtbot):
    from zdesk.domain.known import KnownMark, known_key
    from zdesk.ui.details import DetailsPane

    project, g_north, _ = two_vestigingen()
    finding = Finding("group-empty", Severity.FOUT, "group", g_north, "Roostergroep h4.1 is leeg.")
    pane = DetailsPane()
    qtbot.addWidget(pane)
    marks = {known_key(finding): KnownMark(*known_key(finding), note="wordt in mei gevuld")}
    pane.show_object(project, project.group_by_id[g_north], lambda _o: [finding], marks)
    assert "<i>Bekend: wordt in mei gevuld</i>" in pane.facts.text()
    pane.show_object(project, project.group_by_id[g_north], lambda _o: [finding])
    assert "Bekend" not in pane.facts.text()


def test_wijzigingen_name_students_by_name_and_objects_by_label(small_project):
    from zdesk.domain.diff import CHANGED, Change, Comparison
    from zdesk.ui.models.changes import change_rows, names_in

    project, run = small_project
    code = next(c for c in project.placements_of_student if project.student_name(c))
    planned = project.planned_groups[0]
    gone = next(f for f in run.findings if f.object_type == "planned_group")
    comparison = Comparison(
        0.0,
        1.0,
        changes=[Change(CHANGED, "student", code, "groups", "a", "b", code)],
        resolved_findings=[gone],
    )
    rows = change_rows(comparison, names_in(project))
    assert rows[0].label == f"{project.student_name(code)} ({code})"
    from zdesk.domain.diff import planned_label

    label = planned_label(project, project.object_of("planned_group", gone.object_id))
    assert rows[1].label == label and label != str(gone.object_id)
    assert planned  # the project has geplande groepen
