"""Each check goes on past an object it passes over, and the pakket's special cases hold: a
skipped object put before a flagged one (every real school has both), the boundaries, the
stamklas and mentorgroep exemption, combined groups, a student placed twice in one afdeling, and
the wire layer's promised repairs of id lists."""

from __future__ import annotations

import msgspec

from zdesk.domain.checks import run_checks
from zdesk.domain.pakket import pakket_of
from zdesk.portal.records import StudentPlacement
from zdesk.portal.wire import CONVERTED, RepairLog, decode_rows

from .factory import Build


def ids(project, check):
    return {f.object_id for f in run_checks(project, [check]).findings}


def test_student_multiple_departments_goes_on_past_a_pseudo_placement():
    b = Build()
    h4, v4, uit = b.dept("h4", 4), b.dept("v4", 4), b.dept("#uit", 4)
    b.place("1", h4, [])
    b.place("1", uit, [])  # one afdeling besides a pseudo one: passed over
    b.place("2", h4, [])
    b.place("2", v4, [])
    assert ids(b.project(), "student-multiple-departments") == {"2"}


def test_student_without_main_group_goes_on_past_a_student_only_in_a_pseudo_afdeling():
    b = Build()
    h4, uit = b.dept("h4", 4), b.dept("#uit", 4)
    klas = b.group(h4, "h4a", main=True)
    b.place("1", uit, [])  # only in #uit: needs no stamklas
    b.place("2", h4, [])
    b.place("3", h4, [klas])
    assert ids(b.project(), "student-without-main-group") == {"2"}


def test_planned_group_cross_department_goes_on_past_an_unrealised_one():
    b = Build()
    h4, v4 = b.dept("h4", 4), b.dept("v4", 4)
    c = b.choosable(h4)
    b.plan(c, None)  # not realised: nothing to compare
    other = b.group(v4, "ak1")
    crossing = b.plan(c, other, rank=2)
    assert ids(b.project(), "planned-group-cross-department") == {crossing}


def test_group_over_max_goes_on_past_a_pseudo_group_and_one_without_a_maximum():
    b = Build()
    open_ended = b.dept("h3", 3, max_size=None)
    h4 = b.dept("h4", 4, max_size=5)
    pseudo = b.group(h4, "#allen")
    b.fill(h4, pseudo, 9, "p")
    unlimited = b.group(open_ended, "ak1")
    b.fill(open_ended, unlimited, 9, "u")
    full = b.group(h4, "ak1")
    b.fill(h4, full, 6, "f")
    exactly = b.group(h4, "ak2")
    b.fill(h4, exactly, 5, "e")
    assert ids(b.project(), "group-over-max") == {full}


def test_parallel_groups_go_on_past_a_keuzevak_with_one_group_and_one_with_empty_groups():
    b = Build()
    d = b.dept("h4", 4, max_size=40)
    alone = b.choosable(d, "gs")
    g = b.group(d, "gs1")
    b.plan(alone, g)
    b.fill(d, g, 30, "a")
    empties = b.choosable(d, "fa")
    for rank in (1, 2):
        b.plan(empties, b.group(d, f"fa{rank}"), rank)  # two groups, both empty
    unequal = b.choosable(d, "ak")
    for rank, n in enumerate((15, 7), start=1):  # 15 > 2 × 7 and exactly 8 apart: flagged
        g = b.group(d, f"ak{rank}")
        b.plan(unequal, g, rank)
        b.fill(d, g, n, f"k{rank}")
    near = b.choosable(d, "bi")
    for rank, n in enumerate((13, 6), start=1):  # 13 > 2 × 6 but only 7 apart: not flagged
        g = b.group(d, f"bi{rank}")
        b.plan(near, g, rank)
        b.fill(d, g, n, f"b{rank}")
    assert ids(b.project(), "parallel-groups-unbalanced") == {unequal}


def test_a_stamklas_or_mentorgroep_of_an_unchosen_vak_is_no_group_without_choice():
    for main, mentor, flagged in ((True, False, False), (False, True, False), (False, False, True)):
        b = Build()
        d = b.dept("h4", 4)
        ak, netl = b.choosable(d, "ak"), b.choosable(d, "netl")
        akg = b.group(d, "ak1")
        b.plan(ak, akg)
        klas = b.group(d, "h4a", main=main, mentor=mentor)
        b.plan(netl, klas)  # netl is taught in the group, chosen by nobody
        p = b.place("1", d, [akg, klas])
        b.choose(p, ak)
        assert (ids(b.project(), "group-without-choice") == {"1"}) is flagged


def test_a_combined_group_covers_each_of_its_keuzevakken():
    b = Build()
    d = b.dept("h4", 4)
    gs, ak, bi = b.choosable(d, "gs"), b.choosable(d, "ak"), b.choosable(d, "bi")
    combined = b.group(d, "gsak1")
    b.plan(gs, combined)
    b.plan(ak, combined, rank=2)
    big = b.group(d, "bi1")
    b.plan(bi, big)
    chose_gs = b.place("1", d, [combined])
    b.choose(chose_gs, gs)
    chose_bi = b.place("2", d, [combined, big])  # sits in the combined group, chose neither
    b.choose(chose_bi, bi)
    project = b.project()
    assert ids(project, "choice-without-group") == set()
    assert ids(project, "group-without-choice") == {"2"}


def test_a_student_placed_twice_in_one_afdeling_counts_once():
    b = Build()
    d = b.dept("h4", 4)
    ak = b.choosable(d, "ak")
    for code in ("1", "1", "2"):
        b.choose(b.place(code, d, []), ak)
    assert pakket_of(b.project()).choosers(ak) == 2


def test_id_lists_written_as_text_are_repaired():
    log = RepairLog()
    rows = [
        {"id": 1, "student": "1", "groupInDepartments": "7,8"},
        {"id": 2, "student": "2", "groupInDepartments": "[7, 9]"},
        {"id": 3, "student": "3", "groupInDepartments": "7"},
    ]
    made = decode_rows(
        "studentsindepartments",
        StudentPlacement,
        [msgspec.Raw(msgspec.json.encode(r)) for r in rows],
        log,
    )
    assert [p.group_in_departments for p in made] == [[7, 8], [7, 9], [7]]
    [repair] = log.repairs()
    assert (repair.field, repair.action, repair.count) == ("groupInDepartments", CONVERTED, 3)


def test_coverage_goes_on_past_a_group_of_no_keuzevak():
    """A student's first roostergroep realises no keuzevak (unlinked, or a pseudo group): the
    groups after it still cover the student's choices."""
    b = Build()
    d = b.dept("h4", 4)
    ak = b.choosable(d, "ak")
    loose = b.group(d, "extra")  # linked to no geplande groep
    akg = b.group(d, "ak1")
    b.plan(ak, akg)
    b.choose(b.place("1", d, [loose, akg]), ak)
    assert ids(b.project(), "choice-without-group") == set()


def test_a_planned_group_without_name_or_code_is_named_after_its_keuzevak():
    from zdesk.portal.records import PlannedGroup

    b = Build()
    d = b.dept("h4", 4)
    c = b.choosable(d, "gs")
    b.planned.append(PlannedGroup(4242, c, None, None, None, None, None, None, 3))
    b.planned.append(PlannedGroup(4343, 999_999, None, None, None, None, "ak", None, None))
    messages = {
        f.object_id: f.message
        for f in run_checks(b.project(), ["planned-group-unrealised"]).findings
    }
    assert "gs.grp3" in messages[4242]
    assert "ak (id 4343)" in messages[4343]


def test_counts_per_check_count_each_finding_once():
    b = Build()
    d = b.dept("h4", 4)
    c = b.choosable(d)
    for rank in (1, 2, 3):
        b.plan(c, None, rank)
    run = run_checks(b.project(), ["planned-group-unrealised", "group-empty"])
    assert run.counts() == {"planned-group-unrealised": 3}


def test_a_check_skipped_for_another_reason_is_not_blamed_on_a_right_elsewhere():
    from zdesk.portal.rights import MissingRight

    b = Build()
    d = b.dept("h4", 4)
    b.place("1", d, [])
    b.missing.append(MissingRight("selectedsubjects"))  # refused: another endpoint
    project = b.project()
    project.unavailable.add("studentsindepartments")
    project.unavailable_because["studentsindepartments"] = "de afdelingsdeelnames waren te veel"
    reasons = {s.check: s.reason for s in run_checks(project).skipped}
    assert reasons["student-multiple-departments"] == (
        "overgeslagen: de afdelingsdeelnames waren te veel"
    )
    assert "geen leesrecht op 'selectedsubjects'" in reasons["choice-without-group"] or (
        "te veel" in reasons["choice-without-group"]
    )


def test_a_check_needing_a_field_of_an_endpoint_refused_whole_blames_the_right():
    from zdesk.portal.rights import MissingRight

    b = Build()
    d = b.dept("h4", 4)
    b.choosable(d, "ak")
    b.missing.append(MissingRight("choosableindepartments"))  # the whole endpoint refused
    reasons = {s.check: s.reason for s in run_checks(b.project()).skipped}
    assert "geen leesrecht" in reasons["choosable-without-planned-groups"]


def test_a_pakketkeuze_of_a_keuzevak_that_does_not_exist_is_set_apart_on_its_own():
    """Only a missing keuzevak (the afdelingsdeelname exists, no pseudo afdeling): still set
    apart and named, and it counts for nothing."""
    b = Build()
    d = b.dept("h4", 4)
    ak = b.choosable(d, "ak")
    p = b.place("1", d, [])
    b.choose(p, ak)
    b.choose(p, 777_777)
    project = b.project()
    pakket = pakket_of(project)
    assert [r.choosable_in_department for r in pakket.dangling] == [777_777]
    assert pakket.choosers(ak) == 1
    named = [f for f in run_checks(project).findings if f.check == "dangling-reference"]
    assert len(named) == 1 and "keuzevak 777777" in named[0].message


def test_a_maximum_group_size_of_one_and_of_zero():
    """1 is a size the settings allow (one group per student); 0, from a hand-edited file, is
    read as 1, never as a division by zero."""
    b = Build()
    d = b.dept("h4", 4, max_size=None)
    ak = b.choosable(d, "ak")
    b.plan(ak, None)
    for code in ("1", "2", "3"):
        b.choose(b.place(code, d, []), ak)
    project = b.project()
    pakket = pakket_of(project)
    assert pakket.demand(1)[ak].needed == 3
    assert pakket.demand(0)[ak].needed == 3
