"""packaging/icu_data.py: which ICU items the Linux app keeps, and a package that stays readable."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "packaging"))
import icu_data


def package(names: list[str]) -> bytes:
    header = struct.pack("<HBB", 32, 0xDA, 0x27) + struct.pack("<HHBBBB", 20, 0, 0, 0, 2, 0)
    header += b"CmnD" + bytes([1, 0, 0, 0]) + bytes(4)
    header += b"\0" * (32 - len(header))
    items = [(f"icudt73l/{n}".encode(), f"data of {n}".encode() * 3) for n in names]
    return icu_data.pack(header, items)


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("icudt73l/root.res", True),
        ("icudt73l/pool.res", True),
        ("icudt73l/nl.res", True),
        ("icudt73l/nl_BE.res", True),
        ("icudt73l/coll/en_GB.res", True),
        ("icudt73l/coll/ucadata.icu", True),
        ("icudt73l/supplementalData.res", True),
        ("icudt73l/likelySubtags.res", True),
        ("icudt73l/de.res", False),
        ("icudt73l/zone/sr_Latn_BA.res", False),
        ("icudt73l/coll/de_.res", False),
        ("icudt73l/ibm-943_P15A-2003.cnv", False),
        ("icudt73l/brkitr/cjdict.dict", False),
    ],
)
def test_only_dutch_english_and_core_data_is_kept(name, kept):
    assert icu_data.wanted(name) is kept


def test_a_package_reads_back_item_for_item_aligned():
    names = ["coll/nl.res", "de.res", "nl.res", "root.res"]
    header, found = icu_data.items(package(names))
    assert [n.decode() for n, _ in found] == [f"icudt73l/{n}" for n in names]
    assert found[2][1].rstrip(b"\0") == b"data of nl.res" * 3
    kept = [(n, d) for n, d in found if icu_data.wanted(n.decode())]
    again = icu_data.pack(header, kept)
    _, read = icu_data.items(again)
    assert [n for n, _ in read] == [
        b"icudt73l/coll/nl.res",
        b"icudt73l/nl.res",
        b"icudt73l/root.res",
    ]
    (count,) = struct.unpack_from("<I", again, len(header))
    offsets = [struct.unpack_from("<II", again, len(header) + 4 + 8 * i)[1] for i in range(count)]
    assert all((len(header) + offset) % 16 == 0 for offset in offsets)


def test_something_else_is_refused():
    with pytest.raises(ValueError):
        icu_data.items(b"\x20\x00\xda\x27" + b"\0" * 8 + b"ToCP" + b"\0" * 40)
