"""Load hints between runs: kept per project, dropped per portal, any file content is no crash."""

from __future__ import annotations

import pytest

from zdesk.domain.loader import LoadHints
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
