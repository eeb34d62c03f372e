"""Start the desktop app: QApplication, logging to a rotating file, crash dialogs, main window."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QObject,
    QTimer,
    QTranslator,
    Signal,
)
from PySide6.QtWidgets import QApplication

from zdesk import __version__
from zdesk.store.logfile import private_log_handler
from zdesk.store.paths import log_dir

log = logging.getLogger("zdesk")
# When set, zdesk writes the wall-clock time to this file as soon as its window is shown, and quits:
# the build's window check (packaging/build.py) and start-up measurements of the frozen app.
SHOWN_FILE_VARIABLE = "ZDESK_SHOWN_FILE"


def setup_logging() -> logging.Handler:
    """Log to a rotating file under the platform's log folder (never a token: none is logged)."""
    from zdesk.plaintext import PlainFormatter

    line = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    try:
        handler: logging.Handler = private_log_handler(log_dir())
        handler.setFormatter(logging.Formatter(line))
    except OSError:
        handler = logging.StreamHandler()  # to the terminal: through the plain-text rule
        handler.setFormatter(PlainFormatter(line))
    root = logging.getLogger("zdesk")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


class CrashRelay(QObject):
    """Carries a bug's details from any thread to a dialog on the main thread."""

    crashed = Signal(str)

    def __init__(
        self, parent: QObject | None = None, show: Callable[[str], object] | None = None
    ) -> None:
        super().__init__(parent)
        self.crashed.connect(show or self.show_crash_box)

    @staticmethod
    def show_crash_box(details: str) -> None:
        from zdesk.ui.dialogs.crash import CrashBox

        CrashBox(details, QApplication.activeWindow()).exec()

    def hook(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        details = "".join(traceback.format_exception(kind, error, tb))
        log.error("Onverwachte fout:\n%s", details)
        self.crashed.emit(details)

    def install(self) -> None:
        sys.excepthook = self.hook
        threading.excepthook = lambda a: self.hook(a.exc_type, a.exc_value, a.exc_traceback)


# Qt's own texts (buttons, the text fields' menu, the file dialog), shipped with PySide6.
QT_CATALOGUE = "qtbase"
# What Qt's Dutch catalogue leaves in English, by (context, source text).
QT_GAPS = {
    ("QFileDialog", "&Look in:"): "&Zoeken in:",
    ("QFileDialog", "Look in:"): "Zoeken in:",
    ("QFileDialog", "Files of &type:"): "Bestands&type:",
    ("QFileDialog", "Files of type:"): "Bestandstype:",
}


class GapTranslator(QTranslator):
    """Dutch for the few texts Qt's own catalogue does not translate (asked before it)."""

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        return QT_GAPS.get((context, source))  # None: not ours, ask the next translator

    def isEmpty(self) -> bool:
        return False


def install_translations(app: QCoreApplication) -> list[QTranslator]:
    """Load Qt's Dutch translations (shipped with PySide6) and use Dutch number formats.

    Returns the translators that were installed (also kept on the app, so they stay alive);
    a second call installs nothing new.
    """
    installed = getattr(app, "_zdesk_translators", None)
    if installed is not None:
        return installed
    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    import PySide6

    folders = [
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        str(Path(PySide6.__file__).resolve().parent / "Qt" / "translations"),
    ]
    installed = []
    translator = QTranslator(app)
    if any(translator.load(f"{QT_CATALOGUE}_nl", folder) for folder in folders):
        app.installTranslator(translator)
        installed.append(translator)
    else:
        log.warning("Geen Nederlandse vertaling van Qt gevonden in %s", ", ".join(folders))
    gaps = GapTranslator(app)
    app.installTranslator(gaps)  # installed last: asked first
    installed.append(gaps)
    app._zdesk_translators = installed  # type: ignore[attr-defined]
    return installed


def app_icon():
    """The icon from resources/ (beside the frozen app, or in the source tree)."""
    from PySide6.QtGui import QIcon

    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent.parent))
    folder = base / "resources" / "icons"
    if not folder.is_dir():
        return None
    icon = QIcon()
    for png in sorted(folder.glob("zdesk-*.png")):
        icon.addFile(str(png))
    return icon


def run_app(demo: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("zdesk")
    app.setApplicationDisplayName("zdesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("zdesk")
    setup_logging()
    install_translations(app)
    log.info("zdesk %s gestart%s", __version__, " (demo)" if demo else "")
    relay = CrashRelay(app)
    relay.install()
    from zdesk.ui.main_window import MainWindow

    window = MainWindow()
    icon = app_icon()
    if icon is not None:
        app.setWindowIcon(icon)
    window.show()
    shown_file = os.environ.get(SHOWN_FILE_VARIABLE)
    if shown_file:
        QTimer.singleShot(0, lambda: (_say_shown(Path(shown_file)), app.quit()))
    else:
        # The last project comes from the history right after the window is first painted.
        window.first_paint.later(lambda: window.startup(demo))
    return app.exec()


def _say_shown(path: Path) -> None:
    import time

    path.write_text(f"{time.time():.6f}\n", encoding="ascii")
