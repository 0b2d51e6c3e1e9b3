"""A scrollable preview of a PDF's pages (images rendered with pypdfium2), and its window."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.ui.documents.sources import MinutesFile, minutes_pdf, render_pages
from inspector_app.ui.tasks import Tasks


class PagesView(QScrollArea):
    """Pages one under the other, on a grey desk, like a PDF reader."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self._desk = QWidget()
        self._desk.setStyleSheet("background: #8a8a8a;")
        self._layout = QVBoxLayout(self._desk)
        self._layout.setSpacing(12)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self._desk)
        self.images: list[QImage] = []
        self.labels: list[QLabel] = []

    def set_pages(self, images: list[QImage]) -> None:
        for label in self.labels:
            label.deleteLater()
        self.images, self.labels = list(images), []
        for n, image in enumerate(images, start=1):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(_("Page {n}").format(n=n))
            label.setStyleSheet("background: white; border: 1px solid #555;")
            self._layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.labels.append(label)

    def scroll_to_page(self, index: int) -> None:
        if 0 <= index < len(self.labels):
            self.verticalScrollBar().setValue(self.labels[index].y())

    def page_count(self) -> int:
        return len(self.images)


class PreviewDialog(QDialog):
    """The minutes of a visit as they print: rendered off the GUI thread, then shown page by page."""

    def __init__(
        self, ws: Workspace, tasks: Tasks, visit_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self.setWindowTitle(_("Preview of the minutes"))
        self.resize(980, 900)
        self.status = QLabel(_("Rendering the minutes…"))
        self.pages = PagesView()
        self.file: MinutesFile | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = buttons.addButton(_("Print…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.print_pages)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.pages, 1)
        layout.addWidget(buttons)
        tasks.run(lambda: _file_and_pages(ws, visit_id), on_done=self._shown, on_error=self._failed)

    def _shown(self, result: tuple[MinutesFile, list[QImage]]) -> None:
        self.file, images = result
        self.pages.set_pages(images)
        note = _("signed digitally, stamps shown") if self.file.digitally_signed else _("as rendered now")
        self.status.setText(_("{n} pages ({note})").format(n=len(images), note=note))
        self.print_button.setEnabled(bool(images))

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(_("The minutes cannot be shown: {error}").format(error=exc))

    def print_pages(self) -> None:
        from inspector_app.ui.documents.printing import print_pdf

        if self.file is not None:
            print_pdf(self.file.data, self, tasks=self._tasks)


def _file_and_pages(ws: Workspace, visit_id: uuid.UUID) -> tuple[MinutesFile, list[QImage]]:
    file = minutes_pdf(ws, visit_id)
    return file, render_pages(file.data)
