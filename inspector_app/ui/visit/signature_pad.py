"""A signature pad: mouse, touch screen or tablet pen → smooth strokes → a transparent PNG.

Each stroke is a list of points (with the pen's pressure, 1.0 for a mouse); it is drawn through
the midpoints of successive points as quadratic curves, which turns the jagged polyline of a mouse
into a hand-written line. ``to_png`` renders the ink alone on a transparent background, trimmed
to the ink with a small margin, at twice the screen resolution so the printed minutes stay sharp.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from inspector_app.i18n import _

INK = QColor(13, 27, 76)  # blue-black, like a ballpoint pen
PAPER = QColor(253, 253, 250)
PEN_WIDTH = 2.6
EXPORT_SCALE = 2.0
MARGIN = 6  # px around the ink in the exported image

Point = tuple[QPointF, float]  # position, pressure (0..1]


class SignaturePad(QWidget):
    """Draw with the mouse, a finger or a pen; ``changed`` after every stroke and on clear."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.strokes: list[list[Point]] = []
        self._drawing = False
        self._read_only = False
        self._image: QImage | None = None  # a stored signature shown instead of strokes
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setMinimumSize(QSize(280, 130))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(_("Sign here with the mouse, a finger or a pen"))

    def sizeHint(self) -> QSize:
        return QSize(360, 150)

    # --- state ----------------------------------------------------------------------------------

    def is_empty(self) -> bool:
        return not any(len(s) > 0 for s in self.strokes)

    def clear(self) -> None:
        self.strokes.clear()
        self._drawing = False
        self._image = None
        self.update()
        self.changed.emit()

    def show_image(self, image: QImage | None) -> None:
        """Show a stored signature (read back from its PNG) instead of strokes."""
        self.strokes.clear()
        self._image = image
        self.update()

    def set_read_only(self, flag: bool) -> None:
        self._read_only = flag
        self._drawing = False
        self.setCursor(Qt.CursorShape.ArrowCursor if flag else Qt.CursorShape.CrossCursor)

    # --- input ----------------------------------------------------------------------------------

    def _begin(self, pos: QPointF, pressure: float = 1.0) -> None:
        if self._read_only:
            return
        self._image = None
        self._drawing = True
        self.strokes.append([(QPointF(pos), pressure)])
        self.update()

    def _extend(self, pos: QPointF, pressure: float = 1.0) -> None:
        if not self._drawing or not self.strokes:
            return
        last = self.strokes[-1][-1][0]
        if (pos - last).manhattanLength() < 1.0:  # sub-pixel jitter adds nothing but points
            return
        self.strokes[-1].append((QPointF(pos), pressure))
        self.update()

    def _end(self) -> None:
        if self._drawing:
            self._drawing = False
            self.update()
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._extend(event.position())
        self._end()

    def tabletEvent(self, event: QTabletEvent) -> None:
        pressure = max(0.15, float(event.pressure()))
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position(), pressure)
        elif kind == QEvent.Type.TabletMove:
            self._extend(event.position(), pressure)
        elif kind == QEvent.Type.TabletRelease:
            self._end()
        event.accept()  # no synthesized mouse events: the stroke would be drawn twice

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QTouchEvent):
            points = event.points()
            if points:
                pos = points[0].position()
                if event.type() == QEvent.Type.TouchBegin:
                    self._begin(pos)
                elif event.type() == QEvent.Type.TouchUpdate:
                    self._extend(pos)
                else:
                    self._end()
            event.accept()
            return True
        return super().event(event)

    # --- drawing --------------------------------------------------------------------------------

    @staticmethod
    def _paint_strokes(painter: QPainter, strokes: list[list[Point]], scale: float = 1.0) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for stroke in strokes:
            if len(stroke) == 1:  # a dot
                (pos, pressure) = stroke[0]
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(INK)
                r = PEN_WIDTH * scale * (0.5 + pressure / 2) / 2 + 0.5
                painter.drawEllipse(pos * scale, r, r)
                continue
            pts = [pos * scale for pos, _pressure in stroke]
            mids = [(a + b) / 2 for a, b in itertools.pairwise(pts)]
            # A line to the first midpoint, then from midpoint to midpoint bending through the point
            # between (the pieces meet with the same tangent: no corners), then a line to the end.
            pieces: list[tuple[QPainterPath, float]] = []
            first = QPainterPath(pts[0])
            first.lineTo(mids[0])
            pieces.append((first, stroke[0][1]))
            for i in range(1, len(pts) - 1):
                piece = QPainterPath(mids[i - 1])
                piece.quadTo(pts[i], mids[i])
                pieces.append((piece, stroke[i][1]))
            last = QPainterPath(mids[-1])
            last.lineTo(pts[-1])
            pieces.append((last, stroke[-1][1]))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for path, pressure in pieces:
                pen = QPen(INK, PEN_WIDTH * scale * (0.5 + pressure / 2))
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
                painter.setPen(pen)
                painter.drawPath(path)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.rect()
        painter.fillRect(rect, PAPER)  # paper in both themes: blue-black ink must show on it
        # The line one signs on, and a frame.
        guide = QColor(128, 128, 128, 110)
        painter.setPen(QPen(guide, 1, Qt.PenStyle.DashLine))
        y = rect.height() * 0.75
        painter.drawLine(QPointF(16, y), QPointF(rect.width() - 16, y))
        painter.setPen(QPen(guide, 1))
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        if self._image is not None and not self._image.isNull():
            size = self._image.size().scaled(rect.size() - QSize(8, 8), Qt.AspectRatioMode.KeepAspectRatio)
            if size.width() > self._image.width() / EXPORT_SCALE * 1.5:
                size = self._image.size() / EXPORT_SCALE  # do not blow a small signature up
            target = QRectF(
                (rect.width() - size.width()) / 2,
                (rect.height() - size.height()) / 2,
                size.width(),
                size.height(),
            )
            painter.drawImage(target, self._image)
        self._paint_strokes(painter, self.strokes)
        painter.end()

    # --- export ---------------------------------------------------------------------------------

    def ink_rect(self) -> QRectF:
        points = [p for stroke in self.strokes for p, _pressure in stroke]
        if not points:
            return QRectF()
        xs = [p.x() for p in points]
        ys = [p.y() for p in points]
        return QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))

    def to_image(self, scale: float = EXPORT_SCALE) -> QImage:
        """The ink on a transparent background, trimmed to the ink plus a margin."""
        ink = self.ink_rect()
        if ink.isNull() and self.is_empty():
            return QImage()
        pad = MARGIN + PEN_WIDTH * 2
        box = ink.adjusted(-pad, -pad, pad, pad)
        image = QImage(
            max(1, round(box.width() * scale)),
            max(1, round(box.height() * scale)),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.translate(-box.left() * scale, -box.top() * scale)
        self._paint_strokes(painter, self.strokes, scale)
        painter.end()
        return image

    def to_png(self, scale: float = EXPORT_SCALE) -> bytes:
        """PNG bytes of ``to_image``; empty bytes when nothing is drawn."""
        image = self.to_image(scale)
        if image.isNull():
            return b""
        blob = QByteArray()
        buffer = QBuffer(blob)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(blob.data())
