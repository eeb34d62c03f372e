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
- `student-not-placed-next-year`, `student-repeats-year`, `student-changes-education`: the checks
  below. A student in several afdelingen last year counts with each of them; one signalering per
  student and rule. Students not in the previous project (instroom) get none.

`doorstroom_of(project)` computes, once per project, what the checks, the Doorstroom tab, its
sheet and the Overzicht's "verwacht" show, so every figure comes from one place.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction

from zdesk.domain.findings import CheckOptions, Found
from zdesk.domain.model import PREVIOUS, Department, Project, StudentPlacement
from zdesk.domain.severity import Severity

_SPLIT = re.compile(r"[/,+&;\s]+")
_DIGITS = re.compile(r"\d+")

NOT_PLACED = "nog niet geplaatst"  # the special columns of the matrix, as the user reads them
EXAM = "examenjaar"
LEFT = "vertrokken"
# Placed this year, but only in afdelingen zdesk does not know (not read, or no departmentOfBranch):
# the student has an afdelingsdeelname, so is not "nog niet geplaatst".
UNKNOWN = "onbekende afdeling"


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
    # NOT_PLACED (the signalering), EXAM (left after the examenjaar), LEFT (otherwise accounted);
    # and UNKNOWN: placed this year, but only in afdelingen not known.
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
    ds.unplaced = {NOT_PLACED: {}, EXAM: {}, LEFT: {}, UNKNOWN: {}}
    before, now = previous.placements_of_student, project.placements_of_student
    # Students by where they were and are: most share their afdelingen with many others, so each
    # combination is judged once and every list is filled per combination, not per student.
    ways = _ways(before, now, previous.department_by_id, project.department_by_id)
    _judge_ways(ds, previous, project, ways)
    instroom = ds.instroom
    this_by_id = project.department_by_id
    for code, placements in now.items():
        if code in before:
            continue
        if len(placements) == 1:  # most: one afdeling
            d = placements[0].department_of_branch
            if d in this_by_id:
                instroom.setdefault(d, []).append(code)  # type: ignore[arg-type]
            continue
        for d in _ids(placements, this_by_id):
            instroom.setdefault(d, []).append(code)
    ds.expected = _expected(ds, project, previous, ways)
    return ds


# (last year's afdelingen, this year's afdelingen or None when the student has no afdelingsdeelname
# at all this year) -> the codes of the students who took that way, in last year's order.
Ways = dict[tuple[tuple[int, ...], tuple[int, ...] | None], list[str]]


def _ways(
    before: dict[str, list[StudentPlacement]],
    now: dict[str, list[StudentPlacement]],
    last_by_id: dict[int, Department],
    this_by_id: dict[int, Department],
) -> Ways:
    ways: Ways = {}
    get = ways.get
    # One afdeling each (most students): its id as a tuple made once per afdeling, not per student.
    last_one = {d: (d,) for d in last_by_id}.get
    this_one = {d: (d,) for d in this_by_id}.get
    for code, last in before.items():
        if len(last) == 1:  # inlined: this loop is the cost
            last_ids = last_one(last[0].department_of_branch, ())  # type: ignore[arg-type]
        else:
            last_ids = _ids(last, last_by_id)
        placements = now.get(code)
        if not placements:
            placed_ids: tuple[int, ...] | None = None
        elif len(placements) == 1:
            placed_ids = this_one(placements[0].department_of_branch, ())  # type: ignore[arg-type]
        else:
            placed_ids = _ids(placements, this_by_id)
        key = (last_ids, placed_ids)
        codes = get(key)
        if codes is None:
            ways[key] = [code]
        else:
            codes.append(code)
    return ways


def _judge_ways(ds: Doorstroom, previous: Project, project: Project, ways: Ways) -> None:
    """Fill the flows, the students without a place, the zittenblijvers and the op- and afstroom
    from the ways; every list in the order of last year's students."""
    last_by_id = previous.department_by_id
    flows, unplaced = ds.flows, ds.unplaced
    judge = _Judge(ds, previous, project)
    mixed: set[tuple[int, int]] = set()  # cells filled by more than one way: put in order after
    mixed_unplaced: set[tuple[str, int]] = set()
    repeats: dict[str, list[int]] = {}
    changes: dict[str, list[int]] = {}
    not_placed: set[str] = set()
    for (last_ids, placed_ids), codes in ways.items():
        if placed_ids:
            for d in last_ids:
                row = flows.setdefault(d, {})
                for t in placed_ids:
                    if _put(row, t, codes):
                        mixed.add((d, t))
            verdict = judge(last_ids, placed_ids)
            if verdict is not None:
                kind, ids = verdict
                into = repeats if kind == "repeat" else changes
                for code in codes:
                    into[code] = list(ids)
            continue
        if placed_ids is None:
            why = _why_unplaced(ds, [last_by_id[i] for i in last_ids])
        else:  # an afdelingsdeelname this year, in no afdeling known: placed, but not shown where
            why = UNKNOWN
        column = unplaced[why]
        for d in last_ids:
            if _put(column, d, codes):
                mixed_unplaced.add((why, d))
        if why == NOT_PLACED:
            not_placed.update(codes)
    if not (mixed or mixed_unplaced or len(repeats) + len(changes) + len(not_placed) > 1):
        ds.repeats, ds.changes, ds.not_placed = repeats, changes, list(not_placed)
        return
    order = {code: i for i, code in enumerate(previous.placements_of_student)}
    position = order.__getitem__
    for d, t in mixed:
        flows[d][t].sort(key=position)
    for why, d in mixed_unplaced:
        unplaced[why][d].sort(key=position)
    ds.repeats = {code: repeats[code] for code in sorted(repeats, key=position)}
    ds.changes = {code: changes[code] for code in sorted(changes, key=position)}
    ds.not_placed = sorted(not_placed, key=position)


def _put(cells: dict[int, list[str]], key: int, codes: list[str]) -> bool:
    """The codes into cells[key]; True when the cell held codes of another way already (then
    it is put in last year's order afterwards)."""
    cell = cells.get(key)
    if cell is None:
        cells[key] = list(codes)
        return False
    cell += codes
    return True


def _ids(placements: Iterable[StudentPlacement], by_id: dict[int, Department]) -> tuple[int, ...]:
    """The afdelingen of a student's placements, each once, in order; unknown ids left out."""
    ids = [p.department_of_branch for p in placements]
    if len(ids) == 1:
        return (ids[0],) if ids[0] in by_id else ()  # type: ignore[return-value]
    return tuple(i for i in dict.fromkeys(ids) if i in by_id)  # type: ignore[misc]


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
    is worked out once per combination of those and shared by every way that has it."""

    def __init__(self, ds: Doorstroom, previous: Project, project: Project) -> None:
        opleidingen = ds.opleidingen
        self.last: dict[int, _Sign] = {
            d.id: (opleidingen[(0, d.id)], d.year_of_education) for d in previous.departments
        }
        pseudo = project.pseudo_department_ids
        # This year's pseudo afdelingen left out: a placement there is no place in a year.
        self.now: dict[int, _Sign | None] = {
            d.id: None if d.id in pseudo else (opleidingen[(1, d.id)], d.year_of_education)
            for d in project.departments
        }
        self.verdicts: dict[tuple, tuple[str, frozenset[str]] | None] = {}

    def __call__(
        self, last_ids: tuple[int, ...], placed_ids: tuple[int, ...]
    ) -> tuple[str, list[int]] | None:
        now = self.now
        key = (tuple(self.last[d] for d in last_ids), tuple(now[t] for t in placed_ids))
        verdict = self.verdicts.get(key, False)
        if verdict is False:
            verdict = self.verdicts[key] = _verdict(key[0], [s for s in key[1] if s is not None])
        if verdict is None:
            return None
        kind, repeated = verdict
        real = [t for t in placed_ids if now[t] is not None]
        if kind == "repeat":
            return (kind, [t for t in real if now[t][0] & repeated])  # type: ignore[index]
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


def _branch_key(project: Project, department: Department) -> str:
    branch = project.branch_of(department)
    return (branch.branch or branch.name or "").casefold() if branch is not None else ""


def _expected(ds: Doorstroom, project: Project, previous: Project, ways: Ways) -> dict[int, int]:
    """Verwacht per afdeling of this year: last year's students of the same opleiding one year
    lower (of the same vestiging where the vestigingen match by name), minus the examenjaar, plus
    the zittenblijvers placed in it. A student already placed elsewhere (a zittenblijver, op- or
    afstroom) is not expected; one who could go to several afdelingen (a brugklas havo/vwo to h2
    and v2) counts where they are placed, and while not placed in equal parts."""
    this_branches = {_branch_key(project, d) for d in project.departments}
    # This year's real afdelingen by leerjaar, with their opleiding and vestiging (asked once).
    by_level: defaultdict[int, list[tuple[int, frozenset[str], str]]] = defaultdict(list)
    for d in project.departments:
        if not d.is_pseudo and d.year_of_education is not None:
            names = ds.opleidingen.get((1, d.id), frozenset())
            by_level[d.year_of_education].append((d.id, names, _branch_key(project, d)))
    candidates_of: dict[int, list[int]] = {}
    for last in previous.departments:
        if last.is_pseudo or last.year_of_education is None or ds.in_examenjaar(0, last):
            continue
        names = ds.opleidingen.get((0, last.id), frozenset())
        key = _branch_key(previous, last)
        same_branch = key in this_branches
        candidates_of[last.id] = [
            d
            for d, its_names, its_branch in by_level.get(last.year_of_education + 1, ())
            if its_names & names and (not same_branch or its_branch == key)
        ]
    whole: Counter[int] = Counter()
    parts: defaultdict[int, Fraction] = defaultdict(Fraction)  # a share of a student, exactly
    for (last_ids, placed_ids), codes in ways.items():
        for last_id in last_ids:
            candidates = candidates_of.get(last_id)
            if not candidates:
                continue
            if placed_ids is None:  # not placed yet: expected in each candidate, in equal parts
                share = Fraction(len(codes), len(candidates))
                for d in candidates:
                    parts[d] += share
                continue
            # Placed: counts where it went; placed elsewhere (zittenblijver, afstroom): not coming.
            went = next((t for t in placed_ids if t in candidates), None)
            if went is not None:
                whole[went] += len(codes)
    for depts in ds.repeats.values():
        whole.update(depts)
    half = Fraction(1, 2)
    # Every afdeling the doorstroom feeds has a figure, 0 included; one it does not feed (a
    # brugklas: its students come from outside) has none.
    fed = {d for candidates in candidates_of.values() for d in candidates}
    return {
        d: int(whole.get(d, 0) + parts.get(d, 0) + half) for d in fed | whole.keys() | parts.keys()
    }


# ---- the checks ---------------------------------------------------------------------------------


def _labels(project: Project, ids: Iterable[int]) -> str:
    by_id = project.department_by_id
    return ", ".join(by_id[i].label for i in ids if i in by_id)


def _project_name(project: Project) -> str:
    return project.info.label


def student_not_placed_next_year(project: Project, _o: CheckOptions) -> Iterator[Found]:
    ds = doorstroom_of(project)
    if ds is None:
        return
    for code in ds.not_placed:
        yield (
            Severity.WAARSCHUWING,
            "student",
            code,
            f"Leerling {code} zat vorig jaar in {_was(ds, code)} ({_project_name(ds.previous)}) "
            f"en heeft nog geen afdeling in {_project_name(project)}.",
        )


def _was(ds: Doorstroom, code: str) -> str:
    last = ds.previous
    depts = [p.department_of_branch for p in last.placements_of_student.get(code, ())]
    return _labels(last, dict.fromkeys(depts))  # type: ignore[arg-type]


def _placed(project: Project, placed: dict[str, list[int]], what: str) -> Iterator[Found]:
    """Info per student placed this year (a zittenblijver, op- or afstroom): `what` it is."""
    ds = doorstroom_of(project)
    assert ds is not None  # asked only with a doorstroom
    for code, depts in placed.items():
        yield (
            Severity.INFO,
            "student",
            code,
            f"Leerling {code} zat vorig jaar in {_was(ds, code)} en is nu geplaatst in "
            f"{_labels(project, depts)}: {what}.",
        )


def student_repeats_year(project: Project, _o: CheckOptions) -> Iterator[Found]:
    ds = doorstroom_of(project)
    if ds is not None:
        yield from _placed(project, ds.repeats, "blijft zitten (de mentor moet het weten)")


def student_changes_education(project: Project, _o: CheckOptions) -> Iterator[Found]:
    ds = doorstroom_of(project)
    if ds is not None:
        yield from _placed(project, ds.changes, "een andere opleiding (op- of afstroom)")


PLACEMENTS = ("studentsindepartments", None)
YEAR = ("departmentsofbranches", "yearOfEducation")
# The previous project is found by the school and year of this one (`loading.previous`).
PREVIOUS_NEED = (
    (PREVIOUS, None),
    ("schoolsinschoolyears", "school"),
    ("schoolsinschoolyears", "year"),
)

# (id, title, needs, run) for `checks.CHECKS`.
DOORSTROOM_CHECKS = (
    (
        "student-not-placed-next-year",
        "Nog niet geplaatst",
        (PLACEMENTS, YEAR, *PREVIOUS_NEED),  # the examenjaar is a yearOfEducation
        student_not_placed_next_year,
    ),
    (
        "student-repeats-year",
        "Zittenblijver",
        (PLACEMENTS, YEAR, *PREVIOUS_NEED),
        student_repeats_year,
    ),
    (
        "student-changes-education",
        "Andere opleiding",
        (PLACEMENTS, *PREVIOUS_NEED),
        student_changes_education,
    ),
)
