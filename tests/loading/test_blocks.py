"""Blocks of afdelingen for the afdelingsdeelnames and pakketkeuzes: few, and alike in size."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zdesk.loading import limits
from zdesk.loading.tasks import department_blocks


@given(st.sets(st.integers(1, 10**9), max_size=700), st.integers(1, 60))
def test_blocks_hold_every_afdeling_once_in_as_few_blocks_of_equal_size(ids, per_request) -> None:
    old = limits.DEPARTMENTS_PER_REQUEST
    limits.DEPARTMENTS_PER_REQUEST = per_request
    try:
        blocks = [
            [int(i) for i in b["departmentOfBranch"].split(",")]
            for b in department_blocks(list(ids))
        ]
    finally:
        limits.DEPARTMENTS_PER_REQUEST = old
    assert [i for b in blocks for i in b] == sorted(ids)
    assert len(blocks) == -(-len(ids) // per_request)
    sizes = {len(b) for b in blocks}
    assert (
        max(sizes, default=0) <= per_request and max(sizes, default=0) - min(sizes, default=0) <= 1
    )


def test_a_large_school_has_no_small_last_block() -> None:
    sizes = [len(b["departmentOfBranch"].split(",")) for b in department_blocks(list(range(301)))]
    assert sizes == [38] * 5 + [37] * 3
