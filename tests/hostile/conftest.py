"""Fixtures of the hostile suite: a school of each test's own, so a test may spoil it."""

from __future__ import annotations

import pytest

from ..conftest import TEST_YEAR

# The window as the app's own tests drive it, with Qt's texts in Dutch.
from ..ui.conftest import clipboard_emptied_at_end, dutch_qt, window  # noqa: F401


@pytest.fixture
def own_school():
    from zdesk.demo.school import generate_school

    return generate_school("small", seed=7, year=TEST_YEAR)
