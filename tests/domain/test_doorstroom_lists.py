"""The doorstroom's lists against a plain reference, student by student, on random schools.

The doorstroom groups students who share their afdelingen of both years and fills its lists per
group; this reference walks last year's students one by one. Both must give the same students in
the same cells, in last year's order. (The load keeps no afdelingsdeelname of an afdeling
outside the project; ones without an afdeling are generated here.)
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.domain.test_doorstroom import Year, pair
from zdesk.domain.doorstroom import NOT_PLACED, _why_unplaced, doorstroom_of
from zdesk.domain.model import StudentPlacement

LAST = ("h3", "h4", "h5", "v5", "#uit")
NOW = ("h4", "h5", "v6", "m4", "#uit")

# Per student: last year's afdelingen and this year's, by index (None: no afdeling); mostly the
# first two, so that many students share a way and ways meet in one cell out of order.
afdelingen = st.lists(
    st.one_of(st.sampled_from((0, 1, 1, 0)), st.none(), st.integers(0, 4)), max_size=2
)
students = st.lists(st.tuples(afdelingen, afdelingen), min_size=5, max_size=40)
# Ways that meet out of order: h4 -> h4 (a zittenblijver), then h4 and h3 -> h4, then h4 -> h4
# again; and h4 -> m4, h3 -> m4, h4 -> m4 (afstroom). The cells and the zittenblijvers and
# afstroom must come out in last year's order.
MEETING = [
    ([1], [0]),
    ([1, 0], [0]),
    ([1], [0]),
    ([0], [0]),
    ([1, 0], [0]),
    ([1], []),
    ([1], [3]),
    ([0], [3]),
    ([1], [3]),
]


def _school(rows: list[tuple[list, list]]):
    last, now = Year(5, 1000), Year(6, 50000)
    for code in LAST:
        last.dept(code)
    for code in NOW:
        now.dept(code)
    ids = iter(range(900_000, 999_000))
    for n, (before, after) in enumerate(rows):
        code = f"{n:04d}"  # a leading zero: the code stays text
        for year, codes, chosen in ((last, LAST, before), (now, NOW, after)):
            for i in chosen:
                d = None if i is None else year.departments[codes[i]].id
                year.placements.append(StudentPlacement(next(ids), code, d))
    return last, now


@settings(max_examples=150, deadline=None)
@given(students)
@example(MEETING)
def test_every_list_as_a_student_by_student_walk_gives_it(rows) -> None:
    last, now = _school(rows)
    project = pair(last, now)
    ds = doorstroom_of(project)
    assert ds is not None
    previous = ds.previous
    flows: dict[int, dict[int, list[str]]] = {}
    unplaced: dict[str, dict[int, list[str]]] = {}
    instroom: dict[int, list[str]] = {}
    not_placed: list[str] = []
    known_last, known_now = previous.department_by_id, project.department_by_id
    for code, placements in previous.placements_of_student.items():
        was = list(dict.fromkeys(p.department_of_branch for p in placements))
        was = [d for d in was if d in known_last]
        mine = project.placements_of_student.get(code, ())
        now_ids = [d for d in dict.fromkeys(p.department_of_branch for p in mine)]
        now_ids = [d for d in now_ids if d in known_now]
        for d in was:
            for t in now_ids:
                flows.setdefault(d, {}).setdefault(t, []).append(code)
        if now_ids:
            continue
        why = _why_unplaced(ds, [known_last[d] for d in was])
        for d in was:
            unplaced.setdefault(why, {}).setdefault(d, []).append(code)
        if why == NOT_PLACED:
            not_placed.append(code)
    for code, placements in project.placements_of_student.items():
        if code not in previous.placements_of_student:
            for t in dict.fromkeys(p.department_of_branch for p in placements):
                if t in known_now:
                    instroom.setdefault(t, []).append(code)
    assert _sorted(ds.flows) == _sorted(flows)
    assert {why: _sorted(cells) for why, cells in ds.unplaced.items() if cells} == {
        why: _sorted(cells) for why, cells in unplaced.items()
    }
    assert ds.not_placed == not_placed
    assert _sorted(ds.instroom) == _sorted(instroom)
    # Every zittenblijver and op- or afstroom is a student placed this year, in last year's order.
    order = list(previous.placements_of_student)
    for found in (ds.repeats, ds.changes):
        assert list(found) == sorted(found, key=order.index)
        assert all(project.placements_of_student.get(code) for code in found)


def _sorted(cells: dict) -> dict:
    """The same cells with their keys in one order (the lists keep theirs)."""
    return {k: _sorted(v) if isinstance(v, dict) else v for k, v in sorted(cells.items())}
