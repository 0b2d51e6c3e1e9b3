"""Draw the app icon: a blue shield with a white check mark (the theme's primary blue, #2979ff).

    QT_QPA_PLATFORM=offscreen python packaging/make_icon.py

writes packaging/icon.png (256×256) and packaging/icon.ico (16, 20, 24, 32, 40, 48, 64, 128, 256 px;
each size drawn from the vector shapes, stored as PNG — what Windows Vista and later read).
Needs only PySide6, which the app depends on anyway.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QLinearGradient, QPainter, QPainterPath, QPen

HERE = Path(__file__).resolve().parent
BLUE = QColor("#2979ff")  # qt-material light_blue primaryColor
BLUE_DARK = QColor("#1a4fc2")
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def shield_path(s: float) -> QPainterPath:
    """A heraldic shield filling most of an s×s square (drawn in a 100-unit box, then scaled)."""
    k = s / 100.0
    path = QPainterPath()
    path.moveTo(50 * k, 6 * k)
    path.cubicTo(62 * k, 13 * k, 74 * k, 16 * k, 88 * k, 16 * k)  # top right shoulder
    path.lineTo(88 * k, 46 * k)
    path.cubicTo(88 * k, 70 * k, 72 * k, 86 * k, 50 * k, 95 * k)  # right side down to the point
    path.cubicTo(28 * k, 86 * k, 12 * k, 70 * k, 12 * k, 46 * k)  # left side back up
    path.lineTo(12 * k, 16 * k)
    path.cubicTo(26 * k, 16 * k, 38 * k, 13 * k, 50 * k, 6 * k)
    path.closeSubpath()
    return path


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    shield = shield_path(size)
    gradient = QLinearGradient(QPointF(0, 0), QPointF(0, size))
    gradient.setColorAt(0.0, BLUE)
    gradient.setColorAt(1.0, BLUE_DARK)
    p.fillPath(shield, gradient)
    if size >= 48:  # a thin light rim reads as depth at large sizes, as mud at small ones
        p.setPen(QPen(QColor(255, 255, 255, 70), size / 64))
        p.drawPath(shield)
    k = size / 100.0
    check = QPainterPath()
    check.moveTo(31 * k, 50 * k)
    check.lineTo(45 * k, 64 * k)
    check.lineTo(70 * k, 36 * k)
    width = max(2.0, (11 if size >= 32 else 14) * k)  # bolder at icon-tray sizes
    pen = QPen(QColor("white"), width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(check)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("PNG encoding failed")
    return bytes(data.data())


def write_ico(path: Path, images: list[QImage]) -> None:
    """An ICO file whose entries are PNG streams (one per size)."""
    blobs = [png_bytes(img) for img in images]
    header = struct.pack("<HHH", 0, 1, len(blobs))
    offset = 6 + 16 * len(blobs)
    entries = b""
    for img, blob in zip(images, blobs, strict=True):
        side = img.width() if img.width() < 256 else 0  # 0 means 256 in an ICO directory
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    path.write_bytes(header + entries + b"".join(blobs))


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841  (Qt wants one)
    big = draw(256)
    if not big.save(str(HERE / "icon.png")):
        raise RuntimeError("could not write icon.png")
    write_ico(HERE / "icon.ico", [draw(s) for s in ICO_SIZES])
    print(f"wrote {HERE / 'icon.png'} and {HERE / 'icon.ico'} ({', '.join(map(str, ICO_SIZES))} px)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
