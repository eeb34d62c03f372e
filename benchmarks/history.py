"""The history's figures: saving a load, its file size, reopening it, comparing two loads.

Everything runs in a temporary folder with a fixed key (no keyring is touched).
"""

from __future__ import annotations

import statistics
import tempfile
import threading
from pathlib import Path
from typing import Any

from benchmarks.figures import Figure, MainThreadGaps, fill_models, timed

KEY = bytes(range(32))


def _changed(project):
    """The same school a day later: some groups realised, students moved, a group gone."""
    import msgspec

    from zdesk.domain.model import Project

    replace = msgspec.structs.replace
    groups = project.groups
    planned = [
        replace(pg, group_in_department=groups[i % len(groups)].id)
        if pg.group_in_department is None and i % 2 == 0
        else pg
        for i, pg in enumerate(project.planned_groups)
    ]
    placements = list(project.placements)
    for i in range(0, len(placements), 97):  # about 1% of the students change a group
        p = placements[i]
        if p.group_in_departments:
            placements[i] = replace(p, group_in_departments=p.group_in_departments[1:])
    kept_groups = groups[:-3]
    values = {
        "info": project.info,
        "branches": project.branches,
        "departments": project.departments,
        "choosables": project.choosables,
        "planned_groups": planned,
        "groups": kept_groups,
        "placements": placements,
        "students": project.students,
        "missing_rights": project.missing_rights,
        "unavailable": project.unavailable,
        "portal": project.portal,
        "loaded_at": project.loaded_at + 86400,
    }
    return Project(**values)


def _stall_during(work) -> float:
    """The longest the Qt event loop waits while `work` runs in a thread (as the app saves)."""
    from PySide6.QtCore import QEventLoop, QTimer

    gaps = MainThreadGaps(2)
    loop = QEventLoop()
    worker = threading.Thread(target=work)

    def done_check() -> None:
        if not worker.is_alive():
            loop.quit()

    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(done_check)
    poll.start()
    worker.start()
    loop.exec()
    poll.stop()
    worker.join()
    return gaps.stop()


def history_figures(project: Any, run: Any, load_seconds: float, reps: int) -> list[Figure]:
    from zdesk.app.history import History
    from zdesk.domain.checks import run_checks
    from zdesk.domain.diff import compare
    from zdesk.ui.jobs import tuned_for_jobs
    from zdesk.ui.models.tables import prepare_views

    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="zdesk-bench-") as home:
        history = History(project.portal or "bench", KEY, Path(home) / "history" / "bench")
        saves, saved = timed(lambda: history.save(project, run), reps)
        share = statistics.median(saves) / load_seconds
        figures.append(
            Figure(
                "save a load to history (encode, compress, encrypt, write)",
                "s",
                saves,
                target="≤ 10% of the load (F5)",
                ok=share <= 0.10,
                note=f"{share:.1%} of {load_seconds * 1000:.0f} ms",
            )
        )
        stalls = [_stall_during(lambda: history.save(project, run)) for _ in range(reps)]
        figures.append(
            Figure(
                "UI stall while a load is saved (in a worker)",
                "s",
                stalls,
                target="≤ 0.050 s",
                ok=statistics.median(stalls) <= 0.05,
            )
        )
        size = saved.path.stat().st_size / 1e3
        figures.append(
            Figure(
                "history file of one load",
                "KB",
                [size],
                target="≤ 5 MB",
                ok=size <= 5000,
            )
        )

        def reopen() -> None:
            # As the app's reopening job (like a load: no collector while it makes the project),
            # then the window takes the views in.
            with tuned_for_jobs(heavy=True):
                snapshot = history.read(saved)
                views = prepare_views(snapshot.project, snapshot.checks)
            fill_models(views)

        reopened, _ = timed(reopen, reps)
        figures.append(
            Figure(
                "reopen from history to a shown project",
                "s",
                reopened,
                target="≤ 0.300 s",
                ok=statistics.median(reopened) <= 0.3,
                note="read, decrypt, decode, index, fill the models",
            )
        )
        read_only, _ = timed(lambda: history.read(saved), reps)
        figures.append(
            Figure(
                "reopen: read the saved load",
                "s",
                read_only,
                target="reported (no target)",
                ok=True,
                note="context for the figure above",
            )
        )

        later = _changed(project)
        later_run = run_checks(later)
        diffs, result = timed(
            lambda: compare(project, later, run.findings, later_run.findings), reps
        )
        figures.append(
            Figure(
                "diff of two loads",
                "s",
                diffs,
                target="≤ 0.200 s",
                ok=statistics.median(diffs) <= 0.2,
                note=f"{len(result.changes)} changes",
            )
        )
    return figures
