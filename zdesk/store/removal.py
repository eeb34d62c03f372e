"""All zdesk keeps on this computer, removed: for the uninstaller and IT (`zdesk remove-data`).

What zdesk made and nothing else: the tokens and history keys it put in the OS keyring (one of
each per portal it knows from its settings and its history folders), and its own folders (settings,
data with the history, cache with its temporary files, logs). Each folder is zdesk's own by name
(platformdirs' folders for "zdesk", or the kinds under ZDESK_HOME, never ZDESK_HOME itself), so
nothing beside them is touched. A part that cannot go is reported and the rest still goes.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from zdesk.errors import SecretStoreError
from zdesk.store.paths import cache_dir, config_dir, data_dir, history_dir, log_dir
from zdesk.store.secrets import SecretStore
from zdesk.store.settings import Settings

log = logging.getLogger(__name__)
# A portal as zdesk keeps it (its label, "mijnschool"); local test portals are never kept.
_PORTAL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


@dataclass
class Removal:
    """What `remove_everything` did, and what it could not do (Dutch, for people)."""

    portals: list[str] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        done = (
            f"zdesk-gegevens verwijderd: {len(self.folders)} map(pen), sleutelopslag van "
            f"{len(self.portals)} portaal/portalen."
        )
        if not self.problems:
            return done
        return done + " Niet gelukt: " + "; ".join(self.problems)


def known_portals(settings: Settings) -> list[str]:
    """The portals zdesk may have kept something of: linked ones, and those with a history."""
    names = [*settings.portals, *settings.last_project]
    with contextlib.suppress(OSError):  # no history folder: nothing kept there
        names += sorted(p.name for p in history_dir().iterdir() if p.is_dir())
    return [n for n in dict.fromkeys(names) if _PORTAL.fullmatch(n)]


def own_folders() -> list[Path]:
    """zdesk's folders on this computer; on Windows some are one (%LOCALAPPDATA%\\zdesk)."""
    folders = list(dict.fromkeys((config_dir(), data_dir(), cache_dir(), log_dir())))
    return [f for f in folders if not any(other in f.parents for other in folders)]


def remove_everything(store: SecretStore | None = None) -> Removal:
    """Remove zdesk's keyring entries and folders on this computer; never raises."""
    store = store or SecretStore()
    done = Removal()
    settings = Settings.load()
    for portal in known_portals(settings):
        try:
            store.delete(portal)
            store.delete_history_key(portal)
        except SecretStoreError as exc:
            done.problems.append(f"sleutelopslag van {portal}: {exc}")
            continue
        done.portals.append(portal)
    for folder in own_folders():
        if not folder.exists():
            continue
        failed: list[str] = []

        def note(_function: object, path: str, _info: object, failed: list[str] = failed) -> None:
            failed.append(path)

        if sys.version_info >= (3, 12):
            shutil.rmtree(folder, onexc=note)
        else:  # pragma: no cover - the same on older Pythons, by its older name
            shutil.rmtree(folder, onerror=note)
        if failed:
            done.problems.append(
                f"{len(failed)} bestand(en) in {folder} (in gebruik? sluit zdesk en probeer "
                "het opnieuw)"
            )
        else:
            done.folders.append(folder)
    log.info("%s", done.summary())
    return done
