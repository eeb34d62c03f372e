"""What the last load of each project taught (refused rights, afdeling ids), kept between runs.

Not personal data and never a secret: endpoint and field names and afdeling ids. The next load
starts from it, so it needs no round of probing before its data. A file that cannot be read is
simply no hint: a load without hints works, it only asks once more.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from zdesk.ondisk import read_regular
from zdesk.store.paths import cache_dir, private_dir

log = logging.getLogger(__name__)


# A project's hints are a few KB (its afdeling ids and refused fields); a file far beyond all of a
# computer's projects together is not ours, and is not read into memory.
MAX_BYTES = 2_000_000


def hints_file() -> Path:
    return cache_dir() / "load-hints.json"


def _read(path: Path) -> dict[str, Any]:
    try:
        # Only a regular file (a FIFO would wait for good), never more than the cap.
        data = json.loads(read_regular(path, MAX_BYTES).decode("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, RecursionError) as exc:
        log.warning("Laadhints onleesbaar (%s); genegeerd", type(exc).__name__)
        return {}
    return data if isinstance(data, dict) else {}


def read_hints(portal: str, project: int, path: Path | None = None) -> Any:
    """The saved hints of one project as plain JSON data (None when there are none)."""
    return _read(path or hints_file()).get(f"{portal}/{project}")


def write_hints(portal: str, project: int, hints: dict[str, Any], path: Path | None = None) -> None:
    """Save one project's hints; a failure to write is logged, never raised (hints are optional)."""
    path = path or hints_file()
    data = _read(path)
    data[f"{portal}/{project}"] = hints
    _write(data, path)


def forget_hints(portal: str, path: Path | None = None) -> None:
    """Drop the hints of every project of a portal (when it is unlinked)."""
    path = path or hints_file()
    data = _read(path)
    kept = {k: v for k, v in data.items() if not k.startswith(f"{portal}/")}
    if kept != data:
        _write(kept, path)


def _write(data: dict[str, Any], path: Path) -> None:
    """Beside the file, then renamed: a crash never leaves half a file."""
    try:
        private_dir(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=".hints-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.warning("Laadhints niet bewaard (%s)", type(exc).__name__)
