"""Screenshots of the demo window at Windows' display scales and in dark mode, to look at.

    xvfb-run -a -s "-screen 0 1920x1080x24" python packaging/screenshots.py [--out FOLDER]

Per setting one child process: QT_SCALE_FACTOR 1, 1.25 and 1.5 (Windows' 100, 125 and 150 %), in
the light palette and in a dark one on the Fusion style (what Qt gives a Windows or macOS app in
dark mode), the window sized to what a 1920x1080 screen leaves at that scale. Each opens the demo
school, waits for the load, saves the window as a PNG and prints the widgets whose text does not
fit (a label, button or tab shorter than its text needs). ZDESK_HOME is a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALES = {"100": "1", "125": "1.25", "150": "1.5"}

CHILD = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTabBar

from zdesk.ui.app import install_translations
from zdesk.ui.main_window import MainWindow

out, dark, scale = sys.argv[1], sys.argv[2] == "dark", float(sys.argv[3])
app = QApplication(sys.argv[:1])
install_translations(app)
if dark:
    app.setStyle("Fusion")
    palette = QPalette()
    for role, colour in {
        QPalette.ColorRole.Window: "#202020", QPalette.ColorRole.WindowText: "#ffffff",
        QPalette.ColorRole.Base: "#1b1b1b", QPalette.ColorRole.AlternateBase: "#2b2b2b",
        QPalette.ColorRole.Text: "#ffffff", QPalette.ColorRole.Button: "#2d2d2d",
        QPalette.ColorRole.ButtonText: "#ffffff", QPalette.ColorRole.Highlight: "#0078d4",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#2b2b2b",
        QPalette.ColorRole.ToolTipText: "#ffffff", QPalette.ColorRole.PlaceholderText: "#9d9d9d",
        QPalette.ColorRole.Link: "#4cc2ff",
    }.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#7a7a7a"))
    app.setPalette(palette)
window = MainWindow()
window.resize(int(1920 / scale), int(1040 / scale))  # a 1920x1080 screen less the taskbar
window.show()
window.startup(demo=True)


def cut_off():
    found = []
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        text = widget.text().replace("&", "")
        if widget.isVisible() and text and not getattr(widget, "wordWrap", lambda: False)():
            if widget.width() < widget.minimumSizeHint().width():
                found.append(f"{type(widget).__name__} {text[:40]!r}")
    for bar in window.findChildren(QTabBar):
        for i in range(bar.count()):
            if bar.isVisible() and bar.tabRect(i).width() < bar.tabSizeHint(i).width():
                found.append(f"tab {bar.tabText(i)!r}")
    return found


def finish():
    window.grab().save(out)
    problems = cut_off()
    print(f"{out}: {'niets afgesneden' if not problems else 'afgesneden: ' + '; '.join(problems)}")
    window.shutdown()
    app.quit()


def poll():
    if window.view.project is not None and window.loading.job is None:
        timer.stop()
        QTimer.singleShot(1500, finish)  # the tree and tables settle, idle work runs


timer = QTimer()
timer.timeout.connect(poll)
timer.start(100)
QTimer.singleShot(60000, lambda: (print("geen lading binnen 60 s"), app.exit(1)))
sys.exit(app.exec())
"""


def main() -> int:
    parser = argparse.ArgumentParser(prog="python packaging/screenshots.py")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for percent, factor in SCALES.items():
        for theme in ("light", "dark"):
            with tempfile.TemporaryDirectory(prefix="zdesk-shot-") as home:
                environment = dict(os.environ, QT_SCALE_FACTOR=factor, ZDESK_HOME=home)
                target = args.out / f"zdesk-{percent}-{theme}.png"
                result = subprocess.run(
                    [sys.executable, "-c", CHILD, str(target), theme, factor],
                    env=environment,
                    cwd=ROOT,
                    timeout=120,
                )
                failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
