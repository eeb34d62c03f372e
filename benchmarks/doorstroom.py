"""The doorstroom's figures: what reading the previous project adds to an F5, against the floor of
its extra requests (with 50 ms latency; without, as context), and its checks (with the doorstroom
itself) from scratch."""

from __future__ import annotations

from collections import Counter
from typing import Any

from benchmarks.figures import (
    Figure,
    as_a_load_leaves_it,
    floor_load,
    paired,
    statistics_median,
    timed,
    zdesk_load,
)

DOORSTROOM = ("student-not-placed-next-year", "student-repeats-year", "student-changes-education")


def doorstroom_figures(server: Any, rights: Any, project: Any, reps: int) -> list[Figure]:
    """On the portal without latency: what the previous project adds to an F5 (context, see
    `previous_cost`) and the doorstroom from scratch."""
    figures = [previous_cost(server, rights, reps, latency_ms=0)]
    figures += as_a_load_leaves_it(
        doorstroom_once, project, reps, "doorstroom: its three checks and the matrix", 0.050
    )
    return figures


def previous_cost(server: Any, rights: Any, reps: int, latency_ms: int) -> Figure:
    """What reading the previous project adds to an F5 (F5 with it minus F5 without it, taken in
    turns), against its extra requests alone on a bare session.

    With latency (the network a school's portal is on) this is the issue's figure: its requests
    go out in the same wave as the project's own, and the doorstroom is made while the
    pakketkeuzes are on their way. Without latency the portal answers at once, so there is no
    wait to hide anything in: the figure is then zdesk's own CPU for the previous project (its
    rows, indices and the doorstroom) against the portal's, shown as context.
    """
    with_urls: list[str] = []
    without_urls: list[str] = []
    zdesk_load(server.url, server.token, server.project, with_urls, rights)
    zdesk_load(server.url, server.token, server.project, without_urls, rights, previous=None)
    extra = list((Counter(with_urls) - Counter(without_urls)).elements())
    with_times, without_times = paired(
        lambda: zdesk_load(server.url, server.token, server.project, rights=rights),
        lambda: zdesk_load(server.url, server.token, server.project, rights=rights, previous=None),
        reps,
    )
    added = [w - wo for w, wo in zip(with_times, without_times, strict=True)]
    floor, _ = timed(lambda: floor_load(extra, server.token), reps)
    limit = statistics_median(floor) + 0.020
    note = (
        f"{len(extra)} extra requests; F5 {statistics_median(with_times) * 1000:.0f} "
        f"vs {statistics_median(without_times) * 1000:.0f} ms without"
    )
    if latency_ms:
        return Figure(
            f"F5 at {latency_ms} ms latency: what the previous project adds",
            "s",
            added,
            "bare session, its extra requests alone",
            floor,
            "≤ floor + 0.020 s",
            ok=statistics_median(added) <= limit,
            note=note,
        )
    return Figure(
        "F5 without latency: what the previous project adds (context: zdesk's CPU)",
        "s",
        added,
        "bare session, its extra requests alone",
        floor,
        "reported (no target)",
        ok=True,
        note=note + "; context for the figure with latency",
    )


def doorstroom_once(project: Any) -> None:
    """The doorstroom from scratch (and the previous project's indices where they are not built
    yet), its three checks and the Doorstroom tab's matrix of the whole school."""
    from zdesk.domain.checks import run_checks
    from zdesk.domain.doorstroom import doorstroom_of
    from zdesk.present.doorstroom import doorstroom_matrix

    run_checks(project, list(DOORSTROOM))
    doorstroom_matrix(project, doorstroom_of(project))
