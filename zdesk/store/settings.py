"""Typed settings with defaults: linked portals, last project, window state. Never a secret."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from zdesk.store.paths import settings_file

log = logging.getLogger(__name__)


@dataclass
class Settings:
    portals: list[str] = field(default_factory=list)  # linked portals, most recent first
    last_portal: str | None = None
    last_project: dict[str, int] = field(default_factory=dict)  # portal -> project id
    export_dir: str | None = None
    pseudonymise_export: bool = False
    window: dict[str, str] = field(default_factory=dict)  # UI state (base64 Qt blobs)

    def remember_portal(self, name: str) -> None:
        self.portals = [name, *[p for p in self.portals if p != name]]
        self.last_portal = name

    def forget_portal(self, name: str) -> None:
        self.portals = [p for p in self.portals if p != name]
        self.last_project.pop(name, None)
        if self.last_portal == name:
            self.last_portal = self.portals[0] if self.portals else None

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or settings_file()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("Instellingen onleesbaar (%s); standaardwaarden gebruikt", exc)
            return cls()
        known = {f.name for f in fields(cls)}
        settings = cls()
        for key, value in raw.items() if isinstance(raw, dict) else ():
            default = getattr(settings, key, None)
            if key in known and (default is None or isinstance(value, type(default))):
                setattr(settings, key, value)
        return settings

    def save(self, path: Path | None = None) -> None:
        path = path or settings_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the file and rename, so a crash never leaves half a settings file.
        fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(asdict(self), out, indent=2, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
