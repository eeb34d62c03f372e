"""Students' vakkenpakketten (pakketkeuzes) against the structure: who counts for which keuzevak.

A pakketkeuze links an afdelingsdeelname to a keuzevak. The rules of the formatie take these words
from the issue that introduced them: opleidingen and profielen (subjectType `education`/`profile`)
and pseudo afdelingen and groups (`#uit`, `#allen`) take no part; the students of a keuzevak K are
the afdelingsdeelnames that chose K and are not exempt, except in an afdeling where no
afdelingsdeelname has any pakketkeuze (the onderbouw): there every afdelingsdeelname counts for
every K. Groups needed for K = ceil(students of K / maximum group size), the maximum being the
afdeling's `maxGroupSize` where the portal gives one, else a setting.

Except a keuzevak taught per klas: one with at least one realised geplande groep whose realised
geplande groepen all lie in a stamklas (netl, lo: taught per stamklas, chosen by nobody where the
portal registers only the keuze part of the pakket). It needs one group per (non-pseudo) stamklas
of its afdeling, and its students are those of those stamklassen.
"""

from __future__ import annotations

import weakref
from collections import Counter, defaultdict
from collections.abc import Set as AbstractSet

import msgspec

from zdesk.domain.doorstroom import doorstroom_of
from zdesk.domain.model import Choosable, Project, SelectedSubject

ENDPOINT = "selectedsubjects"


def selected_subjects_of(project: Project) -> list[SelectedSubject] | None:
    """The project's pakketkeuzes, or None when they were not read (no right on them)."""
    if project.lacks(ENDPOINT):
        return None
    return project.selected_subjects


class Demand(msgspec.Struct, frozen=True, gc=False):
    """What one keuzevak asks for and what it has."""

    choosable: Choosable
    students: int  # distinct students counted for it
    max_size: int  # the afdeling's maxGroupSize, else the setting
    max_from_portal: bool
    needed: int
    planned: int  # geplande groepen
    realised: int  # geplande groepen whose roostergroep exists
    sizes: tuple[int, ...]  # students in each distinct (non-pseudo) roostergroep realising it
    # Taught per klas: counted by the stamklassen of its afdeling, not by keuzes (see the module).
    per_class: bool = False
    # Counted by the students the doorstroom expects: an afdeling with none placed yet.
    expected: bool = False

    @property
    def average_size(self) -> float | None:
        return sum(self.sizes) / len(self.sizes) if self.sizes else None


class Coverage(msgspec.Struct, frozen=True, gc=False):
    """Pakketkeuzes against roostergroepen (see `Pakket.coverage`), in placement order."""

    uncovered: list[tuple[int, int]]  # (placement, keuzevak) chosen, in none of its groups
    unchosen: list[tuple[int, int]]  # (placement, roostergroep) of only vakken not chosen


class Pakket:
    """The pakketkeuzes of one project indexed for the checks and the overview.

    Built once per project (see `pakket_of`); references that point at nothing are counted in
    `dangling` and otherwise ignored.
    """

    def __init__(self, project: Project, rows: list[SelectedSubject] | None) -> None:
        # Weakly: the cache keyed by the project must not keep it alive (a reload frees the old
        # project by reference counting alone).
        self._project = weakref.ref(project)
        self.known = rows is not None  # False: not read, every afdeling counts as without keuzes
        rows = rows or []
        placements, choosables = project.placement_by_id, project.choosable_by_id
        departments = project.department_by_id
        # Placements in pseudo afdelingen take no part in anything below.
        self.pseudo_departments = project.pseudo_department_ids
        self.participating: list[Choosable] = [
            c
            for c in project.choosables
            if not c.is_structure
            and c.department_of_branch not in self.pseudo_departments
            and c.department_of_branch in departments
        ]
        self.participating_ids = ids = frozenset(c.id for c in self.participating)
        # Comprehensions, not map(attrgetter) passes: a msgspec record's fields are read about
        # twice as fast in a comprehension (Python 3.11 specialises the attribute access), and a
        # stress-sized project has some 60,000 pakketkeuzes.
        placed = {r.student_in_department for r in rows}
        unknown = placed.difference(placements)
        bad_choosables = {r.choosable_in_department for r in rows}.difference(choosables)
        pseudo = (
            {
                pid
                for pid in placed.difference(unknown)
                if placements[pid].department_of_branch in self.pseudo_departments
            }
            if self.pseudo_departments
            else set()
        )
        self.dangling: list[SelectedSubject] = []
        if unknown or bad_choosables or pseudo:
            self.dangling = [
                r
                for r in rows
                if r.student_in_department in unknown or r.choosable_in_department in bad_choosables
            ]
            left_out = unknown | pseudo
            rows = [
                r
                for r in rows
                if r.student_in_department not in left_out
                and r.choosable_in_department not in bad_choosables
            ]
            placed = {r.student_in_department for r in rows}
        self.with_choices: set[int] = placed  # placements with any pakketkeuze
        # (placement, keuzevak) for the keuzevakken that take part, not exempt, as one int per
        # pair, in the order of the pakketkeuzes: placement * span + the keuzevak's place among
        # the keuzevak ids (from `low`, so that an id of 0 or below is one too).
        self.low = low = min(choosables, default=0)
        self.span = span = max(choosables, default=0) - low + 1
        keys = [
            r.student_in_department * span + r.choosable_in_department - low
            for r in rows
            if r.choosable_in_department in ids and not r.exemption
        ]
        self.chosen_keys = set(keys)
        if len(self.chosen_keys) < len(keys):  # a keuze given twice: keep it once
            keys = list(dict.fromkeys(keys))
        self._chosen_order = keys
        self._choosers: dict[int, int] | None = None
        self.departments_with_choices = frozenset(
            {placements[pid].department_of_branch for pid in self.with_choices}
        )
        pseudo_groups = project.pseudo_group_ids
        # In one pass over the geplande groepen: per keuzevak the existing, non-pseudo
        # roostergroepen linked to it, and per such roostergroep the keuzevakken it realises.
        groups, ids = project.group_by_id, self.participating_ids
        linked: dict[int, set[int]] = {cid: set() for cid in ids}
        of_group: defaultdict[int, set[int]] = defaultdict(set)
        for pg in project.planned_groups:
            cid, gid = pg.choosable_in_department, pg.group_in_department
            if cid in ids and gid in groups and gid not in pseudo_groups:
                linked[cid].add(gid)  # type: ignore[index]
                of_group[gid].add(cid)  # type: ignore[index]
        # Read only from here on (kept as made: copying them into frozensets cost 5 ms on a
        # stress-sized project).
        self.linked_groups: dict[int, AbstractSet[int]] = linked  # type: ignore[assignment]
        self.choosables_of_group: dict[int, AbstractSet[int]] = dict(of_group)
        self._demand: dict[int, dict[int, Demand]] = {}
        self._coverage: Coverage | None = None

    def coverage(self) -> Coverage:
        """The pakketkeuzes against the roostergroepen, in one walk over the roostergroepen of
        the afdelingsdeelnames with keuzes (computed once; two checks read it).

        A chosen keuzevak is covered when one of the student's roostergroepen realises one of
        its geplande groepen. A roostergroep realising only keuzevakken the student did not
        choose is listed, unless it is a stamklas or mentorgroep (those carry vakken nobody
        chooses).
        """
        if self._coverage is not None:
            return self._coverage
        project = self.project
        placements = project.placement_by_id
        skip = project.main_group_ids | project.mentor_group_ids
        # Most lesgroepen serve one keuzevak: then one look-up of (placement, keuzevak) decides.
        # Keuzevakken by their place from `low`, as in the keys.
        low = self.low
        single: dict[int, int] = {}
        several: dict[int, list[int]] = {}
        for gid, ks in self.choosables_of_group.items():
            if len(ks) == 1:
                (k,) = ks
                single[gid] = k - low
            else:
                several[gid] = [k - low for k in ks]
        chosen, span = self.chosen_keys, self.span
        covered: set[int] = set()
        cover = covered.add
        unchosen: list[tuple[int, int]] = []
        for pid in sorted(self.with_choices):
            base = pid * span
            # A roostergroep given twice in one placement was made one by the Project.
            for gid in placements[pid].group_in_departments or ():
                k = single.get(gid)
                if k is not None:
                    if base + k in chosen:
                        cover(base + k)
                    elif gid not in skip:
                        unchosen.append((pid, gid))
                    continue
                ks = several.get(gid)
                if ks is None:
                    continue  # no keuzevak that takes part: a pseudo group, or unlinked
                hits = [base + k for k in ks if base + k in chosen]
                covered.update(hits)
                if not hits and gid not in skip:
                    unchosen.append((pid, gid))
        uncovered = [(key // span, key % span + low) for key in sorted(chosen - covered)]
        self._coverage = Coverage(uncovered, unchosen)
        return self._coverage

    def choosers(self, choosable_id: int) -> int:
        """How many distinct students chose this keuzevak (and are not exempt)."""
        if self._choosers is None:
            placements, span, low = self.project.placement_by_id, self.span, self.low
            # A student with two afdelingsdeelnames in one afdeling would count twice: rare,
            # so count placements and correct only the keuzevakken where it can happen.
            counts: dict[int, int] = Counter([key % span + low for key in self._chosen_order])
            doubled = self._doubled_departments()
            if doubled:
                codes: dict[int, set[str]] = defaultdict(set)
                for key in self._chosen_order:
                    pid, cid = key // span, key % span + low
                    p = placements[pid]
                    if p.department_of_branch in doubled:
                        codes[cid].add(p.student_code)
                for cid, its in codes.items():
                    counts[cid] = len(its)
            self._choosers = counts
        return self._choosers.get(choosable_id, 0)

    def _doubled_departments(self) -> set[int | None]:
        """Afdelingen where some student has more than one afdelingsdeelname."""
        placed = Counter([p.department_of_branch for p in self.project.placements])
        return {
            d for d, codes in self.project.students_of_department.items() if placed[d] > len(codes)
        }

    @property
    def project(self) -> Project:
        project = self._project()
        assert project is not None, "the project of this Pakket is gone"
        return project

    def counts_everyone(self, department_id: int | None) -> bool:
        """True where no afdelingsdeelname has a pakketkeuze: everyone counts for every K."""
        return department_id not in self.departments_with_choices

    def students_of(self, choosable: Choosable) -> int:
        dept = choosable.department_of_branch
        if self.counts_everyone(dept):
            return len(self.project.students_of_department.get(dept, ()))
        return self.choosers(choosable.id)

    def demand(self, default_max_size: int) -> dict[int, Demand]:
        """Per participating keuzevak (by id): students, groups needed, planned and realised."""
        default_max_size = max(1, default_max_size)  # a hand-edited settings file may say 0
        found = self._demand.get(default_max_size)
        if found is not None:
            return found
        project = self.project
        departments, members = project.department_by_id, project.placements_of_group
        planned_of, linked = project.planned_of_choosable, self.linked_groups
        # Realised geplande groepen per keuzevak.
        realised_of = Counter(
            [
                pg.choosable_in_department
                for pg in project.planned_groups
                if pg.group_in_department in members
            ]
        )
        with_choices, everyone = self.departments_with_choices, project.students_of_department
        self.choosers(0)  # counted once, before the loop
        choosers = self._choosers or {}
        # Per afdeling once: its maximum group size, and whether its students count by keuze
        # (None) or all of them for every vak (their number).
        rules: dict[int | None, tuple[int, bool, int | None]] = {}
        # An afdeling with nobody placed yet counts the students the doorstroom expects.
        flow = doorstroom_of(project)
        expecting = flow.expected if flow is not None else {}
        by_expected: set[int | None] = set()
        for did in {c.department_of_branch for c in self.participating}:
            limit = departments[did].max_group_size  # type: ignore[index]
            from_portal = bool(limit and limit > 0)
            all_of_them = None if did in with_choices else len(everyone.get(did, ()))
            if all_of_them == 0 and expecting.get(did):  # type: ignore[arg-type]
                all_of_them = expecting[did]  # type: ignore[index]
                by_expected.add(did)
            rules[did] = (
                limit if from_portal else default_max_size,  # type: ignore[misc]
                from_portal,
                all_of_them,
            )
        size_of = {gid: len(its) for gid, its in members.items()}
        main_groups = project.main_group_ids
        classes = self._classes()
        out: dict[int, Demand] = {}
        for c in self.participating:
            cid = c.id
            max_size, from_portal, all_of_them = rules[c.department_of_branch]
            its_groups = linked[cid]
            per_class = bool(its_groups) and its_groups <= main_groups
            if per_class:
                stamklassen, counted = classes.get(c.department_of_branch, (0, 0))
                needed = stamklassen
            else:
                counted = choosers.get(cid, 0) if all_of_them is None else all_of_them
                needed = -(-counted // max_size)
            out[cid] = Demand(
                c,
                counted,
                max_size,
                from_portal,
                needed,
                len(planned_of.get(cid, ())),
                realised_of.get(cid, 0),
                tuple(map(size_of.__getitem__, its_groups)),
                per_class,
                not per_class and c.department_of_branch in by_expected,
            )
        self._demand[default_max_size] = out
        return out

    def _classes(self) -> dict[int | None, tuple[int, int]]:
        """Per afdeling: its (non-pseudo) stamklassen, and the distinct students in them."""
        project = self.project
        pseudo, members = project.pseudo_group_ids, project.placements_of_group
        count: Counter[int | None] = Counter()
        students: defaultdict[int | None, set[str]] = defaultdict(set)
        for g in project.groups:
            if g.is_main_group and g.id not in pseudo:
                dept = g.department_of_branch
                count[dept] += 1
                students[dept].update(p.student_code for p in members.get(g.id, ()))
        return {d: (n, len(students[d])) for d, n in count.items()}


_CACHE: weakref.WeakKeyDictionary[Project, tuple[tuple[int, int, int], Pakket]] = (
    weakref.WeakKeyDictionary()
)


def pakket_of(project: Project) -> Pakket:
    """The project's Pakket, built when first asked and again once more rows have come in."""
    rows = selected_subjects_of(project)
    stamp = (len(project.placements), id(rows), len(rows) if rows is not None else -1)
    cached = _CACHE.get(project)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    pakket = Pakket(project, rows)
    _CACHE[project] = (stamp, pakket)
    return pakket
