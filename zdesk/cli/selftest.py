"""`zdesk --self-test`: a smoke run for frozen builds, without a window and without the network.

Starts the embedded demo portal on 127.0.0.1, links with a koppelcode, loads the current project,
runs the checks, exports the workbook to a temporary folder and reads it back. Prints one line.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import TextIO

from zdesk import __version__
from zdesk.plaintext import plain


def verify_workbook(path: Path, expected_rows: dict[str, int]) -> None:
    """Check the sheets, their order and row counts straight from the file (no extra library)."""
    from zdesk.export.xlsx import SHEETS

    with zipfile.ZipFile(path) as book:
        workbook = book.read("xl/workbook.xml").decode("utf-8")
        names = re.findall(r'<sheet name="([^"]+)"', workbook)
        if names != list(SHEETS):
            raise AssertionError(f"bladen {names} in plaats van {list(SHEETS)}")
        for number, name in enumerate(SHEETS, start=1):
            if name not in expected_rows:
                continue
            sheet = book.read(f"xl/worksheets/sheet{number}.xml").decode("utf-8")
            rows = sheet.count("<row ") - 1  # minus the header row
            if rows != expected_rows[name]:
                raise AssertionError(f"blad {name}: {rows} rijen, verwacht {expected_rows[name]}")


def run_self_test(out: TextIO | None = None) -> int:
    if out is None and sys.stdout is None:
        # A windowed build on Windows has no console: leave the line in the log folder.
        from zdesk.store.paths import log_dir, private_dir

        folder = private_dir(log_dir())  # the log folder is the user's only, as its files
        with open(folder / "zelftest.txt", "w", encoding="utf-8") as file:
            return run_self_test(file)
    out = out or sys.stdout
    started = time.perf_counter()
    try:
        from zdesk.demo.school import DEMO_TIER, generate_school
        from zdesk.demo.server import FakePortal
        from zdesk.domain.checks import run_checks
        from zdesk.export.xlsx import write_workbook
        from zdesk.loading.loader import load_project
        from zdesk.portal.linking import link
        from zdesk.store.paths import temp_root

        with FakePortal(generate_school(DEMO_TIER)) as portal:
            linked = link(portal.url, koppelcode=portal.koppelcodes[0])
            with linked.client:
                project = load_project(linked.client, portal.data.current_project)
        run = run_checks(project)
        if not run.findings or project.counts()["students"] == 0:
            raise AssertionError("de demoschool gaf geen leerlingen of geen signaleringen")
        with tempfile.TemporaryDirectory(prefix="zdesk-selftest-") as folder:
            path = write_workbook(Path(folder) / "zelftest.xlsx", project, run, scratch=temp_root())
            size = path.stat().st_size
            verify_workbook(
                path,
                {
                    "Structuur": len(project.planned_groups),
                    "Roostergroepen": len(project.groups),
                    "Leerlingen": len(project.placements),
                    "Signaleringen": len(run.findings),
                },
            )
    except Exception as exc:  # the one line must say why, whatever it was
        said = plain(f"{type(exc).__name__}: {exc}")
        out.write(f"zdesk {__version__} zelftest MISLUKT: {said}\n")
        return 1
    c = project.counts()
    out.write(
        f"zdesk {__version__} zelftest geslaagd: {c['students']} leerlingen, "
        f"{c['planned_groups']} geplande groepen, {len(run.findings)} signaleringen, "
        f"export {size // 1024} KB, {time.perf_counter() - started:.1f} s\n"
    )
    return 0
