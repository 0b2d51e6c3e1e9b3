"""Printing a PDF: pages rendered with pypdfium2 (stamps included) and painted on a QPrinter."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from inspector_app.ui.documents.sources import PRINT_DPI, render_pages
from inspector_app.ui.tasks import Tasks


def ask_printer(printer: QPrinter, parent: QWidget | None) -> bool:
    dialog = QPrintDialog(printer, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted


def print_pdf(
    data: bytes,
    parent: QWidget | None = None,
    *,
    printer: QPrinter | None = None,
    ask: Callable[[QPrinter, QWidget | None], bool] = ask_printer,
    tasks: Tasks | None = None,
    on_done: Callable[[int], None] | None = None,
) -> bool:
    """Print every page, or the range chosen in the dialog. The 300-dpi pages are rendered in
    ``tasks.run`` when given (then painted on the GUI thread); ``on_done`` gets the pages printed.
    False when the dialog was cancelled."""
    printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)  # the PDF carries its own NĐ 30 margins
    if not ask(printer, parent):
        return False

    def paint(images: list[QImage]) -> None:
        first, last = printer.fromPage(), printer.toPage()
        if first == 0:
            first, last = 1, len(images)
        printed = paint_pages(printer, images[first - 1 : last])
        if on_done is not None:
            on_done(printed)

    if tasks is None:
        paint(render_pages(data, PRINT_DPI))
    else:
        tasks.run(lambda: render_pages(data, PRINT_DPI), on_done=paint)
    return True


def paint_pages(printer: QPrinter, images: list[QImage]) -> int:
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        for n, image in enumerate(images):
            if n:
                printer.newPage()
            target = painter.viewport()
            size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.x(), target.y(), size.width(), size.height()), image)
    finally:
        painter.end()
    return len(images)
