"""Small charts drawn with QPainter (PySide6-Essentials has no QtCharts): horizontal bars with their
labels, and lines over months. Text and grid take the widget's palette, which the theme's style sheet
sets, and the series colours follow the light or dark theme; a theme switch repaints them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolTip, QWidget

from inspector_app.i18n import _
from inspector_app.ui.theme import Theme, current_theme

SERIES = {
    Theme.LIGHT: ("#1e88e5", "#e53935", "#43a047", "#fb8c00", "#8e24aa"),
    Theme.DARK: ("#4dd0e1", "#ff8a65", "#aed581", "#ffd54f", "#ce93d8"),
}


def series_colors() -> tuple[str, ...]:
    app = QApplication.instance()
    return SERIES[current_theme(app) if isinstance(app, QApplication) else Theme.LIGHT]


def plain_number(value: float) -> str:
    """ "12", "1,5" (Vietnamese decimal comma)."""
    return f"{value:,.0f}".replace(",", ".") if value == int(value) else f"{value:.1f}".replace(".", ",")


def nice_ticks(value: float) -> list[float]:
    """Round ticks from 0 to at least ``value``: steps of 1, 2, 2.5 or 5 × 10^n, four or five of them."""
    if value <= 0:
        return [0.0, 0.25, 0.5, 0.75, 1.0]
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(k * power for k in (1, 2, 2.5, 5, 10) if k * power >= raw)
    return [step * k for k in range(math.ceil(value / step - 1e-9) + 1)]


class _Chart(QWidget):
    """What both charts share: a title, the "no data" state, colours, and a paint counter for tests."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.painted = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange):
            self.update()  # the theme changed: colours are read at paint time
        super().changeEvent(event)

    def _text_color(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)

    def _grid_color(self) -> QColor:
        color = QColor(self._text_color())
        color.setAlpha(45)
        return color

    def _begin(self) -> tuple[QPainter, QRectF]:
        """A painter with antialiasing and the area left under the title."""
        self.painted += 1
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(self._text_color())
        area = QRectF(self.rect()).adjusted(8, 6, -8, -6)
        if self.title:
            font = p.font()
            font.setBold(True)
            p.setFont(font)
            height = QFontMetrics(font).height()
            p.drawText(
                area.adjusted(0, 0, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, self.title
            )
            font.setBold(False)
            p.setFont(font)
            area.adjust(0, height + 8, 0, 0)
        return p, area

    def _no_data(self, p: QPainter, area: QRectF) -> None:
        color = QColor(self._text_color())
        color.setAlpha(140)
        p.setPen(color)
        p.drawText(area, Qt.AlignmentFlag.AlignCenter, _("No data for this choice"))


class BarChart(_Chart):
    """Horizontal bars, one per label, longest first as given; long labels are elided (full on hover)."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.bars: list[tuple[str, float]] = []
        self.value_text: Callable[[float], str] = plain_number
        self._rows: list[tuple[QRectF, str, float]] = []
        self.setMinimumSize(320, 160)

    def set_bars(
        self, bars: Sequence[tuple[str, float]], value_text: Callable[[float], str] = plain_number
    ) -> None:
        self.bars, self.value_text = list(bars), value_text
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p, area = self._begin()
        self._rows = []
        if not self.bars or max(v for _l, v in self.bars) <= 0:
            self._no_data(p, area)
            p.end()
            return
        fm = QFontMetrics(p.font())
        row_h = min(30.0, max(fm.height() + 4.0, area.height() / len(self.bars)))
        label_w = min(area.width() * 0.45, max(fm.horizontalAdvance(label) for label, _v in self.bars) + 12)
        value_w = max(fm.horizontalAdvance(self.value_text(v)) for _l, v in self.bars) + 10
        top = max(v for _l, v in self.bars)
        bar_w = max(10.0, area.width() - label_w - value_w)
        color = QColor(series_colors()[0])
        for n, (label, value) in enumerate(self.bars):
            y = area.top() + n * row_h
            if y + row_h > area.bottom() + 1:
                break
            row = QRectF(area.left(), y, area.width(), row_h)
            p.setPen(self._text_color())
            text = fm.elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - 12))
            p.drawText(QRectF(area.left(), y, label_w - 12, row_h), Qt.AlignmentFlag.AlignVCenter, text)
            length = bar_w * value / top
            bar = QRectF(area.left() + label_w, y + row_h * 0.18, length, row_h * 0.64)
            p.fillRect(bar, color)
            p.drawText(
                QRectF(bar.right() + 6, y, value_w, row_h),
                Qt.AlignmentFlag.AlignVCenter,
                self.value_text(value),
            )
            self._rows.append((row, label, value))
        p.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = QPointF(event.pos())  # type: ignore[attr-defined]
            hit = next(((label, v) for rect, label, v in self._rows if rect.contains(pos)), None)
            if hit is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), f"{hit[0]}: {self.value_text(hit[1])}", self)  # type: ignore[attr-defined]
            return True
        return super().event(event)


class LineChart(_Chart):
    """Lines over a row of labels (months), sharing one axis from zero, with a legend; a value of None
    (a month without visits) leaves a gap in its line."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.labels: list[str] = []
        self.series: list[tuple[str, list[float | None]]] = []
        self.value_text: Callable[[float], str] = plain_number
        self.setMinimumSize(320, 180)

    def set_series(
        self,
        labels: Sequence[str],
        series: Sequence[tuple[str, Sequence[float | None]]],
        value_text: Callable[[float], str] = plain_number,
    ) -> None:
        self.labels = list(labels)
        self.series = [(name, list(values)) for name, values in series]
        self.value_text = value_text
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p, area = self._begin()
        if not self.labels or not self.series:
            self._no_data(p, area)
            p.end()
            return
        fm = QFontMetrics(p.font())
        colors = series_colors()
        # Legend on one line under the title.
        x = area.left()
        for n, (name, _values) in enumerate(self.series):
            p.fillRect(QRectF(x, area.top() + fm.height() / 2 - 4, 14, 8), QColor(colors[n % len(colors)]))
            p.setPen(self._text_color())
            p.drawText(QPointF(x + 18, area.top() + fm.ascent()), name)
            x += 18 + fm.horizontalAdvance(name) + 20
        area.adjust(0, fm.height() + 8, 0, 0)
        highest = max((v for _n, values in self.series for v in values if v is not None), default=0.0)
        ticks = nice_ticks(highest)
        top = ticks[-1]
        axis_w = max(fm.horizontalAdvance(self.value_text(t)) for t in ticks) + 8
        half_label = max(fm.horizontalAdvance(label) for label in self.labels) / 2 + 4
        plot = QRectF(
            area.left() + axis_w, area.top() + fm.height() / 2, area.width() - axis_w - half_label, 0
        )
        plot.setBottom(area.bottom() - fm.height() - 6)
        for t in ticks:
            y = plot.bottom() - plot.height() * t / top
            p.setPen(QPen(self._grid_color(), 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(self._text_color())
            p.drawText(
                QRectF(area.left(), y - fm.height() / 2, axis_w - 6, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                self.value_text(t),
            )
        count = len(self.labels)
        step = plot.width() / max(count - 1, 1)

        def at(i: int) -> float:
            return plot.left() + (i * step if count > 1 else plot.width() / 2)

        # As many month labels as fit side by side.
        widest = max(fm.horizontalAdvance(label) for label in self.labels) + 10
        every = max(1, math.ceil(widest / max(step, 1.0))) if count > 1 else 1
        for i, label in enumerate(self.labels):
            if i % every == 0:
                p.drawText(
                    QRectF(at(i) - widest / 2, plot.bottom() + 4, widest, fm.height()),
                    Qt.AlignmentFlag.AlignHCenter,
                    label,
                )
        for n, (_name, values) in enumerate(self.series):
            color = QColor(colors[n % len(colors)])
            points = [
                None if v is None else QPointF(at(i), plot.bottom() - plot.height() * v / top)
                for i, v in enumerate(values)
            ]
            p.setPen(QPen(color, 2.2))
            for a, b in itertools.pairwise(points):
                if a is not None and b is not None:
                    p.drawLine(a, b)
            p.setBrush(color)
            for point in points:
                if point is not None:
                    p.drawEllipse(point, 3.2, 3.2)
            p.setBrush(Qt.BrushStyle.NoBrush)
        p.end()
