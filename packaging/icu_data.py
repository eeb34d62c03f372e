"""A smaller ICU data library for the Linux app: Qt Core links ICU, whose data is 32 MB.

PySide6's Linux wheels bring libicudata.so.73: one symbol (icudt73_dat) holding ICU's "common
data", a package of some 3,900 items. zdesk reads and writes Dutch and English text in UTF-8, so
it needs ICU's core tables and the nl, en and root locales, not the locale data of 700 other
locales, the legacy character-set converters (.cnv) or the word dictionaries of Thai, Lao,
Khmer, Burmese and CJK text (.dict). `trim_library` writes the library again with only what is
kept: 5.5 MB instead of 32 MB. It needs `nm` and a C compiler (binutils and gcc).

The package layout (ICU's ucmndata.h): a data header (its size in the first two bytes, the
format "CmnD" in it), then the table of contents: a count and per item the offsets of its name
and its data from the start of the table, then the names, then each item's data, 16-byte aligned.
"""

from __future__ import annotations

import re
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

ALIGN = 16
# A locale's own data: "de", "pt_BR", "sr_Latn_BA", in any folder (coll/, zone/, ...).
LOCALE = re.compile(r"^[a-z]{2,3}(_\w*)?$")
KEPT_LOCALES = re.compile(r"^(nl|en)(_|$)")


def wanted(name: str) -> bool:
    """Whether an item of the package (icudt73l/coll/nl.res) is kept."""
    base = name.rsplit("/", 1)[-1]
    stem, _, extension = base.rpartition(".")
    if extension in ("cnv", "dict"):
        return False
    return not (extension == "res" and LOCALE.match(stem) and not KEPT_LOCALES.match(stem))


def items(package: bytes) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """The package's header and its items (name, data), in the order of its table."""
    header_size = struct.unpack_from("<H", package, 0)[0]
    if package[12:16] != b"CmnD" or package[8] != 0:
        raise ValueError("not a little-endian ICU common data package")
    toc = header_size
    (count,) = struct.unpack_from("<I", package, toc)
    entries = [struct.unpack_from("<II", package, toc + 4 + 8 * i) for i in range(count)]
    found = []
    for i, (name_at, data_at) in enumerate(entries):
        name_start = toc + name_at
        name = package[name_start : package.index(b"\0", name_start)]
        end = toc + entries[i + 1][1] if i + 1 < count else len(package)
        found.append((name, package[toc + data_at : end]))
    return package[:header_size], found


def pack(header: bytes, kept: list[tuple[bytes, bytes]]) -> bytes:
    """A package of `kept` items behind `header` (names stay sorted: ICU searches them)."""
    table = 4 + 8 * len(kept)
    names = b"".join(name + b"\0" for name, _ in kept)
    offset = _aligned(len(header) + table + len(names)) - len(header)
    entries, name_at, blobs = [], table, []
    for name, data in kept:
        entries.append(struct.pack("<II", name_at, offset))
        name_at += len(name) + 1
        padded = data + b"\0" * (_aligned(len(data)) - len(data))
        blobs.append(padded)
        offset += len(padded)
    start = header + struct.pack("<I", len(kept)) + b"".join(entries) + names
    return start + b"\0" * (_aligned(len(start)) - len(start)) + b"".join(blobs)


def trim_library(
    library: Path, work: Path, keep: Callable[[str], bool] = wanted, compiler: str = "cc"
) -> Path:
    """`library` (libicudata.so.NN) written again in `work` with only the items `keep` keeps."""
    symbol, start, size = _data_symbol(library)
    binary = library.read_bytes()
    # A shared library's read-only data lies at the same offset in the file as in memory.
    header, found = items(binary[start : start + size])
    kept = [(name, data) for name, data in found if keep(name.decode("ascii"))]
    work.mkdir(parents=True, exist_ok=True)
    package = work / f"{symbol}.dat"
    package.write_bytes(pack(header, kept))
    source = work / f"{symbol}.S"
    source.write_text(
        "\t.section .rodata\n"
        f"\t.globl {symbol}\n"
        f"\t.type {symbol}, @object\n"
        f"\t.size {symbol}, {package.stat().st_size}\n"
        f"\t.balign {ALIGN}\n"
        f"{symbol}:\n"
        f'\t.incbin "{package}"\n'
        '\t.section .note.GNU-stack,"",@progbits\n',
        encoding="ascii",
    )
    target = work / library.name
    subprocess.run(
        [compiler, "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o", str(target),
         str(source)],
        check=True,
    )  # fmt: skip
    return target


def _data_symbol(library: Path) -> tuple[str, int, int]:
    """The data symbol of an ICU data library: its name, file offset and size."""
    listing = subprocess.run(
        ["nm", "-D", "-S", "--defined-only", str(library)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) == 4 and re.fullmatch(r"icudt\d+_dat", parts[3]):
            return parts[3], int(parts[0], 16), int(parts[1], 16)
    raise ValueError(f"{library.name} holds no ICU data symbol")


def _aligned(n: int) -> int:
    return (n + ALIGN - 1) // ALIGN * ALIGN
