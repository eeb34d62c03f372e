"""Project's indices on odd input: duplicates, dangling references, blocks added later."""

from zdesk.domain.model import (
    DataProblem,
    Department,
    Project,
    ProjectInfo,
    ScheduleGroup,
    StudentPlacement,
)


def _project(placements: list[StudentPlacement]) -> Project:
    departments = [Department(1, code="h4"), Department(2, code="x #uit"), Department(3, code="#")]
    groups = [
        ScheduleGroup(10, 1, "h4a", "h4.h4a", is_main_group=True),
        ScheduleGroup(11, 1, "m1", is_mentor_group=True),
        ScheduleGroup(12, 2, None, "h4.#allen"),
        ScheduleGroup(13, 1, "a#b", "c#d"),  # a "#" without a mark: a real group
    ]
    return Project(ProjectInfo(1), departments=departments, groups=groups, placements=placements)


def test_odd_placements_give_their_problems_in_order():
    project = _project(
        [
            StudentPlacement(1, "s1", 1, [10, 11]),
            StudentPlacement(2, "s2", 1, [10, 10, 11, 10]),
            StudentPlacement(1, "s9", 1, [11]),
            StudentPlacement(3, None, 1, [10]),
            StudentPlacement(4, "", 2, [12]),
            StudentPlacement(5, "s1", 7, [12, 99, 12]),
            StudentPlacement(6, "s3", None, None),
        ]
    )
    assert project.problems == [
        DataProblem("placement", 1, "id", 1, "duplicate"),
        DataProblem("placement", 3, "student", None, "missing"),
        DataProblem("placement", 4, "student", None, "missing"),
        DataProblem("placement", 5, "departmentOfBranch", 7),
        DataProblem("placement", 5, "groupInDepartments", 99),
    ]
    assert [p.id for p in project.placements] == [1, 2, 5, 6]
    assert project.placement_by_id[1].student == "s1"
    # A roostergroep given twice is one membership, also in the placement itself.
    assert project.placement_by_id[2].group_in_departments == [10, 11]
    assert project.placement_by_id[5].group_in_departments == [12, 99]
    of_group = {g: [p.id for p in ps] for g, ps in project.placements_of_group.items()}
    assert of_group == {10: [1, 2], 11: [1, 2], 12: [5], 13: []}
    of_student = {s: [p.id for p in ps] for s, ps in project.placements_of_student.items()}
    assert list(of_student.items()) == [("s1", [1, 5]), ("s2", [2]), ("s3", [6])]
    assert dict(project.students_of_department) == {1: {"s1", "s2"}, 7: {"s1"}, None: {"s3"}}
    assert project.main_group_ids == {10} and project.mentor_group_ids == {11}
    assert project.pseudo_group_ids == {12} and project.pseudo_department_ids == {2}


def test_a_later_block_keeps_the_first_and_clears_the_memberships():
    project = _project([StudentPlacement(1, "s1", 1, [10])])
    assert project.memberships(frozenset({10})) == {1: 1}
    project.add_placements(
        [
            StudentPlacement(1, "again", 1, [11]),
            StudentPlacement(2, "s1", 1, [11, 10]),
            StudentPlacement(3, None, 1, [10]),
        ]
    )
    assert project.memberships(frozenset({10})) == {1: 1, 2: 1}
    assert project.problems == [
        DataProblem("placement", 1, "id", 1, "duplicate"),
        DataProblem("placement", 3, "student", None, "missing"),
    ]
    assert [p.id for p in project.placements_of_student["s1"]] == [1, 2]
    assert [p.id for p in project.placements_of_group[10]] == [1, 2]
    assert "again" not in project.placements_of_student


def test_the_afdelingen_of_each_student_once_in_order_unknown_ones_left_out():
    project = _project(
        [
            StudentPlacement(1, "s1", 2),
            StudentPlacement(2, "s2", 7),  # an afdeling not known
            StudentPlacement(3, "s1", 1),
            StudentPlacement(4, "s1", 2),  # the same afdeling again: once
            StudentPlacement(5, "s3", None),
            StudentPlacement(6, "s1", 99),
            StudentPlacement(7, None, 1),  # no student: in no index
        ]
    )
    project.add_placements([StudentPlacement(8, "s2", 3), StudentPlacement(9, "s4", 1)])
    assert project.afdelingen_of_student == {
        "s1": (2, 1),
        "s2": (3,),  # placed only in an unknown afdeling until the later block
        "s3": (),
        "s4": (1,),
    }
    assert list(project.afdelingen_of_student) == list(project.placements_of_student)
