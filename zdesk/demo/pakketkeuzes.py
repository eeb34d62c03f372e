"""The bovenbouw's pakketkeuzes (selectedsubjects) for a generated project, and their anomalies.

A bovenbouw student's vakkenpakket is read off the indeling the generator made: every keuzevak of
the afdeling whose geplande groepen the student sits in, and the profiel chosen (a profiel has no
groups). The onderbouw has none: there every student takes every vak. Second afdelingsdeelnames
(prognoses, lessons elsewhere) have none either. Then a few irregularities are planted and
recorded: a keuze without a group, a group without a keuze, an exemption; and the formatie that
follows (too few or too many geplande groepen per keuzevak; a keuzevak realised only in
stamklassen needs one group per stamklas) is counted from the generator's own rows, so the
manifest holds every finding the formatie checks may report.
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING

from zdesk.demo.data import Anomalies, Row

if TYPE_CHECKING:
    from zdesk.demo.parts import Builder, Dept

ENDPOINT = "selectedsubjects"
SHARE = 0.002  # of the students, for each planted kind (at least two)
# The portal's words, not zdesk's: the fake portal knows nothing of zdesk's client.
STRUCTURE = ("education", "profile")
PSEUDO = ("#uit", "#allen")


class Pakketten:
    def __init__(self, gen: Builder, depts: list[Dept], anomalies: Anomalies, pid: int):
        self.gen, self.depts, self.found, self.pid = gen, depts, anomalies, pid
        # Its own random stream: the rest of the school stays as it was without pakketkeuzes.
        self.rng = random.Random(f"pakket:{pid}:{len(depts)}")
        self.rows: list[Row] = gen.rows.setdefault(ENDPOINT, [])
        self.choosables = {
            c["id"]: c for c in gen.rows["choosableindepartments"] if c["schoolInSchoolYear"] == pid
        }
        # Roostergroep -> the keuzevakken whose geplande groepen it realises.
        self.of_group: dict[int, set[int]] = {}
        self.linked: dict[int, set[int]] = {}  # keuzevak -> its roostergroepen
        for pg in gen.rows["plannedgroups"]:
            if pg["schoolInSchoolYear"] != pid or pg["groupInDepartment"] is None:
                continue
            self.of_group.setdefault(pg["groupInDepartment"], set()).add(
                pg["choosableInDepartment"]
            )
            self.linked.setdefault(pg["choosableInDepartment"], set()).add(pg["groupInDepartment"])
        self.of_placement: dict[int, dict[int, Row]] = {}  # placement -> keuzevak -> row
        self.taken: set[int] = set()

    def add(self, dept: Dept, placement: Row, cid: int, exemption: bool = False) -> Row:
        row = {
            "id": self.gen.next_id("selected"),
            "studentInDepartment": placement["id"],
            "choosableInDepartment": cid,
            "alternativeChoosableInDepartment": None,
            "subjectCode": self.choosables[cid]["subjectCode"],
            "exemption": exemption,
            "lessonInvolvement": None if exemption else "full",
            "subjectSelection": placement["id"] * 10,
            "departmentOfBranch": dept.row["id"],
            "schoolInSchoolYear": self.pid,
        }
        self.rows.append(row)
        self.of_placement.setdefault(placement["id"], {})[cid] = row
        return row

    def run(self) -> None:
        for dept in self.depts:
            if dept.upper:
                for p in dept.placements:
                    for cid in self.read_off(dept, p):
                        self.add(dept, p, cid)
        n = max(2, round(SHARE * sum(len(d.placements) for d in self.depts)))
        self.choices_without_group(n)
        self.groups_without_choice(n)
        self.exemptions(n)
        self.formatie()

    def read_off(self, dept: Dept, placement: Row) -> list[int]:
        own = dept.row["id"]
        found: set[int] = set()
        chosen = dept.choices.get(placement["id"], ())
        profile = dept.choosables.get(chosen[0]) if chosen else None
        if profile is not None and profile["subjectType"] == "profile":
            found.add(profile["id"])
        for gid in placement["groupInDepartments"] or ():
            for cid in self.of_group.get(gid, ()):
                c = self.choosables[cid]
                if c["departmentOfBranch"] == own and c["subjectType"] != "education":
                    found.add(cid)
        return sorted(found)

    def candidates(self) -> list[tuple[Dept, Row]]:
        out = [
            (d, p)
            for d in self.depts
            if d.upper
            for p in d.placements
            if p["id"] in self.of_placement and p["id"] not in self.taken
        ]
        self.rng.shuffle(out)
        return out

    def subjects(self, dept: Dept) -> list[int]:
        """The taught keuzevakken of an afdeling that have a roostergroep."""
        return sorted(
            c["id"]
            for c in dept.choosables.values()
            if c["subjectType"] not in STRUCTURE and self.linked.get(c["id"])
        )

    def choices_without_group(self, n: int) -> None:
        self._keuze_outside_groups(n, self.found.choices_without_group, exemption=False)

    def groups_without_choice(self, n: int) -> None:
        gen = self.gen
        for _, p in self.candidates():
            if len(self.found.groups_without_choice) >= n:
                return
            chosen = self.of_placement[p["id"]]
            for gid in p["groupInDepartments"] or ():
                group = gen.groups[gid]
                ks = {
                    c
                    for c in self.of_group.get(gid, ())
                    if self.choosables[c]["subjectType"] not in STRUCTURE
                }
                if group["isMainGroup"] or group["isMentorGroup"] or not ks:
                    continue
                # Forget the keuze behind this group (and any other group of the same vak).
                dropped = [chosen.pop(c) for c in ks if c in chosen]
                if not dropped:
                    continue
                for row in dropped:
                    self.rows.remove(row)
                self.taken.add(p["id"])
                self.found.groups_without_choice.add(p["student"])
                break

    def exemptions(self, n: int) -> None:
        self._keuze_outside_groups(n, self.found.exemptions, exemption=True)

    def _keuze_outside_groups(self, n: int, found: set[str], *, exemption: bool) -> None:
        """Give `n` students a keuze for a vak none of their groups teaches (chosen or exempt)."""
        for dept, p in self.candidates():
            if len(found) >= n:
                return
            groups = set(p["groupInDepartments"] or ())
            chosen = self.of_placement[p["id"]]
            options = [
                c for c in self.subjects(dept) if c not in chosen and not groups & self.linked[c]
            ]
            if options:
                self.add(dept, p, self.rng.choice(options), exemption=exemption)
                self.taken.add(p["id"])
                found.add(p["student"])

    def formatie(self) -> None:
        """Too few or too many geplande groepen per keuzevak, by the rule, from these rows."""
        gen, pid = self.gen, self.pid
        depts = {d.row["id"]: d for d in self.depts if not any(m in d.code for m in PSEUDO)}
        placements = {
            p["id"]: p for p in gen.rows["studentsindepartments"] if p["schoolInSchoolYear"] == pid
        }
        everyone: dict[int, set[str]] = {}
        for p in placements.values():
            everyone.setdefault(p["departmentOfBranch"], set()).add(p["student"])
        with_choices: set[int] = set()
        choosers: dict[int, set[str]] = {}
        for row in self.rows:
            if row["schoolInSchoolYear"] != pid:
                continue
            p = placements[row["studentInDepartment"]]
            with_choices.add(p["departmentOfBranch"])
            if not row["exemption"]:
                choosers.setdefault(row["choosableInDepartment"], set()).add(p["student"])

        def pseudo(g: Row) -> bool:
            return any(m in f"{g.get('name') or ''}\n{g.get('extendedName') or ''}" for m in PSEUDO)

        groups = {
            g["id"]: g
            for g in gen.rows["groupindepartments"]
            if g["departmentOfBranch"] in depts and not pseudo(g)
        }
        classes: dict[int, int] = {}  # per afdeling its stamklassen
        for g in groups.values():
            if g["isMainGroup"]:
                classes[g["departmentOfBranch"]] = classes.get(g["departmentOfBranch"], 0) + 1
        planned: dict[int, int] = {}
        realised_in: dict[int, set[int]] = {}
        for pg in gen.rows["plannedgroups"]:
            if pg["schoolInSchoolYear"] == pid:
                cid = pg["choosableInDepartment"]
                planned[cid] = planned.get(cid, 0) + 1
                if pg["groupInDepartment"] in groups:
                    realised_in.setdefault(cid, set()).add(pg["groupInDepartment"])
        for cid, c in self.choosables.items():
            dept = depts.get(c["departmentOfBranch"])
            if dept is None or c["subjectType"] in STRUCTURE:
                continue
            realised = realised_in.get(cid, set())
            if realised and all(groups[g]["isMainGroup"] for g in realised):
                # Taught per klas: a group for each stamklas of the afdeling.
                needed = classes.get(dept.row["id"], 0)
            else:
                if dept.row["id"] in with_choices:
                    students = len(choosers.get(cid, ()))
                else:
                    students = len(everyone.get(dept.row["id"], ()))
                needed = math.ceil(students / dept.max_size)
            if planned.get(cid, 0) < needed:
                self.found.planned_groups_too_few.add(cid)
            elif planned.get(cid, 0) > needed:
                self.found.planned_groups_too_many.add(cid)
