"""House rules that code can check: a Qt-free core, one seam each to network and secrets."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "zdesk"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def modules_importing(top: str) -> set[str]:
    return {
        str(path.relative_to(ROOT)).replace("\\", "/")
        for path in PACKAGE.rglob("*.py")
        if top in imported_modules(path)
    }


def test_import_contract_core_is_qt_free():
    # Run as the build would, in a fresh interpreter so nothing imported by the tests leaks in.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def import_cycles() -> list[set[str]]:
    """Groups of zdesk modules that import each other, counting every import.

    Imports under TYPE_CHECKING and inside functions count too: a cycle among them is still two
    modules that cannot be understood (or moved) one without the other.
    """
    import grimp

    graph = grimp.build_graph("zdesk", exclude_type_checking_imports=False)
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    # Tarjan's strongly connected components, without recursion.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[set[str]] = []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(edges[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        cycles.append(group)
    return cycles


def test_no_import_cycles():
    assert import_cycles() == [], "modules that import each other"


def test_the_cycle_finder_finds_a_cycle(monkeypatch):
    import grimp

    real = grimp.build_graph

    def with_a_cycle(*args, **kwargs):
        graph = real(*args, **kwargs)
        graph.add_import(importer="zdesk.portal.names", imported="zdesk.ui.app")
        return graph

    monkeypatch.setattr(grimp, "build_graph", with_a_cycle)
    cycles = import_cycles()
    assert any({"zdesk.portal.names", "zdesk.ui.app"} <= c for c in cycles)


def test_only_the_portal_transport_talks_http():
    allowed = {"zdesk/portal/transport.py"}
    assert modules_importing("requests") <= allowed
    assert modules_importing("urllib3") <= allowed


def test_only_the_secrets_module_touches_keyring():
    assert modules_importing("keyring") <= {"zdesk/store/secrets.py"}


def test_ruff_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "zdesk", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "zdesk", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def test_the_window_starts_without_network_keyring_excel_or_domain_code():
    # Start-up is measured against a bare window: what the window does not need to show itself
    # is imported when first used (a load, an export, a link).
    script = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from zdesk.ui.main_window import MainWindow\n"
        "window = MainWindow(); window.show(); app.processEvents()\n"
        "heavy = ['requests', 'msgspec', 'keyring', 'xlsxwriter', 'cryptography',\n"
        "         'zdesk.domain.model', 'zdesk.portal.client',\n"
        "         'zdesk.portal.transport']\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "", result.stdout


def test_the_domain_and_the_load_report_need_no_http_library():
    """The pure model and what a load reports import without `requests` (the client's): what
    reads a saved load or runs the checks pays no HTTP start-up."""
    code = (
        "import sys, zdesk.domain.model, zdesk.domain.checks, zdesk.loading.report; "
        "print(sorted(m for m in ('requests', 'urllib3', 'truststore') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"
