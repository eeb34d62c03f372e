"""A load's first stage: what needs no pakketkeuzes is done while they are on their way, and the
app's checks and views come out as if everything had been made at the end."""

from __future__ import annotations

import threading

from tests.held_back import hold_pakketkeuzes
from tests.store.helpers import copy_project
from zdesk.demo.server import FakePortal
from zdesk.domain.check_stages import checks_after
from zdesk.domain.checks import CheckOptions, run_checks
from zdesk.loading.loader import load_project
from zdesk.portal.client import PortalClient
from zdesk.portal.names import normalise_portal
from zdesk.ui.models.tables import early_work, prepare_views


def test_the_first_stage_runs_before_the_pakketkeuzes_and_changes_no_result(
    small_school, monkeypatch
) -> None:
    options = CheckOptions()
    made: dict = {}
    first_done = threading.Event()

    def early(project) -> None:
        assert not project.selected_subjects  # they are still on their way
        made["early"] = early_work(project, options)
        first_done.set()

    def prepare(project) -> None:
        first = made["early"]
        made["run"] = checks_after(project, options, first.checks)
        made["views"] = prepare_views(project, made["run"], first)

    with FakePortal(small_school) as portal:
        client = PortalClient(normalise_portal(portal.url), portal.token)
        hold_pakketkeuzes(monkeypatch, first_done, "the first stage")
        project = load_project(client, small_school.current_project, early=early, prepare=prepare)
    assert project.selected_subjects
    alone = run_checks(copy_project(project), options=options)
    assert [(f.check, f.object_id, f.message) for f in made["run"].findings] == [
        (f.check, f.object_id, f.message) for f in alone.findings
    ]
    shown = made["views"].doorstroom
    assert shown.matrix is made["early"].matrix[1]  # made early, and taken
    assert shown.matrix.counts() and shown.students.rows
