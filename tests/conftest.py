"""Shared fixtures: Qt offscreen, the fake portal over loopback, isolated paths and keyring."""

from __future__ import annotations

import os

# Before anything imports Qt: tests never need a screen.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest

from zdesk.demo.data import PortalData
from zdesk.demo.school import generate_school
from zdesk.demo.seed import seed_school
from zdesk.demo.server import FakePortal

TEST_YEAR = 2026


@pytest.fixture(scope="session")
def small_school() -> PortalData:
    return generate_school("small", seed=7, year=TEST_YEAR)


@pytest.fixture(scope="session")
def typical_school() -> PortalData:
    return generate_school("typical", seed=2026, year=TEST_YEAR)


@pytest.fixture
def portal(small_school: PortalData):
    with FakePortal(small_school) as running:
        yield running


@pytest.fixture
def seed_portal():
    with FakePortal(seed_school()) as running:
        yield running
