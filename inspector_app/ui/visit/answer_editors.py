"""One small editor widget per answer type of the form format (``make_editor(item)``).

An editor shows a stored value (``set_value``, no signal) and emits ``edited(value)`` once the user
has finished a change — a click, Enter or leaving the field — with ``None`` meaning "clear the
answer". It does not validate or save: the checklist view writes through the DB writer and puts the
stored value back with ``set_value`` (also after an error). Widgets are plain and few, so a form of
80 items builds quickly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.forms import Item
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.i18n import _

PLACEHOLDERS = {"time": "hh:mm", "date": "dd/mm/yyyy"}  # counts and numbers: empty means unanswered
BUTTONS_MAX_CHARS = 60  # single_choice labels up to this total length are buttons, longer ones a list


class AnswerEditor(QWidget):
    """Base: ``edited(value)`` after a user change; ``set_value`` shows a stored value silently."""

    edited = Signal(object)

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self._value: Any = None

    def value(self) -> Any:
        return self._value

    def set_value(self, value: Any) -> None:
        self._value = value
        self._show(value)

    def set_read_only(self, flag: bool) -> None:
        for child in self.findChildren(QWidget):
            child.setEnabled(not flag)

    def _show(self, value: Any) -> None:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def _emit(self, value: Any) -> None:
        if value in ("", []):
            value = None
        if value != self._value:
            self.edited.emit(value)


def _lay(widget: QWidget, horizontal: bool = True) -> QHBoxLayout | QVBoxLayout:
    layout: QHBoxLayout | QVBoxLayout = QHBoxLayout(widget) if horizontal else QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    return layout


class ButtonsEditor(AnswerEditor):
    """yes_no, yes_no_na and short single_choice: one checkable button per answer; a second click on
    the chosen one clears it."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        layout = _lay(self)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: dict[str, QPushButton] = {}
        for value in item.answer_values():
            button = QPushButton(item.display_value(value), checkable=True)
            button.setProperty("answer", value)
            button.setObjectName("answerButton")
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.group.addButton(button)
            self.buttons[value] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self.group.buttonClicked.connect(self._clicked)

    def _clicked(self, button: QPushButton) -> None:
        value = button.property("answer")
        self._emit(None if value == self._value else value)

    def _show(self, value: Any) -> None:
        for key, button in self.buttons.items():
            button.setChecked(key == value)

    def choose(self, value: str | None) -> None:
        """As if the user clicked ``value`` (tests, keyboard shortcuts)."""
        self._emit(value)


class ComboEditor(AnswerEditor):
    """single_choice with long labels: a drop-down list with an empty first entry."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.combo = QComboBox()
        self.combo.addItem(_("— choose —"), None)
        for choice in item.choices:
            self.combo.addItem(choice.label, choice.value)
        _lay(self).addWidget(self.combo, 1)
        self.combo.activated.connect(lambda index: self._emit(self.combo.itemData(index)))

    def _show(self, value: Any) -> None:
        self.combo.setCurrentIndex(max(self.combo.findData(value), 0) if value is not None else 0)


class ChecksEditor(AnswerEditor):
    """multi_choice: a check box per choice; the answer is the ticked values in form order."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        layout = _lay(self, horizontal=False)
        self.boxes: dict[str, QCheckBox] = {}
        for choice in item.choices:
            box = QCheckBox(choice.label)
            box.clicked.connect(self._clicked)
            self.boxes[choice.value] = box
            layout.addWidget(box)

    def _clicked(self) -> None:
        self._emit([v for v, box in self.boxes.items() if box.isChecked()])

    def _show(self, value: Any) -> None:
        picked = set(value or ())
        for key, box in self.boxes.items():
            box.setChecked(key in picked)


class LineEditor(AnswerEditor):
    """count, number, time and date as one line of text, saved on Enter or leaving the field; the
    core reads "45,5", "7h30" and "01/07/2025" as well as the canonical forms."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        layout = _lay(self)
        self.line = QLineEdit(placeholderText=PLACEHOLDERS.get(item.type, ""))
        self.line.setMaximumWidth(160)
        self.line.editingFinished.connect(self._finished)
        layout.addWidget(self.line)
        if item.type == "time":
            now = QToolButton()
            now.setText(_("Now"))
            now.setToolTip(_("Fill in the current time"))
            now.clicked.connect(self._now)
            layout.addWidget(now)
        if item.min is not None or item.max is not None:
            low = _fmt(item.min) if item.min is not None else "…"
            high = _fmt(item.max) if item.max is not None else "…"
            layout.addWidget(QLabel(f"{low} – {high}"))
        layout.addStretch(1)

    def _finished(self) -> None:
        text = self.line.text().strip()
        if text == self._shown(self._value):
            return
        self._emit(text or None)

    def _now(self) -> None:
        self.line.setText(dt.datetime.now(VN_TZ).strftime("%H:%M"))
        self._finished()

    def _shown(self, value: Any) -> str:
        if value is None:
            return ""
        if self.item.type == "date" and isinstance(value, str):
            return _vn_date(value)
        return self.item.display_value(value)

    def _show(self, value: Any) -> None:
        self.line.setText(self._shown(value))


class TextEditor(AnswerEditor):
    """Free text over a few lines, saved when the field loses focus."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.box = QPlainTextEdit()
        self.box.setTabChangesFocus(True)
        self.box.setFixedHeight(58)
        self.box.installEventFilter(self)
        _lay(self).addWidget(self.box, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.box and event.type() == QEvent.Type.FocusOut:
            self.finish()
        return False

    def finish(self) -> None:
        text = self.box.toPlainText().strip()
        if text != (self._value or ""):
            self._emit(text or None)

    def _show(self, value: Any) -> None:
        self.box.setPlainText("" if value is None else str(value))

    def set_read_only(self, flag: bool) -> None:
        self.box.setReadOnly(flag)  # still selectable and scrollable when signed


class TableEditor(AnswerEditor):
    """table: rows of the form's columns; a cell edit saves the whole table."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        layout = _lay(self, horizontal=False)
        self.table = QTableWidget(0, len(item.columns))
        self.table.setHorizontalHeaderLabels([c.label for c in item.columns])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(120)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        buttons = QHBoxLayout()
        self.add_button = QPushButton(_("Add row"))
        self.remove_button = QPushButton(_("Delete row"))
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)
        self.table.itemChanged.connect(lambda _cell: self._emit(self.rows()))
        self._filling = False

    def rows(self) -> list[dict[str, Any]]:
        rows = []
        for r in range(self.table.rowCount()):
            row: dict[str, Any] = {}
            for c, column in enumerate(self.item.columns):
                cell = self.table.item(r, c)
                text = cell.text().strip() if cell is not None else ""
                row[column.code] = text or None
            rows.append(row)
        return rows

    def add_row(self) -> None:
        self._emit([*self.rows(), dict.fromkeys(c.code for c in self.item.columns)])

    def remove_row(self) -> None:
        row = self.table.currentRow()
        rows = self.rows()
        if 0 <= row < len(rows):
            del rows[row]
            self._emit(rows)

    def _emit(self, value: Any) -> None:
        if not self._filling:
            super()._emit(value)

    def _show(self, value: Any) -> None:
        self._filling = True
        try:
            rows = list(value or [])
            self.table.setRowCount(len(rows))
            for r, row in enumerate(rows):
                for c, column in enumerate(self.item.columns):
                    cell_value = row.get(column.code)
                    text = _vn_date(cell_value) if column.type == "date" and cell_value else cell_value
                    self.table.setItem(r, c, QTableWidgetItem("" if text is None else str(text)))
        finally:
            self._filling = False

    def set_read_only(self, flag: bool) -> None:
        self.add_button.setVisible(not flag)
        self.remove_button.setVisible(not flag)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers
            if flag
            else QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.AnyKeyPressed
        )


class AutoEditor(AnswerEditor):
    """``auto: roll_call.*``: the roll-call total, read-only."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        self.label = QLabel()
        self.label.setObjectName("autoValue")
        _lay(self).addWidget(self.label, 1)

    def _show(self, value: Any) -> None:
        shown = "—" if value is None else self.item.display_value(value)
        self.label.setText(_("{value} (from the roll call)").format(value=shown))

    def set_read_only(self, flag: bool) -> None:
        pass


class PhotoOnlyEditor(AnswerEditor):
    """photo: the answer is the list of photo fingerprints; the row's photo strip edits it."""

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(item, parent)
        _lay(self)

    def _show(self, value: Any) -> None:
        pass


def _fmt(number: int | float | None) -> str:
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return str(number).replace(".", ",")


def _vn_date(value: object) -> str:
    """ "2025-07-01" → "01/07/2025" (the way dates are written in Vietnam)."""
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def make_editor(item: Item, parent: QWidget | None = None) -> AnswerEditor:
    if item.auto:
        return AutoEditor(item, parent)
    kind = item.type
    if kind in ("yes_no", "yes_no_na"):
        return ButtonsEditor(item, parent)
    if kind == "single_choice":
        short = sum(len(c.label) for c in item.choices) <= BUTTONS_MAX_CHARS
        return ButtonsEditor(item, parent) if short else ComboEditor(item, parent)
    if kind == "multi_choice":
        return ChecksEditor(item, parent)
    if kind in ("count", "number", "time", "date"):
        return LineEditor(item, parent)
    if kind == "table":
        return TableEditor(item, parent)
    if kind == "photo":
        return PhotoOnlyEditor(item, parent)
    return TextEditor(item, parent)
