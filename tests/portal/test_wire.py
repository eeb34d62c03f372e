"""The tolerant wire layer: each odd value costs one field of one row, and is counted."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zdesk.portal.records import Department, ScheduleGroup, Student, StudentPlacement, person_name
from zdesk.portal.wire import (
    CONVERTED,
    DROPPED,
    ROW_SKIPPED,
    RepairLog,
    decode_rows,
    flatten_deep,
)


def rows(*items: object) -> list[msgspec.Raw]:
    return [msgspec.Raw(msgspec.json.encode(i)) for i in items]


def actions(log: RepairLog) -> set[tuple[str, str]]:
    return {(r.field, r.action) for r in log.repairs()}


def test_clean_rows_cost_nothing():
    log = RepairLog()
    [d] = decode_rows("departmentsofbranches", Department, rows({"id": 1, "educations": [3]}), log)
    assert d.educations == [3] and not log


@pytest.mark.parametrize(
    ("field", "value", "attr", "expected", "action"),
    [
        ("yearOfEducation", "5", "year_of_education", 5, CONVERTED),
        ("maxGroupSize", 2.0, "max_group_size", 2, CONVERTED),
        ("maxGroupSize", 2.5, "max_group_size", None, DROPPED),
        ("code", 4, "code", "4", CONVERTED),
        ("code", ["h4"], "code", None, DROPPED),
        ("educations", ["1", 2], "educations", [1, 2], CONVERTED),
        ("educations", "oops", "educations", [], CONVERTED),
        ("educations", {"a": 1}, "educations", None, DROPPED),
        ("branchOfSchool", True, "branch_of_school", None, DROPPED),
    ],
)
def test_a_value_that_does_not_fit_is_coerced_or_dropped(field, value, attr, expected, action):
    log = RepairLog()
    [d] = decode_rows(
        "departmentsofbranches", Department, rows({"id": 7, "code": "h4", field: value}), log
    )
    assert getattr(d, attr) == expected
    [repair] = log.repairs()
    assert (repair.field, repair.action, repair.count, repair.example_id) == (field, action, 1, 7)
    assert repair.example  # one example, as it came


@pytest.mark.parametrize(
    ("value", "expected"), [(1, True), (0, False), ("true", True), ("0", False)]
)
def test_booleans_in_other_shapes(value, expected):
    log = RepairLog()
    [g] = decode_rows(
        "groupindepartments", ScheduleGroup, rows({"id": 1, "isMainGroup": value}), log
    )
    assert g.is_main_group is expected
    assert actions(log) == {("isMainGroup", CONVERTED)}


def test_rows_without_a_usable_key_are_skipped_and_counted():
    log = RepairLog()
    got = decode_rows(
        "groupindepartments",
        ScheduleGroup,
        rows({"id": "12"}, {"id": None}, {"name": "x"}, {"id": "x1"}, [1, 2], {"id": 3.0}),
        log,
    )
    assert [g.id for g in got] == [12, 3]
    skipped = next(r for r in log.repairs() if r.action == ROW_SKIPPED)
    assert skipped.count == 4 and skipped.field == "id"


def test_a_student_code_is_text_and_keeps_its_leading_zero():
    log = RepairLog()
    got = decode_rows(
        "studentsindepartments",
        StudentPlacement,
        rows({"id": 1, "student": "023438"}, {"id": 2, "student": 23439}),
        log,
    )
    assert [p.student for p in got] == ["023438", "23439"]
    users = decode_rows("users", Student, rows({"code": 5, "lastName": 7}, {"code": None}), log)
    assert [(u.code, u.last_name) for u in users] == [("5", "7")]


def test_values_nested_too_deep_are_one_more_odd_field():
    deep = b"[" * 3000 + b"1" + b"]" * 3000
    body = b'[{"id": 1, "code": ' + deep + b', "name": "a\\"[{"}, {"id": 2, "code": "h4"}]'
    flat = flatten_deep(body)
    assert len(flat) < 600
    raws = msgspec.json.decode(flat, type=list[msgspec.Raw])
    log = RepairLog()
    got = decode_rows("departmentsofbranches", Department, raws, log)
    assert [(d.id, d.code) for d in got] == [(1, None), (2, "h4")]
    [repair] = log.repairs()
    assert (repair.field, repair.action, repair.example) == (
        "code",
        DROPPED,
        "(te diep geneste waarde)",
    )


def test_a_last_name_with_a_note_after_a_comma():
    assert person_name("Jan", None, "Jansen, ovc") == "Jan Jansen"
    assert person_name(None, "van", "Dijk") == "van Dijk"
    assert Student("1", "Émilie", "van der", "Berg, zie dossier").full_name == "Émilie van der Berg"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(
    st.dictionaries(
        st.sampled_from(
            ["id", "student", "departmentOfBranch", "groupInDepartments", "firstName", "x"]
        ),
        JSON,
    )
)
def test_any_row_decodes_or_is_skipped_never_raises(row):
    log = RepairLog()
    got = decode_rows("studentsindepartments", StudentPlacement, rows(row), log)
    assert len(got) <= 1
    if got:
        p = got[0]
        assert type(p.id) is int
        assert p.student is None or type(p.student) is str
        assert p.group_in_departments is None or all(type(g) is int for g in p.group_in_departments)
    else:
        assert any(r.action == ROW_SKIPPED for r in log.repairs())


@given(
    big=st.one_of(st.integers(min_value=2**63), st.integers(max_value=-(2**63) - 1)),
    as_text=st.booleans(),
)
def test_integers_beyond_64_bits_are_odd_values(big, as_text):
    """Kept as an id they would break every 64-bit store: the row's key skips the row, any other
    field is left empty, an id in a list is left out of it; each counted."""
    value = str(big) if as_text else big
    log = RepairLog()
    made = decode_rows(
        "studentsindepartments",
        StudentPlacement,
        rows(
            {"id": value, "student": "1"},
            {
                "id": 2,
                "student": "2",
                "departmentOfBranch": value,
                "groupInDepartments": [value, 7],
            },
        ),
        log,
    )
    assert [p.id for p in made] == [2]
    assert made[0].department_of_branch is None and made[0].group_in_departments == [7]
    assert actions(log) == {
        ("id", ROW_SKIPPED),
        ("departmentOfBranch", DROPPED),
        ("groupInDepartments", CONVERTED),
    }


def test_the_64_bit_bounds_themselves_are_ids():
    """The edges of the range are kept, in text as in numbers; one past them is not."""
    low, high = -(2**63), 2**63 - 1
    log = RepairLog()
    made = decode_rows(
        "studentsindepartments",
        StudentPlacement,
        rows(
            {"id": 1, "student": "1", "departmentOfBranch": str(high)},
            {"id": 2, "student": "2", "departmentOfBranch": str(low)},
            {"id": 3, "student": "3", "departmentOfBranch": str(high + 1)},
            {"id": 4, "student": "4", "departmentOfBranch": "0" * 39 + "7"},  # 40 characters
            {"id": 5, "student": "5", "departmentOfBranch": "0" * 40 + "7"},  # 41: too long
        ),
        log,
    )
    assert [p.department_of_branch for p in made] == [high, low, None, 7, None]


def test_a_truth_value_is_0_or_1_and_nothing_else():
    log = RepairLog()
    made = decode_rows(
        "groupindepartments",
        ScheduleGroup,
        rows(
            {"id": 1, "isMainGroup": 1}, {"id": 2, "isMainGroup": 2}, {"id": 3, "isMainGroup": 0.0}
        ),
        log,
    )
    assert [g.is_main_group for g in made] == [True, None, False]


def test_examples_are_cut_only_past_their_length():
    from zdesk.portal.wire import example_text

    assert example_text("x" * 60) == "x" * 60
    assert example_text("x" * 61) == "x" * 59 + "…"


def test_the_repair_log_counts_what_it_is_told_and_per_endpoint():
    log = RepairLog()
    log.left_out("selectedsubjects", "studentInDepartment", 0)
    assert log.repairs() == [] and not log
    log.add("groupindepartments", "id", ROW_SKIPPED, "x", None)
    assert log.skipped("groupindepartments") and not log.skipped("plannedgroups")
