"""The formatie overview on hand-made projects: summaries per vestiging and afdeling, the matrix
afdeling x vak with its totals, and its agreement with the checks."""

from __future__ import annotations

from zdesk.domain.checks import run_checks
from zdesk.domain.findings import CheckOptions, Finding
from zdesk.domain.formatie import TOO_FEW, TOO_MANY, UNREALISED, Cell, build_formatie
from zdesk.domain.formatie_checks import planned_groups_too_few, planned_groups_too_many
from zdesk.domain.known import KnownMark, known_key
from zdesk.domain.locate import departments_of
from zdesk.domain.model import MissingRight
from zdesk.domain.severity import Severity

from .factory import Build


def school():
    """Noord: h1 (no keuzes, 40 students) and h4 (keuzes); Zuid: v4 (keuzes) and a #uit afdeling."""
    b = Build()
    h1 = b.dept("h1", 1, branch=1, max_size=None)
    h4 = b.dept("h4", 4, branch=1, max_size=20)
    v4 = b.dept("v4", 4, branch=2, max_size=30)
    uit = b.dept("#uit", 4, branch=2)
    b.choosable(h1, "ng", kind="profile")  # structure: no cell
    ne1 = b.choosable(h1, "ne")
    h1a, h1b = b.group(h1, "h1a", main=True), b.group(h1, "h1b", main=True)
    b.plan(ne1, h1a)
    b.plan(ne1, h1b, rank=2)
    for i in range(40):
        b.place(f"o{i}", h1, [h1a if i % 2 else h1b])
    ak4, bi4 = b.choosable(h4, "ak"), b.choosable(h4, "bi")
    ak1 = b.group(h4, "ak1")
    b.plan(ak4, ak1)  # 25 choose ak with max 20: too few
    b.plan(bi4, None)  # bi: nobody, one planned unrealised: too many and not realised
    for i in range(25):
        b.choose(b.place(f"h{i}", h4, [ak1]), ak4)
    b.place("o0", h4, [])  # a student in two afdelingen: counted once in Noord
    ak_v = b.choosable(v4, "ak")
    akv1 = b.group(v4, "ak1")
    b.plan(ak_v, akv1)
    b.plan(ak_v, None, rank=2)
    for i in range(10):
        b.choose(b.place(f"v{i}", v4, [akv1]), ak_v)
    b.choosable(uit, "ak")
    b.place("x", uit, [])
    return b, dict(h1=h1, h4=h4, v4=v4, ne1=ne1, ak4=ak4, bi4=bi4, ak_v=ak_v, ak1=ak1)


def test_matrix_cells():
    b, ids = school()
    f = build_formatie(b.project())
    assert [r.department.code for r in f.rows] == ["h1", "h4", "v4"]
    assert f.subjects == ["ak", "bi", "ne"]
    h1, h4, v4 = f.rows
    assert h1.without_choices and not h4.without_choices and f.choices_known
    assert h1.cells["ne"] == Cell(40, 2, 2, 2, 40, 2, (ids["ne1"],), per_class=True)
    assert h1.cells["ne"].average_size == 20 and h1.cells["ne"].flags == ()
    assert h4.cells["ak"] == Cell(25, 2, 1, 1, 25, 1, (ids["ak4"],))
    assert h4.cells["ak"].flags == (TOO_FEW,)
    assert h4.cells["bi"] == Cell(0, 0, 1, 0, 0, 0, (ids["bi4"],))
    assert h4.cells["bi"].flags == (TOO_MANY, UNREALISED)
    assert h4.cells["bi"].average_size is None
    assert v4.cells["ak"].flags == (TOO_MANY, UNREALISED)
    assert set(v4.cells) == {"ak"}


def test_totals_per_row_column_vestiging_and_whole():
    b, _ = school()
    f = build_formatie(b.project())
    h1, h4, _v4 = f.rows
    assert (h4.total.students, h4.total.needed, h4.total.planned, h4.total.realised) == (
        25,
        2,
        2,
        1,
    )
    assert h4.total.problems == 2 and h1.total.problems == 0
    ak = f.column_totals["ak"]
    assert (ak.students, ak.needed, ak.planned, ak.realised, ak.problems) == (35, 3, 3, 2, 2)
    assert ak.average_size == 35 / 2
    assert (f.total.students, f.total.planned, f.total.realised, f.total.problems) == (
        75,
        6,
        4,
        3,
    )
    noord, zuid = f.branches
    assert [r.department.code for r in noord.departments] == ["h1", "h4"]
    assert noord.students == 65  # o0 is in h1 and h4: one student
    assert (h1.students, h4.students) == (40, 26)
    assert zuid.students == 10 and f.students == 75
    assert (noord.total.planned, noord.total.realised) == (4, 3)


def test_pseudo_afdelingen_and_profielen_have_no_row_or_column():
    b, _ = school()
    f = build_formatie(b.project())
    assert "#uit" not in [r.department.code for r in f.rows]
    assert "ng" not in f.subjects


def test_the_matrix_agrees_with_the_checks():
    b, _ = school()
    project = b.project()
    options = CheckOptions()
    f = build_formatie(project, options)
    few = {oid for _, _, oid, _ in planned_groups_too_few(project, options)}
    many = {oid for _, _, oid, _ in planned_groups_too_many(project, options)}
    cells = [c for r in f.rows for c in r.cells.values()]
    assert few == {k for c in cells if c.too_few for k in c.choosables}
    assert many == {k for c in cells if c.too_many for k in c.choosables}


def test_the_default_maximum_applies_where_the_afdeling_has_none():
    b, ids = school()
    b.plan(b.choosable(ids["h1"], "gs"), None)  # not realised: counted by students
    f = build_formatie(b.project(), CheckOptions(default_max_group_size=15))
    assert f.rows[0].cells["gs"].needed == 3 and f.rows[0].cells["gs"].too_few
    # ne is taught in h1's two stamklassen: two groups, whatever the maximum.
    assert f.rows[0].cells["ne"].needed == 2 and not f.rows[0].cells["ne"].too_few
    assert f.rows[1].cells["ak"].needed == 2  # h4 has its own maximum
    assert f.default_max_group_size == 15


def test_findings_counted_per_afdeling_and_vestiging():
    b, ids = school()
    project = b.project()
    findings = [
        Finding("x", Severity.FOUT, "student", "o0", ""),  # placed in h1 and in h4
        Finding("x", Severity.WAARSCHUWING, "choosable", ids["ak4"], ""),
        Finding("x", Severity.INFO, "group", ids["ak1"], ""),
        Finding("x", Severity.INFO, "department", ids["v4"], ""),
        Finding(
            "x", Severity.INFO, "planned_group", project.planned_of_choosable[ids["ak_v"]][0].id, ""
        ),
    ]
    f = build_formatie(project, findings=findings)
    h1, h4, v4 = f.rows
    assert h1.findings == {Severity.FOUT: 1, Severity.WAARSCHUWING: 0, Severity.INFO: 0}
    # The student's fout counts in both afdelingen: neither looks ready while it is open...
    assert h4.findings == {Severity.FOUT: 1, Severity.WAARSCHUWING: 1, Severity.INFO: 1}
    assert v4.findings[Severity.INFO] == 2
    # ...and once in their vestiging.
    assert f.branches[0].findings == {Severity.FOUT: 1, Severity.WAARSCHUWING: 1, Severity.INFO: 1}
    assert f.branches[1].findings == {Severity.FOUT: 0, Severity.WAARSCHUWING: 0, Severity.INFO: 2}
    assert not h1.ready and not h4.ready and not v4.ready


def test_signaleringen_marked_bekend_count_apart_and_do_not_keep_an_afdeling_from_ready():
    b, ids = school()
    project = b.project()
    run = run_checks(project)
    h4_findings = [
        f
        for f in run.findings
        if f.object_type == "choosable" and f.object_id in (ids["ak4"], ids["bi4"])
    ]
    h4_findings += [
        f
        for f in run.findings
        if f.object_type == "planned_group"
        and project.planned_by_id[f.object_id].choosable_in_department == ids["bi4"]
    ]
    assert {f.check for f in h4_findings} >= {"planned-groups-too-few", "planned-groups-too-many"}
    before = build_formatie(project, run.options, run.findings).rows[1]
    assert not before.ready and before.known == 0
    assert "1 vak te weinig groepen" in before.reasons

    # Everything said of h4 marked bekend (the vakken's flags among it).
    everything = [f for f in run.findings if ids["h4"] in located(project, f)]
    marks = {
        known_key(f): KnownMark(*known_key(f), note=f"afgesproken {i}")
        for i, f in enumerate(everything)
    }
    f = build_formatie(project, run.options, run.findings, marks)
    h4 = f.rows[1]
    assert h4.known == len(everything) == sum(before.findings.values())
    assert sorted(h4.notes) == sorted(m.note for m in marks.values())
    assert h4.accepted == {"ak", "bi"}
    assert sum(h4.findings.values()) == 0
    assert h4.ready and h4.reasons == []
    assert f.branches[0].known == len({known_key(f) for f in everything})
    # Only the signaleringen of the vakken marked: the vakken are handled, the rest is open.
    marks = {known_key(f): KnownMark(*known_key(f)) for f in h4_findings}
    h4 = build_formatie(project, run.options, run.findings, marks).rows[1]
    assert h4.accepted == {"ak", "bi"} and h4.known == len(h4_findings)
    assert not any("vak" in r for r in h4.reasons) and not h4.ready
    # A mark on only one of a vak's flags leaves it open.
    one = {known_key(h4_findings[0]): KnownMark(*known_key(h4_findings[0]))}
    assert not build_formatie(project, run.options, run.findings, one).rows[1].ready


def located(project, finding):
    return {d.id for d in departments_of(project, finding.object_type, finding.object_id)}


def test_reasons_in_words():
    b, _ = school()
    project = b.project()
    findings = [Finding("x", Severity.FOUT, "student", f"h{i}", "") for i in range(3)]
    f = build_formatie(project, findings=findings)
    assert f.rows[1].reasons == [
        "3 fouten",
        "1 vak te weinig groepen",
        "1 vak te veel groepen",
        "1 vak niet gerealiseerd",
    ]
    assert f.branches[0].reasons == ["1 afdeling niet klaar"] and not f.branches[0].ready


def test_ready_afdeling():
    b = Build()
    d = b.dept("h1", 1)
    ne = b.choosable(d, "ne")
    g = b.group(d, "h1a", main=True)
    b.plan(ne, g)
    for i in range(20):
        b.place(str(i), d, [g])
    (row,) = build_formatie(b.project()).rows
    assert row.ready and row.cells["ne"].flags == ()


def test_without_pakketkeuzes_every_student_counts_and_says_so():
    b, _ = school()
    b.missing.append(MissingRight("selectedsubjects"))
    f = build_formatie(b.project())
    assert not f.choices_known
    h4 = f.rows[1]
    assert h4.without_choices
    assert h4.cells["ak"].students == h4.cells["bi"].students == 26


def test_without_afdelingsdeelnames_groups_are_shown_and_students_unknown():
    b, _ = school()
    b.missing.append(MissingRight("studentsindepartments"))
    f = build_formatie(b.project())
    h4 = f.rows[1]
    assert h4.students is None and h4.cells["ak"].students is None
    assert h4.cells["ak"].needed is None and h4.cells["ak"].flags == ()
    assert h4.cells["bi"].flags == (UNREALISED,)
    assert (h4.total.planned, h4.total.realised, h4.total.students) == (2, 1, None)
    assert f.students is None


def test_two_keuzevakken_with_one_code_share_a_cell():
    b = Build()
    d = b.dept("h1", 1)
    first, second = b.choosable(d, "ne"), b.choosable(d, "ne")
    b.plan(first, None)
    b.plan(second, None)
    b.place("1", d, [])
    (row,) = build_formatie(b.project()).rows
    assert row.cells["ne"].choosables == (first, second)
    assert (row.cells["ne"].planned, row.cells["ne"].needed) == (2, 2)


def test_empty_project():
    f = build_formatie(Build().project())
    assert f.rows == [] and f.subjects == [] and f.total.planned == 0
