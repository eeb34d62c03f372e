"""The formatie rules one by one on small hand-made projects: vakkenpakket against indeling, groups
needed against planned."""

from __future__ import annotations

import pytest

from zdesk.domain.checks import run_checks
from zdesk.domain.findings import CheckOptions, Finding
from zdesk.domain.formatie_checks import (
    choice_without_group,
    group_without_choice,
    planned_groups_too_few,
    planned_groups_too_many,
)
from zdesk.domain.model import MissingRight
from zdesk.domain.pakket import pakket_of
from zdesk.domain.severity import Severity

from .factory import Build

RULES = {
    "choice-without-group": choice_without_group,
    "group-without-choice": group_without_choice,
    "planned-groups-too-few": planned_groups_too_few,
    "planned-groups-too-many": planned_groups_too_many,
}


def found(project, check, options=None):
    return [Finding(check, *f) for f in RULES[check](project, options or CheckOptions())]


def ids(project, check, options=None):
    return sorted(f.object_id for f in found(project, check, options))


def students_of(project, choosable):
    return pakket_of(project).students_of(project.choosable_by_id[choosable])


def needed(project, choosable, default=30):
    return pakket_of(project).demand(default)[choosable].needed


# ---- students of a keuzevak ---------------------------------------------------------------------


def test_students_of_a_keuzevak_are_those_who_chose_it_and_are_not_exempt():
    b = Build()
    d = b.dept("h4", 4)
    ak, bi = b.choosable(d, "ak"), b.choosable(d, "bi")
    p1, p2, p3 = (b.place(s, d, []) for s in ("1", "2", "3"))
    b.choose(p1, ak)
    b.choose(p2, ak)
    b.choose(p3, ak, exemption=True)
    b.choose(p3, bi)
    project = b.project()
    assert students_of(project, ak) == 2
    assert students_of(project, bi) == 1


def test_onderbouw_without_keuzes_counts_every_student_for_every_vak():
    b = Build()
    h1, h4 = b.dept("h1", 1), b.dept("h4", 4)
    ne, en = b.choosable(h1, "ne"), b.choosable(h1, "en")
    ak = b.choosable(h4, "ak")
    for i in range(31):
        b.place(f"o{i}", h1, [])
    chooser = b.place("b1", h4, [])
    b.place("b2", h4, [])  # in an afdeling with keuzes, no keuze: counts for nothing
    b.choose(chooser, ak)
    project = b.project()
    assert students_of(project, ne) == students_of(project, en) == 31
    assert needed(project, ne) == 2
    assert students_of(project, ak) == 1


def test_an_exemption_alone_makes_an_afdeling_one_with_keuzes():
    b = Build()
    d = b.dept("h4", 4)
    ak = b.choosable(d, "ak")
    p = b.place("1", d, [])
    b.place("2", d, [])
    b.choose(p, ak, exemption=True)
    assert students_of(b.project(), ak) == 0


def test_without_the_right_on_pakketkeuzes_every_afdeling_counts_everyone():
    b = Build()
    d = b.dept("h4", 4)
    ak = b.choosable(d, "ak")
    p = b.place("1", d, [])
    b.place("2", d, [])
    b.choose(p, ak)
    b.missing.append(MissingRight("selectedsubjects"))
    project = b.project()
    assert not pakket_of(project).known
    assert students_of(project, ak) == 2


def test_pakket_is_rebuilt_when_more_afdelingsdeelnames_come_in():
    b = Build()
    d = b.dept("h1", 1)
    ne = b.choosable(d, "ne")
    b.place("1", d, [])
    project = b.project()
    assert students_of(project, ne) == 1
    from zdesk.domain.model import StudentPlacement

    project.add_placements([StudentPlacement(99999, "2", d, [])])
    assert students_of(project, ne) == 2


# ---- choice-without-group -----------------------------------------------------------------------


def test_choice_without_group():
    b = Build()
    d = b.dept("h4", 4)
    ak = b.choosable(d, "ak")
    g1, g2 = b.group(d, "ak1"), b.group(d, "ak2")
    b.plan(ak, g1)
    b.plan(ak, g2, rank=2)
    in_group = b.place("in", d, [g2])
    outside = b.place("out", d, None)  # no list of roostergroepen at all
    exempt = b.place("exempt", d, [])
    b.choose(in_group, ak)
    b.choose(outside, ak)
    b.choose(exempt, ak, exemption=True)
    (finding,) = found(b.project(), "choice-without-group")
    assert (finding.object_type, finding.object_id) == ("student", "out")
    assert finding.severity == Severity.WAARSCHUWING
    assert "ak gekozen (afdeling h4)" in finding.message


def test_choice_without_group_when_the_vak_has_only_unrealised_or_pseudo_groups():
    b = Build()
    d = b.dept("h4", 4)
    ak, bi = b.choosable(d, "ak"), b.choosable(d, "bi")
    b.plan(ak, None)
    uit = b.group(d, "#uit")
    b.plan(bi, uit)
    p = b.place("1", d, [uit])
    b.choose(p, ak)
    b.choose(p, bi)
    findings = found(b.project(), "choice-without-group")
    assert [f.object_id for f in findings] == ["1", "1"]
    assert "ak gekozen" in findings[0].message and "nog geen gerealiseerde" in findings[0].message
    assert "bi gekozen" in findings[1].message


def test_choice_of_an_opleiding_or_profiel_needs_no_group():
    b = Build()
    d = b.dept("h4", 4)
    ng = b.choosable(d, "ng", kind="profile")
    havo = b.choosable(d, "havo", kind="education")
    p = b.place("1", d, [])
    b.choose(p, ng)
    b.choose(p, havo)
    project = b.project()
    assert found(project, "choice-without-group") == []
    assert found(project, "planned-groups-too-few") == []


# ---- group-without-choice -----------------------------------------------------------------------


def test_group_without_choice():
    b = Build()
    d = b.dept("h4", 4)
    ak, bi = b.choosable(d, "ak"), b.choosable(d, "bi")
    ak1, bi1 = b.group(d, "ak1"), b.group(d, "bi1")
    b.plan(ak, ak1)
    b.plan(bi, bi1)
    wrong = b.place("wrong", d, [ak1, bi1])
    right = b.place("right", d, [ak1])
    exempt = b.place("exempt", d, [bi1])
    b.place("nokeuze", d, [bi1])  # without any pakketkeuze: nothing to compare with
    b.choose(wrong, ak)
    b.choose(right, ak)
    b.choose(exempt, ak)
    b.choose(exempt, bi, exemption=True)
    findings = found(b.project(), "group-without-choice")
    assert sorted(f.object_id for f in findings) == ["exempt", "wrong"]
    assert all(f.severity == Severity.WAARSCHUWING for f in findings)
    assert "roostergroep h4.bi1 (bi) maar heeft bi niet gekozen" in findings[0].message


def test_group_without_choice_skips_stamklas_mentorgroep_pseudo_and_shared_groups():
    b = Build()
    d = b.dept("h4", 4)
    ak, bi, ng = b.choosable(d, "ak"), b.choosable(d, "bi"), b.choosable(d, "ng", "profile")
    main = b.group(d, "h4a", main=True)
    mentor = b.group(d, "mentor1", mentor=True)
    uit = b.group(d, "#uit")
    shared = b.group(d, "akbi")  # one group for two vakken: a student of either belongs
    structure = b.group(d, "ng1")
    lonely = b.group(d, "hwb")  # no geplande groep: a check of its own
    for k in (ak, bi):
        for g in (main, mentor, uit, shared):
            b.plan(k, g)
    b.plan(ng, structure)
    p = b.place("1", d, [main, mentor, uit, shared, structure, lonely, shared])
    b.choose(p, ak)
    assert found(b.project(), "group-without-choice") == []


def test_stamklas_carrying_many_geplande_groepen():
    b = Build()
    d = b.dept("h4", 4)
    h4a = b.group(d, "h4a", main=True)
    vakken = [b.choosable(d, code) for code in ("ne", "en", "lo", "ckv")]
    for k in vakken:
        b.plan(k, h4a)
    students = [b.place(f"s{i}", d, [h4a]) for i in range(25)]
    for p in students:
        for k in vakken[:3]:  # nobody chose ckv, all sit in the stamklas that carries it
            b.choose(p, k)
    project = b.project()
    assert found(project, "choice-without-group") == []
    assert found(project, "group-without-choice") == []
    demand = pakket_of(project).demand(30)
    assert [demand[k].realised for k in vakken] == [1, 1, 1, 1]
    assert demand[vakken[0]].sizes == (25,)
    # ckv, chosen by nobody, is taught in the stamklas: one group for the one stamklas.
    assert demand[vakken[3]].per_class and demand[vakken[3]].needed == 1
    assert ids(project, "planned-groups-too-many") == []


def keuze_only_school():
    """h4 whose pakketkeuzes hold only the keuzevakken: netl and lo are taught per stamklas."""
    b = Build()
    d = b.dept("h4", 4, max_size=30)
    h4a, h4b = b.group(d, "h4a", main=True), b.group(d, "h4b", main=True)
    b.group(d, "#uit", main=True)  # a pseudo stamklas: no group needed for it
    ak1 = b.group(d, "ak1")
    netl, lo, ak, bi = (b.choosable(d, code) for code in ("netl", "lo", "ak", "bi"))
    b.plan(netl, h4a)
    b.plan(netl, h4b, rank=2)
    b.plan(lo, h4a)
    b.plan(lo, h4b, rank=2)
    b.plan(lo, None, rank=3)  # not realised: does not decide the rule
    b.plan(ak, ak1)
    b.plan(bi, h4a)  # one realised group in a stamklas, one in a lesgroep: by keuzes
    b.plan(bi, ak1, rank=2)
    for i in range(40):
        p = b.place(f"s{i}", d, [h4a if i % 2 else h4b] + ([ak1] if i < 20 else []))
        if i < 20:
            b.choose(p, ak)
    return b.project(), dict(netl=netl, lo=lo, ak=ak, bi=bi)


def test_a_keuzevak_taught_per_klas_needs_a_group_per_stamklas():
    project, k = keuze_only_school()
    demand = pakket_of(project).demand(30)
    netl, lo, ak, bi = (demand[k[c]] for c in ("netl", "lo", "ak", "bi"))
    assert (netl.per_class, netl.students, netl.needed, netl.planned) == (True, 40, 2, 2)
    assert (lo.per_class, lo.students, lo.needed, lo.planned) == (True, 40, 2, 3)
    assert (ak.per_class, ak.students, ak.needed) == (False, 20, 1)
    assert (bi.per_class, bi.students, bi.needed) == (False, 0, 0)
    # No false "te veel" on netl; lo has a third, unrealised group: too many, said per klas.
    assert ids(project, "planned-groups-too-many") == sorted([k["lo"], k["bi"]])
    (lo_many,) = [f for f in found(project, "planned-groups-too-many") if f.object_id == k["lo"]]
    assert "les per klas: 2 stamklassen vragen 2 groepen" in lo_many.message
    assert ids(project, "planned-groups-too-few") == []


def test_a_keuzevak_without_realised_groups_counts_by_keuzes():
    b = Build()
    d = b.dept("h4", 4, max_size=30)
    b.group(d, "h4a", main=True)
    netl = b.choosable(d, "netl")
    b.plan(netl, None)
    b.choose(b.place("s1", d, []), b.choosable(d, "ak"))
    project = b.project()
    demand = pakket_of(project).demand(30)[netl]
    assert (demand.per_class, demand.students, demand.needed) == (False, 0, 0)


# ---- groups needed, planned-groups-too-few / -too-many ------------------------------------------


@pytest.mark.parametrize(
    ("students", "planned", "few", "many"),
    [
        (0, 0, False, False),
        (0, 1, False, True),
        (30, 1, False, False),
        (31, 1, True, False),
        (60, 2, False, False),
        (61, 2, True, False),
        (29, 2, False, True),
    ],
)
def test_groups_needed_against_planned(students, planned, few, many):
    b = Build()
    d = b.dept("h4", 4, max_size=30)
    ak = b.choosable(d, "ak")
    for rank in range(1, planned + 1):
        b.plan(ak, b.group(d, f"ak{rank}"), rank)
    for i in range(students):
        b.choose(b.place(f"s{i}", d, []), ak)
    b.choose(b.place("other", d, []), ak, exemption=True)  # the afdeling has keuzes
    project = b.project()
    assert (ids(project, "planned-groups-too-few") == [ak]) is few
    assert (ids(project, "planned-groups-too-many") == [ak]) is many


def test_too_few_and_too_many_say_why_and_how_serious():
    b = Build()
    d = b.dept("h4", 4, max_size=28)
    ak, bi = b.choosable(d, "ak"), b.choosable(d, "bi")
    b.plan(ak, None)
    b.plan(bi, None)
    for i in range(29):
        b.choose(b.place(f"s{i}", d, []), ak)
    project = b.project()
    (few,) = found(project, "planned-groups-too-few")
    assert (few.object_type, few.object_id, few.severity) == ("choosable", ak, "waarschuwing")
    assert few.message == (
        "Keuzevak ak in afdeling h4: 29 leerlingen vragen 2 groepen (maximum van de afdeling 28 "
        "per groep), maar er is 1 gepland."
    )
    (many,) = found(project, "planned-groups-too-many")
    assert (many.object_type, many.object_id, many.severity) == ("choosable", bi, "info")
    assert "0 leerlingen vragen 0 groepen" in many.message


def test_without_max_group_size_the_setting_counts():
    b = Build()
    d = b.dept("h1", 1, max_size=None)
    ne = b.choosable(d, "ne")
    b.plan(ne, None)
    b.plan(ne, None, rank=2)
    for i in range(26):
        b.place(f"s{i}", d, [])
    project = b.project()
    assert needed(project, ne) == 1
    assert ids(project, "planned-groups-too-many") == [ne]
    assert "standaardmaximum 30" in found(project, "planned-groups-too-many")[0].message
    assert needed(project, ne, default=25) == 2
    assert found(project, "planned-groups-too-many", CheckOptions(default_max_group_size=25)) == []


def test_a_student_in_two_afdelingen_counts_in_each_by_its_own_keuzes():
    b = Build()
    h4, h5 = b.dept("h4", 4), b.dept("h5", 5)
    ak4, bi4 = b.choosable(h4, "ak"), b.choosable(h4, "bi")
    ak5 = b.choosable(h5, "ak")
    g4, g5 = b.group(h4, "ak1"), b.group(h5, "ak1")
    b.plan(ak4, g4)
    b.plan(ak5, g5)
    in4 = b.place("111", h4, [])
    b.place("111", h5, [g5])  # follows ak in h5: h5 has no keuzes, so he counts there
    b.choose(in4, bi4)
    b.choose(b.place("222", h4, [g4]), ak4)
    project = b.project()
    assert students_of(project, ak4) == 1
    assert students_of(project, ak5) == 1
    assert found(project, "group-without-choice") == []
    # his h4 keuze of bi has no group: that is about his h4 placement only
    (finding,) = found(project, "choice-without-group")
    assert finding.object_id == "111" and "bi gekozen (afdeling h4)" in finding.message


def test_pseudo_afdelingen_take_no_part():
    b = Build()
    d = b.dept("#uit", 4)
    ak = b.choosable(d, "ak")
    b.plan(ak, None)
    p = b.place("1", d, [])
    b.choose(p, ak)
    project = b.project()
    assert all(found(project, check) == [] for check in RULES)
    assert pakket_of(project).demand(30) == {}


def test_pakketkeuzes_pointing_at_nothing_are_set_apart():
    b = Build()
    d = b.dept("h4", 4)
    ak = b.choosable(d, "ak")
    p = b.place("1", d, [])
    b.choose(p, 424242)
    b.choose(535353, ak)
    b.choose(535353, ak)
    project = b.project()
    pakket = pakket_of(project)
    assert len(pakket.dangling) == 3
    assert pakket.with_choices == set()
    # Named as data problems: on the student where the afdelingsdeelname is known, else on the
    # missing afdelingsdeelname, once for its two pakketkeuzes.
    named = {
        (f.object_type, f.object_id): f.message
        for f in run_checks(project).findings
        if f.check == "dangling-reference"
    }
    assert set(named) == {("student", "1"), ("placement", 535353)}
    assert "keuzevak 424242" in named[("student", "1")]
    assert named[("placement", 535353)].startswith("2 pakketkeuzes (")
    # The verb agrees with the number: one pakketkeuze "verwijst", two "verwijzen".
    assert " verwijst naar keuzevak 424242" in named[("student", "1")]
    assert named[("student", "1")].endswith("die telt niet mee in de formatie.")
    assert " verwijzen naar afdelingsdeelname 535353" in named[("placement", 535353)]
    assert named[("placement", 535353)].endswith("ze tellen niet mee in de formatie.")


def test_pakketkeuzes_of_afdelingsdeelnames_not_read_are_not_called_dangling():
    b = Build()
    d = b.dept("h4", 4)
    ak = b.choosable(d, "ak")
    for pid in range(50000, 50020):
        b.choose(pid, ak)
    b.choose(50020, 777)  # a keuzevak that does not exist is still named
    b.missing.append(MissingRight("studentsindepartments"))
    project = b.project()
    assert project.lacks("studentsindepartments")
    named = [f for f in run_checks(project).findings if f.check == "dangling-reference"]
    assert [(f.object_type, f.object_id) for f in named] == [("project", project.info.id)]
    assert "keuzevak 777" in named[0].message


def test_a_pakketkeuze_of_an_afdelingsdeelname_set_aside_is_named_there_only():
    b = Build()
    d = b.dept("h4", 4)
    ak = b.choosable(d, "ak")
    nameless = b.place("", d, [])  # no leerlingnummer: set aside, named by its own check
    b.choose(nameless, ak)
    project = b.project()
    checks = {f.check for f in run_checks(project).findings}
    assert "placement-without-student" in checks
    assert "dangling-reference" not in checks


def test_a_student_placed_twice_in_one_afdeling_counts_once():
    b = Build()
    d = b.dept("h4", 4)
    ak = b.choosable(d, "ak")
    b.choose(b.place("111", d, []), ak)
    b.choose(b.place("111", d, []), ak)
    twice = b.place("222", d, [])
    b.choose(twice, ak)
    b.choose(twice, ak)  # the same keuze given twice
    assert students_of(b.project(), ak) == 2


def test_the_kept_pakket_does_not_keep_its_project_alive():
    import weakref

    b = Build()
    d = b.dept("h4", 4)
    b.choose(b.place("1", d, []), b.choosable(d, "ak"))
    project = b.project()
    assert pakket_of(project).known
    gone = weakref.ref(project)
    del project
    assert gone() is None  # by reference counting alone: no cycle through the cache


@pytest.mark.parametrize("numbers", [(-1, 5, 6), (-1,), (-4, -2), (0, 1, 2)])
def test_keuzevak_ids_of_zero_or_below_count_like_any_other(numbers):
    """The wire layer lets any integer id through: each keuzevak keeps its own students and
    groups, whatever its id."""
    from zdesk.domain.model import Choosable

    b = Build()
    d = b.dept("v5", 5)
    group = b.group(d, "a")
    first, second = b.place("s1", d, [group]), b.place("s2", d, [group])
    for number, code in zip(numbers, ("ak", "ne", "wi"), strict=False):
        b.choosables.append(Choosable(number, d, code, code.upper(), "subject"))
        b.plan(number, group)
        b.choose(first, number)
        b.choose(second, number)
    lonely = b.choosable(d, "fa")  # chosen by one student, in no group of it
    b.choose(first, lonely)
    project = b.project()
    for number in numbers:
        assert students_of(project, number) == 2
        assert needed(project, number) == 1
    assert ids(project, "planned-groups-too-many") == []
    assert [f.message for f in found(project, "choice-without-group")] == [
        "Leerling s1 heeft fa gekozen (afdeling v5) die heeft nog geen gerealiseerde geplande "
        "groep."
    ]
    assert ids(project, "group-without-choice") == []
