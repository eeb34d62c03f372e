"""The encoding of a load follows the records: a load saved by a zdesk whose records differ still
reads, losing only the fields that no longer fit."""

from __future__ import annotations

import msgspec

from zdesk.domain import codec
from zdesk.domain.codec import decode_load, encode_load

from ..store.helpers import as_format_1, kept_fields


def _edit(data: bytes, edit) -> bytes:
    """The saved load changed by `edit(the project's fields, the whole)` as plain values."""
    outer = msgspec.msgpack.decode(data)
    edit(outer["project"], outer)
    return msgspec.msgpack.encode(outer)


def test_round_trip_of_the_records(small_project):
    project, run = small_project
    decoded = decode_load(encode_load(project, run))
    assert kept_fields(decoded.project) == kept_fields(project)
    assert decoded.checks is not None and decoded.checks.findings == run.findings
    assert decoded.repaired == []


def test_fields_that_no_longer_fit_are_left_out_and_said(small_project):
    project, run = small_project
    first, second = project.departments[0], project.departments[1]

    def edit(fields, outer):
        table = fields["departments"]  # {"fields": [names], "rows": [parts of [values], ...]}
        names, rows = table["fields"], [row for part in table["rows"] for row in part]
        rows[0][names.index("code")] = ["not", "a", "code"]  # the type changed
        names.append("aFieldOfLater")  # a field this zdesk does not know
        for row in rows:
            row.append(7)
        gone = names.index("maxGroupSize")  # a field an older zdesk did not have
        del names[gone]
        for row in rows:
            del row[gone]
        rows[2][names.index("id")] = "geen id"  # a row without a usable id cannot stay
        fields["aProjectFieldOfLater"] = [1, 2]
        outer["findings"] = None  # findings of that version are found again

    decoded = decode_load(_edit(encode_load(project, run), edit))
    departments = decoded.project.department_by_id
    assert departments[first.id].code is None
    assert departments[first.id].year_of_education == first.year_of_education
    assert all(d.max_group_size is None for d in departments.values())
    assert departments[second.id].code == second.code
    assert len(decoded.project.departments) == len(project.departments) - 1
    assert decoded.repaired == [
        "departments: velden code weggelaten",
        "departments: 1 records weggelaten",
    ]
    assert decoded.checks is None


def test_signaleringen_of_another_zdesk_version_are_found_again(small_project):
    project, run = small_project

    def edit(fields, outer):
        outer["zdesk"] = "0.0.1"

    decoded = decode_load(_edit(encode_load(project, run), edit))
    assert decoded.checks is None
    assert kept_fields(decoded.project) == kept_fields(project)


def test_a_load_of_format_1_reads_back_equal(small_project):
    project, run = small_project
    old = as_format_1(encode_load(project, run))
    assert (
        msgspec.msgpack.decode(old)["project"]["placements"]["rows"][0][0]
        == project.placements[0].id
    )
    decoded = decode_load(old)
    assert kept_fields(decoded.project) == kept_fields(project)
    assert decoded.checks is not None and decoded.checks.findings == run.findings
    assert decoded.repaired == []


def test_tables_are_written_in_parts_that_read_back_as_one(small_project, monkeypatch):
    project, run = small_project
    monkeypatch.setattr(codec, "PART_ROWS", 3)
    parts = list(codec.encode_load_parts(project, run))
    data = b"".join(parts)
    assert data == encode_load(project, run)
    stored = msgspec.msgpack.decode(data)
    placements = stored["project"]["placements"]["rows"]
    assert len(placements) == -(-len(project.placements) // 3)
    assert [len(part) for part in placements[:-1]] == [3] * (len(placements) - 1)
    students = stored["project"]["students"]
    assert len(students["keys"]) == len(project.students)
    decoded = decode_load(data)
    assert kept_fields(decoded.project) == kept_fields(project)
    assert decoded.checks is not None and decoded.checks.skipped == run.skipped


def test_records_kept_as_json_read_each_field_that_still_fits(small_project):
    project, run = small_project
    with_hours = [c for c in project.choosables if c.lesson_hours]
    first, second = with_hours[0], with_hours[1]

    def edit(fields, outer):
        table = fields["choosables"]  # records with the portal's JSON text are kept as JSON
        rows = msgspec.json.decode(table["json"])
        by_id = {row["id"]: row for row in rows}
        by_id[first.id]["subjectCode"] = {"not": "a code"}  # the type changed
        by_id[second.id]["id"] = "geen id"  # a row without a usable id cannot stay
        for row in rows:
            row["aFieldOfLater"] = 7
        table["json"] = msgspec.json.encode(rows)

    decoded = decode_load(_edit(encode_load(project, run), edit))
    choosables = decoded.project.choosable_by_id
    assert choosables[first.id].subject_code is None
    assert choosables[first.id].subject_name == first.subject_name
    assert choosables[first.id].lesson_hours == first.lesson_hours  # the JSON text survives
    assert second.id not in choosables
    assert len(choosables) == len(project.choosables) - 1
    assert decoded.repaired == [
        "choosables: velden subjectCode weggelaten",
        "choosables: 1 records weggelaten",
    ]


def test_map_and_array_headers_are_msgpacks_own():
    import msgspec

    from zdesk.domain.codec import _array_header, _map_header

    for n in (0, 1, 15, 16, 65535, 65536):
        assert msgspec.msgpack.encode([None] * n).startswith(_array_header(n))
        assert msgspec.msgpack.encode({i: None for i in range(n)}).startswith(_map_header(n))
