"""The context menus of the tables and the tree: what can be done with the rows under the mouse.

The copies are the tables' own (views.RecordTable); these are the window's actions: show the
object in the tree, its signaleringen, and where in the portal a signalering is fixed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu

from zdesk.ui.models.style import ObjectRole
from zdesk.ui.views import cell_mime

if TYPE_CHECKING:
    from zdesk.ui.tabs import Tab


class RowMenus(QObject):
    """Built by the project view, which it acts on (its tree, tabs, scope and jumps).

    The view is not typed here: its module imports this one.
    """

    def __init__(self, view: Any) -> None:
        super().__init__(view)
        self.view = view

    def table_menu(self, tab: Tab, menu: QMenu, objects: list[Any]) -> None:
        """The window's part of a table's context menu (the copies are the table's own)."""
        from zdesk.domain.checks import Finding, object_key

        menu.addSeparator()
        keys = [
            (o.object_type, o.object_id) if isinstance(o, Finding) else object_key(o)
            for o in objects
        ]
        keys = [k for k in keys if k is not None]
        in_tree = self.view.tree_model.index_of(*keys[0]) if len(keys) == 1 else QModelIndex()
        show = menu.addAction(self.tr("Toon in de boom"))
        show.setEnabled(len(keys) == 1 and (in_tree.isValid() or self.view.tree_model.filtered))
        show.triggered.connect(lambda: self.view.jump_to(*keys[0]))
        findings = [f for o in objects for f in self.view.findings_of_object(o)]
        if tab is not self.view.findings_tab:
            act = menu.addAction(self.tr("Toon signaleringen"))
            act.setEnabled(bool(findings))
            act.triggered.connect(lambda: self.show_findings_of(keys, len(objects)))
        self._known_action(menu, findings)
        self._remedy_menu(menu, findings)

    def _known_action(self, menu: QMenu, findings: list[Any]) -> None:
        """Markeer als bekend (with a note), or take the mark away: for one signalering."""
        from zdesk.domain.known import known_key

        if len(findings) != 1:
            return
        finding = findings[0]
        known = known_key(finding) in self.view.known
        act = menu.addAction(
            self.tr("Niet meer als bekend markeren") if known else self.tr("Markeer als bekend…")
        )
        act.triggered.connect(lambda: self.view.mark_requested.emit(finding))

    def tree_menu(self, pos: Any) -> None:
        menu = self.tree_menu_for(self.view.tree.indexAt(pos))
        if menu is not None:
            menu.exec(self.view.tree.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def tree_menu_for(self, index: Any) -> QMenu | None:
        """The context menu of a node of the tree (None where there is no node)."""
        node = self.view.tree_model.node(index)
        if node is None:
            return None
        menu = QMenu(self.view.tree)
        copy = menu.addAction(self.tr("Kopiëren"))
        copy.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        copy.triggered.connect(lambda: copy_node(node))
        menu.addSeparator()
        act = menu.addAction(self.tr("Toon signaleringen"))
        act.setEnabled(bool(node.beneath))
        act.triggered.connect(lambda: self._show_findings_under(index))
        self._remedy_menu(menu, list(node.findings))
        return menu

    def copy_tree_node(self) -> None:
        """Ctrl+C in the tree: the current node's text."""
        node = self.view.tree_model.node(self.view.tree.currentIndex())
        if node is not None:
            copy_node(node)

    def _remedy_menu(self, menu: QMenu, findings: list[Any]) -> None:
        """ "Waar los ik dit op?": the portal's menus for these signaleringen (a click copies)."""
        from zdesk.present.portal_paths import remedy_sentence, remedy_text

        where = menu.addMenu(self.tr("Waar los ik dit op?"))
        checks = list(dict.fromkeys(f.check for f in findings))
        sentences = [(c, remedy_sentence(c)) for c in checks if remedy_sentence(c)]
        for check, sentence in sentences:
            act = where.addAction(sentence)
            act.setToolTip(self.tr("Klik om de plek in het portaal te kopiëren"))
            act.triggered.connect(
                lambda _c=False, c=check: QGuiApplication.clipboard().setText(remedy_text(c))
            )
        if not sentences:
            none = where.addAction(
                self.tr("Niets op te lossen in het portaal")
                if findings
                else self.tr("Geen signaleringen")
            )
            none.setEnabled(False)

    def show_findings_of(self, keys: list[Any], count: int) -> None:
        """Signaleringen, narrowed to these objects."""
        from zdesk.ui.models.scope import objects_scope

        label = self.tr("de %d gekozen rijen") % count if count > 1 else self._key_label(keys[0])
        self.view.set_scope(objects_scope(label, keys))
        self.view.show_tab(list(self.view.tabs).index(self.view.findings_tab))

    def _show_findings_under(self, index: Any) -> None:
        self.view.tree.setCurrentIndex(index)
        self.view.scope_to(self.view.tree_model.data(index, ObjectRole))
        self.view.show_tab(list(self.view.tabs).index(self.view.findings_tab))

    def _key_label(self, key: Any) -> str:
        from zdesk.domain.checks import OBJECT_LABELS

        kind, oid = key
        obj = None if self.view.project is None else self.view.project.object_of(kind, oid)
        name = (
            oid if kind == "student" else getattr(obj, "label", None) or getattr(obj, "name", oid)
        )
        return f"{OBJECT_LABELS.get(kind, kind)} {name}"


def copy_node(node: Any) -> None:
    """A tree node's text to the clipboard, as one cell (formula-safe, see `views.cell_mime`)."""
    QGuiApplication.clipboard().setMimeData(cell_mime(node.label))
