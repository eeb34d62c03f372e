"""Doorstroom: last year's students against this year's project.

The student's code (text, exactly as the portal gives it) links the two years. The words of each
rule are in README's signaleringen table; in short:

- An afdeling's **opleiding**: its `educationType`; else its opleiding keuzevakken; else its code
  without digits. Pseudo afdelingen have none. An opleiding is a set of names ("havo/vwo" is
  havo and vwo), and a student "had" an opleiding when the names meet. Each step of that ladder is
  used only where both years have it at all, so a field one year lacks (not granted, or not in
  the portal) never makes every student look as if they changed opleiding.
- The **examenjaar** of an opleiding: the highest `yearOfEducation` of the non-pseudo afdelingen
  of that opleiding in the two projects together.
- `student-not-placed-next-year`, `student-repeats-year`, `student-changes-education`: worked
  out here, said in `doorstroom_checks`. A student in several afdelingen last year counts with
  each of them; one signalering per student and rule. Students not in the previous project
  (instroom) get none.

`doorstroom_of(project)` computes, once per project, what the checks, the Doorstroom tab, its
sheet and the Overzicht's "verwacht" show, so every figure comes from one place.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import filterfalse
from math import lcm

from zdesk.domain.model import PREVIOUS, Department, Project

_SPLIT = re.compile(r"[/,+&;\s]+")
_DIGITS = re.compile(r"\d+")

NOT_PLACED = "nog niet geplaatst"  # the special columns of the matrix, as the user reads them
EXAM = "examenjaar"
LEFT = "vertrokken"


@lru_cache(maxsize=1024)  # a school has a handful of these texts, each on many afdelingen
def names_of(text: str | None) -> frozenset[str]:
    """ "havo/vwo" -> {havo, vwo}: the names in an educationType or an opleiding keuzevak."""
    if not text:
        return frozenset()
    return frozenset(n for n in _SPLIT.split(text.strip().casefold()) if n)


@dataclass(frozen=True)
class _Ladder:
    """Which steps of the opleiding ladder both years have."""

    education_type: bool
    keuzevakken: bool


def _has_type(project: Project) -> bool:
    return any(d.education_type for d in project.departments if not d.is_pseudo)


def _keuzevak_names(project: Project, department: Department) -> frozenset[str]:
    names: set[str] = set()
    for c in project.choosables_of_department.get(department.id, ()):
        if c.subject_type == "education":
            names |= names_of(c.subject_code or c.subject_name)
    return frozenset(names)


def _has_keuzevakken(project: Project) -> bool:
    return any(
        c.subject_type == "education" and (c.subject_code or c.subject_name)
        for c in project.choosables
    )


def opleiding(project: Project, department: Department, ladder: _Ladder) -> frozenset[str]:
    """The names of the afdeling's opleiding; empty for a pseudo afdeling."""
    if department.is_pseudo:
        return frozenset()
    if ladder.education_type:
        names = names_of(department.education_type)
        if names:
            return names
    if ladder.keuzevakken:
        names = _keuzevak_names(project, department)
        if names:
            return names
    return names_of(_DIGITS.sub("", department.code or ""))


@dataclass
class Doorstroom:
    """Last year's afdelingen against this year's, per student; what every view of it counts."""

    previous: Project
    # (year, afdeling id) -> the names of its opleiding; year 0 is last year's project, 1 this.
    opleidingen: dict[tuple[int, int], frozenset[str]]
    examenjaar: dict[str, int]  # opleiding name -> its highest yearOfEducation
    # Students per flow: last year's afdeling id -> this year's afdeling id -> codes.
    flows: dict[int, dict[int, list[str]]] = field(default_factory=dict)
    # Last year's afdeling id -> codes of students with no afdelingsdeelname this year, by why:
    # NOT_PLACED (the signalering), EXAM (left after the examenjaar), LEFT (otherwise accounted).
    # An afdelingsdeelname in no afdeling of the project (one without departmentOfBranch: the
    # loader keeps none of afdelingen outside the project) is no place in a year either.
    unplaced: dict[str, dict[int, list[str]]] = field(default_factory=dict)
    not_placed: list[str] = field(default_factory=list)  # codes, one each, in order
    repeats: dict[str, list[int]] = field(default_factory=dict)  # code -> this year's afdelingen
    changes: dict[str, list[int]] = field(default_factory=dict)  # code -> this year's afdelingen
    instroom: dict[int, list[str]] = field(default_factory=dict)  # this year's afdeling -> codes
    expected: dict[int, int] = field(default_factory=dict)  # this year's afdeling -> verwacht

    def in_examenjaar(self, year: int, department: Department) -> bool:
        names = self.opleidingen.get((year, department.id), frozenset())
        level = department.year_of_education
        return level is not None and any(level >= self.examenjaar.get(n, level + 1) for n in names)


def doorstroom_of(project: Project) -> Doorstroom | None:
    """The doorstroom of the project, computed when first asked and again once more rows have
    come in; None without a previous project."""
    previous = project.previous()
    if previous is None or project.lacks(PREVIOUS):
        return None
    stamp = (len(project.placements), len(previous.placements), id(previous))
    cached = project.__dict__.get("_doorstroom")
    if cached is not None and cached[0] == stamp:
        return cached[1]
    result = _compute(project, previous)
    project.__dict__["_doorstroom"] = (stamp, result)
    return result


def _compute(project: Project, previous: Project) -> Doorstroom:
    ladder = _Ladder(
        education_type=_has_type(project) and _has_type(previous),
        keuzevakken=_has_keuzevakken(project) and _has_keuzevakken(previous),
    )
    opleidingen = {
        (year, d.id): opleiding(p, d, ladder)
        for year, p in ((0, previous), (1, project))
        for d in p.departments
    }
    examenjaar: dict[str, int] = {}
    for year, p in ((0, previous), (1, project)):
        for d in p.departments:
            if d.year_of_education is None:
                continue
            for n in opleidingen[(year, d.id)]:
                examenjaar[n] = max(examenjaar.get(n, 0), d.year_of_education)
    ds = Doorstroom(previous, opleidingen, examenjaar)
    ds.unplaced = {NOT_PLACED: {}, EXAM: {}, LEFT: {}}
    # Per student, the afdelingen of each year, as the projects' indices hold them.
    before, placed = previous.afdelingen_of_student, project.afdelingen_of_student
    # Students by where they were and are: most share their afdelingen with many others, so each
    # combination is judged once and every list is filled per combination, not per student.
    ways = _ways(before, placed)
    _judge_ways(ds, previous, project, ways)
    instroom = ds.instroom
    for code in filterfalse(before.__contains__, placed):
        for d in placed[code]:
            cell = instroom.get(d)
            if cell is None:
                instroom[d] = [code]
            else:
                cell.append(code)
    ds.expected = _expected(ds, project, previous, ways)
    return ds


# (last year's afdelingen, this year's afdelingen: () when the student's afdelingsdeelnames this
# year are in no afdeling of the project, None when there are none) -> the students who took that
# way, as their positions among last year's students, in that order. Positions, not codes: a cell
# filled by several ways is then put in last year's order by sorting plain ints.
Ways = dict[tuple[tuple[int, ...], tuple[int, ...] | None], list[int]]


def _ways(before: dict[str, tuple[int, ...]], placed: dict[str, tuple[int, ...]]) -> Ways:
    """The ways of last year's students (`before`: their afdelingen then), `placed` those of
    this year's."""
    ways: Ways = {}
    get = ways.get
    for i, key in enumerate(zip(before.values(), map(placed.get, before), strict=True)):
        students = get(key)
        if students is None:
            ways[key] = [i]
        else:
            students.append(i)
    return ways


def _judge_ways(ds: Doorstroom, previous: Project, project: Project, ways: Ways) -> None:
    """Fill the flows, the students without a place, the zittenblijvers and the op- and afstroom
    from the ways; every list in the order of last year's students."""
    last_by_id = previous.department_by_id
    judge = _Judge(ds, previous, project)
    # Students' positions per cell: (last year's afdeling, this year's) for the flows, (why, last
    # year's afdeling) for those without a place this year.
    flows: dict[tuple[int, int], list[int]] = {}
    unplaced: dict[tuple[str, int], list[int]] = {}
    mixed: dict[tuple, list[int]] = {}  # cells filled by several ways, out of order: sorted after
    repeats: dict[int, list[int]] = {}
    changes: dict[int, list[int]] = {}
    not_placed: list[int] = []
    for (last_ids, placed_ids), students in ways.items():
        if placed_ids:
            for d in last_ids:
                for t in placed_ids:
                    _put(flows, (d, t), students, mixed)
            verdict = judge(last_ids, placed_ids)
            if verdict is not None:
                kind, ids = verdict
                into = repeats if kind == "repeat" else changes
                for i in students:
                    into[i] = list(ids)
            continue
        why = _why_unplaced(ds, [last_by_id[i] for i in last_ids])
        for d in last_ids:
            _put(unplaced, (why, d), students, mixed)
        if why == NOT_PLACED:
            not_placed += students
    for cell in mixed.values():
        cell.sort()
    code_at = list(previous.afdelingen_of_student).__getitem__
    for (d, t), cell in flows.items():
        ds.flows.setdefault(d, {})[t] = list(map(code_at, cell))
    for (why, d), cell in unplaced.items():
        ds.unplaced[why][d] = list(map(code_at, cell))
    ds.repeats = {code_at(i): repeats[i] for i in sorted(repeats)}
    ds.changes = {code_at(i): changes[i] for i in sorted(changes)}
    ds.not_placed = list(map(code_at, sorted(set(not_placed))))


def _put(cells: dict, key: tuple, students: list[int], mixed: dict[tuple, list[int]]) -> None:
    """The students of a way into cells[key]. A cell that held students of another way already,
    and no longer in order, goes into `mixed` to be sorted afterwards."""
    cell = cells.get(key)
    if cell is None:
        cells[key] = list(students)
        return
    if cell[-1] > students[0]:
        mixed[key] = cell
    cell += students


def _why_unplaced(ds: Doorstroom, last_depts: list[Department]) -> str:
    """Why a student of last year without a place this year is or is not a signalering."""
    if not last_depts or any(d.is_pseudo for d in last_depts):
        return LEFT  # last year already in #uit (or only in afdelingen not read): accounted for
    if any(ds.in_examenjaar(0, d) for d in last_depts):
        return EXAM
    if any(d.year_of_education is None or not ds.opleidingen.get((0, d.id)) for d in last_depts):
        return LEFT  # an afdeling whose year or opleiding is unknown cannot be judged
    return NOT_PLACED


# What the rules need of an afdeling: its opleiding (empty for a pseudo one) and its leerjaar.
_Sign = tuple[frozenset[str], int | None]


class _Judge:
    """Judges a student placed this year: ("repeat", afdelingen) for a zittenblijver, ("change",
    afdelingen) for op- or afstroom, None otherwise. Asked once per way (`_ways`) with the
    afdelingen as ids; the verdict depends only on the afdelingen's opleiding and leerjaar, so it
    is worked out once per combination of those and shared by every way that has it. Each
    (opleiding, leerjaar) is numbered, so a combination is a pair of tuples of small ints."""

    def __init__(self, ds: Doorstroom, previous: Project, project: Project) -> None:
        opleidingen = ds.opleidingen
        numbers: dict[_Sign, int] = {}
        self.signs: list[_Sign] = []

        def number(sign: _Sign) -> int:
            n = numbers.get(sign)
            if n is None:
                n = numbers[sign] = len(self.signs)
                self.signs.append(sign)
            return n

        self.last: dict[int, int] = {
            d.id: number((opleidingen[(0, d.id)], d.year_of_education))
            for d in previous.departments
        }
        pseudo = project.pseudo_department_ids
        # This year's pseudo afdelingen left out: a placement there is no place in a year.
        self.now: dict[int, int | None] = {
            d.id: None if d.id in pseudo else number((opleidingen[(1, d.id)], d.year_of_education))
            for d in project.departments
        }
        self.verdicts: dict[tuple, tuple[str, frozenset[str]] | None] = {}

    def __call__(
        self, last_ids: tuple[int, ...], placed_ids: tuple[int, ...]
    ) -> tuple[str, list[int]] | None:
        now = self.now
        key = (tuple(map(self.last.__getitem__, last_ids)), tuple(map(now.__getitem__, placed_ids)))
        verdict = self.verdicts.get(key, False)
        if verdict is False:
            signs = self.signs
            verdict = self.verdicts[key] = _verdict(
                tuple(signs[n] for n in key[0]), [signs[n] for n in key[1] if n is not None]
            )
        if verdict is None:
            return None
        kind, repeated = verdict
        real = [t for t in placed_ids if now[t] is not None]
        if kind == "repeat":
            signs = self.signs
            return (kind, [t for t in real if signs[now[t]][0] & repeated])  # type: ignore[index]
        return (kind, real)


def _highest(signs: Iterable[_Sign]) -> dict[str, int]:
    """Per opleiding name: the highest leerjaar among these afdelingen."""
    out: dict[str, int] = {}
    for names, level in signs:
        if level is None:
            continue
        for n in names:
            if out.get(n, -1) < level:
                out[n] = level
    return out


def _verdict(last: tuple[_Sign, ...], real: list[_Sign]) -> tuple[str, frozenset[str]] | None:
    """("repeat", the opleidingen repeated), ("change", none) or None, for a student last year in
    afdelingen like `last` and placed this year in afdelingen like `real` (not pseudo)."""
    if not real:
        return None  # placed only in #uit or the like: accounted for
    had_names = frozenset().union(*(names for names, _ in last))
    if not had_names:
        return None  # last year only in pseudo afdelingen, or their opleiding is unknown
    had = _highest(last)  # per opleiding; without a leerjaar, none
    repeated = frozenset(n for n, level in _highest(real).items() if n in had and level <= had[n])
    if repeated:
        return ("repeat", repeated)
    if any(not names for names, _ in real):
        return None  # an afdeling of this year without a known opleiding: cannot say
    if not any(names & had_names for names, _ in real):
        return ("change", frozenset())
    return None


def branch_keys(project: Project) -> defaultdict[int | None, str]:
    """Per vestiging id, how it is matched across the years: its code, else its name, casefolded
    ("" for a vestiging not known)."""
    keys: defaultdict[int | None, str] = defaultdict(str)
    for b in project.branches:
        keys[b.id] = (b.branch or b.name or "").casefold()
    return keys


def _expected(ds: Doorstroom, project: Project, previous: Project, ways: Ways) -> dict[int, int]:
    """Verwacht per afdeling of this year: last year's students of the same opleiding one year
    lower (of the same vestiging where the vestigingen match by name), minus the examenjaar, plus
    the zittenblijvers placed in it. A student already placed elsewhere (a zittenblijver, op- or
    afstroom) is not expected; one who could go to several afdelingen (a brugklas havo/vwo to h2
    and v2) counts where they are placed, and while not placed in equal parts."""
    this_key, last_key = branch_keys(project), branch_keys(previous)
    this_branches = {this_key[d.branch_of_school] for d in project.departments}  # type: ignore[index]
    # This year's real afdelingen by leerjaar and opleiding name, with their vestiging.
    by_name: defaultdict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    for d in project.departments:
        if not d.is_pseudo and d.year_of_education is not None:
            for n in ds.opleidingen.get((1, d.id), ()):
                by_name[(d.year_of_education, n)].append((d.id, this_key[d.branch_of_school]))
    candidates_of: dict[int, list[int]] = {}
    made: dict[tuple, list[int]] = {}  # afdelingen alike (leerjaar, opleiding, vestiging) share
    for last in previous.departments:
        if last.is_pseudo or last.year_of_education is None or ds.in_examenjaar(0, last):
            continue
        names = ds.opleidingen.get((0, last.id), frozenset())
        key = last_key[last.branch_of_school]
        alike = (last.year_of_education, names, key)
        candidates = made.get(alike)
        if candidates is None:
            same_branch = key in this_branches
            level = last.year_of_education + 1
            candidates = made[alike] = list(
                dict.fromkeys(
                    d
                    for n in names
                    for d, its_branch in by_name.get((level, n), ())
                    if not same_branch or its_branch == key
                )
            )
        candidates_of[last.id] = candidates
    # A student not placed yet is expected in each of their n candidates for 1/n: counted
    # exactly in units of 1/unit, unit a common multiple of every n.
    unit = lcm(*{len(c) for c in candidates_of.values() if c})
    shares: Counter[int] = Counter()
    for (last_ids, placed_ids), students in ways.items():
        for last_id in last_ids:
            candidates = candidates_of.get(last_id)
            if not candidates:
                continue
            if not placed_ids:  # not placed yet: expected in each candidate, in equal parts
                share = len(students) * (unit // len(candidates))
                for d in candidates:
                    shares[d] += share
                continue
            # Placed: counts where it went; placed elsewhere (zittenblijver, afstroom): not coming.
            for t in placed_ids:
                if t in candidates:
                    shares[t] += len(students) * unit
                    break
    for depts in ds.repeats.values():
        for d in depts:
            shares[d] += unit
    # Every afdeling the doorstroom feeds has a figure, 0 included; one it does not feed (a
    # brugklas: its students come from outside) has none. Rounded half up, as int(x + 1/2).
    fed = {d for candidates in candidates_of.values() for d in candidates}
    return {d: (2 * shares.get(d, 0) + unit) // (2 * unit) for d in fed | shares.keys()}
