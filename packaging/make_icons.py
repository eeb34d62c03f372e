"""Draw zdesk's application icon (PNG sizes, .ico, .icns) into resources/icons.

Run from the repository root: `python packaging/make_icons.py`. The icon is a calm blue tile with
a tree of three groups, the shape of what zdesk shows.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPen

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#1f5f99"))
    p.drawRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 48 * s, 48 * s)
    line = QPen(QColor("#d6e6fa"), max(1.0, 14 * s))
    line.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(line)
    p.drawLine(QPointF(72 * s, 84 * s), QPointF(72 * s, 184 * s))
    p.drawLine(QPointF(72 * s, 128 * s), QPointF(120 * s, 128 * s))
    p.drawLine(QPointF(72 * s, 184 * s), QPointF(120 * s, 184 * s))
    p.setPen(Qt.PenStyle.NoPen)
    for y, colour in ((72, "#ffffff"), (128, "#ffffff"), (184, "#fce8b2")):
        p.setBrush(QColor(colour))
        x = 56 if y == 72 else 120
        p.drawRoundedRect(QRectF(x * s, (y - 22) * s, 84 * s, 44 * s), 12 * s, 12 * s)
    p.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        draw(size).save(str(OUT / f"zdesk-{size}.png"))
    draw(256).save(str(OUT / "zdesk.ico"))
    draw(512).save(str(OUT / "zdesk.icns"))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
