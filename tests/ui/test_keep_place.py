"""A reload or a filter keeps open nodes, the selection and the scroll position where it can."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QTreeView

from zdesk.ui.models.table import RecordTableModel
from zdesk.ui.models.tables import groups_table
from zdesk.ui.models.tree import ProjectTreeModel, build_tree
from zdesk.ui.views import make_table, restore_tree, tree_snapshot


def test_the_tree_keeps_open_nodes_and_the_current_node_across_a_new_tree(qtbot, small_project):
    project, run = small_project
    model = ProjectTreeModel()
    model.set_root(build_tree(project, run.by_object()))
    view = QTreeView()
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(400, 200)
    view.show()
    branch = model.index(0, 0)
    dept = model.index(1, 0, branch)
    view.expand(branch)
    view.expand(dept)
    choosable = model.index(0, 0, dept)
    view.setCurrentIndex(choosable)
    view.verticalScrollBar().setValue(3)
    snapshot = tree_snapshot(view)
    wanted = [model.node(i).key for i in (branch, dept)]
    assert snapshot.expanded == wanted and snapshot.current == model.node(choosable).key

    model.set_root(build_tree(project, run.by_object()))  # a reload: new nodes, same objects
    assert not view.isExpanded(model.index(0, 0))
    restore_tree(view, snapshot)
    branch, dept = model.index(0, 0), model.index(1, 0, model.index(0, 0))
    assert [model.node(i).key for i in (branch, dept)] == wanted
    assert view.isExpanded(branch) and view.isExpanded(dept)
    assert model.node(view.currentIndex()).key == snapshot.current
    assert view.verticalScrollBar().value() == snapshot.scroll

    model.set_filter("zzz-nowhere", None)  # the objects are gone from view: nothing to restore
    restore_tree(view, snapshot)
    assert model.rowCount() == 0


def test_a_table_selects_the_same_objects_after_a_reload(qtbot, small_project):
    project, run = small_project
    model = RecordTableModel([])
    model.set_data(groups_table(project, run.by_object()))
    view = make_table(model)
    qtbot.addWidget(view)
    view.resize(500, 200)
    view.show()
    flags = QItemSelectionModel.SelectionFlag
    view.selectionModel().setCurrentIndex(model.index(7, 0), flags.NoUpdate)
    for row in (7, 9):
        view.selectionModel().select(model.index(row, 0), flags.Select | flags.Rows)
    view.verticalScrollBar().setValue(5)
    snapshot = view.snapshot()
    keys = [model.key_of(7), model.key_of(9)]
    assert snapshot.selected == keys and snapshot.current == keys[0]

    model.set_data(groups_table(project, run.by_object()))  # a reset: the selection is gone
    assert view.selected_rows() == []
    model.sort(1, Qt.SortOrder.DescendingOrder)  # and the rows moved
    view.restore(snapshot)
    assert [model.key_of(r) for r in view.selected_rows()] == sorted(
        keys, key=lambda k: model.rows_of_keys([k])[0]
    )
    assert model.key_of(view.currentIndex().row()) == keys[0]
    assert view.verticalScrollBar().value() == 5
