"""One checklist item on screen (``ItemRow``): label with required marker and tooltip, its answer
editor, a note, photos (file dialog, drop, paste) and the failing/missing highlight; and the
section pages holding them (``SectionPages``), built on first show a few rows per event-loop turn."""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.forms import Item, Section
from inspector_app.i18n import _
from inspector_app.ui.photos import IMAGE_SUFFIXES, THUMB_SIDE, images_in_mime, offers_image
from inspector_app.ui.visit.answer_editors import AnswerEditor, make_editor

# Property selectors: one stylesheet for every row, readable in the light and the dark theme.
ROW_QSS = """
QFrame#itemRow { border: 1px solid rgba(128, 128, 128, 0.25); border-radius: 4px; }
QFrame#itemRow[failing="true"] {
  background: rgba(211, 47, 47, 0.10); border: 1px solid rgba(211, 47, 47, 0.55);
  border-left: 5px solid #d32f2f;
}
QFrame#itemRow[missing="true"] { border-left: 5px solid #f9a825; }
QLabel#failBadge { color: white; background: #d32f2f; border-radius: 3px; padding: 1px 6px; }
QLabel#requiredMark { color: #d32f2f; font-weight: bold; }
QLabel#rowStatus { color: palette(mid); font-size: 11px; }
QLabel#rowStatus[error="true"] { color: #d32f2f; }
QLabel#autoValue { font-weight: bold; }
QLabel#thumb { border: 1px solid rgba(128, 128, 128, 0.4); }
QPushButton#answerButton { min-width: 72px; }
QPushButton#answerButton:checked {
  background: palette(highlight); color: palette(highlighted-text); border: 1px solid palette(highlight);
}
"""


def item_tooltip(item: Item) -> str:
    parts = []
    if item.hint:
        parts.append(html.escape(item.hint))
    if item.legal_basis:
        parts.append("<b>{}</b> {}".format(html.escape(_("Legal basis:")), html.escape(item.legal_basis)))
    if item.auto:
        parts.append(html.escape(_("Filled in automatically from the roll call.")))
    return "<p>" + "</p><p>".join(parts) + "</p>" if parts else ""


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class ItemsPage(QScrollArea):
    """A section's rows in a scroll area that gives word-wrapped labels their real height.

    QScrollArea sizes its widget from ``sizeHint``, where a wrapped QLabel guesses a narrow width
    and so reserves several lines; fixing the height from ``heightForWidth`` removes the gaps.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        body = self.widget()
        layout = body.layout() if body is not None else None
        if body is not None and layout is not None:
            width = self.viewport().width()
            body.setFixedHeight(max(layout.heightForWidth(width), body.minimumSizeHint().height()))


class BuiltRows(dict[str, "ItemRow"]):
    """The rows built so far, by item code. Asking (``rows[code]``) for one whose section is not
    built yet (or only partly: sections are built a few rows per event-loop turn) builds it at once;
    ``get``, ``in`` and iteration see only what is built."""

    def __init__(self, build: Callable[[str], None]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, code: str) -> ItemRow:
        self._build(code)
        if not dict.__contains__(self, code):
            raise KeyError(code)
        return dict.__getitem__(self, code)


TURN_BUDGET_S = 0.006  # rows built per event-loop turn: as many as fit in this, at least one


class SectionPages(QObject):
    """A form's section pages in a stack. A page is started on first show (its header) and its rows
    are built a few per event-loop turn, so showing a section never freezes the window for long;
    ``rows[code]`` of a row not built yet builds its section at once. ``make_row(item, parent)``
    creates a row with the view's current state applied to it."""

    def __init__(self, stack: QStackedWidget, make_row: Callable[[Item, QWidget], ItemRow]) -> None:
        super().__init__(stack)
        self.stack = stack
        self._make_row = make_row
        self.rows = BuiltRows(self._build_item)
        self.pages: list[ItemsPage] = []
        self.section_of: dict[str, int] = {}
        self.built: set[int] = set()  # pages started; their rows not built yet are queued
        self._sections: list[Section] = []
        self._queued: dict[int, list[Item]] = {}
        self._scheduled = False

    def reset(self, sections: list[Section]) -> None:
        for page in self.pages:
            self.stack.removeWidget(page)
            page.deleteLater()
        self.rows.clear()
        self.built.clear()
        self._queued.clear()
        self.section_of.clear()
        self._sections, self.pages = list(sections), []
        for index, section in enumerate(sections):
            self.section_of.update((item.code, index) for item in section.items)
            self.pages.append(ItemsPage())
            self.stack.addWidget(self.pages[-1])

    def start(self, index: int, budget: float | None = TURN_BUDGET_S) -> None:
        """The section's header now, its rows within ``budget`` seconds, the rest in later turns."""
        if index not in self.built:
            section = self._sections[index]
            body = QWidget()
            layout = QVBoxLayout(body)
            layout.setSpacing(6)
            header = QLabel(f"<h3>{section.code}. {section.title}</h3>")
            header.setWordWrap(True)
            layout.addWidget(header)
            layout.addStretch(1)
            self.pages[index].setWidget(body)
            self.built.add(index)
            self._queued[index] = list(section.items)
        self.build(index, budget)

    def build(self, index: int, budget: float | None) -> None:
        """Queued rows of a started page, within ``budget`` seconds (at least one; None: all)."""
        queue, body = self._queued.get(index), self.pages[index].widget()
        if not queue or body is None:
            return
        start, layout = time.perf_counter(), body.layout()
        assert isinstance(layout, QVBoxLayout)  # pages are built with one (rows, then a stretch)
        while queue and (budget is None or time.perf_counter() - start < budget):
            item = queue.pop(0)
            row = self._make_row(item, body)
            self.rows[item.code] = row
            layout.insertWidget(layout.count() - 1, row)  # before the stretch
        self.pages[index].fit()
        if queue and not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(0, self, self._turn)

    def fit(self) -> None:
        for index in self.built:
            self.pages[index].fit()

    def _turn(self) -> None:
        self._scheduled = False
        current = self.stack.currentIndex()
        waiting = [i for i, queue in self._queued.items() if queue]
        if waiting:
            self.build(current if current in waiting else waiting[0], TURN_BUDGET_S)

    def _build_item(self, code: str) -> None:
        index = self.section_of.get(code)
        if index is not None:
            self.start(index, None)


class PhotoStrip(QWidget):
    """Thumbnails of an item's photos plus "add from file" and "paste" buttons."""

    files_chosen = Signal(list)  # list[Path]
    image_pasted = Signal(QImage)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.thumbs = QHBoxLayout()
        self.thumbs.setSpacing(4)
        layout.addLayout(self.thumbs)
        self.add_button = QPushButton(_("Add photo…"))
        self.add_button.setToolTip(_("Choose photo files; you can also drop photos onto the item"))
        self.paste_button = QPushButton(_("Paste photo"))
        self.paste_button.setToolTip(_("Paste a photo copied to the clipboard"))
        layout.addWidget(self.add_button)
        layout.addWidget(self.paste_button)
        layout.addStretch(1)
        self.add_button.clicked.connect(self.choose_files)
        self.paste_button.clicked.connect(self.paste)
        self._labels: dict[str, QLabel] = {}

    def has(self, sha: str) -> bool:
        return sha in self._labels

    def count(self) -> int:
        return len(self._labels)

    def add_thumb(self, sha: str, tooltip: str = "") -> QLabel:
        label = self._labels.get(sha)
        if label is None:
            label = QLabel("…")
            label.setObjectName("thumb")
            label.setFixedSize(QSize(THUMB_SIDE, THUMB_SIDE))
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.thumbs.addWidget(label)
            self._labels[sha] = label
        label.setToolTip(tooltip)
        return label

    def set_thumb_image(self, sha: str, image: QImage) -> None:
        label = self._labels.get(sha)
        if label is not None:
            label.setPixmap(QPixmap.fromImage(image))

    def clear_thumbs(self) -> None:
        for label in self._labels.values():
            label.deleteLater()
        self._labels.clear()

    def choose_files(self) -> None:
        suffixes = " ".join(f"*{s}" for s in sorted(IMAGE_SUFFIXES))
        names, _filter = QFileDialog.getOpenFileNames(
            self, _("Choose photos"), "", _("Images ({suffixes})").format(suffixes=suffixes)
        )
        if names:
            self.files_chosen.emit([Path(n) for n in names])

    def paste(self) -> bool:
        """Offer the clipboard's image (or copied image files); False when it holds none."""
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None:
            return False
        files, image = images_in_mime(mime)
        if files:
            self.files_chosen.emit(files)
        elif image is not None:
            self.image_pasted.emit(image)
        return bool(files) or image is not None

    def set_read_only(self, flag: bool) -> None:
        self.add_button.setVisible(not flag)
        self.paste_button.setVisible(not flag)


class ItemRow(QFrame):
    """A checklist item: what the inspector sees and touches for one question."""

    answer_edited = Signal(object, object)  # Item, value (None = clear)
    note_edited = Signal(object, str)  # Item, note
    photos_offered = Signal(object, list, object)  # Item, list[Path], QImage | None

    def __init__(self, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName("itemRow")
        self.setProperty("failing", False)
        self.setProperty("missing", False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)

        head = QHBoxLayout()
        head.setSpacing(6)
        self.label = QLabel(f"<b>{html.escape(item.code)}</b>&nbsp; {html.escape(item.label)}")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        tip = item_tooltip(item)
        if tip:
            self.label.setToolTip(tip)
            self.label.setCursor(Qt.CursorShape.WhatsThisCursor)
        head.addWidget(self.label, 1)
        if item.required:
            mark = QLabel("*")
            mark.setObjectName("requiredMark")
            mark.setToolTip(_("Required"))
            head.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
        self.fail_badge = QLabel(_("Not met"))
        self.fail_badge.setObjectName("failBadge")
        self.fail_badge.hide()
        head.addWidget(self.fail_badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)

        self.editor: AnswerEditor = make_editor(item)
        self.editor.edited.connect(lambda value: self.answer_edited.emit(item, value))
        layout.addWidget(self.editor)

        self.photos: PhotoStrip | None = None
        if item.photo or item.type == "photo":
            self.photos = PhotoStrip()
            self.photos.files_chosen.connect(lambda files: self.photos_offered.emit(item, files, None))
            self.photos.image_pasted.connect(lambda image: self.photos_offered.emit(item, [], image))
            layout.addWidget(self.photos)
            self.setAcceptDrops(True)

        bottom = QHBoxLayout()
        self.note = QLineEdit(placeholderText=_("Note…"))
        self.note.setClearButtonEnabled(True)
        self.note.editingFinished.connect(self._note_finished)
        self.note.setVisible(not item.auto)
        self.status = QLabel()
        self.status.setObjectName("rowStatus")
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.status)
        layout.addLayout(bottom)
        self._note = ""

    # --- showing stored state ---------------------------------------------------------------------

    def set_value(self, value: Any) -> None:
        self.editor.set_value(value)
        self.set_failing(self.item.fails(value))

    def set_note(self, note: str | None) -> None:
        self._note = note or ""
        self.note.setText(self._note)

    def set_failing(self, flag: bool) -> None:
        if bool(self.property("failing")) != flag:
            self.setProperty("failing", flag)
            _repolish(self)
        self.fail_badge.setVisible(flag)

    def set_missing(self, flag: bool) -> None:
        if bool(self.property("missing")) != flag:
            self.setProperty("missing", flag)
            _repolish(self)

    def set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setToolTip(text)
        if bool(self.status.property("error")) != error:
            self.status.setProperty("error", error)
            _repolish(self.status)

    def set_read_only(self, flag: bool) -> None:
        self.editor.set_read_only(flag)
        self.note.setReadOnly(flag)
        if self.photos is not None:
            self.photos.set_read_only(flag)
        self.setAcceptDrops(self.photos is not None and not flag)

    def focus_editor(self) -> None:
        target = next(
            (w for w in self.editor.findChildren(QWidget) if w.focusPolicy() != Qt.FocusPolicy.NoFocus),
            self.editor,
        )
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- user input ---------------------------------------------------------------------------------

    def _note_finished(self) -> None:
        text = self.note.text().strip()
        if text != self._note:
            self.note_edited.emit(self.item, text)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.photos is not None and self.acceptDrops() and offers_image(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files, image = images_in_mime(event.mimeData())
        if files or image is not None:
            self.photos_offered.emit(self.item, files, image)
            event.acceptProposedAction()
