"""A probe of every right at once, for tests of the fake portal's rights and RightsReport: tiny
requests (a filter that matches nothing) per endpoint, then per field where the endpoint is
refused. zdesk itself never probes first; a load learns its rights from what the portal refuses
(zdesk.loading)."""

from __future__ import annotations

from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

from zdesk.portal.client import PARALLEL, CancelFlag, PortalClient
from zdesk.portal.errors import BadResponse, Cancelled, RightMissing
from zdesk.portal.rights import NEEDS, MissingRight, Need, RightsReport, probe_filter


def _probe_one(
    client: PortalClient, need: Need, project: int, cancel: CancelFlag | None
) -> list[MissingRight]:
    params = probe_filter(need.endpoint, project)
    wanted = (*need.fields, *need.extra)
    try:
        client.fetch(need.endpoint, dict, params=params, fields=wanted, cancel=cancel)
        return []
    except (RightMissing, BadResponse):
        pass  # a field not granted (403) or not known on this portal (400): find which
    try:
        client.fetch(need.endpoint, dict, params=params, cancel=cancel)
    except RightMissing:
        return [MissingRight(need.endpoint)]
    missing = []
    for name in wanted:
        try:
            client.fetch(need.endpoint, dict, params=params, fields=(name,), cancel=cancel)
        except (RightMissing, BadResponse):
            missing.append(MissingRight(need.endpoint, name))
    return missing


def probe_rights(
    client: PortalClient, project: int, cancel: CancelFlag | None = None, workers: int = PARALLEL
) -> RightsReport:
    """Find out what the client's token may read for `project`; a cancel takes effect at once."""
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="zdesk-probe")
    try:
        futures = [pool.submit(_probe_one, client, n, project, cancel) for n in NEEDS]
        pending = set(futures)
        while pending:
            _, pending = wait(pending, timeout=0.05, return_when=FIRST_EXCEPTION)
            if cancel is not None and cancel.is_set():
                raise Cancelled()
        results = [f.result() for f in futures]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return RightsReport(client.portal.name, project, [m for r in results for m in r])
