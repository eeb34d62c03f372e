"""Load hints between runs: kept per project, dropped per portal, any file content is no crash."""

from __future__ import annotations

import pytest

from zdesk.loading.loader import LoadHints
from zdesk.portal.rights import MissingRight
from zdesk.store.load_hints import forget_hints, read_hints, write_hints


def test_round_trip_and_forget(tmp_path):
    path = tmp_path / "hints.json"
    hints = LoadHints(
        [MissingRight("users", "firstName"), MissingRight("studentsindepartments")], [3, 1]
    )
    write_hints("school", 401, hints.as_json(), path)
    write_hints("other", 401, LoadHints().as_json(), path)
    back = LoadHints.from_json(read_hints("school", 401, path))
    assert back == hints
    assert read_hints("school", 402, path) is None
    forget_hints("school", path)
    assert read_hints("school", 401, path) is None
    assert read_hints("other", 401, path) is not None


@pytest.mark.parametrize(
    "content",
    [
        "",
        "{",
        "[]",
        '{"school/401": 7}',
        '{"school/401": {"missing": [["nope", 1], 5], "departments": ["x", 2]}}',
        "[" * 100000,
    ],
)
def test_a_file_that_cannot_be_used_is_no_hint(tmp_path, content, logfail):
    logfail.expect("zdesk.store.load_hints", "^Laadhints onleesbaar")  # said, then ignored
    path = tmp_path / "hints.json"
    path.write_text(content, encoding="utf-8")
    hints = LoadHints.from_json(read_hints("school", 401, path))
    assert hints.missing == [] and hints.departments in ([], [2])


def test_fields_the_portal_lacks_are_asked_again_after_a_week_or_a_new_zdesk():
    from zdesk import __version__
    from zdesk.loading.report import UNKNOWN_FIELD_KEPT

    now = 1_800_000_000.0
    unknown = MissingRight("plannedgroups", "rank", "unknown")
    refused = MissingRight("selectedsubjects", None)
    learned = LoadHints.learned([unknown, refused], [1, 2], LoadHints(), now)
    again = LoadHints.from_json(learned.as_json())
    assert again.missing == [unknown, refused] and again.missing[0].reason == "unknown"
    assert again.current(now + 3600).missing == [unknown, refused]
    # Learned again a day later: it keeps the time it was first learned.
    later = LoadHints.learned([unknown], [1, 2], again, now + 86400)
    assert later.unknown_since == {"plannedgroups.rank": now}
    assert again.current(now + UNKNOWN_FIELD_KEPT + 1).missing == [refused]
    assert again.current(now - 60).missing == [refused]  # a time in the future is no time
    other = LoadHints.from_json({**learned.as_json(), "version": __version__ + ".old"})
    assert other.current(now).missing == [refused]
    assert LoadHints.from_json({"missing": [["plannedgroups", "rank", "odd"]]}).missing[
        0
    ].reason == ("refused")
