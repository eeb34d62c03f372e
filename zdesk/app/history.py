"""The history of loads for the app and the commands: the store's sealed files, a Project in each.

`zdesk.store.history` keeps encrypted bytes per load and the retention; `zdesk.domain.codec` turns
a Project and its signaleringen into bytes and back; this joins them, and keeps the known
signaleringen of a project as marks in their own sealed file.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import msgspec

from zdesk.domain import codec
from zdesk.domain.checks import CheckRun, run_checks
from zdesk.domain.findings import Finding
from zdesk.domain.known import KnownKey, KnownMark, known_key
from zdesk.domain.model import Project
from zdesk.errors import FileProblem, ZdeskError
from zdesk.store import history as files
from zdesk.store.history import (
    HistoryUnavailable,
    Retention,
    SavedLoad,
    forget_portal,
    retention_of,
    statement,
)
from zdesk.store.sealed import Unreadable
from zdesk.store.secrets import SecretStore

__all__ = [
    "History",
    "HistoryUnavailable",
    "Retention",
    "SavedLoad",
    "Snapshot",
    "forget_portal",
    "open_history",
    "retention_of",
    "statement",
]

log = logging.getLogger(__name__)


@dataclass
class Snapshot:
    """A saved load read back: the project and its signaleringen as they were."""

    saved: SavedLoad
    project: Project
    checks: CheckRun
    repaired: list[str] = field(default_factory=list)


class History:
    """One portal's saved loads as Projects, and its known signaleringen as marks."""

    def __init__(self, portal: str, key: bytes, folder=None) -> None:
        self.files = files.History(portal, key, folder)
        self.portal = portal

    @classmethod
    def of(cls, sealed: files.History) -> History:
        history = cls.__new__(cls)
        history.files, history.portal = sealed, sealed.portal
        return history

    @property
    def folder(self):
        return self.files.folder

    @property
    def problems(self) -> list[str]:
        return self.files.problems

    # ---- loads ---------------------------------------------------------------------------------

    def save(
        self,
        project: Project,
        checks: CheckRun | None = None,
        *,
        complete: bool = True,
        retention: Retention | None = None,
        now: float | None = None,
    ) -> SavedLoad | None:
        """Keep this load (and, if `complete`, its signaleringen); then apply retention.

        Raises OSError when the file cannot be written, and FileProblem when this load cannot be
        kept for any other reason: a load that cannot be kept is said, never a crash."""
        # In parts: each is compressed while the next is encoded.
        try:
            with codec.collector_paused():
                content = codec.encode_load_parts(project, checks, complete)
                return self.files.save(
                    project.info.id, project.loaded_at, content, retention=retention, now=now
                )
        except (OSError, ZdeskError):
            raise
        except Exception as exc:
            log.exception("Lading niet bewaard in de geschiedenis")
            raise FileProblem(
                "Deze lading is niet in de geschiedenis bewaard: een waarde erin kon niet "
                f"worden opgeslagen ({type(exc).__name__}). Het logboek heeft de details."
            ) from None

    def loads(self, project_id: int | None = None) -> list[SavedLoad]:
        return self.files.loads(project_id)

    def read(self, saved: SavedLoad) -> Snapshot:
        """The load in this file. Raises Unreadable with the reason in Dutch."""
        content = self.files.read(saved)
        try:
            decoded = codec.decode_load(content)
            project = decoded.project
            if project.info.id != saved.project:
                raise Unreadable("corrupt", "ander project")
            checks = decoded.checks if decoded.checks is not None else run_checks(project)
        except Unreadable:
            raise
        except (msgspec.DecodeError, msgspec.ValidationError, TypeError, ValueError) as exc:
            raise Unreadable("corrupt", str(exc)) from None
        except Exception as exc:
            # Authenticated, so written by zdesk, yet not readable: a saved load never stops
            # the app, but this one is worth a trace in the log.
            log.exception("Opgeslagen lading %s onleesbaar", saved.path.name)
            raise Unreadable("corrupt", type(exc).__name__) from None
        return Snapshot(saved, project, checks, decoded.repaired)

    def first_readable(self, candidates) -> Snapshot | None:
        """The first of these loads that can be read; the others are skipped with a message."""
        for saved in candidates:
            try:
                return self.read(saved)
            except Unreadable as exc:
                self.files.skip(saved.path, exc)
        return None

    def latest(self, project_id: int, *, before: float | None = None) -> Snapshot | None:
        """The newest readable load of a project (loaded before `before`, if given)."""
        loads = self.loads(project_id)
        if before is not None:
            loads = [s for s in loads if s.loaded_at < before]
        return self.first_readable(loads)

    def prune(self, retention: Retention | None = None, now: float | None = None) -> int:
        return self.files.prune(retention, now)

    def clear(self) -> files.Erasure:
        return self.files.clear()

    # ---- known signaleringen ---------------------------------------------------------------

    def known(self, project_id: int) -> dict[KnownKey, KnownMark]:
        """The marks of a project (empty when there are none or they cannot be read)."""
        return _marks(self.files.read_known(project_id), self.files, project_id)

    def mark_known(
        self, project_id: int, finding: Finding, note: str, now: float | None = None
    ) -> KnownMark:
        mark = KnownMark(
            finding.check,
            finding.object_type,
            finding.object_id,
            note.strip(),
            time.time() if now is None else now,
        )

        def change(content: bytes | None) -> bytes:
            marks = _marks(content, self.files, project_id)
            marks[mark.key] = mark
            return msgspec.msgpack.encode(list(marks.values()))

        self.files.change_known(project_id, change)
        return mark

    def unmark_known(self, project_id: int, finding: Finding) -> None:
        def change(content: bytes | None) -> bytes:
            marks = _marks(content, self.files, project_id)
            marks.pop(known_key(finding), None)
            return msgspec.msgpack.encode(list(marks.values()))

        self.files.change_known(project_id, change)


def _marks(content: bytes | None, sealed: files.History, project_id: int) -> dict:
    if content is None:
        return {}
    try:
        marks = msgspec.msgpack.decode(content, type=list[KnownMark])
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        sealed.skip(sealed.known_path(project_id), Unreadable("corrupt", str(exc)))
        return {}
    return {m.key: m for m in marks}


def open_history(portal: str, store: SecretStore | None = None) -> History:
    """The history of `portal`. Raises HistoryUnavailable (with the reason) without a key."""
    return History.of(files.open_history(portal, store))
