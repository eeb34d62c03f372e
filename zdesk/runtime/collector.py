"""One pause of the cyclic garbage collector that every caller shares.

A load, a history save and a batch command each make hundreds of thousands of objects without
cycles; a full collection in between only walks them again. They may overlap (a save on one thread
while an F5 runs on another), so the pause is counted: the collector comes back on when the last
pause ends, and only if it was on when the first began. Separately written pauses did not compose:
one ending while another ran turned the collector back on for the rest of the other.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = False


def pause() -> None:
    """Begin a pause (pair it with `resume`; `paused()` does both)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1


def resume() -> bool:
    """End a pause; True when it was the last one and the collector is on again."""
    global _depth
    with _lock:
        if _depth == 0:
            return False
        _depth -= 1
        if _depth == 0 and _was_enabled:
            gc.enable()
            return True
        return False


def pausing() -> bool:
    """Whether some caller is pausing the collector now."""
    with _lock:
        return _depth > 0


@contextlib.contextmanager
def paused(freeze_after: bool = False) -> Iterator[None]:
    """The collector paused for the block; with `freeze_after`, what exists when the last pause
    ends is moved out of future collections (it stays for a long time: a project on screen)."""
    pause()
    try:
        yield
    finally:
        if resume() and freeze_after:
            gc.freeze()
