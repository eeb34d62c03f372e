"""Each figure of the benchmark: zdesk measured beside its floor, in one process run.

The fake portal runs as a separate process (its own core), exactly as `zdesk demo-server` does, so
the client side is measured without the server's work in the same interpreter.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import requests

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Figure:
    name: str
    unit: str
    times: list[float]
    floor_name: str = ""
    floor_times: list[float] = field(default_factory=list)
    target: str = ""
    ok: bool | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def floor_median(self) -> float | None:
        return statistics.median(self.floor_times) if self.floor_times else None

    @property
    def ratio(self) -> float | None:
        floor = self.floor_median
        return self.median / floor if floor else None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "median": self.median,
            "min": self.best,
            "runs": self.times,
            "floor": self.floor_name,
            "floor_median": self.floor_median,
            "floor_runs": self.floor_times,
            "ratio": self.ratio,
            "target": self.target,
            "ok": self.ok,
            "note": self.note,
        }


def timed(fn: Callable[[], Any], reps: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(reps):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return times, result


def paired(
    ours: Callable[[], Any], floor: Callable[[], Any], reps: int
) -> tuple[list[float], list[float]]:
    """Times of two things taken in turns (ours, floor, ours, ...): on a noisy machine a slow
    stretch then slows both, and their ratio holds."""
    ours_times, floor_times = [], []
    for _ in range(reps):
        ours_times += timed(ours, 1)[0]
        floor_times += timed(floor, 1)[0]
    return ours_times, floor_times


class Server:
    """`zdesk demo-server` in its own process."""

    def __init__(self, tier: str, latency_ms: int = 0, without: tuple[str, ...] = ()) -> None:
        """`without`: endpoints the token may not read (`--zonder`)."""
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "zdesk",
                "demo-server",
                "--tier",
                tier,
                "--latency-ms",
                str(latency_ms),
                *[arg for endpoint in without for arg in ("--zonder", endpoint)],
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=ROOT,
        )
        self.info = json.loads(self.proc.stdout.readline())
        self.url: str = self.info["url"]
        self.token: str = self.info["token"]
        self.project: int = self.info["current_project"]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


SEQUENTIAL_SCRIPT = """
import sys, requests
url, token, project = sys.argv[1], sys.argv[2], sys.argv[3]
session = requests.Session()
session.headers["Authorization"] = "Bearer " + token
for endpoint, params in [("schoolsinschoolyears", {"id": project})] + [
    (e, {"schoolInSchoolYear": project})
    for e in ("branchesofschools", "departmentsofbranches", "choosableindepartments",
              "plannedgroups", "groupindepartments")
]:
    session.get(url + "/api/v3/" + endpoint, params=params).json()
"""


def check_process(server: Server, home: str) -> None:
    """`zdesk check --json` as a nightly job runs it: a whole process, token from the env."""
    env = dict(os.environ, ZDESK_TOKEN=server.token, ZDESK_HOME=home)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "zdesk",
            "check",
            "--portal",
            server.url,
            "--project",
            str(server.project),
            "--json",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )


def sequential_script(server: Server) -> None:
    """A script that reads the six structure endpoints one after another (whole process)."""
    subprocess.run(
        [sys.executable, "-c", SEQUENTIAL_SCRIPT, server.url, server.token, str(server.project)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        check=True,
    )


def zdesk_load(
    url: str,
    token: str,
    project: int,
    record_urls: list[str] | None = None,
    rights: Any = None,
    previous: Any = "auto",
):
    """What the app does on a load: load, check, prepare and fill every view model.

    With `rights` (the load hints of an earlier load) given it is F5: the app reuses what the
    last load learned (refused rights, afdelingen). `previous`: the doorstroom's previous project
    (the rule by default; None: none, a load without the doorstroom).
    """
    from zdesk.domain.check_stages import checks_after
    from zdesk.domain.checks import CheckOptions
    from zdesk.loading.loader import load_project
    from zdesk.portal.client import PortalClient
    from zdesk.portal.names import normalise_portal
    from zdesk.ui.jobs import tuned_for_jobs
    from zdesk.ui.models.tables import early_work, prepare_views

    client = PortalClient(normalise_portal(url), token)
    if record_urls is not None:
        # The client sends prepared requests through the adapter itself (no response hooks):
        # each URL is recorded as it is prepared.
        prepare_request = client.transport.session.prepare_request

        def recording(request, _prepare=prepare_request, _urls=record_urls):
            prepared = _prepare(request)
            _urls.append(prepared.url)
            return prepared

        client.transport.session.prepare_request = recording  # type: ignore[method-assign]
    shown: dict[str, Any] = {}
    options = CheckOptions()

    def early(loaded) -> None:  # as the app does: while the pakketkeuzes are being read
        shown["early"] = early_work(loaded, options)

    def prepare(loaded) -> None:  # as the app does: while the names are being read
        first = shown.get("early")
        shown["run"] = checks_after(loaded, options, first.checks if first else None)
        shown["views"] = prepare_views(loaded, shown["run"], first)

    # As the app's load job: a short switch interval and no cyclic collector while it runs, and
    # what is shown frozen out of later collections once it ends.
    with tuned_for_jobs(heavy=True):
        loaded = load_project(
            client, project, hints=rights, prepare=prepare, previous=previous, early=early
        )
    run, views = shown["run"], shown["views"]
    fill_models(views)
    client.close()
    return loaded, run, loaded.hints


def fill_models(views: Any) -> None:
    """What the window does with prepared views: the tree and the tables take them in."""
    from zdesk.ui.models.table import RecordTableModel
    from zdesk.ui.models.tree import ProjectTreeModel

    tree = ProjectTreeModel()
    tree.set_root(views.tree)
    for data in (views.groups, views.placements, views.planned):
        RecordTableModel([]).set_data(data)


def floor_load(urls: list[str], token: str) -> int:
    """The same requests with one bare session and the fastest decoder, same parallelism."""
    from zdesk.loading.limits import WORKERS as workers

    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    decode = msgspec.json.decode

    def get(u: str) -> int:
        return len(decode(session.get(u).content)["response"]["data"])

    with ThreadPoolExecutor(workers) as pool:
        rows = sum(pool.map(get, urls))
    session.close()
    return rows


def naive_load(urls: list[str], token: str) -> int:
    """What a quick script would do: one by one, response.json(), QStandardItemModel per table."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel

    headers = {"Authorization": f"Bearer {token}"}
    models = []
    for u in urls:
        data = requests.get(u, headers=headers, timeout=120).json()["response"]["data"]
        model = QStandardItemModel()
        for row in data:
            model.appendRow([QStandardItem(str(v)) for v in row.values()])
        models.append(model)
    return sum(m.rowCount() for m in models)


def slowest_single(urls: list[str], token: str) -> float:
    """The slowest single request plus its parse (the latency floor); returns seconds."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    worst = 0.0
    for u in urls:
        started = time.perf_counter()
        msgspec.json.decode(session.get(u).content)
        worst = max(worst, time.perf_counter() - started)
    return worst


def memberships_table(project, run):
    """The largest table the data gives: one row per student per roostergroep."""
    from zdesk.ui.models.table import Column, prepare

    rows = [(p, g) for p in project.placements for g in project.groups_of_placement(p)]
    by_object = run.by_object()
    columns = [
        Column("Leerlingnummer", lambda r: r[0].student_code),
        Column("Naam", lambda r: project.student_name(r[0].student_code)),
        Column("Afdeling", lambda r: (project.department_of(r[0]) or r[1]).label),
        Column("Roostergroep", lambda r: r[1].label),
        Column("Groepsgrootte", lambda r: project.student_count(r[1]), numeric=True),
    ]
    return prepare(columns, rows, lambda r: by_object.get(("student", r[0].student_code), []))


def ui_interactions(project, run, reps: int) -> dict[str, list[float]]:
    from PySide6.QtCore import Qt

    from zdesk.ui.models.table import RecordTableModel

    # Search text and sort keys are built while the window is idle after a load (ui/views.py).
    data = memberships_table(project, run).with_search().with_sort_keys()
    out: dict[str, list[float]] = {"rows": [float(len(data.rows))]}
    for key in ("keystroke", "clear", "sort_text", "sort_number"):
        out[key] = []
    for _ in range(reps):
        model = RecordTableModel([])
        model.set_data(data)
        t = time.perf_counter()
        model.set_filter("4")
        out["keystroke"].append(time.perf_counter() - t)
        t = time.perf_counter()
        model.set_filter("")
        out["clear"].append(time.perf_counter() - t)
        t = time.perf_counter()
        model.sort(3, Qt.SortOrder.AscendingOrder)
        out["sort_text"].append(time.perf_counter() - t)
        t = time.perf_counter()
        model.sort(4, Qt.SortOrder.DescendingOrder)
        out["sort_number"].append(time.perf_counter() - t)
    return out


def export_pair(
    project, run, reps: int, worksheet_class: Any = None
) -> tuple[list[float], list[float]]:
    """zdesk's workbook, and bare XlsxWriter (constant_memory) writing the same cells; with
    `worksheet_class` (zdesk's `FastWorksheet`) the bare one writes its sheets with it."""
    import xlsxwriter

    from zdesk.export import xlsx

    folder = Path(tempfile.mkdtemp(prefix="zdesk-bench-"))

    import datetime as dt

    from zdesk.export.doorstroom_sheet import doorstroom_sheet
    from zdesk.export.formatie_sheet import formatie_sheet

    sheets = [
        xlsx._about(project, run, False, dt.datetime.now(), xlsx._Extra(None, {}, None)),
        formatie_sheet(project, run),
        doorstroom_sheet(project, {}),
        xlsx.structure_rows(project, lambda k, i: ((), None)),
        xlsx.group_rows(project, lambda k, i: ((), None)),
        xlsx.student_rows(project, lambda k, i: ((), None), project.has_names),
        xlsx.finding_rows(project, run, project.has_names, {}, lambda f: f.message),
    ]

    def words(headers) -> list[str]:  # column specs or plain headers
        return [getattr(h, "in_sheet", h) for h in headers]

    cells = [(words(headers), [values for values, _ in rows]) for headers, rows in sheets]

    def bare() -> None:
        book = xlsxwriter.Workbook(str(folder / "bare.xlsx"), {"constant_memory": True})
        for (headers, rows), name in zip(cells, xlsx.SHEETS, strict=True):
            ws = book.add_worksheet(name, worksheet_class=worksheet_class)
            ws.write_row(0, 0, headers)
            for r, values in enumerate(rows, start=1):
                ws.write_row(r, 0, values)
        book.close()

    return paired(lambda: xlsx.write_workbook(folder / "zdesk.xlsx", project, run), bare, reps)


START_SCRIPT = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication{extra_import}
app = QApplication(sys.argv[:1])
window = {window}
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""


# The same kind of window with no zdesk in it: a tree and four tables over empty models, a search
# row, a details pane, a status bar and three menus. What any PySide6 app with this window pays
# (widget construction, fonts, and every enum of the Qt namespace, built on first touch).
WIDGETS_SCRIPT = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QAbstractTableModel, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication, QCheckBox, QHBoxLayout, QLabel, QLineEdit, QMainWindow, QProgressBar,
    QPushButton, QSplitter, QTableView, QTabWidget, QTreeView, QTreeWidget, QVBoxLayout, QWidget,
)
app = QApplication(sys.argv[:1])

class Empty(QAbstractTableModel):
    def rowCount(self, parent=None):
        return 0
    def columnCount(self, parent=None):
        return 4
    def data(self, index, role=0):
        return None
    def headerData(self, section, orientation, role=0):
        return "Kolom" if role == 0 else None

window = QMainWindow()
central = QWidget()
column = QVBoxLayout(central)
row = QHBoxLayout()
for widget in (QLabel("Zoeken"), QLineEdit(), QCheckBox("Alleen met signaleringen")):
    row.addWidget(widget)
column.addLayout(row)
split = QSplitter()
tree = QTreeView()
tree.setModel(Empty())
split.addWidget(tree)
right = QSplitter(Qt.Orientation.Vertical)
tabs = QTabWidget()
for name in ("Roostergroepen", "Leerlingen", "Geplande groepen", "Signaleringen"):
    view = QTableView()
    view.setModel(Empty())
    view.setSortingEnabled(True)
    tabs.addTab(view, name)
right.addWidget(tabs)
details = QWidget()
inner = QVBoxLayout(details)
for widget in (QLabel("titel"), QLabel("feiten"), QTreeWidget()):
    inner.addWidget(widget)
right.addWidget(details)
split.addWidget(right)
column.addWidget(split)
window.setCentralWidget(central)
for widget in (QLabel("project"), QLabel("leeftijd"), QLabel("aantallen")):
    window.statusBar().addWidget(widget)
for widget in (QLabel("bezig"), QProgressBar(), QPushButton("Annuleren")):
    window.statusBar().addPermanentWidget(widget)
for title in ("&Bestand", "&Beeld", "&Help"):
    menu = window.menuBar().addMenu(title)
    for i in range(7):
        action = QAction(f"Actie {i}", window)
        action.setShortcut(f"Ctrl+{i}")
        menu.addAction(action)
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""


def start_times(reps: int) -> tuple[list[float], list[float], list[float]]:
    """Start-up as an installed app starts: with its modules' bytecode already compiled.

    `pip install` compiles it and a frozen app carries it; a source checkout run with
    PYTHONDONTWRITEBYTECODE would compile zdesk anew on every start (25 ms here). Both children
    get the same private bytecode cache, filled by the warm-up runs.
    """
    env = dict(
        os.environ,
        ZDESK_HOME=tempfile.mkdtemp(prefix="zdesk-bench-home-"),
        PYTHONPYCACHEPREFIX=tempfile.mkdtemp(prefix="zdesk-bench-pycache-"),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    def run(script: str) -> float:
        """From process start to the line the child prints once its window is shown."""
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", script],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            cwd=ROOT,
        )
        line = child.stdout.readline()
        shown = time.perf_counter() - started
        child.wait(timeout=60)
        assert "shown" in line, line
        return shown

    ours = START_SCRIPT.format(
        extra_import="\nfrom zdesk.ui.main_window import MainWindow", window="MainWindow()"
    )
    bare = START_SCRIPT.format(extra_import=", QMainWindow", window="QMainWindow()")
    for script in (ours, bare, WIDGETS_SCRIPT):  # warms the file cache and writes the bytecode
        run(script)
    zdesk_times, bare_times, widget_times = [], [], []
    for _ in range(reps):
        zdesk_times.append(run(ours))
        bare_times.append(run(bare))
        widget_times.append(run(WIDGETS_SCRIPT))
    return zdesk_times, bare_times, widget_times


class MainThreadGaps:
    """The longest wait between ticks of a timer on the main thread, from now until `stop()`."""

    def __init__(self, interval_ms: int) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.clock = QElapsedTimer()
        self.gaps: list[int] = []
        self.last = 0
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.clock.start()
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.gaps.append(now - self.last)
        self.last = now

    def stop(self) -> float:
        """Seconds of the longest gap."""
        self.timer.stop()
        return max(self.gaps, default=0) / 1000


def ui_stall(url: str, token: str, project: int) -> tuple[float, float]:
    """Longest gap between 5-ms timer ticks on the main thread: (first load, F5), in seconds.

    The window is shown (offscreen) as a person sees it, so painting asks the models for data
    while the load runs; F5 replaces a shown project, as a person's second load does. Each
    measurement lasts until the replaced project has been freed as well.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    from zdesk.portal.client import PortalClient
    from zdesk.portal.names import normalise_portal
    from zdesk.ui.jobs import wait_for_jobs
    from zdesk.ui.main_window import MainWindow
    from zdesk.ui.project_view import RELEASE_AFTER_MS

    settle_ms = RELEASE_AFTER_MS + 300

    window = MainWindow()
    window.run_dialog = lambda dialog: 0  # no modal dialogs during a measurement
    window.show()
    window.session.adopt(PortalClient(normalise_portal(url), token))
    settle = QEventLoop()  # the window's first paint is not part of a load
    QTimer.singleShot(200, settle.quit)
    settle.exec()
    worst: list[float] = []
    loading = window.loading
    for load in (lambda: loading.open_project(project), loading.reload):
        gaps = MainThreadGaps(5)
        loop = QEventLoop()
        load()
        # Until the replaced project has been freed too (a moment after the new one is shown).
        loading.job.ended.connect(lambda loop=loop: QTimer.singleShot(settle_ms, loop.quit))
        loop.exec()
        worst.append(gaps.stop())
        wait_for_jobs(5000)
    window.shutdown()
    window.close()
    return worst[0], worst[1]


MEMORY_SCRIPT = """
import os, resource, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from zdesk.domain.checks import run_checks
from zdesk.loading.loader import load_project
from zdesk.portal.client import PortalClient
from zdesk.portal.names import normalise_portal
from zdesk.ui.main_window import MainWindow
window = MainWindow()
client = PortalClient(normalise_portal({url!r}), {token!r})
project = load_project(client, {project})
window.view.show_project(project, run_checks(project))
# ru_maxrss survives exec on Linux (it would report the benchmark's own peak); VmHWM does not.
try:
    status = open("/proc/self/status").read()
    print(int(status.split("VmHWM:")[1].split()[0]))
except (OSError, IndexError):
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_memory_mb(url: str, token: str, project: int) -> float:
    env = dict(os.environ, ZDESK_HOME=tempfile.mkdtemp(prefix="zdesk-bench-home-"))
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT.format(url=url, token=token, project=project)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    kilobytes = int(out.stdout.strip().splitlines()[-1])
    return kilobytes / 1024


def fresh(project):
    """The same records as a new Project: nothing kept from checks run on the old one."""
    import dataclasses

    from zdesk.domain.model import Project

    values = {f.name: getattr(project, f.name) for f in dataclasses.fields(Project) if f.init}
    return Project(**values)


def timed_fresh(fn, project, reps: int, prepare=None) -> list[float]:
    """Seconds of `fn(copy)` per repetition, each on a fresh copy made off the clock (and then
    `prepare(copy)`, off the clock too), run as the app runs its checks: in a load job (no cyclic
    collector walking the new copy meanwhile)."""
    from zdesk.ui.jobs import tuned_for_jobs

    times = []
    for _ in range(reps):
        copy = fresh(project)
        if prepare is not None:
            prepare(copy)
        with tuned_for_jobs(heavy=True):
            times += timed(lambda copy=copy: fn(copy), 1)[0]
    return times


def as_a_load_leaves_it(fn, project, reps: int, name: str, limit: float) -> list[Figure]:
    """`fn` from scratch timed as a load runs it, both projects indexed (the previous project's
    indices are built by its own read, beside the load: off the clock, as the project's own),
    against `limit` seconds; and, as context, with the previous project's indices on the clock."""
    indexed = timed_fresh(fn, project, reps, prepare=lambda copy: copy.previous())
    on_the_clock = timed_fresh(fn, project, reps)
    what = name.split(":")[0]
    return [
        Figure(
            name,
            "s",
            indexed,
            target=f"≤ {limit:.3f} s",
            ok=statistics_median(indexed) <= limit,
            note="both projects indexed, as a load leaves them",
        ),
        Figure(
            f"{what}: the same, the previous project's indices built on the clock too",
            "s",
            on_the_clock,
            target="reported (no target)",
            ok=True,
            note="context: what the figure above counted until this version",
        ),
    ]


def statistics_median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)
