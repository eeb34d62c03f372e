"""How each kind of tab page is built around its table and shows a load.

A plain tab is its table and shows its part of a load's prepared views; the tabs with a page of
their own (Overzicht, Doorstroom, Signaleringen, Wijzigingen) are built and shown here, and plug
themselves into the project view (`view`: the view's own module imports the tabs, so it is not
typed here, nor is the tab).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from zdesk.ui.models.scope import Scope
    from zdesk.ui.models.tables import Views

# A `tabs.Tab` (not imported: that module registers these functions).
Tab = Any


def table_page(_view: Any, tab: Tab) -> QWidget:
    """A plain tab: its table is its page."""
    return tab.view


def show_rows(_view: Any, tab: Tab, views: Views) -> None:
    """A plain tab shows its part of the load."""
    tab.model.set_data(tab.spec.rows(views))


def narrow_rows(_view: Any, tab: Tab, scope: Scope | None) -> None:
    """A plain tab shows the rows within the tree's selection (None: every row)."""
    tab.model.set_scope(scope)


def overview_page(view: Any, tab: Tab) -> QWidget:
    """Overzicht: the summary above the formatie matrix; a count or a name opens what it means."""
    from zdesk.ui.overview_page import OverviewPage

    page = view.overview_page = OverviewPage(tab.model, tab.view)
    view.overview_tab = tab
    view.matrix_model = page.matrix_model
    view.matrix = page.matrix
    page.target_chosen.connect(view.open_target)
    return page


def show_overview(view: Any, tab: Tab, views: Views) -> None:
    tab.model.set_data(tab.spec.rows(views))
    if view.known:  # prepared without the marks bekend: counted again with them
        view._show_overview()
    else:
        view.overview_page.show_formatie(views.formatie, view.project)


def doorstroom_page(_view: Any, tab: Tab) -> QWidget:
    """Doorstroom: the matrix last year x this year, its table the students of a cell."""
    from zdesk.ui.doorstroom_page import DoorstroomPage

    return DoorstroomPage(tab.model, tab.view)


def show_doorstroom(view: Any, tab: Tab, views: Views) -> None:
    tab.page.show_doorstroom(view.project, views.doorstroom, views.by_object)


def narrow_doorstroom(_view: Any, tab: Tab, scope: Scope | None) -> None:
    """The matrix: only the rows and columns of the afdelingen chosen in the tree."""
    tab.model.set_scope(scope)  # the students of a cell: not narrowed (keys None)
    tab.page.narrow(scope.departments if scope is not None else None)


def findings_page(view: Any, tab: Tab) -> QWidget:
    """Signaleringen: the table under its choice of check and severity; marks "bekend"."""
    from zdesk.ui.findings_page import FindingsPage

    page = view.findings_page = FindingsPage(tab.model, tab.view)
    view.findings_tab = tab
    page.filters_changed.connect(view._refilter_findings)
    page.mark_requested.connect(view.mark_requested)
    return page


def show_findings(view: Any, tab: Tab, views: Views) -> None:
    """The load's signaleringen, through the check, severity and marks chosen."""
    view.findings_page.fill_checks(view.run)
    if not view.findings_page.narrowed and not view.known:
        tab.model.set_data(tab.spec.rows(views))
    else:
        view._refilter_findings()


def changes_page(view: Any, tab: Tab) -> QWidget:
    """Wijzigingen: its table, filled from the history once a load is kept (`show_changes`)."""
    view.changes_tab = tab
    return tab.view
