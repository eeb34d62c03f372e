"""The details pane: what the selected object is, its signaleringen, and its relations.

Relations (a roostergroep's students and planned groups, a student's placements, ...) are listed
under headings; double-clicking one asks the window to jump to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from zdesk.present.palette import STYLES
from zdesk.present.portal_paths import remedy_sentence
from zdesk.present.words import group_roles, subject_type
from zdesk.ui.plain import elide

if TYPE_CHECKING:
    from zdesk.domain.checks import Finding
    from zdesk.domain.model import (
        Branch,
        Choosable,
        Department,
        PlannedGroup,
        Project,
        ScheduleGroup,
        StudentPlacement,
    )

Relation = tuple[str, Any, str]  # (kind, id, text)
# Text shown as rich text: &, < and > written as entities (the html module costs 3 ms at start).
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: str) -> str:
    return text.translate(_ENTITIES)


KIND_ROLE = Qt.ItemDataRole.UserRole
MAX_RELATIONS = 2000  # a pane is for reading; more than this belongs in a table

Facts = list[tuple[str, str]]
Relations = dict[str, list[Relation]]
Description = tuple[str, Facts, Relations]  # title, facts, relations by heading


def _department_label(project: Project, obj: Any) -> str:
    """ "h4", or "h4 (De Vaart Noord)" where the project has more than one vestiging."""
    from zdesk.domain.locate import department_label

    return department_label(project, project.department_of(obj))


def _student(project: Project, code: str) -> str:
    name = project.student_name(code)
    return f"{code} {name}" if name else code


def describe_branch(project: Project, branch: Branch) -> Description:
    facts = [("Code", branch.branch or ""), ("Id", str(branch.id))]
    departments = project.departments_of_branch.get(branch.id, ())
    return (
        f"Vestiging {branch.label}",
        facts,
        {"Afdelingen": [("department", d.id, d.label) for d in departments]},
    )


def describe_doorstroom_student(project: Project, student: Any) -> Description:
    """A student of the Doorstroom's list; one not placed this year has no afdelingsdeelname to
    show, so what the doorstroom knows of them is said instead."""
    title = f"Leerling {student.code}" + (f" ({student.name})" if student.name else "")
    facts = [
        ("Vorig jaar", student.last + (f" ({student.last_branch})" if student.last_branch else "")),
        ("Dit jaar", student.now or "nog geen afdeling in dit project"),
        ("Stamklas", student.main_group),
        ("Groepen", student.groups),
    ]
    placements = project.placements_of_student.get(student.code, ())
    departments = [d for p in placements if (d := project.department_of(p)) is not None]
    return (
        title,
        facts,
        {"Afdelingen dit jaar": [("department", d.id, d.label) for d in departments]},
    )


def describe_department(project: Project, dept: Department) -> Description:
    facts = [
        ("Leerlaag", str(dept.year_of_education or "")),
        ("Opleidingen", project.educations_of(dept)),
        ("Maximale groepsgrootte", str(dept.max_group_size or "onbekend")),
        ("Id", str(dept.id)),
    ]
    groups = project.groups_of_department.get(dept.id, ())
    choosables = project.choosables_of_department.get(dept.id, ())
    return (
        f"Afdeling {dept.label}",
        facts,
        {
            "Roostergroepen": [("group", g.id, g.label) for g in groups],
            "Keuzevakken": [("choosable", c.id, c.label) for c in choosables],
        },
    )


# The lessentabel's fields in words (an unknown one keeps the portal's name).
LESSON_WORDS = {"classPeriod": "periode", "lessonHours": "lesuren"}


def _lessons(entry: Any) -> str:
    """ "periode 1: 3 lesuren" for the portal's {"classPeriod": 1, "lessonHours": 3}."""
    if not isinstance(entry, dict):
        return str(entry)
    if set(entry) == set(LESSON_WORDS):
        return f"periode {entry['classPeriod']}: {entry['lessonHours']} lesuren"
    return ", ".join(f"{LESSON_WORDS.get(k, k)}: {v}" for k, v in entry.items())


def describe_choosable(project: Project, choosable: Choosable) -> Description:
    facts = [
        ("Naam", choosable.subject_name or ""),
        ("Type", subject_type(choosable.subject_type)),
        ("Afdeling", _department_label(project, choosable)),
        ("Id", str(choosable.id)),
    ]
    if lessons := choosable.lesson_hours:
        facts.append(("Lessentabel", "; ".join(map(_lessons, lessons))))
    planned = project.planned_of_choosable.get(choosable.id, ())
    return (
        f"Keuzevak {choosable.label}",
        facts,
        {"Geplande groepen": [("planned_group", p.id, p.name or str(p.id)) for p in planned]},
    )


def describe_planned_group(project: Project, planned: PlannedGroup) -> Description:
    group = project.group_of(planned)
    choosable = project.choosable_by_id.get(planned.choosable_in_department)
    facts = [
        ("Keuzevak", choosable.label if choosable else "?"),
        ("Roostergroep", group.label if group else "nog geen roostergroep"),
        ("Id", str(planned.id)),
    ]
    relations: Relations = {}
    if choosable:
        relations["Keuzevak"] = [("choosable", choosable.id, choosable.label)]
    if group:
        relations["Roostergroep"] = [("group", group.id, group.label)]
    return f"Geplande groep {planned.name or planned.id}", facts, relations


def describe_group(project: Project, group: ScheduleGroup) -> Description:
    facts = [
        ("Afdeling", _department_label(project, group)),
        ("Soort", ", ".join(group_roles(group)) or "lesgroep"),
        ("Leerlingen", str(project.student_count(group))),
        ("Id", str(group.id)),
    ]
    planned = project.planned_of_group.get(group.id, ())
    placements = project.placements_of_group.get(group.id, ())
    return (
        f"Roostergroep {group.label}",
        facts,
        {
            "Geplande groepen": [("planned_group", p.id, p.name or str(p.id)) for p in planned],
            "Leerlingen": [
                ("student", p.student_code, _student(project, p.student_code)) for p in placements
            ],
        },
    )


def describe_placement(project: Project, placement: StudentPlacement) -> Description:
    """A placement stands for its student: every afdeling the student is in, with its groups."""
    code = placement.student_code
    relations: Relations = {}
    for p in project.placements_of_student.get(code, ()):
        heading = f"Afdeling {_department_label(project, p)}"
        if heading in relations:  # the same code twice in one vestiging: told apart by id
            heading = f"{heading} (id {p.department_of_branch})"
        relations[heading] = [("group", g.id, g.label) for g in project.groups_of_placement(p)]
    return f"Leerling {_student(project, code)}", [("Leerlingnummer", code)], relations


def describe_finding(project: Project, finding: Finding) -> Description:
    """A signalering is described by the object it is about."""
    target = project.object_of(finding.object_type, finding.object_id)
    if target is None:
        return "Signalering", [("Melding", finding.message)], {}
    return describe(project, target)


def _describers() -> dict[type, Callable[[Project, Any], Description]]:
    from zdesk.domain.checks import Finding
    from zdesk.domain.model import (
        Branch,
        Choosable,
        Department,
        PlannedGroup,
        ScheduleGroup,
        StudentPlacement,
    )
    from zdesk.present.doorstroom import DoorstroomStudent

    return {
        DoorstroomStudent: describe_doorstroom_student,
        Branch: describe_branch,
        Department: describe_department,
        Choosable: describe_choosable,
        PlannedGroup: describe_planned_group,
        ScheduleGroup: describe_group,
        StudentPlacement: describe_placement,
        Finding: describe_finding,
    }


_DESCRIBERS: dict[type, Callable[[Project, Any], Description]] = {}


def describe(project: Project, obj: Any) -> Description:
    """(title, facts, relations by heading) for a domain object; empty for anything else."""
    if not _DESCRIBERS:  # the domain is imported when something is first described
        _DESCRIBERS.update(_describers())
    describer = _DESCRIBERS.get(type(obj))
    return describer(project, obj) if describer else ("", [], {})


class DetailsPane(QWidget):
    jump = Signal(str, object)  # kind, id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setWordWrap(True)
        self.facts = QLabel()
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts.setWordWrap(True)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.relations = QTreeWidget()
        self.relations.setHeaderLabels([self.tr("Verwant (dubbelklik om te openen)")])
        self.relations.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.relations, 1)
        self.show_object(None, None, lambda _o: ())

    def show_object(
        self,
        project: Project | None,
        obj: Any,
        findings_of: Callable[[Any], Sequence[Finding]],
        known: Mapping[Any, Any] | None = None,
    ) -> None:
        """What `obj` is, its signaleringen (with the note of one marked bekend) and relations."""
        self.relations.clear()
        if project is None or obj is None:
            self.title.setText(self.tr("<i>Selecteer iets om de details te zien.</i>"))
            self.facts.clear()
            return
        title, facts, relations = describe(project, obj)
        if known:
            from zdesk.domain.known import known_key
        self.title.setText(f"<b>{escape(elide(title))}</b>")
        lines = [f"{escape(k)}: {escape(elide(str(v)))}" for k, v in facts if v]
        for f in findings_of(obj):
            # The severity in words (a glyph may be missing from the font; colour is not enough).
            lines.append(
                f"<b>{escape(STYLES[f.severity].label.capitalize())}</b>: "
                f"{escape(elide(f.message, 1200))}"
            )
            mark = known.get(known_key(f)) if known else None
            if mark is not None:
                note = f": {mark.note}" if mark.note else ""
                lines.append(f"<i>{escape(elide('Bekend' + note, 1200))}</i>")
            elif remedy := remedy_sentence(f.check):
                lines.append(f"<i>{escape(remedy)}</i>")
        self.facts.setText("<br>".join(lines))
        for heading, items in relations.items():
            if not items:
                continue
            top = QTreeWidgetItem([f"{heading} ({len(items)})"])
            for kind, oid, text in items[:MAX_RELATIONS]:
                child = QTreeWidgetItem([elide(text)])
                child.setData(0, KIND_ROLE, (kind, oid))
                top.addChild(child)
            self.relations.addTopLevelItem(top)
            top.setExpanded(len(items) <= 40)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        target = item.data(0, KIND_ROLE)
        if target:
            self.jump.emit(target[0], target[1])
