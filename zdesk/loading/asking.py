"""What a load asks, and when: each read, the afdelingsdeelnames and pakketkeuzes per block of
afdelingen, again another way when the portal cannot answer the first, the names, probes of rights
refused before. A part of the load (`loader._Load`), apart for its size."""

from __future__ import annotations

from collections.abc import Collection
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from zdesk.domain.belonging import OWNER, owned
from zdesk.loading.limits import PLACEMENTS, SELECTED, USERS
from zdesk.loading.tasks import Part, Task, department_blocks
from zdesk.portal.errors import (
    AnswerTooLarge,
    FilterUnknown,
)
from zdesk.portal.records import RECORDS
from zdesk.portal.rights import (
    NAME_FIELDS,
    probe_filter,
)


class Asking:
    """The asking half of a load; its state is made by `loader._Load.__init__`."""

    # Set by the load (see loader._Load).
    pool: ThreadPoolExecutor | None
    pending: dict[Future, Task]

    def submit(self, task: Task) -> None:
        assert self.pool is not None
        task = replace(task, round=self.round)
        self.stats.rounds = max(self.stats.rounds, task.round)
        self.pending[self.pool.submit(self.fetch, task)] = task
        self.expected += 1

    def fetch(self, task: Task) -> tuple[list[Any], int]:
        record = dict if task.kind == "probe" else RECORDS[task.endpoint]
        return self.client.fetch(
            task.endpoint,
            record,
            params=task.params,
            fields=task.fields,
            cancel=self.flag,
            repairs=None if task.kind == "probe" else self.repairs,
            retry_until=self.retry_until,
        )

    def open_part(self, part: Part, params: dict[str, str]) -> None:
        """Ask for one read with every field the token may read (as far as known)."""
        endpoint = part[0]
        fields = self.rights.fields_for(endpoint)
        assert fields is not None
        self.params[part] = params
        self.outstanding[part] = 1 + self.probes_out.get(endpoint, 0)
        self.submit(Task(part, params, tuple(fields)))

    def ask_placements(self, departments: list[int] | None = None) -> None:
        """The afdelingsdeelnames: of the whole project, or per block of `departments` (by
        default the afdelingen the load splits on)."""
        self.placements_planned = True
        for params in self.block_params(PLACEMENTS, departments):
            self.open_part((PLACEMENTS, self.placement_blocks), params)
            self.placement_blocks += 1

    def ask_selected(self, departments: list[int] | None = None) -> None:
        """The pakketkeuzes, split per block of afdelingen like the afdelingsdeelnames."""
        self.selected_planned = True
        for params in self.block_params(SELECTED, departments):
            self.open_part((SELECTED, self.selected_blocks), params)
            self.selected_blocks += 1

    def block_params(self, endpoint: str, departments: list[int] | None) -> list[dict[str, str]]:
        if departments is not None:
            return department_blocks(departments)
        if self.split is None or endpoint in self.hints.ignored_filters:
            # One read; also where the portal ignored the filter last time (then every block
            # would bring every row again): one read of everything is the cheapest that works.
            return [{"schoolInSchoolYear": str(self.project_id)}]
        return department_blocks(self.split)

    def departments_arrived(self, rows: list[Any]) -> None:
        """The afdelingen are known: read those the hints did not name (what comes for hinted
        afdelingen the project no longer has is left out as every row outside it is)."""
        if self.split is None:
            for endpoint in sorted(self.too_large):
                self.ask_per_block(endpoint, sorted(d.id for d in rows))
            return
        arrived = {d.id for d in rows}
        asked = set(self.split)
        new = sorted(arrived - asked)
        if not new:
            return
        self.split = sorted(asked | arrived)  # a read asked later (a right granted) asks all
        if self.placements_planned and PLACEMENTS not in self.unavailable:
            self.ask_placements(new)
        if self.selected_planned and SELECTED not in self.unavailable:
            self.ask_selected(new)

    def read_in_blocks(self, task: Task, error: AnswerTooLarge) -> bool:
        """A whole-project read too large for one answer is asked again per block of afdelingen
        (as the hints would have split it), within this load. False: it was a block already."""
        if task.endpoint not in (PLACEMENTS, SELECTED) or "schoolInSchoolYear" not in task.params:
            return False
        if task.kind != "data" or task.endpoint in self.too_large:
            return False
        self.too_large.add(task.endpoint)
        part = task.part
        self.rows[part] = []  # the whole read counts as empty; the blocks bring its rows
        self.close(part)
        departments = self.results["departmentsofbranches"]
        if self.outstanding.get(("departmentsofbranches", 0), 1) == 0:
            self.ask_per_block(task.endpoint, sorted(d.id for d in departments))
        return True

    def ask_otherwise(self, task: Task, error: FilterUnknown) -> bool:
        """A filter the portal does not take: ask the next way (per afdeling -> the project ->
        the whole endpoint), and let the rows' owners decide what belongs to the project."""
        params = dict(task.params)
        refused = error.parameter
        if refused not in params or task.kind == "probe":
            return False
        self.filters_refused.add((task.endpoint, refused))
        del params[refused]
        if refused == "departmentOfBranch":
            if task.endpoint in self.whole_asked:
                # Another block already asks for the whole project: this one brings nothing.
                self.rows[task.part] = []
                self.close(task.part)
                return True
            self.whole_asked.add(task.endpoint)
            params["schoolInSchoolYear"] = str(self.project_id)
        self.params[task.part] = params
        self.submit(replace(task, params=params))
        return True

    def ask_per_block(self, endpoint: str, departments: list[int]) -> None:
        if endpoint not in self.too_large or endpoint in self.unavailable or not departments:
            return
        if endpoint == PLACEMENTS:
            self.ask_placements(departments)
        else:
            self.ask_selected(departments)

    def owned(self, endpoint: str, rows: list[Any], owners: Collection[Any]) -> list[Any]:
        """The rows that belong to the project; those outside it counted as a note."""
        kept, outside = owned(endpoint, rows, owners)
        if outside:
            self.repairs.left_out(endpoint, OWNER[endpoint][1], outside)
            # Rows of other projects mean the filter cannot be trusted: the next load asks in
            # one read rather than per block (each block would bring them all again).
            self.ignored.add(endpoint)
        return kept

    def placements_in_project(self, rows: list[Any]) -> list[Any]:
        """A block of afdelingsdeelnames without those of afdelingen outside the project."""
        assert self.department_ids is not None  # only asked once the project is built
        rows = self.owned(PLACEMENTS, rows, self.department_ids)
        self.placement_ids.update(r.id for r in rows)
        return rows

    def ask_users(self) -> None:
        """All students of the project with their names in one read (names not granted with
        the afdelingsdeelnames)."""
        if self.users_asked or self.rights.fields_for(USERS) is None:
            return
        self.users_asked = True
        params = {"schoolInSchoolYear": str(self.project_id), "isStudent": "true"}
        self.open_part((USERS, 0), params)

    def probe_known_refusals(self) -> None:
        """A right refused at the last load may have been granted since: one cheap probe each."""
        for m in self.rights.missing:
            if m.unknown:
                continue  # a field the portal does not have: asked again when the hints age
            self.probes_out[m.endpoint] = self.probes_out.get(m.endpoint, 0) + 1
            params = probe_filter(m.endpoint, self.project_id)
            fields = None if m.field is None else (m.field,)
            self.submit(Task((m.endpoint, -1), params, fields, "probe", m.field))

    def names_from_users(self) -> bool:
        fields = self.rights.fields_for(USERS) or ()
        return (
            self.users_asked
            and USERS not in self.unavailable
            and any(f in fields for f in NAME_FIELDS)
        )

    def names_with_placements(self) -> bool:
        fields = self.rights.fields_for(PLACEMENTS) or ()
        return any(f in fields for f in NAME_FIELDS)

    # ---- answers -----------------------------------------------------------------------------
