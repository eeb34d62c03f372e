"""Back and forward through jumps."""

from __future__ import annotations

from zdesk.ui.history import MAX_STEPS, JumpHistory


def test_back_and_forward_like_a_browser():
    h = JumpHistory()
    assert h.back() is None and h.forward() is None
    h.jumped("finding 1", "group 7")
    h.jumped("group 7", "student 12")  # the origin is where the last jump ended: kept once
    assert (h.can_go_back, h.can_go_forward) == (True, False)
    assert h.back() == "group 7"
    assert h.back() == "finding 1"
    assert h.back() is None
    assert h.forward() == "group 7"
    h.jumped("group 7", "planned 3")  # a new jump drops what lay ahead
    assert h.forward() is None
    assert h.back() == "group 7" and h.back() == "finding 1"


def test_history_is_bounded_and_can_be_cleared():
    h = JumpHistory()
    for i in range(MAX_STEPS * 2):
        h.jumped(None, i)
    steps = 0
    while h.back() is not None:
        steps += 1
    assert steps == MAX_STEPS - 1
    h.clear()
    assert not h.can_go_back and not h.can_go_forward
