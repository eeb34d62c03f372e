"""Each table's columns, written once: what the app's tab and the workbook's sheet show of a row.

A table is its columns, each with its Dutch header, how its value is taken from a row object and
what kind of value it is, and the order in which the app and the workbook show them (a column
either of them leaves out is simply not in its order). The app's table models
(`ui/models/tables.py`, `ui/models/changes.py`) and the workbook's sheets (`export/rows.py`) render
these; which rows and in what order stays theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from zdesk.domain.checks import CHECK_BY_ID, OBJECT_LABELS, Finding
from zdesk.domain.known import KnownKey, KnownMark, known_key
from zdesk.domain.locate import place_labels
from zdesk.domain.model import (
    Branch,
    Choosable,
    Department,
    PlannedGroup,
    Project,
    ScheduleGroup,
    StudentPlacement,
)
from zdesk.present.doorstroom import ROW_HEADER
from zdesk.present.palette import STYLES
from zdesk.present.portal_paths import remedy_text
from zdesk.present.words import subject_type, with_student_name, yes_no, yes_or_blank

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
    if not findings:  # most objects, asked for every row of a table
        return ""
    return "; ".join(dict.fromkeys(CHECK_BY_ID[f.check].title for f in findings))


def found_in(by_object: Mapping[tuple[str, Any], Sequence[Finding]]) -> FoundOf:
    return lambda kind, oid: by_object.get((kind, oid), ())


def department_text(project: Project, obj: Any) -> str:
    d = project.department_of(obj)
    return d.label if d else ""


def branch_text(project: Project, obj: Any) -> str:
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
        Column("department", "Afdeling", lambda g: department_text(project, g), fit="code"),
        Column("branch", "Vestiging", lambda g: branch_text(project, g)),
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
        Column("department", "Afdeling", lambda p: department_text(project, p), fit="code"),
        Column("branch", "Vestiging", lambda p: branch_text(project, p)),
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


def object_label(project: Project, finding: Finding) -> str:
    """The object of a signalering by its kind and name ("Roostergroep h4a")."""
    kind, oid = finding.object_type, finding.object_id
    obj: Any = None if kind == "student" else project.object_of(kind, oid)
    name = getattr(obj, "label", None) or getattr(obj, "name", None) or oid
    if kind == "student" and project.has_names and project.student_name(str(oid)):
        name = f"{oid} {project.student_name(str(oid))}"
    return f"{OBJECT_LABELS[kind]} {name}"


def _as_found(finding: Finding) -> str:
    return finding.message


def finding_columns(
    project: Project,
    known: Mapping[KnownKey, KnownMark] | None = None,
    *,
    with_names: bool = True,
    message: Callable[[Finding], str] = _as_found,
) -> Table:
    """Signaleringen: a signalering (Finding) per row; those in `known` are marked "bekend".

    `message` says a signalering's message as the reader may see it (the workbook's pseudonymised
    export leaves the portal's examples out); a student is named in it only `with_names`.
    """
    known = known or {}
    places: dict[tuple[str, Any], tuple[str, str]] = {}

    def place(f: Finding) -> tuple[str, str]:
        key = (f.object_type, f.object_id)
        found = places.get(key)
        if found is None:
            found = places[key] = place_labels(project, f.object_type, f.object_id)
        return found

    def severity(f: Finding) -> str:
        label = STYLES[f.severity].label
        return f"bekend ({label})" if known and known_key(f) in known else label

    def said(f: Finding) -> str:
        if f.object_type != "student" or not with_names:
            return message(f)
        code = str(f.object_id)
        return with_student_name(message(f), code, project.student_name(code))

    def mark(f: Finding) -> KnownMark | None:
        return known.get(known_key(f)) if known else None

    def student_name(f: Finding) -> str:
        return project.student_name(str(f.object_id)) if f.object_type == "student" else ""

    columns = (
        # The app's Ernst says "bekend" in it; the workbook has a Bekend column of its own.
        Column(
            "severity", "Ernst", severity, "severity", "severity", sort=lambda f: f.severity.rank
        ),
        Column("severity_word", "Ernst", lambda f: str(f.severity), "severity", "severity"),
        Column("message", "Melding", said, fit="message", sheet_width=40),
        Column("check", "Controle", lambda f: CHECK_BY_ID[f.check].title, sheet_width=18),
        Column("object", "Object", lambda f: object_label(project, f), fit="name"),
        Column("object_type", "Objecttype", lambda f: OBJECT_LABELS[f.object_type]),
        Column("object_id", "Object-id", lambda f: f.object_id, sheet_text=True),
        Column("name", "Naam", student_name, fit="name"),
        Column("department", "Afdeling", lambda f: place(f)[0], fit="code"),
        Column("branch", "Vestiging", lambda f: place(f)[1]),
        Column("remedy", "Oplossen in het portaal", lambda f: remedy_text(f.check), sheet_width=20),
        Column("known", "Bekend", lambda f: mark(f) is not None, "flag", "flag"),
        Column("note", "Notitie", lambda f: m.note if (m := mark(f)) else "", sheet_width=16),
        Column("check_id", "Controle-id", lambda f: f.check),
    )
    # The message right after its severity in the app: it names the object and its afdeling, so
    # it says what is wrong even where a narrow window scrolls the other columns away. In the
    # workbook what a reader needs first comes first (a printed page holds the first few
    # columns): severity, afdeling, the message, the check by its Dutch title; its id last.
    return Table(
        columns,
        app=("severity", "message", "check", "object", "department", "branch"),
        sheet=(
            "severity_word",
            "department",
            "message",
            "check",
            "object_type",
            "object_id",
            *(("name",) if with_names else ()),
            "branch",
            "remedy",
            "known",
            "note",
            "check_id",
        ),
    )


def planned_columns(project: Project) -> Table:
    """Geplande groepen (the app only): a geplande groep (PlannedGroup) per row."""
    counted = project.has_placements
    choosable_by_id = project.choosable_by_id

    def choosable(pg: PlannedGroup) -> str:
        c = choosable_by_id.get(pg.choosable_in_department)
        return c.label if c else ""

    def department(pg: PlannedGroup) -> str:
        c = choosable_by_id.get(pg.choosable_in_department)
        return department_text(project, c) if c else ""

    def branch(pg: PlannedGroup) -> str:
        c = choosable_by_id.get(pg.choosable_in_department)
        return branch_text(project, c) if c else ""

    def group(pg: PlannedGroup) -> str:
        g = project.group_of(pg)
        return g.label if g else "nog geen roostergroep"

    def size(pg: PlannedGroup) -> int | None:
        g = project.group_of(pg)
        return project.student_count(g) if g and counted else None

    columns = (
        Column("name", "Geplande groep", lambda pg: pg.name or str(pg.id), fit="code"),
        Column("choosable", "Keuzevak", choosable, fit="code"),
        Column("department", "Afdeling", department, fit="code"),
        Column("branch", "Vestiging", branch),
        Column("realised", "Gerealiseerd", lambda pg: yes_no(pg.realised), fit="flag"),
        Column("students", "Leerlingen", size, "number", "number"),
        Column("group", "Roostergroep", group, fit="name"),
    )
    return Table(columns, app=tuple(c.key for c in columns), sheet=())


class Placed(NamedTuple):
    """A geplande groep in its place: a row of the workbook's Structuur."""

    branch: Branch
    department: Department
    choosable: Choosable
    planned: PlannedGroup
    group: ScheduleGroup | None


def structure_columns(project: Project, found: FoundOf) -> Table:
    """Structuur (the workbook only): a geplande groep in its place (`Placed`) per row."""
    with_counts = project.has_placements

    def students(row: Placed) -> int | None:
        return project.student_count(row.group) if row.group and with_counts else None

    columns = (
        Column("branch", "Vestiging", lambda r: r.branch.label),
        Column("department", "Afdeling", lambda r: r.department.label),
        Column("choosable", "Keuzevak", lambda r: r.choosable.label),
        Column("subject", "Keuzevak naam", lambda r: r.choosable.subject_name or ""),
        Column("type", "Keuzevak type", lambda r: subject_type(r.choosable.subject_type)),
        Column("planned_id", "Geplande groep (id)", lambda r: r.planned.id, "number"),
        Column("planned", "Geplande groep", lambda r: r.planned.name or ""),
        Column("group", "Roostergroep", lambda r: r.group.label if r.group else ""),
        Column("realised", "Gerealiseerd", lambda r: r.group is not None, "flag"),
        Column("students", "Leerlingen in de roostergroep", students, "number"),
        Column("findings", "Signaleringen", lambda r: titles(found("planned_group", r.planned.id))),
    )
    return Table(columns, app=(), sheet=tuple(c.key for c in columns))


@dataclass(frozen=True)
class ChangeRow:
    """A row of Wijzigingen: a change since the compared load, what could not be compared, or a
    signalering new or resolved."""

    change: str  # nieuw, verdwenen, gewijzigd, niet te vergelijken, signalering nieuw/opgelost
    object_type: str
    object_id: int | str | None  # None where a row is about every object of its kind
    label: str | None  # how the object is named
    what: str
    before: Any  # a value as the comparison has it (a truth, a name, None)
    after: Any
    text: str
    finding: Finding | None = None

    @property
    def id(self) -> int | str | None:  # a jump finds the object by (type, id)
        return self.object_id


def value_text(value: Any) -> str:
    """A value before or after a change as said in Wijzigingen: a truth as ja or nee."""
    if isinstance(value, bool):
        return yes_no(value)
    return "" if value is None else str(value)


def change_columns() -> Table:
    """Wijzigingen: a `ChangeRow` per row; the workbook adds the object's id."""
    columns = (
        Column("change", "Wijziging", lambda r: r.change),
        Column(
            "object_type",
            "Soort",
            lambda r: OBJECT_LABELS.get(r.object_type, r.object_type),
            sheet_header="Objecttype",
        ),
        Column("object", "Object", lambda r: r.label),
        Column("object_id", "Object-id", lambda r: r.object_id, sheet_text=True),
        Column("what", "Wat", lambda r: r.what),
        Column("before", "Voor", lambda r: value_text(r.before)),
        Column("after", "Na", lambda r: value_text(r.after)),
        Column("text", "Omschrijving", lambda r: r.text),
    )
    return Table(
        columns,
        app=("change", "object_type", "object", "what", "before", "after", "text"),
        sheet=tuple(c.key for c in columns),
    )


def doorstroom_columns(project: Project, found: FoundOf, with_names: bool) -> Table:
    """Doorstroom: a student of a cell of the matrix (`DoorstroomStudent`) per row. The
    workbook lists the students not yet placed: they have no place (and no name) this year."""
    columns = (
        Column("code", "Leerlingnummer", lambda s: s.code, fit="code", sheet_text=True),
        Column("name", "Naam", lambda s: s.name, fit="name"),
        Column("last", "Vorig jaar", lambda s: s.last, fit="code", sheet_header=ROW_HEADER),
        Column("last_branch", "Vestiging vorig jaar", lambda s: s.last_branch),
        Column("now", "Dit jaar", lambda s: s.now, fit="code"),
        Column("main", "Stamklas", lambda s: s.main_group, fit="code"),
        Column("groups", "Groepen", lambda s: s.groups, fit="message"),
        Column("findings", "Signaleringen", lambda s: titles(found("student", s.code))),
    )
    named = ("code", "name") if with_names else ("code",)
    previous = project.previous()
    branches = ("last_branch",) if previous is not None and len(previous.branches) > 1 else ()
    return Table(
        columns,
        app=(*named, "last", *branches, "now", "main", "groups"),
        sheet=("code", "last", "last_branch"),
    )
