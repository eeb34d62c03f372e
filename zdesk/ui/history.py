"""Back and forward through jumps, as in a browser (Alt+Left, Alt+Right, the mouse side buttons)."""

from __future__ import annotations

from typing import Any

MAX_STEPS = 100


class JumpHistory:
    """Places visited by jumping. A place is any hashable value the window can go back to.

    `jumped(from_place, to_place)` records a jump; `back()` and `forward()` return the place to
    show (or None at either end). A new jump after going back drops the places ahead, as a
    browser does.
    """

    def __init__(self) -> None:
        self._places: list[Any] = []
        self._at = -1

    def jumped(self, origin: Any, target: Any) -> None:
        del self._places[self._at + 1 :]
        if origin is not None and (not self._places or self._places[-1] != origin):
            self._places.append(origin)
        if not self._places or self._places[-1] != target:
            self._places.append(target)
        del self._places[:-MAX_STEPS]
        self._at = len(self._places) - 1

    def back(self) -> Any:
        if not self.can_go_back:
            return None
        self._at -= 1
        return self._places[self._at]

    def forward(self) -> Any:
        if not self.can_go_forward:
            return None
        self._at += 1
        return self._places[self._at]

    @property
    def can_go_back(self) -> bool:
        return self._at > 0

    @property
    def can_go_forward(self) -> bool:
        return 0 <= self._at < len(self._places) - 1

    def clear(self) -> None:
        self._places.clear()
        self._at = -1
