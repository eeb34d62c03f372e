"""Where each signalering is fixed in the portal, and where its object sits in the school."""

from __future__ import annotations

from zdesk.domain.checks import CHECKS
from zdesk.domain.locate import departments_of, place_labels
from zdesk.present import portal_paths as remedies

PLACES = {
    value for name, value in vars(remedies).items() if name.isupper() and isinstance(value, str)
}


def test_every_check_has_its_places_from_the_one_table():
    assert set(remedies.REMEDIES) == {c.id for c in CHECKS}
    used = {p for paths in remedies.REMEDIES.values() for p in paths}
    assert used <= PLACES
    assert all(" > " in p for p in PLACES)


def test_remedy_lines_for_people():
    assert remedies.remedy_sentence("student-multiple-departments") == (
        "Oplossen in het portaal bij Leerlingen > Prognoses"
    )
    assert remedies.remedy_text("group-empty") == (
        "Leerlingen > Roostergroepindelingen > Alle groepen of "
        "Onderwijs > Schoolstructuur > Roostergroepen"
    )
    assert remedies.remedy_sentence("pseudo-group") == ""
    assert remedies.remedy_paths("no-such-check") == ()


def test_objects_are_placed_in_their_afdelingen(small_project):
    project, run = small_project
    pg = project.planned_groups[0]
    choosable = project.choosable_by_id[pg.choosable_in_department]
    dept = project.department_of(choosable)
    branch = project.branch_of(dept)
    assert departments_of(project, "planned_group", pg.id) == [dept]
    assert place_labels(project, "planned_group", pg.id) == (dept.label, branch.label)
    assert place_labels(project, "choosable", choosable.id) == (dept.label, branch.label)
    assert place_labels(project, "department", dept.id) == (dept.label, branch.label)
    assert place_labels(project, "branch", branch.id) == ("", branch.label)
    group = project.groups[0]
    assert place_labels(project, "group", group.id)[0] == project.department_of(group).label
    code = next(f.object_id for f in run.findings if f.check == "student-multiple-departments")
    depts = departments_of(project, "student", code)
    assert len(depts) >= 2
    assert place_labels(project, "student", code)[0] == ", ".join(d.label for d in depts)
    assert departments_of(project, "student", "nobody") == []
    assert departments_of(project, "group", -1) == []
    assert place_labels(project, "branch", -1) == ("", "")
