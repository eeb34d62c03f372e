"""The workbook's worksheets skip XlsxWriter's escape of a string cell only where it would change
nothing: for any text, the same result as XlsxWriter's own."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from xlsxwriter.worksheet import Worksheet

from zdesk.export.sheet import FastWorksheet

# Text near what the escape looks for: its own "_xHHHH_" form, control characters, tab, line feed
# and the two non-characters, among ordinary letters.
NEAR = st.text(
    alphabet=st.sampled_from(
        [*"_xX0aF9 h.", "\x00", "\x01", "\t", "\n", "\x0b", "\x1f", "\ufffe", "\uffff"]
    ),
    max_size=30,
)


@given(st.one_of(NEAR, st.text(max_size=60)))
def test_the_same_text_as_xlsxwriter_writes(text):
    assert FastWorksheet._escape_control_characters(text) == Worksheet._escape_control_characters(
        text
    )


def test_what_is_escaped_and_what_is_not():
    escape = FastWorksheet._escape_control_characters
    assert escape("h5.netl1, h5.entl1") == "h5.netl1, h5.entl1"
    assert escape("a\x01b") == "a_x0001_b"
    assert escape("_x0041_") == "_x005F_x0041_"
    assert escape("regel\nregel\tkolom") == "regel\nregel\tkolom"
    assert escape(7) == 7  # not text: as XlsxWriter leaves it


def test_every_sheet_of_the_workbook_is_one(tmp_path, monkeypatch, small_project):
    from zdesk.export import sheet, xlsx

    project, run = small_project
    made = []
    init = sheet.Sheet.__init__

    def spy(self, *args, **kwargs):
        init(self, *args, **kwargs)
        made.append(type(self.ws))

    monkeypatch.setattr(sheet.Sheet, "__init__", spy)
    xlsx.write_workbook(tmp_path / "w.xlsx", project, run)
    assert len(made) == len(xlsx.SHEETS) and set(made) == {FastWorksheet}
