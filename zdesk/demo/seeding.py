"""Plants the irregularities of a real school into a generated project, and records each one.

Rates follow DOMAIN.md: 3-5% planned groups not realised, about 8-10% of students in two afdelingen,
a few students with two stamklassen or none, and a few of every other kind. Each step keeps the
rest of the school regular, so a check that reports anything outside the manifest is wrong.
"""

from __future__ import annotations

from zdesk.demo.data import Anomalies, Row
from zdesk.demo.parts import Builder, Dept, Pool

SECOND_PLACEMENT_SHARE = 0.08
UNREALISED_SHARE = 0.04
MARGIN = 2  # seeded inflow keeps every group at least this far below its afdeling's maximum


class Seeder:
    def __init__(
        self,
        gen: Builder,
        depts: list[Dept],
        anomalies: Anomalies,
        reserved: frozenset[str] = frozenset(),
    ) -> None:
        self.gen = gen
        self.rng = gen.rng
        self.depts = depts
        self.found = anomalies
        self.dept_of = {d.row["id"]: d for d in depts}
        # Placement ids already carrying an anomaly; the reserved students' (planted doorstroom
        # cases, whose findings a second afdeling would change) are taken from the start.
        self.taken: set[int] = {
            p["id"] for d in depts for p in d.placements if p["student"] in reserved
        }
        self.used_pools: set[int] = set()
        self.n_students = sum(len(d.placements) for d in depts)
        self.n_groups = sum(1 for _ in self._project_rows("groupindepartments"))
        self.n_choosables = sum(1 for _ in self._project_rows("choosableindepartments"))

    def _project_rows(self, endpoint: str):
        pid = self.depts[0].row["schoolInSchoolYear"]
        return (r for r in self.gen.rows[endpoint] if r["schoolInSchoolYear"] == pid)

    def few(self, share: float, of: int, minimum: int) -> int:
        return max(minimum, round(share * of))

    def seed_all(self) -> None:
        self.second_placements()
        self.main_and_mentor_groups()
        self.pseudo_groups()
        self.groups_without_planned_group()
        self.empty_groups()
        self.choosables_without_planned_groups()
        self.over_max_groups()
        self.unbalanced_parallel_groups()
        self.unrealised_planned_groups()

    # ---- students ------------------------------------------------------------------------------

    def free_placements(self, where=lambda d: True) -> list[tuple[Dept, Row]]:
        out = [
            (d, p)
            for d in self.depts
            if where(d)
            for p in d.placements
            if p["id"] not in self.taken
        ]
        self.rng.shuffle(out)
        return out

    def room(self, group: Row, dept: Dept) -> bool:
        return self.gen.size(group) + 1 <= dept.max_size - MARGIN

    def class_groups(self, target: Dept) -> list[Row] | None:
        """The stamklas (and in the bovenbouw its mentorgroep) with most room in `target`."""
        pairs = list(zip(target.main_groups, target.mentor_groups, strict=True))
        pairs.sort(key=lambda pair: self.gen.size(pair[0]))
        main, mentor = pairs[0]
        if not (self.room(main, target) and self.room(mentor, target)):
            return None
        return [main] if main is mentor else [main, mentor]

    def lesson_group(self, target: Dept) -> list[Row] | None:
        pools = [p for p in self.gen.pools if p.owner is target and not p.subject.isupper()]
        if not pools:
            return None
        pool = self.rng.choice(pools)
        group = min(pool.groups, key=self.gen.size)
        return [group] if self.room(group, target) else None

    def second_placements(self) -> None:
        wanted = round(SECOND_PLACEMENT_SHARE * self.n_students)
        kinds = ("prognosis", "cross_leerlaag", "other_branch")
        placed = 0
        for dept, p in self.free_placements():
            if placed >= wanted:
                break
            first = self.rng.choices(kinds, weights=(60, 25, 15))[0]
            for kind in (first, *[k for k in kinds if k != first]):
                groups = self.second_groups(kind, dept)
                if groups:
                    target_dept, target_groups = groups
                    second = self.gen.add_placement(target_dept, p["student"])
                    for group in target_groups:
                        self.gen.join(second, group)
                    self.taken.update((p["id"], second["id"]))
                    self.found.multi_department_students[p["student"]] = kind
                    placed += 1
                    break

    def second_groups(self, kind: str, dept: Dept) -> tuple[Dept, list[Row]] | None:
        if kind == "prognosis":
            targets = [
                d
                for d in self.depts
                if d.branch == dept.branch and d.level == dept.level and d.stream != dept.stream
            ]
            pick = self.class_groups
        elif kind == "cross_leerlaag":
            targets = [
                d
                for d in self.depts
                if d.branch == dept.branch
                and d.stream == dept.stream
                and abs(d.level - dept.level) == 1
                and d.upper
            ]
            pick = self.lesson_group
        else:
            targets = [d for d in self.depts if d.branch != dept.branch and d.code == dept.code]
            pick = self.class_groups
        self.rng.shuffle(targets)
        for target in targets:
            groups = pick(target)
            if groups:
                return target, groups
        return None

    def main_and_mentor_groups(self) -> None:
        n = self.few(0.002, self.n_students, 2)
        upper_with_classes = self.free_placements(lambda d: d.upper and len(d.main_groups) >= 2)
        for attr, found in (
            ("main_groups", self.found.multiple_main_groups),
            ("mentor_groups", self.found.multiple_mentor_groups),
        ):
            for dept, p in upper_with_classes:
                if len(found) >= n:
                    break
                if p["id"] in self.taken:
                    continue
                others = [g for g in getattr(dept, attr) if g["id"] not in p["groupInDepartments"]]
                extra = min(others, key=self.gen.size)
                if self.room(extra, dept):
                    self.gen.join(p, extra)
                    self.taken.add(p["id"])
                    found.add(p["student"])
        # Three shapes of "geen stamklas": no group list at all, an empty one, no stamklas in it.
        n = self.few(0.003, self.n_students, 3)
        for i, (_, p) in enumerate(self.free_placements()[:n]):
            shape = i % 3
            for gid in list(p["groupInDepartments"]):
                group = self.gen.groups[gid]
                if shape < 2 or group["isMainGroup"]:
                    self.gen.leave(p, group)
            if shape == 0:
                p["groupInDepartments"] = None
            self.taken.add(p["id"])
            self.found.without_main_group.add(p["student"])

    # ---- groups --------------------------------------------------------------------------------

    def pseudo_groups(self) -> None:
        seen_branches: set[int] = set()
        for dept in self.depts:
            if dept.branch in seen_branches:
                continue
            seen_branches.add(dept.branch)
            group = self.gen.add_group(dept, "#uit")
            for p in [p for p in dept.placements if p["groupInDepartments"]][:2]:
                self.gen.join(p, group)
            self.found.pseudo_groups.add(group["id"])

    def upper_depts(self, minimum_students: int = 0) -> list[Dept]:
        out = [d for d in self.depts if d.upper and len(d.placements) >= minimum_students]
        self.rng.shuffle(out)
        return out

    def groups_without_planned_group(self) -> None:
        n = self.few(0.003, self.n_groups, 1)
        for i, dept in enumerate(self.upper_depts(8)[:n]):
            group = self.gen.add_group(dept, f"hwb{i + 1}")
            size = self.rng.randint(5, min(12, len(dept.placements)))
            members = [p for p in dept.placements if p["groupInDepartments"] is not None]
            for p in members[:size]:
                self.gen.join(p, group)
            self.found.groups_without_planned_group.add(group["id"])

    def empty_groups(self) -> None:
        n = self.few(0.002, self.n_groups, 1)
        for dept in self.upper_depts()[:n]:
            choosable = self.gen.add_choosable(dept, "sptl", "Spaans", "subject")
            group = self.gen.add_group(dept, "sptl1")
            self.gen.add_planned(choosable, group)
            self.found.empty_groups.add(group["id"])

    def choosables_without_planned_groups(self) -> None:
        n = self.few(0.002, self.n_choosables, 1)
        for dept in self.upper_depts()[:n]:
            choosable = self.gen.add_choosable(dept, "fi", "Filosofie", "subject")
            self.found.choosables_without_planned_groups.add(choosable["id"])

    def own_pools(self, n_groups: int) -> list[Pool]:
        out = [
            pool
            for pool in self.gen.pools
            if len(pool.groups) == n_groups
            and len(pool.choosables) == 1
            and id(pool) not in self.used_pools
        ]
        self.rng.shuffle(out)
        return out

    def over_max_groups(self) -> None:
        n = self.few(0.002, self.n_groups, 1)
        done = 0
        for pool in self.own_pools(1):
            if done >= n:
                break
            dept, group = pool.owner, pool.groups[0]
            outsiders = [
                p
                for p in dept.placements
                if p["groupInDepartments"] is not None
                and group["id"] not in p["groupInDepartments"]
            ]
            need = dept.max_size + 2 - self.gen.size(group)
            if len(outsiders) < need:
                continue
            for p in outsiders[:need]:
                self.gen.join(p, group)
            self.used_pools.add(id(pool))
            self.found.over_max_groups.add(group["id"])
            done += 1

    def unbalanced_parallel_groups(self) -> None:
        n = self.few(0.001, self.n_choosables, 1)
        done = 0
        for pool in self.own_pools(2):
            if done >= n:
                break
            big_group, small_group = pool.groups
            total = self.gen.size(big_group) + self.gen.size(small_group)
            big = min(pool.owner.max_size - MARGIN, total - 4)
            small = total - big
            if not (big > 2 * small and big - small >= 8):
                continue
            for p in list(self.gen.members[small_group["id"]])[
                : self.gen.size(small_group) - small
            ]:
                self.gen.leave(p, small_group)
                self.gen.join(p, big_group)
            self.used_pools.add(id(pool))
            self.found.unbalanced_choosables.add(pool.choosables[0]["id"])
            done += 1

    def unrealised_planned_groups(self) -> None:
        planned = list(self._project_rows("plannedgroups"))
        n = self.few(UNREALISED_SHARE, len(planned), 1)
        skip = self.found.unbalanced_choosables
        choosables = sorted(
            {
                pg["choosableInDepartment"]
                for pg in planned
                if pg["groupInDepartment"] is not None and pg["choosableInDepartment"] not in skip
            }
        )
        by_id = {c["id"]: c for c in self._project_rows("choosableindepartments")}
        for cid in self.rng.sample(choosables, min(n, len(choosables))):
            row = self.gen.add_planned(by_id[cid], None)
            self.found.unrealised_planned_groups.add(row["id"])
