"""Each table's columns, written once: what the app's tab and the workbook's sheet show of a row.

A table is its columns, each with its Dutch header, how its value is taken from a row object and
what kind of value it is, and the order in which the app and the workbook show them (a column
either of them leaves out is simply not in its order). The app's table models
(`ui/models/tables.py`) and the workbook's sheets (`export/rows.py`) render these; which rows and in
what order stays theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from zdesk.domain.checks import CHECK_BY_ID, Finding
from zdesk.domain.model import Project, ScheduleGroup, StudentPlacement
from zdesk.present.words import yes_no, yes_or_blank

# What a value is: text; a number (right-aligned in the app, a number in the workbook); a date;
# a severity's word; or a flag, a truth shown "ja" / "" in the app (the yeses stand out) and
# "ja" / "nee" in the workbook (where an empty cell would read as unknown).
Kind = Literal["text", "number", "date", "severity", "flag"]
# How the app gives it room and cuts it (see ui/views.py): "name" and "message" get room first, a
# "code" is cut in the middle, "severity" is never cut.
Fit = Literal["text", "code", "name", "message", "severity", "flag", "number"]
FoundOf = Callable[[str, Any], Sequence[Finding]]  # (object kind, id) -> its signaleringen


@dataclass(frozen=True)
class Column:
    key: str  # names the column in a table's orders
    header: str  # Dutch, as the app shows it (and the workbook, unless `sheet_header`)
    value: Callable[[Any], Any]  # a row object -> str, int, bool (a flag), None (empty)
    kind: Kind = "text"
    fit: Fit = "text"
    sort: Callable[[Any], Any] | None = None  # the app's sort key, where it differs from the value
    hint: str = ""  # the app's header tooltip
    sheet_header: str | None = None  # where the workbook names it otherwise
    # The workbook wraps it within this many characters (None: only when it is wide).
    sheet_width: int | None = None
    # The workbook keeps it as text whatever it looks like (leerlingnummers keep leading zeros).
    sheet_text: bool = False

    @property
    def right_aligned(self) -> bool:
        return self.kind == "number"

    @property
    def in_sheet(self) -> str:
        return self.sheet_header or self.header

    def app_value(self) -> Callable[[Any], Any]:
        """How the app takes the shown value from a row."""
        if self.kind != "flag":
            return self.value
        value = self.value
        return lambda row: yes_or_blank(value(row))

    def sheet_value(self) -> Callable[[Any], Any]:
        """How the workbook takes the cell's value from a row."""
        if self.kind != "flag":
            return self.value
        value = self.value
        return lambda row: yes_no(value(row))


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    app: tuple[str, ...]  # the keys of the columns the app shows, in its order
    sheet: tuple[str, ...]  # the same for the workbook

    def _pick(self, keys: Sequence[str]) -> list[Column]:
        by_key = {c.key: c for c in self.columns}
        return [by_key[k] for k in keys]

    def for_app(self) -> list[Column]:
        return self._pick(self.app)

    def for_sheet(self) -> list[Column]:
        return self._pick(self.sheet)

    def sheet_row(self) -> Callable[[Any], list[Any]]:
        """A row object -> the values of its workbook row."""
        getters = [c.sheet_value() for c in self.for_sheet()]
        return lambda row: [get(row) for get in getters]


def titles(findings: Sequence[Finding]) -> str:
    """The titles of the checks that flagged an object, each once, in the order found."""
    return "; ".join(dict.fromkeys(CHECK_BY_ID[f.check].title for f in findings))


def found_in(by_object: Mapping[tuple[str, Any], Sequence[Finding]]) -> FoundOf:
    return lambda kind, oid: by_object.get((kind, oid), ())


def _dept_label(project: Project, obj: Any) -> str:
    d = project.department_of(obj)
    return d.label if d else ""


def _branch_label(project: Project, obj: Any) -> str:
    b = project.branch_of(project.department_of(obj))
    return b.label if b else ""


def group_columns(project: Project, found: FoundOf) -> Table:
    """Roostergroepen: a roostergroep (ScheduleGroup) per row."""
    counted = project.has_placements
    planned_of = project.planned_of_group

    def planned(g: ScheduleGroup) -> str:
        return ", ".join(p.name or str(p.id) for p in planned_of.get(g.id, ()))

    columns = (
        Column("id", "Id", lambda g: g.id, "number"),
        Column("name", "Naam", lambda g: g.name or "", fit="code"),
        Column("full_name", "Volledige naam", lambda g: g.extended_name or "", fit="name"),
        Column("department", "Afdeling", lambda g: _dept_label(project, g), fit="code"),
        Column("branch", "Vestiging", lambda g: _branch_label(project, g)),
        Column("main", "Stamklas", lambda g: g.is_main_group, "flag", "flag"),
        Column("mentor", "Mentorgroep", lambda g: g.is_mentor_group, "flag", "flag"),
        Column(
            "students",
            "Leerlingen",
            lambda g: project.student_count(g) if counted else None,
            "number",
            "number",
        ),
        Column(
            "planned",
            "Gekoppelde geplande groepen",
            planned,
            sort=lambda g: len(planned_of.get(g.id, ())),
        ),
        Column("findings", "Signaleringen", lambda g: titles(found("group", g.id))),
    )
    shown = ("name", "full_name", "department", "branch", "main", "mentor", "students", "planned")
    return Table(columns, app=shown, sheet=("id", *shown, "findings"))


def placement_columns(project: Project, found: FoundOf, with_names: bool) -> Table:
    """Leerlingen: an afdelingsdeelname (StudentPlacement) per row; names only `with_names`."""
    of_student = project.placements_of_student

    def main_group(p: StudentPlacement) -> str:
        return ", ".join(g.label for g in project.groups_of_placement(p) if g.is_main_group)

    def groups(p: StudentPlacement) -> str:
        return ", ".join(g.label for g in project.groups_of_placement(p))

    def departments(p: StudentPlacement) -> int:
        return len({x.department_of_branch for x in of_student[p.student_code]})

    columns = (
        Column("code", "Leerlingnummer", lambda p: p.student_code, fit="code", sheet_text=True),
        Column("name", "Naam", lambda p: project.student_name(p.student_code), fit="name"),
        Column("department", "Afdeling", lambda p: _dept_label(project, p), fit="code"),
        Column("branch", "Vestiging", lambda p: _branch_label(project, p)),
        Column("main", "Stamklas", main_group, fit="code"),
        Column(
            "departments",
            "Afdelingen",
            departments,
            "number",
            "number",
            hint="In hoeveel afdelingen van dit project de leerling staat",
            sheet_header="Aantal afdelingen",
        ),
        Column(
            "groups",
            "Groepen",
            groups,
            fit="message",
            sort=lambda p: len(p.group_in_departments or ()),
            sheet_header="Roostergroepen",
        ),
        Column("findings", "Signaleringen", lambda p: titles(found("student", p.student_code))),
    )
    named = ("code", "name") if with_names else ("code",)
    return Table(
        columns,
        app=(*named, "department", "branch", "main", "departments", "groups"),
        sheet=(*named, "department", "branch", "main", "groups", "departments", "findings"),
    )
