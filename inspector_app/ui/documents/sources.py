"""What the document actions work on, computed off the GUI thread: the minutes' bytes and pages.

The PDF of a visit that was signed digitally is the newest signed file (its stamps are part of it);
otherwise the minutes are rendered now (a draft carries the DỰ THẢO mark). Pages are rendered with
pypdfium2 with its form-fill environment, which draws the signature stamps QtPdf leaves out
(TECH-NOTES §4). QImage (not QPixmap) is safe to build in a worker thread.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from PySide6.QtGui import QImage

from inspector_app.core.workspace import Workspace

PREVIEW_DPI = 110
PRINT_DPI = 300


@dataclass(frozen=True)
class MinutesFile:
    data: bytes
    digitally_signed: bool  # the newest signed file, stamps included


def minutes_pdf(ws: Workspace, visit_id: uuid.UUID) -> MinutesFile:
    from inspector_app.documents.minutes import render_minutes
    from inspector_app.documents.records import latest_signed_pdf

    with ws.session() as session:
        signed = latest_signed_pdf(session, ws.attachments, visit_id)
        if signed is not None:
            return MinutesFile(signed, True)
        return MinutesFile(render_minutes(session, visit_id, attachments=ws.attachments).data, False)


def minutes_docx(ws: Workspace, visit_id: uuid.UUID) -> bytes:
    from inspector_app.documents.minutes_docx import render_minutes_docx

    with ws.session() as session:
        return render_minutes_docx(session, visit_id, attachments=ws.attachments)


def render_pages(data: bytes, dpi: int = PREVIEW_DPI) -> list[QImage]:
    """Every page as an RGB image, form widgets (signature stamps) drawn."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        pdf.init_forms()
        images = []
        for index in range(len(pdf)):
            page = pdf[index]
            bitmap = page.render(scale=dpi / 72, may_draw_forms=True)
            pil = bitmap.to_pil().convert("RGB")
            raw = pil.tobytes()
            image = QImage(raw, pil.width, pil.height, 3 * pil.width, QImage.Format.Format_RGB888)
            images.append(image.copy())  # own the pixels: ``raw`` goes away with this frame
            page.close()
        return images
    finally:
        pdf.close()
