"""The doorstroom rules on hand-made pairs of projects: last year's against this year's."""

from __future__ import annotations

from zdesk.domain.checks import run_checks
from zdesk.domain.doorstroom import EXAM, LEFT, NOT_PLACED, doorstroom_of, names_of
from zdesk.domain.model import (
    PREVIOUS,
    Branch,
    Choosable,
    Department,
    Project,
    ProjectInfo,
    StudentPlacement,
)

DOORSTROOM = ("student-not-placed-next-year", "student-repeats-year", "student-changes-education")


class Year:
    """One project: afdelingen by code, students placed in them."""

    def __init__(self, project_id: int, first_id: int, *, education_type: bool = True) -> None:
        self.id = project_id
        self.ids = iter(range(first_id, first_id + 10000))
        self.departments: dict[str, Department] = {}
        self.choosables: list[Choosable] = []
        self.placements: list[StudentPlacement] = []
        self.education_type = education_type

    def dept(self, code: str, education: str | None = None, branch: int = 1) -> Department:
        stream = code.rstrip("0123456789")
        level = int(code[len(stream) :]) if code[len(stream) :] else None
        kind = education or {"h": "havo", "v": "vwo", "m": "mavo", "hv": "havo/vwo"}.get(stream)
        d = Department(
            next(self.ids),
            branch + self.id,
            code,
            level,
            education_type=kind if self.education_type and "/" not in (kind or "") else None,
            school_in_school_year=self.id,
        )
        self.departments[code] = d
        if kind and not code.startswith("#"):
            self.choosables.append(Choosable(next(self.ids), d.id, kind, kind, "education"))
        return d

    def place(self, student: str, *codes: str) -> None:
        for code in codes:
            d = self.departments.get(code) or self.dept(code)
            self.placements.append(StudentPlacement(next(self.ids), student, d.id))

    def project(self, name: str) -> Project:
        return Project(
            ProjectInfo(self.id, school=7, year=2020 + self.id, name=name),
            branches=[Branch(self.id + 1, self.id, "NRD", "Noord")],
            departments=list(self.departments.values()),
            choosables=self.choosables,
            placements=self.placements,
        )


def pair(last: Year, now: Year, planned: list | None = None) -> Project:
    before = last.project("Vorig jaar")
    project = now.project("Dit jaar")
    if planned:
        project = Project(
            project.info,
            branches=project.branches,
            departments=project.departments,
            choosables=project.choosables,
            placements=project.placements,
            planned_groups=planned,
        )
    project.previous_info = before.info
    project.previous_branches = before.branches
    project.previous_departments = before.departments
    project.previous_choosables = before.choosables
    project.previous_placements = before.placements
    return project


def years(**kwargs: bool) -> tuple[Year, Year]:
    last, now = Year(5, 1000), Year(6, 50000, **kwargs)
    for code in ("h3", "h4", "h5", "v5", "v6", "m4"):
        last.dept(code)
    for code in ("h4", "h5", "v6", "m4"):
        now.dept(code)
    return last, now


def found(project: Project) -> dict[str, set[str]]:
    run = run_checks(project, only=DOORSTROOM)
    out: dict[str, set[str]] = {c: set() for c in DOORSTROOM}
    for f in run.findings:
        out[f.check].add(str(f.object_id))
    return out


def test_a_normal_year_gives_no_signalering() -> None:
    last, now = years()
    last.place("0507", "h3")  # a leading zero stays: the code is text
    now.place("0507", "h4")
    last.place("s2", "h4")
    now.place("s2", "h5")
    assert found(pair(last, now)) == {c: set() for c in DOORSTROOM}


def test_a_student_without_a_place_is_reported_but_not_one_who_did_the_exam() -> None:
    last, now = years()
    last.place("forgotten", "h4")
    last.place("examen", "h5")  # havo's examenjaar: leaves
    last.place("vwo-examen", "v6")
    last.place("eerder-weg", "h3", "#uit")  # left during last year
    now.dept("#uit")
    last.place("vertrekt", "h4")
    now.place("vertrekt", "#uit")  # a leaver placed in #uit is accounted for
    project = pair(last, now)
    assert found(project)["student-not-placed-next-year"] == {"forgotten"}
    ds = doorstroom_of(project)
    assert ds is not None
    h4, h5 = last.departments["h4"].id, last.departments["h5"].id
    assert ds.unplaced[NOT_PLACED] == {h4: ["forgotten"]}
    assert ds.unplaced[EXAM][h5] == ["examen"]
    assert "eerder-weg" in ds.unplaced[LEFT][last.departments["h3"].id]
    message = next(iter(run_checks(project, only=DOORSTROOM[:1]).findings)).message
    assert "forgotten" in message and "h4" in message and "Dit jaar" in message


def test_a_student_in_two_afdelingen_last_year_counts_with_each_and_is_reported_once() -> None:
    last, now = years()
    last.place("twee", "h3", "h4")
    last.place("met-examen", "h4", "h5")  # also in the examenjaar: may have graduated
    project = pair(last, now)
    assert found(project)["student-not-placed-next-year"] == {"twee"}
    ds = doorstroom_of(project)
    assert ds is not None
    assert ds.unplaced[NOT_PLACED][last.departments["h3"].id] == ["twee"]
    assert ds.unplaced[NOT_PLACED][last.departments["h4"].id] == ["twee"]


def test_zittenblijver_and_op_or_afstroom() -> None:
    last, now = years()
    last.place("blijft", "h4")
    now.place("blijft", "h4")
    last.place("examen-over", "h5")
    now.place("examen-over", "h5")
    last.place("op", "m4")
    now.place("op", "h4")
    last.place("af", "v5")
    now.place("af", "h5")
    last.place("gewoon", "h4")
    now.place("gewoon", "h5")
    now.place("nieuw", "h4")  # instroom: none of the rules
    result = found(pair(last, now))
    assert result["student-repeats-year"] == {"blijft", "examen-over"}
    assert result["student-changes-education"] == {"op", "af"}
    assert result["student-not-placed-next-year"] == set()


def test_a_student_also_following_lessons_a_year_higher_is_no_zittenblijver() -> None:
    last, now = years()
    last.place("vooruit", "h3", "h4")  # an h3 student following some h4 lessons
    now.place("vooruit", "h4", "h5")
    assert found(pair(last, now))["student-repeats-year"] == set()


def test_a_combined_brugklas_going_to_one_of_its_opleidingen_is_no_change() -> None:
    last, now = Year(5, 1000), Year(6, 50000)
    last.dept("hv1")
    now.dept("h2")
    now.dept("v2")
    now.dept("hv2")
    for i in range(4):
        last.place(f"b{i}", "hv1")
    now.place("b0", "h2")
    now.place("b1", "v2")
    project = pair(last, now)
    assert found(project)["student-changes-education"] == set()
    ds = doorstroom_of(project)
    assert ds is not None
    # b2 and b3 are not placed yet: they count in equal parts for h2, v2 and hv2.
    assert names_of("havo/vwo") == {"havo", "vwo"}
    h2, v2 = now.departments["h2"].id, now.departments["v2"].id
    assert ds.expected[h2] == 2  # b0 + 2/3, rounded
    assert ds.expected[v2] == 2
    assert found(project)["student-not-placed-next-year"] == {"b2", "b3"}


def test_a_previous_project_without_education_type_gives_no_false_changes() -> None:
    last, now = Year(5, 1000, education_type=False), Year(6, 50000)
    for code in ("h3", "v3", "m3"):
        last.dept(code)
    for code in ("h4", "v4", "m4"):
        now.dept(code)
    for stream in "hvm":
        for i in range(3):
            last.place(f"{stream}{i}", f"{stream}3")
            now.place(f"{stream}{i}", f"{stream}4")
    assert found(pair(last, now)) == {c: set() for c in DOORSTROOM}


def test_a_pseudo_afdeling_either_year() -> None:
    last, now = years()
    last.dept("#uit")
    now.dept("#uit")
    last.place("was-weg", "#uit")  # last year in #uit only: not expected back
    last.place("nu-weg", "h4")
    now.place("nu-weg", "#uit")
    last.place("terug", "#uit")
    now.place("terug", "h4")  # back from #uit: no opleiding last year, no change to report
    assert found(pair(last, now)) == {c: set() for c in DOORSTROOM}


def test_an_afdeling_without_a_year_is_not_judged() -> None:
    last, now = years()
    last.dept("xyz")  # no digits: no yearOfEducation
    last.place("onbekend", "xyz")
    assert found(pair(last, now))["student-not-placed-next-year"] == set()


def test_without_a_previous_project_the_checks_are_skipped_with_the_reason() -> None:
    project = Year(6, 50000).project("Dit jaar")
    project.unavailable.add(PREVIOUS)
    project.unavailable_because[PREVIOUS] = "geen vorig project"
    run = run_checks(project)
    skipped = {s.check: s.reason for s in run.skipped}
    for check in DOORSTROOM:
        assert skipped[check] == "overgeslagen: geen vorig project"
    assert doorstroom_of(project) is None


def test_the_doorstroom_follows_rows_that_come_in_later() -> None:
    last, now = years()
    last.place("later", "h4")
    project = pair(last, now)
    assert found(project)["student-not-placed-next-year"] == {"later"}
    extra = StudentPlacement(99999, "later", now.departments["h5"].id)
    project.add_placements([extra])
    assert found(project)["student-not-placed-next-year"] == set()


def test_an_afdeling_with_nobody_placed_yet_needs_the_groups_of_its_expected_students() -> None:
    from zdesk.domain.checks import CheckOptions
    from zdesk.domain.formatie import build_formatie
    from zdesk.domain.model import PlannedGroup

    last, now = years()
    for i in range(45):
        last.place(f"s{i}", "h3")  # 45 expected in h4, nobody placed there yet
    h4 = now.departments["h4"]
    ak = Choosable(next(now.ids), h4.id, "ak", "aardrijkskunde", "subject")
    now.choosables.append(ak)
    planned = [PlannedGroup(next(now.ids), ak.id) for _ in range(2)]
    project = pair(last, now, planned)
    assert doorstroom_of(project).expected[h4.id] == 45
    run = run_checks(project, only=("planned-groups-too-many", "planned-groups-too-few"))
    assert run.findings == []  # 45 / 30 -> 2 groups, as planned: no "te veel"
    formatie = build_formatie(project, CheckOptions(), run.findings)
    cell = formatie.row_of(h4.id).cells["ak"]
    assert (cell.students, cell.needed, cell.expected) == (45, 2, True)
    # Once somebody is placed, the placed students count again (and ak is then te veel).
    now.place("s0", "h4")
    placed = pair(last, now, planned)
    run = run_checks(placed, only=("planned-groups-too-many",))
    assert [f.object_id for f in run.findings] == [ak.id]


def test_a_brugklas_has_no_expected_figure_and_an_afdeling_fed_by_nobody_coming_has_0() -> None:
    last, now = Year(5, 1000), Year(6, 50000)
    last.dept("h1")
    now.dept("h1")
    now.dept("h2")
    last.place("a", "h1")
    now.place("a", "h1")  # a zittenblijver: not coming to h2
    ds = doorstroom_of(pair(last, now))
    h1, h2 = now.departments["h1"].id, now.departments["h2"].id
    assert ds.expected[h2] == 0  # fed by last year's h1, but nobody is coming
    assert ds.expected[h1] == 1  # the zittenblijver placed in it
    now.dept("m1")
    assert now.departments["m1"].id not in doorstroom_of(pair(last, now)).expected


def test_every_list_keeps_last_years_order_when_several_ways_fill_one_cell() -> None:
    last, now = years()
    now.dept("#uit")
    last.place("b", "h4")
    last.place("a", "h3", "h4")  # in two afdelingen: a way of its own through h4
    last.place("d", "h4")
    last.place("x", "h4")
    last.place("y", "h3", "h4")
    last.place("z", "h4")
    now.place("b", "h5")
    now.place("a", "h5")
    now.place("d", "h5", "#uit")  # placed twice this year: a way of its own into h5
    project = pair(last, now)
    ds = doorstroom_of(project)
    assert ds is not None
    h4 = last.departments["h4"].id
    assert ds.flows[h4][now.departments["h5"].id] == ["b", "a", "d"]
    assert ds.unplaced[NOT_PLACED][h4] == ["x", "y", "z"]
    assert ds.not_placed == ["x", "y", "z"]


def test_an_afdelingsdeelname_in_no_afdeling_is_no_place_and_the_list_says_why() -> None:
    from zdesk.present.doorstroom import doorstroom_matrix, doorstroom_students

    last, now = years()
    last.place("zonder", "h4")  # an afdelingsdeelname without departmentOfBranch
    now.placements.append(StudentPlacement(99999, "zonder", None))
    last.place("elders", "h4")  # one in an afdeling outside the project (the load keeps none)
    now.placements.append(StudentPlacement(99998, "elders", 777777))
    last.place("half", "h4")  # placed in h5, and once more without an afdeling
    now.place("half", "h5")
    now.placements.append(StudentPlacement(99997, "half", None))
    project = pair(last, now)
    assert found(project)["student-not-placed-next-year"] == {"zonder", "elders"}
    ds = doorstroom_of(project)
    assert ds is not None
    h4 = last.departments["h4"].id
    assert ds.unplaced[NOT_PLACED] == {h4: ["zonder", "elders"]}
    assert ds.flows[h4] == {now.departments["h5"].id: ["half"]}
    # Not yet placed: expected where the doorstroom would send them (h5), with "half" placed there.
    assert ds.expected[now.departments["h5"].id] == 3
    matrix = doorstroom_matrix(project, ds)
    assert matrix.headers == ["h5", NOT_PLACED, EXAM, LEFT, "Totaal"]
    shown = doorstroom_students(project, ds, ["zonder", "elders", "half"])
    assert [s.now for s in shown] == [
        "zonder afdeling",
        "onbekende afdeling (777777)",
        "h5, zonder afdeling",
    ]


def test_students_of_a_vestiging_without_afdelingen_this_year_are_expected_elsewhere() -> None:
    from zdesk.domain.model import Branch

    class TwoBranches(Year):
        def project(self, name: str) -> Project:
            p = super().project(name)
            zuid = Branch(self.id + 2, self.id, "ZD", "Zuid")  # listed, with no afdeling this year
            return Project(
                p.info,
                branches=[*p.branches, zuid],
                departments=p.departments,
                choosables=p.choosables,
                placements=p.placements,
            )

    last, now = TwoBranches(5, 1000), TwoBranches(6, 50000)
    zuid_h3 = last.dept("h3", branch=2)
    noord_h3 = last.dept("h3")
    last.departments["h3 zuid"] = zuid_h3  # both in the project (the dict is by code)
    now.dept("h4")  # Noord only: Zuid has closed its afdelingen
    last.placements.append(StudentPlacement(1, "noord", noord_h3.id))
    last.placements.append(StudentPlacement(2, "zuid", zuid_h3.id))
    project = pair(last, now)
    assert {d.branch_of_school for d in project.previous().departments} == {6, 7}  # type: ignore[union-attr]
    ds = doorstroom_of(project)
    assert ds is not None
    assert ds.expected == {now.departments["h4"].id: 2}


def test_a_student_who_may_go_to_several_afdelingen_is_expected_in_equal_parts() -> None:
    last, now = Year(5, 1000), Year(6, 50000)
    last.dept("hv1")  # havo/vwo: to h2 or v2
    last.dept("x1", education="havo/vwo/mavo")  # to h2, v2 or m2 (nobody in it)
    for code in ("h2", "v2", "m2"):
        now.dept(code)
    last.place("brugger", "hv1")  # not placed yet: half expected in h2, half in v2
    ds = doorstroom_of(pair(last, now))
    assert ds is not None
    expected = {d.code: ds.expected.get(d.id) for d in now.departments.values()}
    assert expected == {"h2": 1, "v2": 1, "m2": 0}  # a half rounds up; a third of nobody is 0
