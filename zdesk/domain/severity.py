"""How serious a signalering is: fout, waarschuwing or info (apart, so views can start light)."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    FOUT = "fout"
    WAARSCHUWING = "waarschuwing"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"fout": 0, "waarschuwing": 1, "info": 2}[self.value]
