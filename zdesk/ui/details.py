"""The details pane: what the selected object is, its signaleringen, and its relations.

Relations (a roostergroep's students and planned groups, a student's placements, ...) are listed
under headings; double-clicking one asks the window to jump to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from zdesk.palette import STYLES

if TYPE_CHECKING:
    from zdesk.domain.checks import Finding
    from zdesk.domain.model import Project

Relation = tuple[str, Any, str]  # (kind, id, text)
# Text shown as rich text: &, < and > written as entities (the html module costs 3 ms at start).
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: str) -> str:
    return text.translate(_ENTITIES)


KIND_ROLE = Qt.ItemDataRole.UserRole
MAX_RELATIONS = 2000  # a pane is for reading; more than this belongs in a table
SUBJECT_TYPES = {"profile": "profiel", "education": "opleiding", "subject": "vak"}


def describe(project: Project, obj: Any) -> tuple[str, list[tuple[str, str]], dict[str, list]]:
    """(title, facts, relations by heading) for a domain object."""
    from zdesk.domain.checks import Finding
    from zdesk.domain.model import (
        Branch,
        Choosable,
        Department,
        PlannedGroup,
        ScheduleGroup,
        StudentPlacement,
    )

    facts: list[tuple[str, str]] = []
    rel: dict[str, list[Relation]] = {}

    def dept_of(x: Any) -> str:
        d = project.department_of(x)
        return d.label if d else "?"

    if isinstance(obj, Branch):
        title = f"Vestiging {obj.label}"
        facts += [("Code", obj.branch or ""), ("Id", str(obj.id))]
        rel["Afdelingen"] = [
            ("department", d.id, d.label) for d in project.departments_of_branch.get(obj.id, ())
        ]
    elif isinstance(obj, Department):
        title = f"Afdeling {obj.label}"
        facts += [
            ("Leerlaag", str(obj.year_of_education or "")),
            ("Opleidingen", project.educations_of(obj)),
            ("Maximale groepsgrootte", str(obj.max_group_size or "onbekend")),
            ("Id", str(obj.id)),
        ]
        rel["Roostergroepen"] = [
            ("group", g.id, g.label) for g in project.groups_of_department.get(obj.id, ())
        ]
        rel["Keuzevakken"] = [
            ("choosable", c.id, c.label) for c in project.choosables_of_department.get(obj.id, ())
        ]
    elif isinstance(obj, Choosable):
        title = f"Keuzevak {obj.label}"
        facts += [
            ("Naam", obj.subject_name or ""),
            ("Type", SUBJECT_TYPES.get(obj.subject_type or "", obj.subject_type or "")),
            ("Afdeling", dept_of(obj)),
            ("Id", str(obj.id)),
        ]
        if lessons := obj.lesson_hours:
            facts.append(
                (
                    "Lessentabel",
                    "; ".join(
                        ", ".join(f"{k}: {v}" for k, v in x.items())
                        if isinstance(x, dict)
                        else str(x)
                        for x in lessons
                    ),
                )
            )
        rel["Geplande groepen"] = [
            ("planned_group", p.id, p.name or str(p.id))
            for p in project.planned_of_choosable.get(obj.id, ())
        ]
    elif isinstance(obj, PlannedGroup):
        title = f"Geplande groep {obj.name or obj.id}"
        group = project.group_of(obj)
        choosable = project.choosable_by_id.get(obj.choosable_in_department)
        facts += [
            ("Keuzevak", choosable.label if choosable else "?"),
            ("Roostergroep", group.label if group else "nog geen roostergroep"),
            ("Id", str(obj.id)),
        ]
        if choosable:
            rel["Keuzevak"] = [("choosable", choosable.id, choosable.label)]
        if group:
            rel["Roostergroep"] = [("group", group.id, group.label)]
    elif isinstance(obj, ScheduleGroup):
        title = f"Roostergroep {obj.label}"
        kinds = [
            w
            for w, f in (("stamklas", obj.is_main_group), ("mentorgroep", obj.is_mentor_group))
            if f
        ]
        facts += [
            ("Afdeling", dept_of(obj)),
            ("Soort", ", ".join(kinds) or "lesgroep"),
            ("Leerlingen", str(project.student_count(obj))),
            ("Id", str(obj.id)),
        ]
        rel["Geplande groepen"] = [
            ("planned_group", p.id, p.name or str(p.id))
            for p in project.planned_of_group.get(obj.id, ())
        ]
        rel["Leerlingen"] = [
            ("student", p.student_code, _student(project, p.student_code))
            for p in project.placements_of_group.get(obj.id, ())
        ]
    elif isinstance(obj, StudentPlacement):
        code = obj.student_code
        title = f"Leerling {_student(project, code)}"
        facts += [("Leerlingnummer", code)]
        for p in project.placements_of_student.get(code, ()):
            heading = f"Afdeling {dept_of(p)}"
            rel[heading] = [("group", g.id, g.label) for g in project.groups_of_placement(p)]
    elif isinstance(obj, Finding):
        target = project.object_of(obj.object_type, obj.object_id)
        if target is None:
            return "Signalering", [("Melding", obj.message)], {}
        return describe(project, target)
    else:
        return "", [], {}
    return title, facts, rel


def _student(project: Project, code: str) -> str:
    name = project.student_name(code)
    return f"{code} {name}" if name else code


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
        self, project: Project | None, obj: Any, findings_of: Callable[[Any], Sequence[Finding]]
    ) -> None:
        self.relations.clear()
        if project is None or obj is None:
            self.title.setText(self.tr("<i>Selecteer iets om de details te zien.</i>"))
            self.facts.clear()
            return
        title, facts, relations = describe(project, obj)
        self.title.setText(f"<b>{escape(title)}</b>")
        lines = [f"{escape(k)}: {escape(v)}" for k, v in facts if v]
        for f in findings_of(obj):
            style = STYLES[f.severity]
            lines.append(f"{style.symbol} <b>{escape(style.label)}</b>: {escape(f.message)}")
        self.facts.setText("<br>".join(lines))
        for heading, items in relations.items():
            if not items:
                continue
            top = QTreeWidgetItem([f"{heading} ({len(items)})"])
            for kind, oid, text in items[:MAX_RELATIONS]:
                child = QTreeWidgetItem([text])
                child.setData(0, KIND_ROLE, (kind, oid))
                top.addChild(child)
            self.relations.addTopLevelItem(top)
            top.setExpanded(len(items) <= 40)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        target = item.data(0, KIND_ROLE)
        if target:
            self.jump.emit(target[0], target[1])
