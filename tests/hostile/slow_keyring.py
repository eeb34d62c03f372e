"""A keyring backend for zdesk processes started by the hostile tests (PYTHON_KEYRING_BACKEND):
in memory, and as slow to give the history's key as ZDESK_TEST_SLOW says (seconds), as a keyring
that first asks D-Bus is. When it has answered it leaves a file (ZDESK_TEST_ANSWERED), so a test
can tell whether the process waited for it."""

from __future__ import annotations

import os
import threading

import keyring.backend


class SlowKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        if service == "zdesk-history":
            slow = float(os.environ.get("ZDESK_TEST_SLOW", "0"))
            threading.Event().wait(slow)  # the slow backend this stands for
            answered = os.environ.get("ZDESK_TEST_ANSWERED")
            if answered:
                with open(answered, "w") as out:
                    out.write("beantwoord\n")
        return self.items.get((service, username))

    def set_password(self, service, username, password):
        self.items[(service, username)] = password

    def delete_password(self, service, username):
        self.items.pop((service, username), None)
