"""Files only zdesk on this computer can read: compressed, AES-GCM encrypted, written atomically.

A sealed file is a short plain header (what it is, its format version, which key, the nonce)
followed by the encrypted, compressed content. The header and the context the caller names (the
portal and project the file belongs to) are authenticated with the content, so a file changed by a
single bit, cut short, or moved to another project's folder is refused, never half read.

Format 2 compresses with Zstandard, format 1 (still read) with zlib. The content may be handed
over in parts: each is compressed by Zstandard's own thread while the caller makes the next.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import struct
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import zstandard
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from zdesk import ondisk
from zdesk.errors import ZdeskError, os_reason

MAGIC = b"ZDESK\x1a"
VERSION = 2
ZLIB_VERSION = 1  # files written before Zstandard: read, never written
# magic, format version, kind, key id, nonce, length of what follows (tells "cut short" apart)
_HEADER = struct.Struct(">6sBc8s12sQ")
HEADER_SIZE = _HEADER.size
_TAG = 16
# Zstandard level 1 with one worker thread, in jobs of 512 KB (its smallest), so all but the last
# job are compressed while the caller makes the next parts: on a stress load 3.9 MB of msgpack
# become 0.78 MB, and saving took 6 ms longer without the thread (levels -5 to 1 took the same
# time with it). zlib level 1 took 26 ms for 0.84 MB, on the caller's thread.
COMPRESSION = 1
_PARAMETERS = zstandard.ZstdCompressionParameters.from_level(
    COMPRESSION, threads=1, job_size=512 * 1024
)

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


def seal(key: bytes, kind: bytes, context: bytes, content: bytes | Iterable[bytes]) -> bytes:
    """The sealed file of `content`: bytes, or parts whose concatenation is the content."""
    compressed = _compress([content] if isinstance(content, bytes) else content)
    return seal_compressed(key, kind, context, VERSION, compressed)


def _compress(parts: Iterable[bytes]) -> bytes:
    compressor = zstandard.ZstdCompressor(compression_params=_PARAMETERS).compressobj()
    # With a worker thread, compress() only hands a part over (the GIL is released meanwhile):
    # the next part is made while the last ones are compressed.
    out = [compressor.compress(part) for part in parts]
    out.append(compressor.flush())
    return b"".join(out)


def seal_compressed(
    key: bytes, kind: bytes, context: bytes, version: int, compressed: bytes
) -> bytes:
    """The sealed file of content compressed already, marked as format `version` (an older
    format's file is made by compressing as that format did)."""
    nonce = secrets.token_bytes(12)
    header = _HEADER.pack(MAGIC, version, kind, key_id(key), nonce, len(compressed) + _TAG)
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
    if version == ZLIB_VERSION:
        try:
            return zlib.decompress(compressed)
        except zlib.error as exc:
            raise Unreadable("corrupt", str(exc)) from None
    try:
        # A frame written in parts does not state its size, so it is read as a stream.
        decompressor = zstandard.ZstdDecompressor().decompressobj()
        content = decompressor.decompress(compressed)
    except zstandard.ZstdError as exc:
        raise Unreadable("corrupt", str(exc)) from None
    if not decompressor.eof:
        raise Unreadable("corrupt", "onvolledig gecomprimeerd")
    return content


def read_sealed(path: Path, key: bytes, kind: bytes, context: bytes) -> bytes:
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        raise Unreadable("missing") from None
    except OSError as exc:
        raise Unreadable("unreadable", os_reason(exc)) from None
    return unseal(key, kind, context, blob)


def private_folder(path: Path) -> Path:
    """`path` made if needed (with every folder on the way), readable by this user only."""
    return ondisk.private_dir(path)


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
    with open(
        ondisk.open_private(lock_path, os.O_RDWR | os.O_CREAT | os.O_APPEND), "a+b"
    ) as handle:
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
