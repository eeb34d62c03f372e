"""What a load does with each answer: rows into their part, a refusal split into fields, a part
complete joined and handed to the project, what could not be read said. A part of the load
(`loader._Load`), apart for its size."""

from __future__ import annotations

from itertools import chain
from typing import Any

from zdesk.domain.doorstroom import doorstroom_of
from zdesk.loading.limits import PLACEMENTS, SELECTED, USERS
from zdesk.loading.refusals import merge_column, name_refusal, refusal_reason
from zdesk.loading.report import (
    LABELS,
)
from zdesk.loading.tasks import Part, Task
from zdesk.portal.errors import (
    BadResponse,
    FieldUnknown,
    RightMissing,
)
from zdesk.portal.rights import (
    NAME_FIELDS,
    REFUSED,
    UNKNOWN,
    MissingRight,
)


class Answering:
    """The answering half of a load; its state is made by `loader._Load.__init__`."""

    def answered(self, task: Task, rows: list[Any], size: int) -> None:
        if task.kind == "probe":
            self.probe_answered(task, granted=True)
            return
        if task.kind == "column":
            self.columns.setdefault(task.part, []).append((task.column or "", rows))
        else:
            self.rows[task.part] = rows
        self.close(task.part)

    def refused(self, task: Task, error: RightMissing) -> None:
        endpoint = task.endpoint
        need = self.rights.needs[endpoint]
        if task.kind == "probe":
            self.probe_answered(task, granted=False)
            return
        reason = UNKNOWN if isinstance(error, FieldUnknown) else REFUSED
        if task.kind == "column":
            self.rights.add(MissingRight(endpoint, task.column, reason))
            if endpoint == PLACEMENTS and task.column in NAME_FIELDS:
                self.ask_users()
            self.close(task.part)
            return
        essentials = tuple(f for f in need.fields)
        asked = task.fields or ()
        if tuple(asked) != essentials:
            # Some field was refused: the essentials in one read, each optional field apart.
            params = self.params[task.part]
            self.submit(Task(task.part, params, essentials))
            for name in asked:
                if name not in essentials:
                    self.outstanding[task.part] += 1
                    self.submit(Task(task.part, params, (essentials[0], name), "column", name))
            if endpoint == PLACEMENTS and any(n in asked for n in NAME_FIELDS):
                self.ask_users()  # in the same round, in case the names are what was refused
            return
        if isinstance(error, FieldUnknown):
            # The portal does not take even the essential fields: that is no missing right but
            # an answer zdesk cannot use, said with the portal's own words.
            detail = f"{LABELS.get(endpoint, endpoint)}: {error.portal_message}"
            if need.required:
                raise BadResponse(detail, portal=self.client.portal.name)
            self.go_without(endpoint, f"het portaal weigerde de vraag naar de {detail}")
            return
        # The essentials themselves are refused: name the missing right, then go without.
        self.stats.rounds = max(self.stats.rounds, self.round)
        missing = name_refusal(self.client, endpoint, need, self.project_id, self.flag)
        for m in missing:
            self.rights.add(m)
        if need.required:
            first = missing[0] if missing else MissingRight(endpoint)
            raise RightMissing(first.endpoint, first.field, portal=self.client.portal.name)
        self.go_without(endpoint, refusal_reason(missing or [MissingRight(endpoint)]))

    def probe_answered(self, task: Task, *, granted: bool) -> None:
        endpoint = task.endpoint
        self.probes_out[endpoint] -= 1
        if granted:
            self.rights.remove(MissingRight(endpoint, task.column))
        parts = [p for p, n in self.outstanding.items() if p[0] == endpoint and n > 0]
        if granted and task.column is None:
            # The whole endpoint may be read now: ask for it.
            if endpoint == PLACEMENTS and not self.placements_planned:
                self.ask_placements()
                if not self.names_with_placements():
                    self.ask_users()
            elif endpoint == USERS and not self.names_with_placements():
                self.ask_users()
            elif endpoint == SELECTED and not self.selected_planned:
                self.ask_selected()
            return
        for part in parts:
            if granted and part in self.params:
                key = self.rights.needs[endpoint].fields[0]
                self.submit(
                    Task(part, self.params[part], (key, task.column or ""), "column", task.column)
                )
            else:
                self.close(part)

    def go_without(self, endpoint: str, why: str) -> None:
        """An optional read that cannot be done: the load goes on, and says why."""
        self.unavailable[endpoint] = why
        if endpoint == PLACEMENTS and USERS not in self.unavailable:
            self.go_without(USERS, "er zijn geen afdelingsdeelnames")
        for part in [p for p in self.outstanding if p[0] == endpoint]:
            self.outstanding[part] = 0
            self.rows[part] = []
            self.columns.pop(part, None)
            self.finish(part)
        for future, task in list(self.pending.items()):
            if task.endpoint == endpoint:
                future.cancel()
                del self.pending[future]

    def close(self, part: Part) -> None:
        self.outstanding[part] -= 1
        if self.outstanding[part] == 0 and part in self.rows:
            self.finish(part)

    def finish(self, part: Part) -> None:
        """A part is complete: its optional columns join its rows, and it goes to the project."""
        rows = self.rows[part]
        for name, column in self.columns.pop(part, ()):
            merge_column(rows, column, name, part[0])
        endpoint, block = part
        if endpoint == PLACEMENTS:
            self.arrived[block] = rows
            while self.taken in self.arrived:
                self.taken += 1
                self.take(self.arrived.pop(self.taken - 1))
        elif endpoint == USERS:
            self.names = rows
        elif endpoint == SELECTED:
            self.selected[block] = rows
            if self.built is not None and self.selected_done():
                self.built.selected_subjects = self.selected_rows()
        else:
            self.results[endpoint] = rows
            # With the previous project's afdelingen among them, once they are told apart.
            if endpoint == "departmentsofbranches" and self.shares_with is None:
                self.departments_arrived(rows)

    def take(self, rows: list[Any]) -> None:
        """One block of afdelingsdeelnames into the project, in the order the blocks were asked
        (a placement given twice is always resolved the same way)."""
        if self.built is not None:
            self.built.add_placements(self.placements_in_project(rows))
        else:
            self.results.setdefault(PLACEMENTS, []).extend(rows)

    # ---- the loop ----------------------------------------------------------------------------

    def structure_done(self) -> bool:
        return all(self.outstanding.get((e, 0), 1) == 0 for e in self.structure)

    def placements_done(self) -> bool:
        if PLACEMENTS in self.unavailable or self.rights.fields_for(PLACEMENTS) is None:
            return not self.probes_out.get(PLACEMENTS)
        return self.placements_planned and self.taken == self.placement_blocks

    def selected_done(self) -> bool:
        if SELECTED in self.unavailable or self.rights.fields_for(SELECTED) is None:
            return not self.probes_out.get(SELECTED)
        return self.selected_planned and len(self.selected) == self.selected_blocks

    def say_unavailable(self, project: Any) -> None:
        """What could not be read so far, with why, into the project before its checks run
        while the names may still come (the end of the load says it again, names included)."""
        project.unavailable = self.not_read()
        project.unavailable_because = dict(self.unavailable)
        self.previous_into = None  # the previous project's state is put in again after this

    def not_read(self) -> set[str]:
        """The endpoints not read so far: those that failed, and those the token may not read."""
        unavailable = set(self.unavailable)
        for endpoint in (PLACEMENTS, SELECTED):
            if self.rights.fields_for(endpoint) is None:
                unavailable.add(endpoint)
        return unavailable

    def early_stage(self) -> None:
        """What needs no pakketkeuzes, done while they are still on their way (the largest
        answers), so that wait is not spent idle: the doorstroom, which needs the
        afdelingsdeelnames of both projects, and the load's `early(project)` (the checks of
        `domain.check_stages`). Once; a block that comes in after it has it made again."""
        built, previous = self.built, self.previous
        if self.early_done or built is None or previous is None:
            return
        if not self.placements_read() or self.selected_done() or any(self.probes_out.values()):
            return  # not all in yet, or nothing left to wait for (then done with the checks)
        if not previous.done.is_set():
            return
        self.early_done = True
        self.take_previous(built)
        doorstroom_of(built)
        if self.early is not None:
            self.early(built)

    def selected_rows(self) -> list[Any]:
        """Every block's pakketkeuzes, in the order the blocks were asked: one list, made again
        only when a block has come in since, so the project's pakketkeuzes (and what the checks
        derived from them) stay the same object from the checks to the end of the load."""
        judged = self.built is not None and self.placements_read()
        made = (len(self.selected), judged)
        if self._selected_rows is None or self._selected_rows[0] != made:
            rows = list(chain.from_iterable(self.selected[b] for b in sorted(self.selected)))
            if judged:
                # A pakketkeuze of an afdelingsdeelname the project does not have is outside it,
                # not dangling. Judged once, when every afdelingsdeelname is in.
                rows = self.owned(SELECTED, rows, self.placement_ids)
            self._selected_rows = (made, rows)
        return self._selected_rows[1]

    def placements_read(self) -> bool:
        """Every afdelingsdeelname is in (False where they could not be read)."""
        if PLACEMENTS in self.unavailable or self.rights.fields_for(PLACEMENTS) is None:
            return False
        return self.placements_planned and self.taken == self.placement_blocks
