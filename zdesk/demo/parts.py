"""The pieces a generated school is built from, shared by the generator and the seeder."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from zdesk.demo.catalogue import VMBO
from zdesk.demo.data import Row

MINIMUM_STUDENTS = 12  # in an afdeling, so every anomaly has room to be planted


@dataclass
class Pool:
    """The groups of one profile or elective, and the keuzevakken (one per afdeling) using them."""

    owner: Dept
    subject: str
    groups: list[Row]
    choosables: list[Row]


@dataclass
class Dept:
    row: Row
    branch: int
    stream: str
    level: int
    placements: list[Row] = field(default_factory=list)
    main_groups: list[Row] = field(default_factory=list)
    mentor_groups: list[Row] = field(default_factory=list)
    choosables: dict[str, Row] = field(default_factory=dict)
    choices: dict[int, list[str]] = field(default_factory=dict)  # placement id -> subject codes

    @property
    def upper(self) -> bool:
        return self.level >= (3 if self.stream in VMBO else 4)

    @property
    def code(self) -> str:
        return self.row["code"]

    @property
    def max_size(self) -> int:
        return self.row["maxGroupSize"]


# Gives the student codes of each afdeling of a project being built, in the afdelingen's order,
# and the students the seeder is to leave out of every anomaly it plants.
Fill = Callable[[list["Dept"]], tuple[list[list[str]], frozenset[str]]]


class Builder(Protocol):
    """What the seeder asks of the generator that is building a project."""

    rng: random.Random
    rows: dict[str, list[Row]]
    members: dict[int, list[Row]]
    groups: dict[int, Row]
    pools: list[Pool]

    def add_group(self, dept: Dept, name: str, *, main: bool = ..., mentor: bool = ...) -> Row: ...

    def add_choosable(self, dept: Dept, code: str, name: str, kind: str) -> Row: ...

    def add_planned(self, choosable: Row, group: Row | None) -> Row: ...

    def add_placement(self, dept: Dept, student: str) -> Row: ...

    def join(self, placement: Row, group: Row) -> None: ...

    def leave(self, placement: Row, group: Row) -> None: ...

    def size(self, group: Row) -> int: ...

    def next_id(self, kind: str) -> int: ...


def apportion(total: int, weights: list[float], minimum: int) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), no part below `minimum`."""
    spare = total - minimum * len(weights)
    if spare < 0:
        raise ValueError("te weinig leerlingen voor het aantal afdelingen")
    wsum = sum(weights)
    raw = [spare * w / wsum for w in weights]
    parts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: spare - sum(parts)]:
        parts[i] += 1
    return [minimum + p for p in parts]
