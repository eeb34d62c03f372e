"""What the search row asks of a model, kept alike by the tree and the tables.

Both take the search text the same way (trimmed, casefolded; None: as it was) and say what they
filter by; what a filter then does differs (the tree resets and keeps ancestors of what matches,
a table lays out its rows again, even when asked for the same filter once more).
"""

from __future__ import annotations


class FilterState:
    """The search text and "only flagged" of a model; mixed into the tree and table models."""

    _text = ""  # casefolded
    _only_flagged = False

    @property
    def filter_text(self) -> str:
        """The search text now applied (casefolded), "" when none."""
        return self._text

    @property
    def only_flagged(self) -> bool:
        return self._only_flagged

    def _take_filter(self, text: str | None, only_flagged: bool | None) -> bool:
        """Keep the asked filter (None: that part as it was); True when it changed."""
        new_text = self._text if text is None else text.strip().casefold()
        new_flagged = self._only_flagged if only_flagged is None else only_flagged
        if (new_text, new_flagged) == (self._text, self._only_flagged):
            return False
        self._text, self._only_flagged = new_text, new_flagged
        return True
