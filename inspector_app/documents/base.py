"""The renderer base of every document: the Nghị định 30/2020 page, header boxes, signature blocks.

A document is a small subclass (template method, as pretix's ``BaseReportlabInvoiceRenderer``):
``header()`` says what goes into boxes Ô1–Ô4 and ``story()`` returns the body's flowables;
``render()`` returns the PDF bytes. Geometry is in millimetres as class attributes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer, Table

from inspector_app.documents.flowables import Anchor, PageBox, Rule
from inspector_app.documents.fonts import BOLD, REGULAR, register_fonts
from inspector_app.documents.formatting import markup, nfc, place_and_date
from inspector_app.documents.styles import BODY_SIZE, TABLE_SIZE, Styles, stylesheet
from inspector_app.documents.vocabulary import DRAFT_MARK, MOTTO, NATIONAL_NAME, SIGN_HINT

CREATOR = "Kiểm tra công vụ"


class DocumentError(Exception):
    """The document cannot be made as asked (the message is for the user)."""


@dataclass(frozen=True)
class HeaderInfo:
    """What boxes Ô2–Ô4 hold (Ô1, Quốc hiệu and Tiêu ngữ, is the same on every document)."""

    parent_agency: str  # Ô2 line 1, cơ quan chủ quản ("" when there is none)
    agency: str  # Ô2 line 2, cơ quan ban hành
    number: str  # Ô3 without "Số: " ("03/BB-ĐKTCV", or "     /BB-ĐKTCV" to fill by hand)
    place: str  # địa danh of Ô4
    day: dt.date | None  # None: "ngày … tháng … năm …" to fill by hand


@dataclass(frozen=True)
class SignatureBlock:
    """One signer's block: title, hint, signature space (image or note), name."""

    key: str  # where ``signature_boxes`` records its space
    title: str
    name: str = ""
    image: Path | bytes | None = None
    note: str | None = None  # e.g. "(Từ chối ký: …)"
    authority: str | None = None  # "TM. ĐOÀN KIỂM TRA" above the title


class DocumentRenderer:
    """Base of all documents (A4 portrait, NĐ 30/2020 margins, page numbers from page 2)."""

    page_size = A4
    margin_top_mm = 20
    margin_bottom_mm = 20
    margin_left_mm = 30
    margin_right_mm = 15
    page_number_size = 13
    signature_space_mm = 24
    header_left_mm = 70  # Ô2/Ô3 column; Ô1/Ô4 gets the rest of the line
    pdf_title = ""
    pdf_subject = ""
    draft = False

    def __init__(self) -> None:
        register_fonts()
        self.styles: Styles = stylesheet()
        self.signature_boxes: dict[str, PageBox] = {}
        self.page_count = 0

    # ------------------------------------------------------------------ to override

    def header(self) -> HeaderInfo:
        raise NotImplementedError

    def story(self) -> list[Flowable]:
        raise NotImplementedError

    # ------------------------------------------------------------------ geometry

    @property
    def frame_width(self) -> float:
        return self.page_size[0] - (self.margin_left_mm + self.margin_right_mm) * mm

    # ------------------------------------------------------------------ rendering

    def render(self) -> bytes:
        self.signature_boxes.clear()
        buffer = io.BytesIO()
        doc = BaseDocTemplate(
            buffer,
            pagesize=self.page_size,
            leftMargin=self.margin_left_mm * mm,
            rightMargin=self.margin_right_mm * mm,
            topMargin=self.margin_top_mm * mm,
            bottomMargin=self.margin_bottom_mm * mm,
            title=nfc(self.pdf_title),
            subject=nfc(self.pdf_subject),
            author=nfc(self.header().agency),
            creator=CREATOR,
            producer=CREATOR,
            lang="vi-VN",
            # The canvas' preamble selects a font before any text: without this it is Helvetica.
            initialFontName=REGULAR,
            initialFontSize=BODY_SIZE,
            initialLeading=16,
        )
        frame = Frame(
            doc.leftMargin,
            doc.bottomMargin,
            doc.width,
            doc.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        doc.addPageTemplates(
            [
                PageTemplate("first", [frame], onPage=self.on_first_page, autoNextPageTemplate="later"),
                PageTemplate("later", [frame], onPage=self.on_later_page),
            ]
        )
        doc.build([*self.header_block(), *self.story()])
        self.page_count = doc.page
        return buffer.getvalue()

    def on_first_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """NĐ 30: no page number on page 1."""
        self._draft_mark(canv)

    def on_later_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """NĐ 30: Arabic page number, upright, centred in the top margin."""
        canv.saveState()
        canv.setFont(REGULAR, self.page_number_size)
        x = self.margin_left_mm * mm + self.frame_width / 2
        y = self.page_size[1] - self.margin_top_mm * mm / 2 - self.page_number_size / 3
        canv.drawCentredString(x, y, str(canv.getPageNumber()))
        canv.restoreState()
        self._draft_mark(canv)

    def _draft_mark(self, canv: Canvas) -> None:
        if not self.draft:
            return
        canv.saveState()
        canv.setFont(BOLD, 11)
        text = nfc(DRAFT_MARK)
        w = stringWidth(text, BOLD, 11)
        x = self.page_size[0] - self.margin_right_mm * mm - w - 8
        y = self.page_size[1] - 13 * mm
        canv.setLineWidth(0.8)
        canv.rect(x - 4, y - 4, w + 8, 15, stroke=1, fill=0)
        canv.drawString(x, y, text)
        canv.restoreState()

    # ------------------------------------------------------------------ building blocks

    def p(self, text: object, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of plain (user) text: NFC, escaped."""
        return Paragraph(markup(text), style or self.styles.body)

    def pm(self, marked_up: str, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of trusted markup (``<b>``, ``<i>``); user parts must be ``markup()``-ed."""
        return Paragraph(nfc(marked_up), style or self.styles.body)

    def table(
        self,
        rows: Sequence[Sequence[Any]],
        col_widths: Sequence[float],
        *,
        style: Sequence[tuple[Any, ...]] = (),
        header_rows: int = 0,
        font_size: float = TABLE_SIZE,
        grid: bool = True,
        padding: float = 3,
    ) -> Table:
        """A Table whose style always names the font: a cell without FONTNAME falls back to
        Helvetica, referenced unembedded even when every cell holds a Paragraph."""
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("FONTSIZE", (0, 0), (-1, -1), font_size),
            ("LEADING", (0, 0), (-1, -1), font_size * 1.18),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), padding),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), padding / 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
        ]
        if grid:
            commands.append(("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)))
        if header_rows:
            commands += [
                ("FONTNAME", (0, 0), (-1, header_rows - 1), BOLD),
                ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER"),
                ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
            ]
        commands += list(style)
        cells = [[nfc(c) if isinstance(c, str) else c for c in row] for row in rows]
        return Table(cells, colWidths=list(col_widths), style=commands, repeatRows=header_rows)

    def header_block(self) -> list[Flowable]:
        """Ô2 | Ô1 on the first row, Ô3 | Ô4 on the second (so Số and the date share a baseline)."""
        info, s = self.header(), self.styles
        left_w = self.header_left_mm * mm
        right_w = self.frame_width - left_w
        agency = nfc(info.agency).upper()
        left: list[Flowable] = []
        if info.parent_agency:
            left.append(self.p(nfc(info.parent_agency).upper(), s.header_left))
        left.append(self.p(agency, s.header_left_bold))
        agency_w = min(stringWidth(agency, BOLD, s.header_left_bold.fontSize), left_w - 6)
        left.append(Rule(agency_w * 0.4))  # NĐ 30: 1/3–1/2 of the line above
        motto_w = stringWidth(MOTTO, BOLD, s.motto.fontSize)
        right: list[Flowable] = [self.p(NATIONAL_NAME, s.national), self.p(MOTTO, s.motto), Rule(motto_w)]
        when = (
            place_and_date(info.place, info.day) if info.day else f"{nfc(info.place)}, ngày … tháng … năm …"
        )
        rows = [
            [left, right],
            [self.p(f"Số: {info.number}", s.number), self.p(when, s.place_date)],
        ]
        table = self.table(
            rows,
            [left_w, right_w],
            grid=False,
            padding=0,
            style=[("TOPPADDING", (0, 1), (-1, 1), 6), ("BOTTOMPADDING", (0, 1), (-1, 1), 0)],
        )
        return [table, Spacer(1, 16)]

    def signature_row(self, blocks: Sequence[SignatureBlock]) -> Table:
        """Signer blocks side by side, one table row per element so titles, signature spaces and
        names line up across blocks even when a title wraps; each signature space is recorded in
        ``signature_boxes``."""
        s = self.styles
        col_w = self.frame_width / len(blocks)
        rows: list[list[Flowable | str]] = []
        if any(b.authority for b in blocks):
            rows.append([self.p(b.authority or "", s.sign_title) for b in blocks])
        rows.append([self.p(b.title, s.sign_title) for b in blocks])
        rows.append([self.p(SIGN_HINT, s.sign_hint) for b in blocks])
        space = self.signature_space_mm * mm
        rows.append([Anchor(b.key, space, self.signature_boxes, _image_painter(b.image)) for b in blocks])
        if any(b.note for b in blocks):
            rows.append([self.p(b.note or "", s.sign_note) for b in blocks])
        rows.append([self.p(b.name, s.sign_name) for b in blocks])
        return self.table(
            rows, [col_w] * len(blocks), grid=False, padding=2, style=[("VALIGN", (0, 0), (-1, -1), "BOTTOM")]
        )

    def recipients_block(self, recipients: Sequence[str], archive: str) -> list[Flowable]:
        """ "Nơi nhận:" (12 bold italic) and its list (11), ending with "- Lưu: VT, <đơn vị>."."""
        s = self.styles
        lines = [f"- {nfc(r)};" for r in recipients] + [f"- Lưu: {nfc(archive)}."]
        return [self.p("Nơi nhận:", s.recipients_title), *(self.p(line, s.recipients) for line in lines)]


def _image_painter(image: Path | bytes | None) -> Callable[[Canvas, float, float], None] | None:
    if image is None:
        return None
    source: Any = io.BytesIO(image) if isinstance(image, bytes) else str(image)

    def paint(canv: Canvas, width: float, height: float) -> None:
        reader = ImageReader(source)
        canv.drawImage(reader, 0, 0, width, height, mask="auto", preserveAspectRatio=True, anchor="c")

    return paint
