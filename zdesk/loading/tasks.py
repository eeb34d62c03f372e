"""The pieces of a load: one read (a Task), the flag that stops a load, how afdelingen are split
into blocks, and why an optional read was not done."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from zdesk.loading import limits
from zdesk.loading.report import LABELS
from zdesk.portal.client import CancelFlag
from zdesk.portal.errors import AnswerTooLarge, NotFound, PortalError


class EitherFlag:
    """Set when the user cancels or when another request of this load has failed."""

    def __init__(self, user: CancelFlag | None) -> None:
        self.user = user
        self.internal = threading.Event()

    def is_set(self) -> bool:
        return self.internal.is_set() or (self.user is not None and self.user.is_set())


Part = tuple[str, int]  # (endpoint, block): one read whose columns may come in several answers


@dataclass(frozen=True)
class Task:
    part: Part
    params: dict[str, str]
    fields: tuple[str, ...] | None  # None: no `fields=` (an endpoint probe)
    kind: str = "data"  # "data", "column" (one optional field) or "probe" (matches no rows)
    column: str | None = None  # with "column" and "probe": the field (None: the endpoint)
    round: int = 1  # 1 for what is asked at the start; one more than the answer that led to it

    @property
    def endpoint(self) -> str:
        return self.part[0]


def why_not_read(endpoint: str, error: PortalError) -> str:
    """Why an optional read was not done, in Dutch: the real reason, never a right it was not."""
    what = LABELS.get(endpoint, endpoint)
    if isinstance(error, NotFound):
        return f"het portaal kent de {what} niet (het antwoordde 'niet gevonden')"
    if isinstance(error, AnswerTooLarge):
        return f"de {what} waren te veel om te lezen (meer dan {error.detail})"
    return f"het portaal gaf een fout bij de {what}: {error.detail or error}"


def department_blocks(departments: list[int]) -> list[dict[str, str]]:
    """One request per block of afdelingen: as few blocks as `DEPARTMENTS_PER_REQUEST` allows,
    of equal size (one afdeling apart at most), so no small last block waits a round of its own
    and no large one finishes last."""
    ids = sorted(departments)
    if not ids:
        return []
    count = -(-len(ids) // limits.DEPARTMENTS_PER_REQUEST)
    size, larger = divmod(len(ids), count)  # the first `larger` blocks take one more
    blocks, start = [], 0
    for i in range(count):
        end = start + size + (i < larger)
        blocks.append({"departmentOfBranch": ",".join(map(str, ids[start:end]))})
        start = end
    return blocks
