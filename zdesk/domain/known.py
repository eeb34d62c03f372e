"""Known signaleringen: a finding the user marked "bekend" with a note, matched across loads.

A mark belongs to one project and names a check and an object (its id, or a student's code), not a
load: when the signalering is gone the mark is simply not shown, and when it comes back, so does
the mark.
"""

from __future__ import annotations

import msgspec

from zdesk.domain.findings import Finding

KnownKey = tuple[str, str, int | str]  # check id, object type, object id (a student's code)


class KnownMark(msgspec.Struct, frozen=True, gc=False):
    check: str
    object_type: str
    object_id: int | str
    note: str = ""
    marked_at: float = 0.0

    @property
    def key(self) -> KnownKey:
        return (self.check, self.object_type, self.object_id)


def known_key(finding: Finding) -> KnownKey:
    return (finding.check, finding.object_type, finding.object_id)


def mark_for(finding: Finding, marks: dict[KnownKey, KnownMark]) -> KnownMark | None:
    return marks.get(known_key(finding))


def split_known(
    findings: list[Finding], marks: dict[KnownKey, KnownMark]
) -> tuple[list[Finding], list[Finding]]:
    """(open findings, known findings), each in the given order."""
    if not marks:
        return list(findings), []
    open_, known = [], []
    for f in findings:
        (known if known_key(f) in marks else open_).append(f)
    return open_, known
