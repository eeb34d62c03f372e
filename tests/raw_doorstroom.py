"""The doorstroom matrix counted straight from a fake portal's rows, apart from zdesk's own code.

The Doorstroom tab's and sheet's tests compare what zdesk shows with this count, cell for cell:
the codes are the portal's, as text; why a student of last year has no place this year is the
reason the demo school planted (`anomalies`), not zdesk's rules.
"""

from __future__ import annotations

from collections import defaultdict

from zdesk.demo.data import PortalData

NOT_PLACED, EXAM, LEFT, TOTAL = "nog niet geplaatst", "examenjaar", "vertrokken", "Totaal"


def previous_id(school: PortalData) -> int:
    projects = {r["id"]: r for r in school.rows["schoolsinschoolyears"]}
    now = projects[school.current_project]
    return next(
        pid
        for pid, r in projects.items()
        if r["school"] == now["school"] and r["year"] == now["year"] - 1
    )


def _placed(school: PortalData, pid: int) -> dict[str, list[str]]:
    """Student code (text) -> the codes of their afdelingen, each once."""
    codes = {r["id"]: r["code"] for r in school.rows_of("departmentsofbranches", pid)}
    out: defaultdict[str, list[str]] = defaultdict(list)
    for r in school.rows_of("studentsindepartments", pid):
        code = codes[r["departmentOfBranch"]]
        if code not in out[str(r["student"])]:
            out[str(r["student"])].append(code)
    return dict(out)


def expected_students(school: PortalData) -> dict[tuple[str, str], set[str]]:
    """(last year's afdeling, this year's afdeling or why not placed) -> the students' codes,
    with the totals under TOTAL (each student once); one vestiging, so afdelingen by code."""
    planted = school.anomalies[school.current_project]
    now = _placed(school, school.current_project)
    cells: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for code, last in _placed(school, previous_id(school)).items():
        if code in now:
            targets = now[code]
        elif code in planted.not_placed_next_year:
            targets = [NOT_PLACED]
        elif code in planted.exam_leavers:
            targets = [EXAM]
        else:
            targets = [LEFT]
        for row in last:
            for column in targets:
                for key in ((row, column), (row, TOTAL), (TOTAL, column), (TOTAL, TOTAL)):
                    cells[key].add(code)
    return dict(cells)
