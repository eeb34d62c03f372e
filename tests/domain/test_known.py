"""Known signaleringen are matched by check and object: the mark follows the signalering."""

from __future__ import annotations

from zdesk.domain.findings import Finding
from zdesk.domain.known import KnownMark, split_known
from zdesk.domain.severity import Severity


def test_a_mark_goes_with_its_signalering_and_comes_back_with_it():
    combined = Finding("planned-group-cross-department", Severity.INFO, "planned_group", 7, "x")
    student = Finding("student-multiple-departments", Severity.INFO, "student", "023438", "y")
    other = Finding("student-multiple-departments", Severity.INFO, "student", "023439", "z")
    marks = {
        m.key: m
        for m in (
            KnownMark(combined.check, "planned_group", 7, "h4/v4 combinatiegroep, zo bedoeld"),
            KnownMark(student.check, "student", "023438", "volgt lessen in h5"),
        )
    }
    assert split_known([combined, student, other], marks) == ([other], [combined, student])
    # Resolved: nothing is known; back in a later load (a new message even): known again.
    assert split_known([other], marks) == ([other], [])
    again = Finding(combined.check, Severity.INFO, "planned_group", 7, "another message")
    assert split_known([again], marks) == ([], [again])
    # The same object under another check is not the known signalering.
    elsewhere = Finding("planned-group-unrealised", Severity.WAARSCHUWING, "planned_group", 7, "")
    assert split_known([elsewhere], marks) == ([elsewhere], [])
