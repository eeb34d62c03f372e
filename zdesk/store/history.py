"""The files of the history of loads: every successful load kept encrypted here, for a while.

One file per load in the data folder (history/<portal>/<project id>/<UTC time>-<random>.zdh),
sealed (store/sealed.py: compressed, AES-GCM) with the portal's key from the keyring
(store/secrets.py). Without a key there is no history: never a plaintext copy. The known
signaleringen of a project are kept beside its loads, sealed the same way. What is in the files
is not this module's business: it keeps bytes (zdesk/app/history.py puts a Project in them).

A file that cannot be read (cut short, damaged, changed, another key, a newer zdesk) is skipped
with a message and never stops a load. Every writer uses its own file name and renames it into
place, and the marks are changed under an OS lock, so two zdesk processes on one profile cannot
corrupt each other's history.
"""

from __future__ import annotations

import calendar
import logging
import os
import re
import secrets as random
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from zdesk.errors import KeyringLocked, ZdeskError, os_reason
from zdesk.store.paths import history_dir
from zdesk.store.sealed import (
    Unreadable,
    exclusive,
    private_folder,
    read_sealed,
    seal,
    write_atomically,
)
from zdesk.store.secrets import HISTORY_KEY_VARIABLE, HistoryKeyInvalid, SecretStore
from zdesk.store.settings import Settings

log = logging.getLogger(__name__)

SUFFIX = ".zdh"
KNOWN_FILE = "bekend.zdk"
LOAD, KNOWN = b"L", b"K"
_STAMP = "%Y%m%dT%H%M%S"  # + milliseconds + "Z"
STALE_TEMPORARY = 86400  # a temporary file this old was left by a process that died
# A load dated more than this ahead of now was saved under a wrong clock: kept, it would stay
# "the newest" (and never old enough to go) for as long as the clock was wrong.
FUTURE_MARGIN = 86400


class HistoryUnavailable(ZdeskError):
    """Why this computer keeps no history; str() says it in Dutch for the window."""

    kind = "history-unavailable"


NO_KEYRING = (
    "Deze computer heeft geen beveiligde sleutelopslag: zdesk bewaart daarom geen geschiedenis "
    "van ladingen (nooit onversleuteld). Voor geplande taken zonder sleutelopslag kan de "
    f"omgevingsvariabele {HISTORY_KEY_VARIABLE} de sleutel bevatten."
)


@dataclass(frozen=True)
class Retention:
    """How long loads are kept: all of them for `every_load_days`, then the day's last one."""

    keep_days: int = 56  # 8 weeks; 0 keeps no history at all
    every_load_days: int = 7

    @property
    def enabled(self) -> bool:
        return self.keep_days > 0

    def describe(self) -> str:
        if not self.enabled:
            return "zdesk bewaart geen geschiedenis van ladingen."
        weeks, days = divmod(self.keep_days, 7)
        span = f"{weeks} weken" if not days else f"{self.keep_days} dagen"
        if self.every_load_days >= self.keep_days:
            return f"Elke lading wordt {span} bewaard."
        return (
            f"Elke lading wordt {self.every_load_days} dagen bewaard, daarna de laatste van elke "
            f"dag, tot {span}."
        )


@dataclass(frozen=True)
class SavedLoad:
    """One saved load, as listed (nothing decrypted yet)."""

    portal: str
    project: int
    loaded_at: float
    path: Path

    @property
    def when(self) -> datetime:
        return datetime.fromtimestamp(self.loaded_at)


def file_name(loaded_at: float) -> str:
    seconds = int(loaded_at)
    millis = min(999, round((loaded_at - seconds) * 1000))
    stamp = time.strftime(_STAMP, time.gmtime(seconds))
    return f"{stamp}{millis:03d}Z-{random.token_hex(4)}{SUFFIX}"


def time_of(name: str) -> float | None:
    """The load time in a file name, or None for anything that is not a saved load."""
    if not name.endswith(SUFFIX) or len(name) < 19 or name[18] != "Z":
        return None
    try:
        seconds = calendar.timegm(time.strptime(name[:15], _STAMP))
        return seconds + int(name[15:18]) / 1000
    except ValueError:
        return None


def to_remove(loads: Iterable[SavedLoad], now: float, retention: Retention) -> list[SavedLoad]:
    """The loads retention lets go: older than keep_days, or not the day's last after a week,
    or dated in the future (more than a day ahead of `now`)."""
    if not retention.enabled:
        return list(loads)
    day = 86400
    keep_from = now - retention.keep_days * day
    every_from = now - retention.every_load_days * day
    out: list[SavedLoad] = []
    last_of_day: dict[tuple[int, date], SavedLoad] = {}
    for saved in sorted(loads, key=lambda s: s.loaded_at, reverse=True):
        if saved.loaded_at < keep_from or saved.loaded_at > now + FUTURE_MARGIN:
            out.append(saved)
        elif saved.loaded_at < every_from:
            # Thinned: the last load of each (local) day stays.
            key = (saved.project, saved.when.date())
            if key in last_of_day:
                out.append(saved)
            else:
                last_of_day[key] = saved
    return out


@dataclass(frozen=True)
class Choice:
    """A load to compare with, as the picker offers it."""

    label: str  # "vorige keer", "een week geleden", ... or the load's own moment
    saved: SavedLoad


def comparison_choices(loads: Iterable[SavedLoad], shown_at: float) -> list[Choice]:
    """The earlier loads a shown load can be compared with, named, the default first.

    Default: the previous load from another day ("vorige dag"); then "vorige keer" (the load just
    before), "een week geleden", "begin van de maand" (the last load before this month began, or
    its first), each when there is one and it is not already offered; then every earlier load.
    """
    earlier = sorted(
        (s for s in loads if s.loaded_at < shown_at), key=lambda s: s.loaded_at, reverse=True
    )
    if not earlier:
        return []
    shown = datetime.fromtimestamp(shown_at)
    month_start = shown.replace(day=1, hour=0, minute=0, second=0, microsecond=0).timestamp()
    week_ago = shown_at - 7 * 86400

    def newest_before(limit: float) -> SavedLoad | None:
        return next((s for s in earlier if s.loaded_at <= limit), None)

    this_month = [s for s in earlier if s.loaded_at >= month_start]
    named = [
        ("vorige dag", next((s for s in earlier if s.when.date() < shown.date()), None)),
        ("vorige keer", earlier[0]),
        ("een week geleden", newest_before(week_ago)),
        (
            "begin van de maand",
            newest_before(month_start) or (this_month[-1] if this_month else None),
        ),
    ]
    out: list[Choice] = []
    offered: set[Path] = set()
    for label, saved in named:
        if saved is not None and saved.path not in offered:
            out.append(Choice(label, saved))
            offered.add(saved.path)
    for saved in earlier:
        if saved.path not in offered:
            # As the app writes a moment in a list (domain.when.TABLE_MOMENT; the store imports
            # nothing of the domain).
            out.append(Choice(saved.when.strftime("%d-%m-%Y %H:%M"), saved))
    return out


class History:
    """The sealed files of one portal's loads and known signaleringen."""

    def __init__(self, portal: str, key: bytes, folder: Path | None = None) -> None:
        self.portal = portal
        self._key = key
        self.folder = folder or portal_folder(portal)
        self.problems: list[str] = []  # Dutch, one line per file skipped in this session

    def _context(self, project_id: int) -> bytes:
        return f"{self.portal}\x00{project_id}".encode()

    def _project_folder(self, project_id: int) -> Path:
        return self.folder / str(int(project_id))

    def skip(self, path: Path, error: Exception) -> None:
        """Say that a file was passed over, and why (once per file and reason)."""
        message = f"Opgeslagen lading {path.name} overgeslagen: {error}"
        if message not in self.problems:
            self.problems.append(message)
            log.warning("%s", message)

    # ---- loads ---------------------------------------------------------------------------------

    def save(
        self,
        project_id: int,
        loaded_at: float,
        content: bytes | Iterable[bytes],
        *,
        retention: Retention | None = None,
        now: float | None = None,
    ) -> SavedLoad | None:
        """Keep one load's content (bytes, or parts of it as they are made); then apply retention.
        None when retention keeps nothing."""
        retention = retention or Retention()
        if not retention.enabled:
            self.prune(retention, now)
            return None
        path = self._project_folder(project_id) / file_name(loaded_at)
        write_atomically(path, seal(self._key, LOAD, self._context(project_id), content))
        # As listed: to the millisecond of the file name.
        saved = SavedLoad(self.portal, project_id, time_of(path.name) or 0.0, path)
        self.prune(retention, now)
        return saved

    def loads(self, project_id: int | None = None) -> list[SavedLoad]:
        """Saved loads, newest first (of one project, or of every project of this portal)."""
        if project_id is not None:
            folders = [self._project_folder(project_id)]
        else:
            try:
                folders = [
                    p for p in self.folder.iterdir() if p.name.isascii() and p.name.isdigit()
                ]
            except OSError:
                return []
        out: list[SavedLoad] = []
        for folder in folders:
            try:
                names = [entry.name for entry in folder.iterdir()]
            except OSError:
                continue
            for name in names:
                loaded_at = time_of(name)
                if loaded_at is not None:
                    out.append(SavedLoad(self.portal, int(folder.name), loaded_at, folder / name))
        out.sort(key=lambda s: s.loaded_at, reverse=True)
        return out

    def read(self, saved: SavedLoad) -> bytes:
        """The content of one saved load. Raises Unreadable with the reason in Dutch."""
        return read_sealed(saved.path, self._key, LOAD, self._context(saved.project))

    def prune(self, retention: Retention | None = None, now: float | None = None) -> int:
        """Apply retention to every project of this portal; returns how many loads went."""
        retention = retention or Retention()
        now = time.time() if now is None else now
        gone = 0
        for saved in to_remove(self.loads(), now, retention):
            saved.path.unlink(missing_ok=True)  # another zdesk may have removed it already
            gone += 1
        self._remove_stale_temporaries(now)
        return gone

    def _remove_stale_temporaries(self, now: float) -> None:
        for leftover in self.folder.glob("*/.*.tmp"):
            try:
                if leftover.stat().st_mtime < now - STALE_TEMPORARY:
                    leftover.unlink(missing_ok=True)
            except OSError:
                pass

    def clear(self) -> Erasure:
        """Every saved load and known signalering of this portal, gone (the key stays)."""
        return erase(self.folder)

    # ---- known signaleringen ---------------------------------------------------------------

    def known_path(self, project_id: int) -> Path:
        return self._project_folder(project_id) / KNOWN_FILE

    def read_known(self, project_id: int) -> bytes | None:
        """The content of a project's known signaleringen; None when none or unreadable."""
        path = self.known_path(project_id)
        if not path.exists():
            return None
        try:
            return read_sealed(path, self._key, KNOWN, self._context(project_id))
        except Unreadable as exc:
            self.skip(path, exc)
            return None

    def change_known(self, project_id: int, change: Callable[[bytes | None], bytes]) -> None:
        """Read, change and write a project's known signaleringen under an OS lock: a mark made
        in another zdesk window at the same moment is not lost."""
        path = self.known_path(project_id)
        private_folder(path.parent)
        with exclusive(path.with_name(KNOWN_FILE + ".lock")):
            content = change(self.read_known(project_id))
            write_atomically(path, seal(self._key, KNOWN, self._context(project_id), content))


# ---- opening and forgetting ---------------------------------------------------------------------


def portal_folder(portal: str) -> Path:
    """The folder of a portal's history; the demo's '127.0.0.1:8080' becomes '127.0.0.1_8080'."""
    return history_dir() / re.sub(r"[^a-z0-9.-]", "_", portal.lower())


def statement(
    portal: str, retention: Retention, available: bool = True, *, where: bool = True
) -> str:
    """Where and how long loads are kept, for the history dialog and the export's front sheet.
    An export (`where=False`) does not name the folder: on Windows its path holds the account
    name of whoever made the export."""
    if not available:
        return "Niet bewaard: deze computer heeft geen beveiligde sleutelopslag."
    if not retention.enabled:
        return retention.describe()
    place = f" in {portal_folder(portal)}" if where else ", in de datamap van zdesk"
    return f"Versleuteld op deze computer{place}. {retention.describe()}"


def retention_of(settings: Settings) -> Retention:
    return Retention(
        keep_days=max(0, settings.history_keep_days),
        every_load_days=max(0, settings.history_every_load_days),
    )


def open_history(portal: str, store: SecretStore | None = None) -> History:
    """The history of `portal`. Raises HistoryUnavailable (with the reason) without a key."""
    store = store or SecretStore()
    try:
        key = store.history_key(portal)
    except HistoryKeyInvalid as exc:
        raise HistoryUnavailable(str(exc)) from None
    except KeyringLocked as exc:
        raise HistoryUnavailable(f"Geen geschiedenis: {exc}") from None
    if key is None:
        raise HistoryUnavailable(NO_KEYRING)
    return History(portal, key)


def forget_portal(portal: str, store: SecretStore | None = None) -> Erasure:
    """Unlinking a portal: its history and its key are deleted. What could not be removed is
    said in the result; without the key it can no longer be read."""
    erased = erase(portal_folder(portal))
    (store or SecretStore()).delete_history_key(portal)
    return erased


def clear_all() -> Erasure:
    """Every portal's saved loads and known signaleringen (the keys stay for the next loads)."""
    return erase(history_dir())


# ---- erasing ------------------------------------------------------------------------------------

LINKED = "een koppeling naar een andere plek; wat daar staat is niet verwijderd"
_NAMED = 5  # files named in a message; the rest counted


@dataclass
class Erasure:
    """What erasing a folder of the history did: files removed, and what stayed and why."""

    removed: int = 0
    kept: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.kept

    def describe(self, what: str = "De geschiedenis") -> str:
        """One Dutch message: gone, or exactly what stayed."""
        files = "1 bestand" if self.removed == 1 else f"{self.removed} bestanden"
        if self.complete:
            return f"{what} is gewist ({files} verwijderd)."
        named = "; ".join(f"{path} ({why})" for path, why in self.kept[:_NAMED])
        more = len(self.kept) - _NAMED
        rest = f"; en nog {more}" if more > 0 else ""
        return (
            f"{what} is niet helemaal gewist: {files} verwijderd, maar niet verwijderd is: "
            f"{named}{rest}. Verwijder dat zelf, of vraag ICT om hulp."
        )


def erase(folder: Path) -> Erasure:
    """Remove `folder` and everything in it, never following a link out of it (a linked folder
    or file is left, and said), and say what could not be removed and why."""
    result = Erasure()
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        return result
    except OSError as exc:
        result.kept.append((folder, os_reason(exc)))
        return result
    if stat.S_ISLNK(info.st_mode) or _is_junction(folder):
        result.kept.append((folder, LINKED))
    elif not stat.S_ISDIR(info.st_mode):
        result.kept.append((folder, "geen map"))
    else:
        _erase_folder(folder, result)
    for path, why in result.kept:
        log.warning("Geschiedenis: %s niet verwijderd (%s)", path, why)
    return result


def _is_junction(path: Path) -> bool:
    is_junction = getattr(os.path, "isjunction", None)  # Windows, Python 3.12 and later
    return bool(is_junction and is_junction(path))


def _erase_folder(folder: Path, result: Erasure) -> bool:
    """True when the folder is gone."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except FileNotFoundError:
        return True
    except OSError as exc:
        result.kept.append((folder, os_reason(exc)))
        return False
    whole = True
    for entry in entries:
        path = Path(entry.path)
        try:
            linked = entry.is_symlink() or _is_junction(path)
            inner = not linked and entry.is_dir(follow_symlinks=False)
        except OSError as exc:
            result.kept.append((path, os_reason(exc)))
            whole = False
            continue
        if linked:
            result.kept.append((path, LINKED))
            whole = False
        elif inner:
            whole = _erase_folder(path, result) and whole
        else:
            try:
                os.unlink(path)
                result.removed += 1
            except FileNotFoundError:
                pass  # another zdesk removed it meanwhile
            except OSError as exc:
                result.kept.append((path, os_reason(exc)))
                whole = False
    if not whole:
        return False  # the folder stays for what stays in it: that is named already
    try:
        os.rmdir(folder)
    except FileNotFoundError:
        pass
    except OSError as exc:
        result.kept.append((folder, os_reason(exc)))
        return False
    return True
