"""Helpers for Qt's message boxes."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMessageBox


def widen(box: QMessageBox, width: int = 520) -> None:
    """QMessageBox wraps long text into a narrow column: give its text a minimum width.

    (A QSpacerItem added to the box's grid did the same, but PySide6 left the spacer owned by
    Python: once collected, the next relayout — a theme change — crashed Qt.)
    """
    for name in ("qt_msgbox_label", "qt_msgbox_informativelabel"):
        label = box.findChild(QLabel, name)
        if label is not None:
            label.setMinimumWidth(width)
