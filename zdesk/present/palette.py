"""One mapping from severity to colour and symbol, shared by the app's views and the workbook.

Backgrounds come in a light and a dark variant so highlights stay readable in both themes; a symbol
and the severity's word go with the colour, so colour is never the only signal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zdesk.domain.severity import Severity

if TYPE_CHECKING:
    from zdesk.domain.checks import Finding


@dataclass(frozen=True)
class Style:
    light: str  # background on a light theme (and in Excel)
    dark: str  # background on a dark theme
    symbol: str  # shown beside the text
    label: str  # Dutch word for people


STYLES: dict[Severity, Style] = {
    Severity.FOUT: Style("#F8D0D3", "#6B1E25", "⛔", "fout"),
    Severity.WAARSCHUWING: Style("#FCE8B2", "#5E4A10", "⚠", "waarschuwing"),
    Severity.INFO: Style("#D6E6FA", "#1E3A5F", "ℹ", "info"),
}


def tally(findings: Iterable[Finding]) -> dict[Severity, int]:
    """How many findings of each severity, every severity present (most serious first)."""
    counts = dict.fromkeys(Severity, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


# What is wrong with a cell of the formatie matrix: a symbol beside the words, never colour alone.
FLAG_SYMBOLS = {"te weinig": "▼", "te veel": "▲", "niet gerealiseerd": "◌"}


def flags_text(flags: Sequence[str]) -> str:
    """`▼ te weinig, ◌ niet gerealiseerd`; "" for a cell that is fine."""
    return ", ".join(f"{FLAG_SYMBOLS.get(f, '•')} {f}" for f in flags)


def worst(findings: Sequence[Finding]) -> Severity | None:
    """The most serious severity among findings (None when there are none)."""
    if not findings:
        return None
    return min((f.severity for f in findings), key=lambda s: s.rank)
