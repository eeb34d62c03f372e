"""The Overzicht tab's models: the summary per vestiging and afdeling, the matrix afdeling x vak.

Both read a `Formatie` made in the domain; they only choose words, symbols and colours. A cell that
needs attention has a symbol and words beside its colour (never colour alone). What a click on a
cell opens is answered as a `Target` (ObjectRole on the matrix; `summary_target` for the summary).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex

from zdesk.domain.severity import Severity
from zdesk.present.palette import FLAG_SYMBOLS, flags_text
from zdesk.ui.models.style import (
    ALIGNMENT,
    BACKGROUND,
    DISPLAY,
    HORIZONTAL,
    RIGHT_ALIGNED,
    TOOLTIP,
    ObjectRole,
    SeverityRole,
    SortRole,
    background,
)
from zdesk.ui.models.table import Column, TableData, prepare

if TYPE_CHECKING:
    from zdesk.domain.formatie import BranchRow, Cell, DepartmentRow, Formatie, Matrix
    from zdesk.domain.model import Project

# The domain is imported when an overview is first made, not when the window starts.

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Target:
    """Where a click takes you: a node of the tree, exactly these signaleringen, or exactly
    these objects in a tab (by their keys, never by a text search)."""

    kind: str  # "department", "branch", "choosable" (tree nodes), "findings" or "objects"
    object_id: Any = None
    severity: Severity | None = None
    label: str = ""  # with "findings" and "objects": what they are, for the chip
    findings: tuple[Any, ...] = ()  # with "findings": the Finding objects counted
    keyed_by: str = ""  # with "objects": the kind of object they are (its tab lists them)
    keys: frozenset[tuple[str, Any]] = frozenset()  # with "objects": their (kind, id) keys
    departments: frozenset[int] | None = None  # with "objects": the afdelingen they sit in


def number(value: float | int | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


# ---- the summary: a table of the registry --------------------------------------------------

# The summary's columns: the afdeling and its verdict first, then the counts, the vestiging last
# (its rows are grouped under their vestiging's row).
DEPARTMENT, VERDICT, KNOWN, STUDENTS, PLANNED, REALISED = 0, 1, 5, 6, 7, 8
EXPECTED, PROGNOSE, BRANCH = 9, 10, 11
SEVERITY_COLUMNS = {2: Severity.FOUT, 3: Severity.WAARSCHUWING, 4: Severity.INFO}


def verdict(line: BranchRow | DepartmentRow) -> str:
    """ "✔ klaar", or "✖ niet klaar: 3 fouten, 2 vakken te weinig groepen"."""
    reasons = line.reasons
    return "✖ niet klaar: " + ", ".join(reasons) if reasons else "✔ klaar"


def place_name(line: BranchRow | DepartmentRow) -> str:
    """The afdeling's full name with its vestiging, or the vestiging's."""
    from zdesk.domain.formatie import DepartmentRow

    branch = line.branch.label if line.branch else ""
    if isinstance(line, DepartmentRow):
        name = line.department.label
        return f"afdeling {name} ({branch})" if branch else f"afdeling {name}"
    return f"vestiging {branch}" if branch else "zonder vestiging"


def summary_tooltip(line: BranchRow | DepartmentRow) -> str:
    lines = [place_name(line), verdict(line)]
    if line.known:
        lines.append(f"{line.known} bekend (telt niet mee voor klaar):")
        lines.extend(f"• {note}" for note in line.notes)
    return "\n".join(lines)


def summary_table(formatie: Formatie) -> TableData:
    """One row per vestiging, followed by its afdelingen."""
    from zdesk.domain.formatie import DepartmentRow

    lines: list[BranchRow | DepartmentRow] = []
    for b in formatie.branches:
        lines.append(b)
        lines.extend(b.departments)

    def branch(line: Any) -> str:
        b = line.branch
        return b.label if b else ""

    def department(line: Any) -> str:
        if isinstance(line, DepartmentRow):
            return line.department.label
        return f"▸ {line.branch.label}" if line.branch else "▸ (zonder vestiging)"

    def count(severity: Severity):
        return lambda line: line.findings[severity]

    columns = [
        Column("Afdeling", department),
        Column(
            "Klaar voor overdracht",
            verdict,
            hint="Klaar: geen open fouten of waarschuwingen, en elk vak heeft de groepen die het "
            "nodig heeft (niet te weinig, niet te veel, alle gerealiseerd). Signaleringen die als "
            "bekend gemarkeerd zijn tellen niet mee.",
            role="name",  # room before the counts: "✖ niet klaar: 3 waarschuwingen" is the point
        ),
        *(
            Column(s.value.capitalize(), count(s), numeric=True)
            for s in (Severity.FOUT, Severity.WAARSCHUWING, Severity.INFO)
        ),
        Column(
            "Bekend",
            lambda line: f"{line.known} bekend" if line.known else "",
            sort=lambda line: line.known,
            hint="Signaleringen die als bekend gemarkeerd zijn (met een notitie): afgehandeld",
        ),
        Column("Leerlingen", lambda line: line.students, numeric=True),
        Column("Geplande groepen", lambda line: line.total.planned, numeric=True),
        Column("Gerealiseerd", lambda line: line.total.realised, numeric=True),
        Column(
            "Verwacht",
            lambda line: line.expected,
            numeric=True,
            hint="Verwacht door de doorstroom: de leerlingen van het vorige project uit dezelfde "
            "opleiding een leerjaar lager (zonder het examenjaar), plus de zittenblijvers die hier "
            "geplaatst zijn. Leeg zonder vorig project (Bestand > Instellingen) en waar geen "
            "afdeling van vorig jaar hierheen doorstroomt (een brugklas).",
        ),
        Column(
            "Prognose",
            lambda line: None if line.prognose is None else round(line.prognose, 1),
            numeric=True,
            hint="De prognose die het portaal bij de afdeling geeft (prognosticStudentCount); "
            "leeg waar het portaal er geen heeft.",
        ),
        Column("Vestiging", branch),
    ]
    # The tree's selection narrows it like the other tables: by afdeling.
    keys = [
        ("department", line.department.id)
        if isinstance(line, DepartmentRow)
        else ("branch", line.branch.id if line.branch else None)
        for line in lines
    ]
    places = [
        (line.department.id,)
        if isinstance(line, DepartmentRow)
        else tuple(r.department.id for r in line.departments)
        for line in lines
    ]
    return prepare(columns, lines, extra_tooltip=summary_tooltip, keys=keys, places=places)


def summary_target(
    line: BranchRow | DepartmentRow, column: int, project: Project | None = None
) -> Target | None:
    """What a cell of the summary opens: a count opens exactly what it counts (None for 0)."""
    from zdesk.domain.formatie import BranchRow

    where = place_name(line)
    departments = (
        [r.department.id for r in line.departments]
        if isinstance(line, BranchRow)
        else [line.department.id]
    )
    severity = SEVERITY_COLUMNS.get(column)
    if severity is not None or column == KNOWN:
        found = tuple(line.found[severity] if severity is not None else line.marked)
        if not found:
            return None
        what = f"{severity.value}" if severity is not None else "bekend"
        return Target(
            "findings", None, severity, f"{len(found)} signaleringen ({what}) van {where}", found
        )
    if column in (STUDENTS, PLANNED, REALISED):
        if project is None:
            return None
        if column == STUDENTS:
            codes = {c for d in departments for c in project.students_of_department.get(d, ())}
            if not codes:
                return None
            keys = frozenset(("student", c) for c in codes)
            return Target(
                "objects",
                label=f"de {len(codes)} leerlingen van {where}",
                keyed_by="student",
                keys=keys,
                departments=frozenset(departments),
            )
        rows = line.departments if isinstance(line, BranchRow) else [line]
        planned = [
            pg
            for r in rows
            for cell in r.cells.values()
            for cid in cell.choosables
            for pg in project.planned_of_choosable.get(cid, ())
            if column == PLANNED or pg.group_in_department in project.placements_of_group
        ]
        if not planned:
            return None
        what = "geplande" if column == PLANNED else "gerealiseerde"
        return Target(
            "objects",
            label=f"de {len(planned)} {what} groepen van {where}",
            keyed_by="planned_group",
            keys=frozenset(("planned_group", pg.id) for pg in planned),
        )
    if isinstance(line, BranchRow):
        return Target("branch", line.branch.id if line.branch else None)
    return Target("department", line.department.id)


# ---- the matrix -----------------------------------------------------------------------------


# What a cell of the matrix shows: (the words in the chooser and legend, the header's second line).
STUDENTS_SHOWN, GROUPS_SHOWN, AVERAGE_SHOWN, ALL_SHOWN = "students", "groups", "average", "all"
SHOWS = {
    STUDENTS_SHOWN: ("Leerlingen", "lln"),
    GROUPS_SHOWN: ("Groepen nodig / gepland / gerealiseerd", "n/g/r"),
    AVERAGE_SHOWN: ("Gemiddelde groepsgrootte", "⌀"),
    ALL_SHOWN: ("Alles: leerlingen · nodig/gepland/gerealiseerd · ⌀ grootte", "lln·n/g/r·⌀"),
}


def legend(shows: str) -> str:
    """One line above the matrix: what a number is, what the symbols and colours say."""
    return (
        f"Elke cel: {SHOWS[shows][0].lower()}. {FLAG_SYMBOLS['te weinig']} te weinig groepen, "
        f"{FLAG_SYMBOLS['te veel']} te veel, {FLAG_SYMBOLS['niet gerealiseerd']} niet "
        "gerealiseerd; ✱ vakken die aandacht vragen. Wijs een cel aan voor alle getallen."
    )


class MatrixModel(QAbstractTableModel):
    """Afdelingen down, vakken across, totals last: one cell per vak in an afdeling."""

    HELP = (
        "leerlingen · groepen nodig/gepland/gerealiseerd · gemiddelde grootte "
        f"({FLAG_SYMBOLS['te weinig']} te weinig, {FLAG_SYMBOLS['te veel']} te veel, "
        f"{FLAG_SYMBOLS['niet gerealiseerd']} niet gerealiseerd)"
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.formatie: Formatie | None = None
        self.departments: frozenset[int] | None = None  # narrowed to these afdelingen
        self.matrix: Matrix | None = None
        self.shows = STUDENTS_SHOWN  # what a cell shows (SHOWS); one number by default

    def set_shows(self, shows: str) -> None:
        """What each cell shows: one of SHOWS."""
        if shows != self.shows:
            self.shows = shows
            if self.columnCount():
                last = self.index(self.rowCount() - 1, self.columnCount() - 1)
                self.dataChanged.emit(self.index(0, 1), last, [DISPLAY])
                self.headerDataChanged.emit(HORIZONTAL, 0, self.columnCount() - 1)

    def set_formatie(self, formatie: Formatie | None) -> None:
        self.beginResetModel()
        self.formatie = formatie
        self.matrix = None
        if formatie is not None:
            from zdesk.domain.formatie import matrix_of

            self.matrix = matrix_of(formatie, self.departments)
        self.endResetModel()

    def set_departments(self, departments: frozenset[int] | None) -> None:
        """Only these afdelingen (the tree's selection), with their own totals; None: all."""
        if departments != self.departments:
            self.departments = departments
            self.set_formatie(self.formatie)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.matrix is None:
            return 0
        return len(self.matrix.rows) + 1  # the last: totals per vak

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.matrix is None:
            return 0
        return len(self.matrix.subjects) + 2  # afdeling, the vakken, totals per afdeling

    def headerData(self, section: int, orientation: Any, role: int = DISPLAY) -> Any:
        f = self.matrix
        if f is None or orientation != HORIZONTAL or not 0 <= section < self.columnCount():
            return None
        if role == DISPLAY:
            if section == 0:
                return "Afdeling"
            name = "Totaal" if section == len(f.subjects) + 1 else f.subjects[section - 1]
            return f"{name}\n{SHOWS[self.shows][1]}"  # the vak and what its number is
        if role == TOOLTIP and section > 0:
            return f"{SHOWS[self.shows][0]}\n{self.HELP}"
        return None

    def cell_at(self, row: int, column: int) -> Cell | None:
        f = self.matrix
        if f is None or column <= 0:
            return None
        last_column = len(f.subjects) + 1
        if row == len(f.rows):
            return f.total if column == last_column else f.column_totals[f.subjects[column - 1]]
        r = f.rows[row]
        return r.total if column == last_column else r.cells.get(f.subjects[column - 1])

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        f = self.matrix
        if f is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        total_row = row == len(f.rows)
        if column == 0:
            if role == DISPLAY:
                return "Totaal" if total_row else self.row_name(f.rows[row])
            if role == TOOLTIP and not total_row:
                return place_name(f.rows[row])
            if role == SortRole:
                return row
            if role == ObjectRole and not total_row:
                return Target("department", f.rows[row].department.id)
            return None
        cell = self.cell_at(row, column)
        if cell is None:
            return None
        totals = total_row or column == len(f.subjects) + 1
        if role == DISPLAY:
            return self.text(cell, totals, self.shows)
        if role == SortRole:
            return -1 if cell.students is None else cell.students
        # A vak whose every flag is a signalering marked bekend: handled, shown without colour.
        accepted = not totals and f.subjects[column - 1] in f.rows[row].accepted
        if role == TOOLTIP:
            tip = self.tooltip(cell, totals)
            return f"Bekend (telt niet mee voor klaar)\n{tip}" if accepted else tip
        if role == ALIGNMENT:
            return RIGHT_ALIGNED
        if totals:
            if role == ObjectRole and not total_row:
                return Target("department", f.rows[row].department.id)
            return None
        if role == BACKGROUND:
            return None if accepted else background(cell.severity)
        if role == SeverityRole:
            return None if accepted else cell.severity
        if role == ObjectRole:
            return Target("choosable", cell.choosables[0])
        return None

    def row_name(self, line: DepartmentRow) -> str:
        """The afdeling, with its vestiging where the project has more than one."""
        f = self.formatie
        if f is not None and len(f.branches) > 1 and line.branch is not None:
            # The vestiging's short code where it has one (NRD): the column stays narrow.
            return f"{line.department.label} ({line.branch.branch or line.branch.label})"
        return line.department.label

    @staticmethod
    def text(cell: Cell, totals: bool, shows: str = ALL_SHOWN) -> str:
        average = cell.average_size
        groups = f"{number(cell.needed)}/{cell.planned}/{cell.realised}"
        if shows == STUDENTS_SHOWN:
            text = number(cell.students)
        elif shows == GROUPS_SHOWN:
            text = groups
        elif shows == AVERAGE_SHOWN:
            text = number(average)
        else:
            text = f"{number(cell.students)} · {groups}"
            if average is not None:
                text += f" · ⌀{number(average)}"
        if totals:
            return text + (f" · {cell.problems} ✱" if cell.problems else "")
        symbols = "".join(FLAG_SYMBOLS[flag] for flag in cell.flags)
        return f"{symbols} {text}" if symbols else text

    @staticmethod
    def tooltip(cell: Cell, totals: bool) -> str:
        lines = [
            f"Leerlingen: {number(cell.students)}",
            f"Groepen nodig: {number(cell.needed)}",
            f"Geplande groepen: {cell.planned}",
            f"Gerealiseerde groepen: {cell.realised}",
            f"Gemiddelde groepsgrootte: {number(cell.average_size)}",
        ]
        if totals:
            lines.append(f"Vakken die aandacht vragen: {cell.problems}")
        else:
            lines.append(
                "Geteld per klas: les in de stamklassen, één groep per stamklas van de afdeling; "
                "leerlingen zijn die van de stamklassen."
                if cell.per_class
                else "Geteld naar de verwachte leerlingen (doorstroom): er is nog niemand "
                "geplaatst; groepen nodig = verwacht ÷ maximum per groep."
                if cell.expected
                else "Geteld naar leerlingen: groepen nodig = leerlingen ÷ maximum per groep."
            )
            if cell.flags:
                lines.insert(0, flags_text(cell.flags))
        return "\n".join(lines)


def matrix_note(formatie: Formatie) -> str:
    """Where the numbers come from, in one line above the matrix."""
    parts = [
        f"Groepen nodig = leerlingen ÷ maximum per groep (het maximum van de afdeling, anders "
        f"{formatie.default_max_group_size}); een vak dat alleen in stamklassen les krijgt: "
        "één groep per stamklas."
    ]
    if not formatie.students_known:
        parts.append("Geen afdelingsdeelnames: leerlingen en groepen nodig zijn onbekend.")
    elif not formatie.choices_known:
        parts.append("Geen pakketkeuzes: elke leerling van een afdeling telt mee voor elk vak.")
    return " ".join(parts)
