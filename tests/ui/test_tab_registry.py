"""A new tab is one TabSpec: the view builds it, fills it from a load, searches and narrows it."""

from __future__ import annotations

import pytest

from zdesk.ui import project_view
from zdesk.ui.models.scope import scope_of
from zdesk.ui.tabs import TABS, TabSpec


@pytest.fixture
def view_with_extra_tab(qtbot, monkeypatch, small_project):
    extra = TabSpec("Extra", lambda v: v.groups)
    monkeypatch.setattr(project_view, "TABS", (*TABS, extra))
    view = project_view.ProjectView(lambda _key: None)
    qtbot.addWidget(view)
    project, run = small_project
    view.show_project(project, run)
    return view


def test_a_new_tab_is_built_filled_and_shown_in_the_tab_bar(view_with_extra_tab, small_project):
    view = view_with_extra_tab
    project, _run = small_project
    tab = view.tabs["Extra"]
    assert view.tab_widget.tabText(view.tab_widget.indexOf(tab.page)) == "Extra"
    assert tab.model.rowCount() == len(project.groups)
    assert view.search_target.findData("Extra") >= 0


def test_a_new_tab_is_searched_and_narrowed_like_the_others(view_with_extra_tab, small_project):
    view = view_with_extra_tab
    project, _run = small_project
    view.show_tab(len(view.tabs) - 1)
    view.search.setText("h4a")
    tab = view.tabs["Extra"]
    assert 0 < tab.model.rowCount() < len(project.groups)
    view.search.clear()
    department = project.departments[0]
    view.set_scope(scope_of(project, department))
    assert 0 < tab.model.rowCount() < len(project.groups)
    assert all(
        project.department_of(tab.model.row_object(r)) is department
        for r in range(tab.model.rowCount())
    )
