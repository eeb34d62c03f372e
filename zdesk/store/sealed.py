"""Files only zdesk on this computer can read: compressed, AES-GCM encrypted, written atomically.

A sealed file is a short plain header (what it is, its format version, which key, the nonce)
followed by the encrypted, compressed content. The header and the context the caller names (the
portal and project the file belongs to) are authenticated with the content, so a file changed by a
single bit, cut short, or moved to another project's folder is refused, never half read.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import struct
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from zdesk.errors import ZdeskError

MAGIC = b"ZDESK\x1a"
VERSION = 1
# magic, format version, kind, key id, nonce, length of what follows (tells "cut short" apart)
_HEADER = struct.Struct(">6sBc8s12sQ")
HEADER_SIZE = _HEADER.size
_TAG = 16
COMPRESSION = 1  # zlib level: a stress load is 5.5 MB of msgpack, 0.6 MB at level 1, in 40 ms

REASONS = {
    "missing": "het bestand is weg",
    "unreadable": "het bestand kon niet worden gelezen ({detail})",
    "truncated": "het bestand is onvolledig (afgebroken tijdens het schrijven of kopiëren)",
    "not-zdesk": "het is geen bestand van zdesk",
    "kind": "het bestand is van een andere soort",
    "future": "het is gemaakt door een nieuwere versie van zdesk (formaat {detail})",
    "other-key": (
        "het is versleuteld met een andere sleutel (van een eerdere koppeling of computer)"
    ),
    "tampered": "het bestand is beschadigd of gewijzigd (de controle van de versleuteling faalt)",
    "corrupt": "de inhoud is onleesbaar ({detail})",
}


class Unreadable(ZdeskError):
    """A sealed file that cannot be read; `reason` is one of REASONS, str() says it in Dutch."""

    kind = "saved-load"

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        super().__init__(REASONS[reason].format(detail=detail))


def key_id(key: bytes) -> bytes:
    """A short fingerprint of a key, to tell "another key" from "damaged"; reveals nothing of it."""
    return hashlib.sha256(b"zdesk sealed key id\x00" + key).digest()[:8]


def seal(key: bytes, kind: bytes, context: bytes, content: bytes) -> bytes:
    nonce = secrets.token_bytes(12)
    compressed = zlib.compress(content, COMPRESSION)
    header = _HEADER.pack(MAGIC, VERSION, kind, key_id(key), nonce, len(compressed) + _TAG)
    return header + AESGCM(key).encrypt(nonce, compressed, header + context)


def unseal(key: bytes, kind: bytes, context: bytes, blob: bytes) -> bytes:
    if len(blob) < len(MAGIC) or blob[: len(MAGIC)] != MAGIC:
        raise Unreadable("truncated" if MAGIC.startswith(blob) else "not-zdesk")
    if len(blob) < HEADER_SIZE:
        raise Unreadable("truncated")
    _magic, version, found_kind, found_key, nonce, length = _HEADER.unpack_from(blob)
    if version > VERSION:
        raise Unreadable("future", str(version))
    if found_kind != kind:
        raise Unreadable("kind")
    if found_key != key_id(key):
        raise Unreadable("other-key")
    if len(blob) < HEADER_SIZE + length:
        raise Unreadable("truncated")
    header = blob[:HEADER_SIZE]
    try:
        compressed = AESGCM(key).decrypt(nonce, blob[HEADER_SIZE:], header + context)
    except InvalidTag:
        raise Unreadable("tampered") from None
    try:
        return zlib.decompress(compressed)
    except zlib.error as exc:
        raise Unreadable("corrupt", str(exc)) from None


def read_sealed(path: Path, key: bytes, kind: bytes, context: bytes) -> bytes:
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        raise Unreadable("missing") from None
    except OSError as exc:
        raise Unreadable("unreadable", exc.strerror or type(exc).__name__) from None
    return unseal(key, kind, context, blob)


def private_folder(path: Path) -> Path:
    """`path` made if needed, readable by this user only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target and rename: readers see the old file or the new one, never half.

    Each writer has its own temporary name, so two zdesk processes never write into one file.
    """
    private_folder(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def exclusive(lock_path: Path) -> Iterator[None]:
    """Hold an OS lock on `lock_path` (between processes too) for a read-change-write."""
    private_folder(lock_path.parent)
    with open(lock_path, "a+b") as handle:
        if os.name == "nt":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)  # retries for 10 s, then raises
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
