"""Small hand-made projects for check tests: a builder that fills in the boring parts."""

from __future__ import annotations

from zdesk.domain.model import (
    Branch,
    Choosable,
    Department,
    MissingRight,
    PlannedGroup,
    Project,
    ProjectInfo,
    ScheduleGroup,
    SelectedSubject,
    StudentPlacement,
)


class Build:
    def __init__(self) -> None:
        self.branches = [Branch(1, 9, "NRD", "Noord"), Branch(2, 9, "ZUI", "Zuid")]
        self.departments: list[Department] = []
        self.choosables: list[Choosable] = []
        self.planned: list[PlannedGroup] = []
        self.groups: list[ScheduleGroup] = []
        self.placements: list[StudentPlacement] = []
        self.missing: list[MissingRight] = []
        self.selected: list[SelectedSubject] = []
        self._ids = iter(range(1000, 100000))

    def dept(self, code: str, level: int, branch: int = 1, max_size: int | None = 30) -> int:
        d = Department(
            next(self._ids),
            branch,
            code,
            level,
            educations=[],
            school_in_school_year=9,
            max_group_size=max_size,
        )
        self.departments.append(d)
        return d.id

    def choosable(self, dept: int, code: str = "ak", kind: str | None = "subject") -> int:
        c = Choosable(next(self._ids), dept, code, code.upper(), kind)
        self.choosables.append(c)
        return c.id

    def group(self, dept: int, name: str, main: bool = False, mentor: bool = False) -> int:
        code = next(d.code for d in self.departments if d.id == dept)
        g = ScheduleGroup(next(self._ids), dept, name, f"{code}.{name}", main, mentor)
        self.groups.append(g)
        return g.id

    def plan(self, choosable: int, group: int | None, rank: int = 1) -> int:
        pg = PlannedGroup(
            next(self._ids), choosable, group, None, None, None, "ak", f"ak.grp{rank}", rank
        )
        self.planned.append(pg)
        return pg.id

    def place(self, student: str, dept: int, groups: list[int] | None) -> int:
        p = StudentPlacement(next(self._ids), student, dept, groups)
        self.placements.append(p)
        return p.id

    def fill(self, dept: int, group: int, n: int, prefix: str = "s") -> None:
        for i in range(n):
            self.place(f"{prefix}{group}-{i}", dept, [group])

    def choose(self, placement: int, choosable: int, exemption: bool = False) -> int:
        s = SelectedSubject(next(self._ids), placement, choosable, None, None, exemption)
        self.selected.append(s)
        return s.id

    def project(self) -> Project:
        project = Project(
            ProjectInfo(9, name="Testschool 2026-2027"),
            self.branches,
            self.departments,
            self.choosables,
            self.planned,
            self.groups,
            self.placements,
            missing_rights=self.missing,
            selected_subjects=self.selected,
        )
        return project
