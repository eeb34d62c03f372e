"""The registry of the window's tabs: what each shows, which objects live there, its saved state.

A new tab is one more `TabSpec` in `TABS` (and its table under `ui/models/`); the window builds a
model, a view and the spec's page for each, in order (Ctrl+1, Ctrl+2, ... follow the order), shows
each its part of a load, and jumps to an object in the tab that holds its kind. No code asks a
tab's name: what sets a tab apart is in its spec.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zdesk.ui import tab_pages

if TYPE_CHECKING:
    from PySide6.QtWidgets import QTableView, QWidget

    from zdesk.domain.model import Project
    from zdesk.ui.models.table import RecordTableModel, TableData
    from zdesk.ui.models.tables import Views

Matcher = Callable[[Any], Callable[[Any], bool]]  # object id -> does this row show it?
PageMaker = Callable[[Any, "Tab"], "QWidget"]  # (project view, tab) -> the tab's page
Shower = Callable[[Any, "Tab", "Views"], None]  # (project view, tab, a load's views)
Narrower = Callable[[Any, "Tab", Any], None]  # (project view, tab, a models.scope.Scope or None)


def _by_id(object_id: Any) -> Callable[[Any], bool]:
    return lambda obj: obj.id == object_id


def _by_student(code: Any) -> Callable[[Any], bool]:
    return lambda obj: obj.student_code == str(code)


def _always(_project: Project) -> bool:
    return True


def _its_object(row: Any) -> tuple[str, Any]:
    """A signalering or a change points at its object."""
    return (row.object_type, row.object_id)


@dataclass(frozen=True)
class TabSpec:
    name: str  # the tab's title (Dutch), also in the View menu and the search label
    rows: Callable[[Views], TableData]  # its part of a load's prepared views
    kinds: dict[str, Matcher] = field(default_factory=dict)  # object kinds a jump finds here
    available: Callable[[Project], bool] = _always  # False: the tab is disabled for this project
    page: PageMaker = tab_pages.table_page  # builds its page around its table
    show: Shower = tab_pages.show_rows  # shows its part of a load
    narrow: Narrower = tab_pages.narrow_rows  # shows what the tree's selection holds
    # Enter or a double-click on a row jumps to the object this gives (None: nothing to jump to).
    points_at: Callable[[Any], tuple[str, Any]] | None = None
    marks_changes: bool = True  # rows of objects changed since the compared load get a marker
    # The kind of object its rows are keyed by: an Overzicht count of those opens here.
    keyed_by: str = ""

    @property
    def state_key(self) -> str:
        """Where its column widths are kept in the settings' window state."""
        return f"table:{self.name}"


FINDINGS = "Signaleringen"
OVERVIEW = "Overzicht"  # the first tab: the summary, with the formatie matrix below it
CHANGES = "Wijzigingen"
DOORSTROOM = "Doorstroom"


TABS: tuple[TabSpec, ...] = (
    TabSpec(
        OVERVIEW,
        lambda v: v.overview,
        page=tab_pages.overview_page,
        show=tab_pages.show_overview,
    ),
    TabSpec("Roostergroepen", lambda v: v.groups, {"group": _by_id}, keyed_by="group"),
    TabSpec(
        "Leerlingen",
        lambda v: v.placements,
        {"student": _by_student, "placement": _by_id},
        available=lambda p: p.has_placements,
        keyed_by="student",
    ),
    TabSpec(
        DOORSTROOM,
        lambda v: v.doorstroom.students,
        page=tab_pages.doorstroom_page,
        show=tab_pages.show_doorstroom,
        narrow=tab_pages.narrow_doorstroom,
        marks_changes=False,
    ),
    TabSpec("Geplande groepen", lambda v: v.planned, keyed_by="planned_group"),
    TabSpec(
        FINDINGS,
        lambda v: v.findings,
        page=tab_pages.findings_page,
        show=tab_pages.show_findings,
        points_at=_its_object,
        marks_changes=False,
    ),
    TabSpec(
        CHANGES,
        lambda v: v.changes,  # a load shows no comparison yet: the history's comes later
        page=tab_pages.changes_page,
        points_at=_its_object,
        marks_changes=False,
    ),
)


@dataclass
class Tab:
    """One tab as built: its spec, model, table view and the page the tab bar shows (its spec's
    page, made once the tab is built)."""

    spec: TabSpec
    model: RecordTableModel
    view: QTableView
    page: QWidget

    @property
    def name(self) -> str:
        return self.spec.name

    def row_of(self, kind: str, object_id: Any) -> int | None:
        """The row showing the object, or None; a filter that hides it is cleared first."""
        wanted = self.spec.kinds[kind](object_id)
        row = self.model.row_of(wanted)
        if row is None:
            self.model.set_filter("", False)
            row = self.model.row_of(wanted)
        return row


class Tabs:
    """The built tabs, by position and by name."""

    def __init__(self, tabs: list[Tab]) -> None:
        self._tabs = tabs
        self._by_name = {t.name: t for t in tabs}

    def __iter__(self) -> Iterator[Tab]:
        return iter(self._tabs)

    def __len__(self) -> int:
        return len(self._tabs)

    def __getitem__(self, key: int | str) -> Tab:
        return self._tabs[key] if isinstance(key, int) else self._by_name[key]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def keyed_by(self, kind: str) -> Tab | None:
        """The tab whose rows are objects of `kind`, by their keys."""
        return next((t for t in self._tabs if t.spec.keyed_by == kind), None)

    def holding(self, kind: str) -> Tab | None:
        """The tab where objects of `kind` live (the tree holds the others)."""
        return next((t for t in self._tabs if kind in t.spec.kinds), None)
