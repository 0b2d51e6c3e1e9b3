"""Small flowables the documents need: exact-length rules, position anchors, a QR code drawn as
rectangles (no Drawing: the graphics renderer selects Helvetica for its initial state)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from reportlab.graphics.barcode import qrencoder
from reportlab.platypus import Flowable


class PageBox(NamedTuple):
    """Where a flowable landed: 0-based page index (as pyHanko's ``on_page``) and a box in PDF
    points, origin bottom-left."""

    page_index: int
    x1: float
    y1: float
    x2: float
    y2: float


class Rule(Flowable):
    """A solid horizontal line of a given length, centred in the space it is given."""

    def __init__(self, length: float, *, thickness: float = 0.6, space_before: float = 1.5) -> None:
        super().__init__()
        self.length, self.thickness, self.space_before = length, thickness, space_before

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.space_before + self.thickness

    def draw(self) -> None:
        x = (self.width - self.length) / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x, self.thickness / 2, x + self.length, self.thickness / 2)


class Anchor(Flowable):
    """An invisible box that records, when drawn, the page and absolute position it landed on.

    Inside a table cell too (the canvas is translated; ``absolutePosition`` undoes it). The drawing
    of what sits in the box (a signature image) is delegated to ``paint``.
    """

    def __init__(self, key: str, height: float, sink: dict[str, PageBox], paint: Any = None) -> None:
        super().__init__()
        self.key, self.height, self.sink, self.paint = key, height, sink, paint

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        canv = self.canv
        x1, y1 = canv.absolutePosition(0, 0)
        x2, y2 = canv.absolutePosition(self.width, self.height)
        self.sink[self.key] = PageBox(canv.getPageNumber() - 1, x1, y1, x2, y2)
        if self.paint is not None:
            self.paint(canv, self.width, self.height)


@dataclass(frozen=True)
class QrMatrix:
    size: int
    dark: tuple[tuple[bool, ...], ...]


def qr_matrix(payload: str, level: str = "M") -> QrMatrix:
    qr = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    qr.addData(payload)
    qr.make()
    n = qr.getModuleCount()
    return QrMatrix(n, tuple(tuple(bool(qr.isDark(r, c)) for c in range(n)) for r in range(n)))


class QrCode(Flowable):
    """A QR code of ``payload``, ``size`` points square including a 4-module quiet zone."""

    def __init__(self, payload: str, size: float, sink: dict[str, PageBox] | None = None) -> None:
        super().__init__()
        self.payload, self.size, self.sink = payload, size, sink
        self.matrix = qr_matrix(payload)
        self.width = self.height = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        canv, m = self.canv, self.matrix
        module = self.size / (m.size + 8)
        canv.saveState()
        canv.setFillColorRGB(0, 0, 0)
        for r, row in enumerate(m.dark):
            y = self.size - (r + 5) * module
            c = 0
            while c < m.size:  # one rectangle per run of dark modules: a smaller page stream
                if row[c]:
                    start = c
                    while c < m.size and row[c]:
                        c += 1
                    canv.rect((start + 4) * module, y, (c - start) * module, module, stroke=0, fill=1)
                else:
                    c += 1
        canv.restoreState()
        if self.sink is not None:
            x1, y1 = canv.absolutePosition(0, 0)
            x2, y2 = canv.absolutePosition(self.size, self.size)
            self.sink["qr"] = PageBox(canv.getPageNumber() - 1, x1, y1, x2, y2)
