"""Finding rows in the project tree the way a test needs them."""

from __future__ import annotations


def first_real_department(model, branch):
    """The first afdeling under `branch` that is not a pseudo afdeling (#uit sorts first)."""
    rows = (model.index(row, 0, branch) for row in range(model.rowCount(branch)))
    return next(index for index in rows if not model.node(index).obj.is_pseudo)
