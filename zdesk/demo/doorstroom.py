"""This year's students from last year's: the doorstroom of a generated school, and its anomalies.

This year's afdelingen get sizes first, by weight as a school without a previous year would have
them; last year's are sized from them (each about what its next leerlaag is to hold) and
generated; this year's are then filled from last year's. A student of (vestiging, stream,
leerlaag) goes to (vestiging, stream, leerlaag + 1), and last year's examenkandidaten leave. A
few students are planted apart: not yet placed, leavers placed in the pseudo afdeling `#uit`,
zittenblijvers (one of them in the examenjaar where there is one), opstroom and afstroom;
instroom, new student codes, fills the afdelingen no one flows into (the first leerlagen) and
tops up the others to their size. Each case is recorded in this year's manifest.

What counts as a case is what the doorstroom checks read of the rows the portal serves (issue 28):
an afdeling's opleiding is its educationType, else its opleiding keuzevak, else its code without
digits; an opleiding's examenjaar is its highest leerlaag in the two projects together. So the
targets of op- and afstroom are chosen by opleiding (mavo and vmbo-kader differ; vmbo-kader and
vmbo-basis share "vmbo" and are no change), and an afdeling of several opleidingen (hv) is never
the target of a planted change, nor in an examenjaar: each case means the same whether the rules
are read per opleiding name or per afdeling.

The small school (h4, v4, h5, v5 in both years) holds every kind too, as far as four afdelingen
allow: h4 and v4 are filled by instroom (there is no third leerlaag), h5 and v5 are the
examenjaren (without a v6, vwo's examenjaar is 5), so the opstroom is h4 to v4 and h5 to v5, the
afstroom v4 to h5 and v5 to h5, and one zittenblijver is an examenkandidaat who stays in h5 or v5.

Students in two afdelingen (the seeder's prognoses, lessons in another leerlaag or vestiging) are
never planted cases. Last year's flow by the highest leerlaag they had in their own opleiding: a
havo 4 student with a lesson in havo 5 counts as an examenkandidaat and leaves, a havo 3 student
with a lesson in havo 4 goes to havo 5; either way no check finds them. This year's seeder never
gives a planted student a second afdeling (it would hide or add a finding); a second afdeling of
a student who flows normally is in the same leerlaag or one off, which no rule reacts to.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from zdesk.demo.catalogue import EDUCATIONS
from zdesk.demo.data import Anomalies, Row
from zdesk.demo.parts import MINIMUM_STUDENTS, Builder, Dept, apportion
from zdesk.demo.shapes import EDUCATION_TYPE

PSEUDO_CODE = "#uit"
# Planted per kind: (share of the students, at least); the share keeps the stress tier's few.
PLANTED = {
    "not_placed": (0.002, 2),
    "leavers_in_pseudo": (0.002, 2),
    "repeaters": (0.004, 3),
    "opstroom": (0.002, 2),
    "afstroom": (0.002, 2),
}
# Streams from the least to the most theoretical, for the direction of op- and afstroom.
STREAM_RANK = ("bk", "mk", "m", "h", "hv", "v", "g")

Key = tuple[int, str, int]  # (vestiging index, stream, leerlaag)


def opleiding(stream: str) -> frozenset[str]:
    """The opleiding names of a stream's afdelingen, as the rules read them from the rows."""
    if EDUCATION_TYPE.get(stream):
        return frozenset({EDUCATION_TYPE[stream]})
    if stream in EDUCATIONS:  # the opleiding keuzevak, coded "havo/vwo"
        return frozenset(EDUCATIONS[stream])
    return frozenset({stream})


def key(dept: Dept) -> Key:
    return (dept.branch, dept.stream, dept.level)


class Doorstroom:
    """Plans both years' students: `fill_last` and then `fill` are the generator's fillers."""

    def __init__(self, seed: int, tier: str, students: int, codes: list[str]) -> None:
        self.rng = random.Random(f"doorstroom:{seed}:{tier}")
        self.students = students
        self.codes = codes  # the first has a leading zero
        self.leading_zero = codes[0]
        self.found = Anomalies()
        self.placed: dict[Key, list[str]] = {}
        self.leavers: list[str] = []  # placed in the pseudo afdeling

    def fill_last(self, last: list[Dept]) -> tuple[list[list[str]], frozenset[str]]:
        """Last year's afdelingen, sized so that this year's come out as a school without a
        previous year would have them (fewer students in the upper leerlagen): each holds about
        what its next leerlaag is to hold this year, less the zij-instroom; an afdeling without
        a next one in its vestiging holds what it is to hold itself. The student with the
        leading zero comes first: havo 4 of the first vestiging, never an examenjaar."""
        weights = [
            self.rng.uniform(0.75, 1.25)
            * (0.7 if d.level >= 5 else 1.0)
            * (1.1 if d.level <= 2 else 1.0)
            for d in last
        ]
        sizes = apportion(self.students, weights, minimum=MINIMUM_STUDENTS)
        self.target = {key(d): n for d, n in zip(last, sizes, strict=True)}
        out, start = [], 0
        for d in last:
            b, s, level = key(d)
            n = self.target.get((b, s, level + 1))
            n = self.target[key(d)] if n is None else max(MINIMUM_STUDENTS, round(n * 0.95))
            out.append(self.codes[start : start + n])
            start += n
        self.fresh = iter(self.codes[start:])
        return out, frozenset({self.leading_zero})

    def learn(self, last: list[Dept], placements: Iterable[Row]) -> None:
        """Last year's project as built: each student's afdelingen, the first one first."""
        self.last = last
        dept_of = {d.row["id"]: d for d in last}
        self.had: dict[str, list[Dept]] = {p["student"]: [d] for d in last for p in d.placements}
        for p in placements:
            depts = self.had[p["student"]]
            dept = dept_of[p["departmentOfBranch"]]
            if dept not in depts:
                depts.append(dept)

    # ---- what the rules read ---------------------------------------------------------------

    def examenjaar(self, now: list[Dept]) -> dict[str, int]:
        out: dict[str, int] = {}
        for dept in (*self.last, *now):
            for name in opleiding(dept.stream):
                out[name] = max(out.get(name, 0), dept.level)
        return out

    def in_examenjaar(self, dept: Dept) -> bool:
        return self.exam_of[key(dept)]

    # ---- the plan --------------------------------------------------------------------------

    def fill(self, now: list[Dept]) -> tuple[list[list[str]], frozenset[str]]:
        """This year's afdelingen filled; the planted students who stay are kept from the
        seeder, whose second afdelingen would change their findings."""
        self.now = {key(d): d for d in now}
        exam = self.examenjaar(now)
        # Asked for every student: what depends on the afdeling alone is worked out once.
        self.exam_of = {
            key(d): any(exam[name] == d.level for name in opleiding(d.stream))
            for d in (*self.last, *now)
        }
        self.targets: dict[tuple[Key, str], Dept | None] = {}
        self.placed = {key(d): [] for d in now}
        singles = [c for c, ds in self.had.items() if len(ds) == 1 and c != self.leading_zero]
        lz_dept = self.had[self.leading_zero]
        if len(lz_dept) != 1 or self.in_examenjaar(lz_dept[0]):
            raise RuntimeError("de leerling met een voorloopnul stroomt niet gewoon door")
        self.plant(singles)
        planted = (
            self.found.not_placed_next_year
            | self.found.leavers_in_pseudo
            | self.found.repeats_year
            | set(self.found.changes_education)
        )
        for code, depts in self.had.items():
            if code not in planted:
                self.flow(code, depts)
        self.found.leading_zero_students.add(self.leading_zero)
        reserved = frozenset(
            self.found.repeats_year | set(self.found.changes_education) | {self.leading_zero}
        )
        self.instroom(now)
        return [self.placed[key(d)] for d in now], reserved

    def count(self, kind: str) -> int:
        share, minimum = PLANTED[kind]
        return max(minimum, round(share * self.students))

    def take(self, pool: list[str], n: int, fits=lambda code: True) -> list[str]:
        candidates = [c for c in pool if fits(c)]
        chosen = self.rng.sample(candidates, min(n, len(candidates)))
        gone = set(chosen)
        pool[:] = [c for c in pool if c not in gone]
        return chosen

    def plant(self, pool: list[str]) -> None:
        def dept_of(code: str) -> Dept:
            return self.had[code][0]

        def examenjaar(code: str) -> bool:
            return self.in_examenjaar(dept_of(code))

        # Zittenblijvers: one who failed the exam where there is one, the others anywhere.
        n = self.count("repeaters")
        repeaters = self.take(pool, 1, examenjaar)
        repeaters += self.take(pool, n - len(repeaters), lambda c: not examenjaar(c))
        for code in repeaters:
            self.placed[key(dept_of(code))].append(code)
            self.found.repeats_year.add(code)
        for kind in ("opstroom", "afstroom"):
            for code in self.take(pool, self.count(kind), lambda c, k=kind: self.changed(c, k)):
                target = self.changed(code, kind)
                assert target is not None
                self.placed[key(target)].append(code)
                self.found.changes_education[code] = kind
        for code in self.take(pool, self.count("not_placed"), lambda c: not examenjaar(c)):
            self.found.not_placed_next_year.add(code)
        for code in self.take(pool, self.count("leavers_in_pseudo"), lambda c: not examenjaar(c)):
            self.found.leavers_in_pseudo.add(code)
            self.leavers.append(code)

    def changed(self, code: str, kind: str) -> Dept | None:
        """The afdeling a student of `code` goes to on op- or afstroom: of the nearest stream up
        (down) whose opleiding is wholly another, in the same vestiging; from the examenjaar or
        the bovenbouw up in the same leerlaag (mavo 4 to havo 4), else a leerlaag on."""
        dept = self.had[code][0]
        if (key(dept), kind) not in self.targets:
            self.targets[key(dept), kind] = self.change_target(dept, kind)
        return self.targets[key(dept), kind]

    def change_target(self, dept: Dept, kind: str) -> Dept | None:
        had = opleiding(dept.stream)
        rank = STREAM_RANK.index(dept.stream)
        others = STREAM_RANK[rank + 1 :] if kind == "opstroom" else STREAM_RANK[:rank][::-1]
        up = kind == "opstroom"
        levels = (0, 1) if up and (dept.upper or self.in_examenjaar(dept)) else (1, 0)
        for stream in others:
            names = opleiding(stream)
            if len(names) > 1 or names & had:
                continue
            for step in levels:
                target = self.now.get((dept.branch, stream, dept.level + step))
                if target is not None:
                    return target
        return None

    def flow(self, code: str, depts: list[Dept]) -> None:
        """A student who is not a planted case: on to the next leerlaag of their opleiding, or,
        from its examenjaar, out of the school."""
        first = depts[0]
        names = opleiding(first.stream)
        own = [d for d in depts if opleiding(d.stream) & names]
        top = max(own, key=lambda d: d.level)
        if any(self.in_examenjaar(d) for d in own if d.level == top.level):
            self.found.exam_leavers.add(code)
            return
        self.placed[key(self.successor(first, names, top.level + 1))].append(code)

    def successor(self, first: Dept, names: frozenset[str], level: int) -> Dept:
        """This year's afdeling of the opleiding `names` a leerlaag on: the same stream in the
        same vestiging, else in another, else a stream of the same opleiding (hv1 to h2 or v2)."""
        same = self.now.get((first.branch, first.stream, level))
        if same is not None:
            return same
        elsewhere = [d for k, d in self.now.items() if k[1:] == (first.stream, level)]
        if elsewhere:
            return elsewhere[0]
        related = [
            d
            for d in self.now.values()
            if d.level == level and len(opleiding(d.stream)) == 1 and opleiding(d.stream) & names
        ]
        near = [d for d in related if d.branch == first.branch] or related
        if not near:
            raise RuntimeError(f"geen afdeling voor {sorted(names)} leerlaag {level}")
        return self.rng.choice(near)

    def instroom(self, now: list[Dept]) -> None:
        """New students: every afdeling up to the minimum, then towards the size planned for it
        (the afdelingen no one flows into take most); the project then has its tier's size."""
        placed = [len(self.placed[key(d)]) for d in now]
        total = self.students - sum(placed) - len(self.leavers)
        short = [max(0, MINIMUM_STUDENTS - n) for n in placed]
        spare = total - sum(short)
        if spare < 0:
            raise RuntimeError("te weinig instroom voor de afdelingen van dit jaar")
        wanted = [
            max(0, self.target[key(d)] - n - s) for d, n, s in zip(now, placed, short, strict=True)
        ]
        weights = wanted if any(wanted) else [1.0] * len(now)
        for dept, need, extra in zip(now, short, apportion(spare, weights, 0), strict=True):
            codes = [next(self.fresh) for _ in range(need + extra)]
            self.placed[key(dept)].extend(codes)
            self.found.instroom.update(codes)

    # ---- after the project is built ----------------------------------------------------------

    def finish(self, gen: Builder, now: list[Dept], anomalies: Anomalies) -> None:
        """The pseudo afdeling `#uit` with this year's leavers, the portal's prognose per
        afdeling, and the planted cases in this year's manifest."""
        first = now[0]
        row = {
            "id": gen.next_id("department"),
            "branchOfSchool": first.row["branchOfSchool"],
            "code": PSEUDO_CODE,
            "yearOfEducation": 0,  # a pseudo afdeling is no leerlaag
            "educations": [],
            "schoolInSchoolYear": first.row["schoolInSchoolYear"],
            "studentCount": len(self.leavers),
            "maxGroupSize": None,
        }
        gen.rows["departmentsofbranches"].append(row)
        pseudo = Dept(row, first.branch, PSEUDO_CODE, 0)
        for code in self.leavers:
            pseudo.placements.append(gen.add_placement(pseudo, code))
        anomalies.pseudo_departments.add(row["id"])
        for dept in now:
            # The teamleider's expectation: near the students placed, in halves.
            n = dept.row["studentCount"] + self.rng.choice((-2, -1, 0, 0, 1, 2, 3))
            dept.row["prognosticStudentCount"] = max(0, n) + self.rng.choice((0.0, 0.0, 0.5))
        for name in (
            "not_placed_next_year",
            "repeats_year",
            "changes_education",
            "exam_leavers",
            "leavers_in_pseudo",
            "instroom",
            "leading_zero_students",
        ):
            setattr(anomalies, name, getattr(self.found, name))
