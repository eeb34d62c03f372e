"""Typed settings with defaults: linked portals, last project, window state. Never a secret.

The file is read field by field: what cannot be used (a wrong type, a portal name that is no longer
valid, a file nested too deep to read) is dropped and logged, and zdesk always starts. Saving
merges with what is on disk, so two windows that save at once both keep their changes.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from zdesk.errors import os_reason
from zdesk.ondisk import NoAnswer, NotRegular, read_regular_within
from zdesk.store.paths import private_dir, settings_file

log = logging.getLogger(__name__)
MAX_BYTES = 1_000_000  # a settings file is a few KB; anything bigger is not ours
_LOCK_WAIT = 2.0  # seconds a save waits for another window's save
_LOCK_STALE = 10.0  # a lock older than this was left by a process that died while saving


# A portal is saved by its label, as zdesk normalises it ("mijnschool"). A local portal (the
# demo, a test: "127.0.0.1:PORT") has a new port every run, so it is never worth keeping.
_PORTAL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def _portal_name(value: object) -> str | None:
    return value if isinstance(value, str) and _PORTAL.fullmatch(value) else None


def _portal_list(value: object) -> list[str] | None:
    if not isinstance(value, list):
        return None
    return list(dict.fromkeys(n for n in (_portal_name(v) for v in value) if n is not None))


def _project_ids(value: object) -> dict[str, int] | None:
    if not isinstance(value, dict):
        return None
    return {
        k: v
        for k, v in value.items()
        if _portal_name(k) is not None and isinstance(v, int) and not isinstance(v, bool)
    }


def _previous_projects(value: object) -> dict[str, int | None] | None:
    """Per portal the previous project chosen for the doorstroom: an id, or None for none."""
    if not isinstance(value, dict):
        return None
    return {
        k: v
        for k, v in value.items()
        if _portal_name(k) is not None
        and (v is None or (isinstance(v, int) and not isinstance(v, bool) and 0 < v < 2**63))
    }


def _texts(value: object) -> dict[str, str] | None:
    if not isinstance(value, dict):
        return None
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def _optional_text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _days(value: object) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 3650
    return value if ok else None  # type: ignore[return-value]


# The maximum group sizes one may set (Bestand > Instellingen, `--max-group-size`).
MAX_GROUP_SIZES = range(1, 100)


def _group_size(value: object) -> int | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value in MAX_GROUP_SIZES
    return value if ok else None  # type: ignore[return-value]


# The previous project of a portal without a choice: the rule (the same word as
# loading.previous.AUTO; a test holds them equal).
AUTO_PREVIOUS = "auto"


# How each field is read from the file: a reader returns None for a value that cannot be used.
_READERS: dict[str, Callable[[object], Any]] = {
    "portals": _portal_list,
    "last_portal": _portal_name,
    "last_project": _project_ids,
    "previous_project": _previous_projects,
    "export_dir": _optional_text,
    "pseudonymise_export": _flag,
    "default_max_group_size": _group_size,
    "window": _texts,
    "history_keep_days": _days,
    "history_every_load_days": _days,
}


@dataclass
class Settings:
    portals: list[str] = field(default_factory=list)  # linked portals, most recent first
    last_portal: str | None = None
    last_project: dict[str, int] = field(default_factory=dict)  # portal -> project id
    # portal -> the previous project the doorstroom follows (None: none); a portal not in it:
    # the same school's project of the year before (Bestand > Instellingen, `--previous-project`)
    previous_project: dict[str, int | None] = field(default_factory=dict)
    export_dir: str | None = None
    pseudonymise_export: bool = False
    # Groups needed per keuzevak where the afdeling has no maxGroupSize (Bestand > Instellingen).
    default_max_group_size: int = 30
    window: dict[str, str] = field(default_factory=dict)  # UI state (base64 Qt blobs)
    # History of loads (store/history.py): kept this many days (0: none), every load for the
    # first history_every_load_days, then the last of each day.
    history_keep_days: int = 56
    history_every_load_days: int = 7
    # What the file held when these settings were read or last saved: the base of the merge.
    _base: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def remember_portal(self, name: str) -> None:
        self.portals = [name, *[p for p in self.portals if p != name]]
        self.last_portal = name

    def previous_for(self, portal: str) -> int | str | None:
        """The previous project the doorstroom follows for this portal: an id, None (none), or
        AUTO_PREVIOUS (the rule)."""
        return self.previous_project.get(portal, AUTO_PREVIOUS) if portal else AUTO_PREVIOUS

    def choose_previous(self, portal: str, choice: int | str | None) -> None:
        if choice == AUTO_PREVIOUS:
            self.previous_project.pop(portal, None)
        elif choice is None or isinstance(choice, int):
            self.previous_project[portal] = choice

    def forget_portal(self, name: str) -> None:
        self.portals = [p for p in self.portals if p != name]
        self.last_project.pop(name, None)
        self.previous_project.pop(name, None)
        if self.last_portal == name:
            self.last_portal = self.portals[0] if self.portals else None

    def values(self) -> dict[str, Any]:
        return {
            f.name: copy.deepcopy(getattr(self, f.name)) for f in fields(self) if f.name[0] != "_"
        }

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        settings = cls()
        for name, value in _read(path or settings_file()).items():
            setattr(settings, name, value)
        settings._base = settings.values()
        return settings

    def save(self, path: Path | None = None) -> None:
        """Write these settings, merged with changes another window saved since they were read."""
        path = path or settings_file()
        private_dir(path.parent)
        with _locked(path):
            merged = _merge(self._base, self.values(), _read(path, quiet=True) or _defaults())
            stored = _storable(merged)
            # Write beside the file and rename, so a crash never leaves half a settings file.
            fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump(stored, out, indent=2, ensure_ascii=False)
                os.replace(tmp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    Path(tmp).unlink(missing_ok=True)
                raise
        for name, value in merged.items():
            setattr(self, name, value)
        self._base = stored


READ_SECONDS = 5.0


def _defaults() -> dict[str, Any]:
    return Settings().values()


def _read(path: Path, quiet: bool = False) -> dict[str, Any]:
    """The usable fields of the file, each checked on its own; never raises."""
    try:
        # Only a regular file, never more than the cap: a FIFO would wait for a writer for good;
        # and never longer than READ_SECONDS: a network home may hang.
        raw = json.loads(read_regular_within(path, MAX_BYTES, READ_SECONDS).decode("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, RecursionError) as exc:
        if not quiet:
            log.warning("Instellingen onleesbaar (%s); standaardwaarden gebruikt", _why(exc))
        return {}
    if not isinstance(raw, dict):
        if not quiet:
            log.warning("Instellingen onleesbaar (geen object); standaardwaarden gebruikt")
        return {}
    read: dict[str, Any] = {}
    for name, reader in _READERS.items():
        if name not in raw:
            continue
        value = reader(raw[name])
        if value is None and raw[name] is not None:
            if not quiet:
                log.warning("Instelling '%s' onbruikbaar; standaardwaarde gebruikt", name)
            continue
        if value != raw[name] and not quiet:
            log.warning("Instelling '%s': onbruikbare waarden weggelaten", name)
        read[name] = value
    return read


def _why(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "te diep genest"
    if isinstance(exc, NotRegular):
        return "geen gewoon bestand"
    if isinstance(exc, NoAnswer):
        return f"de schijf gaf binnen {READ_SECONDS:.0f} seconden geen antwoord"
    if isinstance(exc, OSError):
        return os_reason(exc)  # the system's own text is not Dutch
    return str(exc)[:200]


def _merge(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """A three-way merge per field: what this window changed since `base` wins, the rest is
    taken from the file as another window may have saved it."""
    merged: dict[str, Any] = {}
    default = _defaults()
    for name in default:
        b = base.get(name, default[name])
        o = ours[name]
        t = theirs.get(name, default[name])
        if isinstance(o, dict) and isinstance(b, dict) and isinstance(t, dict):
            result = dict(t)
            for key in b.keys() - o.keys():
                result.pop(key, None)  # removed here
            for key, value in o.items():
                if b.get(key, _MISSING) != value:
                    result[key] = value  # changed here
            merged[name] = result
        elif isinstance(o, list) and isinstance(b, list) and isinstance(t, list):
            added = [v for v in o if v not in b]
            removed = [v for v in b if v not in o]
            if not added and not removed and o != b:
                merged[name] = o  # only the order changed here
            else:
                merged[name] = added + [v for v in t if v not in removed and v not in added]
        else:
            merged[name] = o if o != b else t
    return merged


def _storable(values: dict[str, Any]) -> dict[str, Any]:
    """What is written: only what can be read back. A local portal (the demo, a test portal)
    stays in this window's settings for this session but never reaches the file."""
    stored = dict(values)
    default = _defaults()
    for name, reader in _READERS.items():
        if stored[name] is not None:
            value = reader(stored[name])
            stored[name] = default[name] if value is None else value
    if stored["last_portal"] not in stored["portals"]:
        stored["last_portal"] = stored["portals"][0] if stored["portals"] else None
    return stored


_MISSING = object()


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the settings file against other zdesk processes for one read-merge-write."""
    lock = path.with_name(path.name + ".lock")
    until = time.monotonic() + _LOCK_WAIT
    held = False
    while True:
        try:
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            held = True
            break
        except FileExistsError:
            with contextlib.suppress(OSError):
                if time.time() - lock.stat().st_mtime > _LOCK_STALE:
                    lock.unlink()
                    continue
            if time.monotonic() > until:
                log.warning("Instellingen: slot van een ander venster genegeerd")
                break
            time.sleep(0.01)
        except OSError:
            break  # cannot lock (a read-only folder): the save itself will say so
    try:
        yield
    finally:
        if held:
            with contextlib.suppress(OSError):
                lock.unlink()
