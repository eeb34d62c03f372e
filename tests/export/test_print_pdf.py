"""The workbook printed: converted to PDF with LibreOffice (when installed), no text is smaller
than 8 points and Signaleringen prints in portrait."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib

import pytest

from zdesk.export.xlsx import write_workbook

SOFFICE = shutil.which("soffice")


def font_sizes(pdf: bytes) -> set[float]:
    """The font sizes the PDF's pages set (Tf), read from its compressed content streams."""
    sizes = set()
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            content = zlib.decompress(m.group(1))
        except zlib.error:
            continue  # a font or an image, not a page
        sizes.update(float(s) for s in re.findall(rb"/F\d+ ([\d.]+) Tf", content))
    return sizes


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_the_printed_workbook_has_no_text_below_8_points(small_project, tmp_path):
    project, run = small_project
    book = write_workbook(tmp_path / "print.xlsx", project, run)
    profile = tmp_path / "profile"  # its own LibreOffice profile: nothing of the user's
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = (tmp_path / "print.pdf").read_bytes()
    sizes = font_sizes(pdf)
    assert sizes and min(sizes) >= 7.95, sorted(sizes)
    pages = page_sizes(pdf)
    assert any(h > w for w, h in pages)  # Signaleringen, in portrait
    assert any(w > h for w, h in pages)  # the other sheets, in landscape
