"""The one plain-text rule for what zdesk writes to a terminal or a pipe: text from the portal,
the user or the system never drives the terminal.

Control characters (C0 but the line break and tab, DEL, C1) could start an escape sequence (ESC,
CSI, OSC: colours, a window title, a hyperlink, a rewritten line) and bidirectional overrides and
isolates could reorder what is shown: they are dropped from text, and written as \\u escapes in
JSON (so the data stays exact for a program that reads it). A secret (the token) is replaced by
*** wherever it turns up, also inside the portal's own data.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from typing import Any, TextIO

CONTROL_CODES = (
    *range(0x00, 0x09),
    *range(0x0B, 0x20),
    *range(0x7F, 0xA0),
    0x061C,  # Arabic letter mark
    0x200E,
    0x200F,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
)
# Found by a regular expression rather than str.translate: translate looks up every character
# of the text in a table (57 ms for the 0.6 MB of a large school's `check --json`), a search for
# the few that matter costs next to nothing where there are none.
_CONTROL = re.compile("[" + "".join(re.escape(chr(code)) for code in CONTROL_CODES) + "]")
_ESCAPED = {chr(code): f"\\u{code:04x}" for code in CONTROL_CODES}
HIDDEN = "***"


def plain(text: str, secrets: Sequence[str] = ()) -> str:
    """`text` without control characters and bidirectional controls, secrets replaced."""
    return _scrub(_CONTROL.sub("", text), secrets)


def json_text(data: Any, secrets: Sequence[str] = (), indent: int | None = 1) -> str:
    """`data` as JSON (non-ASCII letters as they are) that is safe on a terminal: every control
    character inside a string written as a \\u escape, secrets replaced."""
    text = _escaped(json.dumps(data, ensure_ascii=False, indent=indent))
    return _scrub(text, secrets)


def _escaped(text: str) -> str:
    return _CONTROL.sub(lambda found: _ESCAPED[found.group()], text)


def _scrub(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, HIDDEN)
    return text


class PlainFormatter(logging.Formatter):
    """Log lines through the plain-text rule, for a log that goes to a terminal (stderr)."""

    def format(self, record: logging.LogRecord) -> str:
        return plain(super().format(record))


class PlainText:
    """A text stream that writes everything through the plain-text rule; `secrets` (a list) may
    be added to once they are known (the token, after linking)."""

    def __init__(self, out: TextIO, secrets: Sequence[str] = ()) -> None:
        self._out = out
        self.secrets = secrets

    def write(self, text: str) -> int:
        return self._out.write(plain(text, self.secrets))

    def write_json(self, data: Any) -> None:
        self._out.write(json_text(data, self.secrets) + "\n")

    def flush(self) -> None:
        self._out.flush()
