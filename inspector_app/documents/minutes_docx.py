"""The biên bản as an editable Word file (python-docx), for the văn thư who retouches the wording.

Same data (``load_minutes``), order and sentences as the PDF; NĐ 30 page (A4, 20/20/30/15 mm, Times
New Roman 13 pt). No QR code: once the wording is edited, the content hash no longer vouches for it.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from PIL import Image as PILImage
from PIL import ImageOps
from sqlmodel import Session

from inspector_app.core.models import SignatureRole, VisitMode
from inspector_app.documents.formatting import clock, dmy, hhmm, nfc, place_and_date
from inspector_app.documents.minutes import MODE_WORDS, ROLL_CALL_COLUMNS, MinutesRenderer, citation
from inspector_app.documents.minutes_data import MinutesData, load_minutes, roll_call_sentence
from inspector_app.documents.vocabulary import (
    ATTENDANCE,
    BADGE,
    DRESS,
    MOTTO,
    NAME_PLATE,
    NATIONAL_NAME,
    NOT_RECORDED,
    REFUSED,
    SIGN_HINT,
    SIGNATURE_TITLE,
    TEAM_ROLE,
)

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 11
SMALL_PT = 10
_DOTS = "…" * 60


def render_minutes_docx(session: Session, visit_id: uuid.UUID, *, attachments: Path) -> bytes:
    """The biên bản of a visit as .docx bytes (drawn signatures and photos read from ``attachments``)."""
    return MinutesDocx(load_minutes(session, visit_id, attachments=attachments)).render()


class MinutesDocx:
    """Writes the sections of ``MinutesRenderer`` into a Word document, in the same order."""

    def __init__(self, data: MinutesData) -> None:
        self.d = data
        self.pdf = MinutesRenderer(data)  # the same sentences (closing formula, appendix numbers)
        self.doc = Document()
        self._page()

    def render(self) -> bytes:
        self._header()
        self._title()
        self._participants()
        self._results()
        self._opinion_and_conclusions()
        self.body(self.pdf._closing())
        self._signatures()
        self._roll_call_appendix()
        self._photo_appendix()
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()

    # ------------------------------------------------------------------ page and text

    def _page(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        section.different_first_page_header_footer = True  # NĐ 30: no page number on page 1
        normal = self.doc.styles["Normal"]
        normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FONT)
        fmt = normal.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.0
        self.doc.core_properties.title = nfc(self.pdf.pdf_title)
        self.doc.core_properties.author = nfc(self.d.agency)

    def para(
        self,
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        size: float | None = None,
        align: WD_ALIGN_PARAGRAPH | None = None,
        indent: bool = False,
        container: object | None = None,
        after: float | None = None,
    ) -> Paragraph:
        target = container if container is not None else self.doc
        p: Paragraph = target.add_paragraph()  # type: ignore[attr-defined]
        if text:
            run = p.add_run(nfc(text))
            run.bold, run.italic = bold or None, italic or None
            if size is not None:
                run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Cm(1)
        if after is not None:
            p.paragraph_format.space_after = Pt(after)
        return p

    def body(self, text: str) -> Paragraph:
        return self.para(text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)

    def heading(self, text: str) -> Paragraph:
        p = self.para(text, bold=True)
        p.paragraph_format.keep_with_next = True
        return p

    def table(
        self,
        labels: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths_mm: Sequence[float],
        *,
        size: float = TABLE_PT,
        centred: Sequence[int] = (),
    ) -> Table:
        t = self.doc.add_table(rows=1, cols=len(labels))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for c, label in enumerate(labels):
            self._cell(t.rows[0].cells[c], label, size, bold=True, centre=True)
        for row in rows:
            cells = t.add_row().cells
            for c, value in enumerate(row):
                self._cell(cells[c], value, size, centre=c in centred)
        _fix_widths(t, widths_mm)
        _repeat_header(t)
        return t

    def _cell(
        self, cell: object, text: str, size: float, *, bold: bool = False, centre: bool = False
    ) -> None:
        lines = nfc(text).split("\n") if text else [""]
        first: Paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
        for n, line in enumerate(lines):
            p = first if n == 0 else cell.add_paragraph()  # type: ignore[attr-defined]
            p.paragraph_format.space_after = Pt(0)
            if centre:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(line)
            run.font.size, run.bold = Pt(size), bold or None

    # ------------------------------------------------------------------ sections

    def _header(self) -> None:
        d = self.d
        t = self.doc.add_table(rows=2, cols=2)
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        left, right = t.rows[0].cells
        c = WD_ALIGN_PARAGRAPH.CENTER
        first = left.paragraphs[0]
        if d.parent_agency:
            first.add_run(nfc(d.parent_agency).upper()).font.size = Pt(12)
            first = left.add_paragraph()
        run = first.add_run(nfc(d.agency).upper())
        run.bold, run.font.size = True, Pt(12)
        self.para("—————", size=12, align=c, container=left, after=0)
        for p in left.paragraphs:
            p.alignment, p.paragraph_format.space_after = c, Pt(0)
        national = right.paragraphs[0]
        run = national.add_run(NATIONAL_NAME)
        run.bold, run.font.size = True, Pt(12)
        national.alignment, national.paragraph_format.space_after = c, Pt(0)
        motto = self.para(MOTTO, bold=True, size=13, align=c, container=right, after=0)
        motto.runs[0].underline = True
        number = d.number or f"{chr(0xA0) * 12}/{d.number_suffix}"
        self._cell(t.rows[1].cells[0], f"Số: {number}", BODY_PT, centre=True)
        when = place_and_date(d.place_name, d.day)
        self._cell(t.rows[1].cells[1], when, BODY_PT, centre=True)
        t.rows[1].cells[1].paragraphs[0].runs[0].italic = True
        _fix_widths(t, (65, 100))  # the Quốc hiệu needs ~95 mm at 12 pt bold to stay on one line
        self.para(after=4)

    def _title(self) -> None:
        d = self.d
        words = MODE_WORDS.get(d.mode, MODE_WORDS[VisitMode.SURPRISE])
        c = WD_ALIGN_PARAGRAPH.CENTER
        self.para("BIÊN BẢN", bold=True, size=14, align=c, after=0)
        self.para(f"{words} {d.unit_name}", bold=True, size=14, align=c, after=0)
        self.para("—————", align=c, after=10)
        for kind, cite in (("Quyết định", d.decision), ("Kế hoạch", d.plan)):
            if cite is not None:
                self.body(f"Căn cứ {kind} số {citation(cite)};")
        self.body(f"Thời gian bắt đầu: {clock(d.arrived_at)}, ngày {dmy(d.arrived_at)}.")
        self.body(f"Địa điểm: {d.place}.")

    def _participants(self) -> None:
        d = self.d
        self.heading("I. THÀNH PHẦN")
        self.heading("1. Đoàn kiểm tra:")
        for m in d.members:
            position = f", {nfc(m.position)}" if m.position else ""
            self.body(f"- {m.name}{position} – {TEAM_ROLE.get(m.role, m.role)};")
        if not d.members:
            self.body(f"- {_DOTS}")
        self.heading(f"2. Đơn vị được kiểm tra: {d.unit_name}")
        self.body(f"- Đại diện: {d.unit_representative or _DOTS}.")

    def _results(self) -> None:
        d = self.d
        self.heading("II. NỘI DUNG KIỂM TRA VÀ KẾT QUẢ")
        n = 0
        if d.has_roll_call:
            n += 1
            t = d.totals
            self.heading(f"{n}. Việc chấp hành thời giờ làm việc")
            where = ""
            if d.roll_call:
                where = f" (chi tiết tại Phụ lục {self.pdf._appendix['roll_call']} kèm theo)"
            self.body(roll_call_sentence(t) + where + ".")
        photos_note = f" (Phụ lục {self.pdf._appendix['photos']})" if "photos" in self.pdf._appendix else ""
        for section in d.sections:
            n += 1
            self.heading(f"{n}. {section.title}")
            rows = []
            for item in section.items:
                answer = item.answer + (photos_note if item.answer.endswith(" ảnh") else "")
                if item.note:
                    answer += f"\nGhi chú: {item.note}"
                rows.append([item.code, item.label, answer, item.verdict])
            self.table(
                ("Mã", "Nội dung kiểm tra", "Kết quả", "Đánh giá"), rows, (13, 87, 45, 20), centred=(0, 3)
            )
            self.para(after=0)

    def _opinion_and_conclusions(self) -> None:
        d = self.d
        self.heading("III. Ý KIẾN CỦA ĐƠN VỊ ĐƯỢC KIỂM TRA")
        lines = [x for x in nfc(d.explanation or "").splitlines() if x.strip()] or [_DOTS, _DOTS]
        for line in lines:
            self.body(line)
        self.heading("IV. KẾT LUẬN, KIẾN NGHỊ CỦA ĐOÀN KIỂM TRA")
        for line in nfc(d.conclusion or "").splitlines():
            if line.strip():
                self.body(line)
        n = 0
        if d.strengths:
            n += 1
            self.heading(f"{n}. Ưu điểm")
            for text in d.strengths:
                self.body(f"- {text}")
        n += 1
        self.heading(f"{n}. Tồn tại, hạn chế")
        for text in d.shortcomings or ["Không phát hiện tồn tại, hạn chế."]:
            self.body(f"- {text}" if d.shortcomings else text)
        n += 1
        self.heading(f"{n}. Yêu cầu khắc phục")
        if not d.remedies:
            self.body("Không có yêu cầu khắc phục.")
            return
        rows = [
            [str(i), r.content, r.owner, dmy(r.deadline) if r.deadline else NOT_RECORDED]
            for i, r in enumerate(d.remedies, start=1)
        ]
        labels = ("STT", "Nội dung yêu cầu khắc phục", "Người/đơn vị chịu trách nhiệm", "Thời hạn")
        self.table(labels, rows, (10, 85, 45, 25), centred=(0, 3))
        self.para(after=0)

    def _signatures(self) -> None:
        d = self.d
        roles = (SignatureRole.UNIT_REPRESENTATIVE, SignatureRole.SECRETARY, SignatureRole.LEADER)
        by_role = {m.role: m for m in d.members}
        t = self.doc.add_table(rows=4, cols=3)
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        for c, role in enumerate(roles):
            signer = d.signers.get(role)
            name = signer.name if signer else self.pdf._expected_signer(role, by_role)
            note = REFUSED.format(note=signer.note or "") if signer and signer.refused else ""
            self._cell(t.rows[0].cells[c], SIGNATURE_TITLE[role], 12, bold=True, centre=True)
            self._cell(t.rows[1].cells[c], SIGN_HINT, 12, centre=True)
            t.rows[1].cells[c].paragraphs[0].runs[0].italic = True
            space = t.rows[2].cells[c].paragraphs[0]
            space.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if signer and signer.image is not None:
                space.add_run().add_picture(str(signer.image), height=Mm(20))
            else:
                space.add_run("\n\n\n")
            if note:
                self._cell(t.rows[2].cells[c], note, 11, centre=True)
            self._cell(t.rows[3].cells[c], name, BODY_PT, bold=True, centre=True)

    # ------------------------------------------------------------------ appendices

    def _appendix_heading(self, key: str, title: str) -> None:
        d = self.d
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        c = WD_ALIGN_PARAGRAPH.CENTER
        self.para(f"Phụ lục {self.pdf._appendix[key]}", bold=True, size=14, align=c, after=0)
        self.para(title, bold=True, align=c, after=0)
        ref = f"số {d.number} " if d.number else ""
        self.para(f"(Kèm theo Biên bản kiểm tra {ref}ngày {dmy(d.day)})", italic=True, align=c, after=10)

    def _roll_call_appendix(self) -> None:
        d = self.d
        if "roll_call" not in self.pdf._appendix:
            return
        self._appendix_heading(
            "roll_call", "DANH SÁCH ĐIỂM DANH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC VÀ NGƯỜI LAO ĐỘNG"
        )
        rows = [
            [str(i), r.full_name, r.position, _word(ATTENDANCE, r.status) or NOT_RECORDED, hhmm(r.arrival_at),
             str(r.minutes_late or ""), _word(BADGE, r.badge), _word(DRESS, r.dress),
             _word(NAME_PLATE, r.name_plate), "; ".join(nfc(x) for x in (r.reason, r.note) if x)]
            for i, r in enumerate(d.roll_call, start=1)
        ]  # fmt: skip
        labels = [h for h, _w, _c in ROLL_CALL_COLUMNS]
        centred = [n for n, (_h, _w, c) in enumerate(ROLL_CALL_COLUMNS) if c]
        self.table(labels, rows, [w for _h, w, _c in ROLL_CALL_COLUMNS], size=SMALL_PT, centred=centred)
        t = d.totals
        self.para(after=0)
        self.body(
            f"Tổng số: {t.total} người; có mặt: {t.present}; đi muộn: {t.late}; vắng có lý do: "
            f"{t.absent_with_reason}; vắng không lý do: {t.absent_without_reason}; không đeo thẻ: "
            f"{t.no_badge}; không có biển tên: {t.no_name_plate}; trang phục chưa đạt: {t.dress_not_ok}."
        )

    def _photo_appendix(self) -> None:
        if "photos" not in self.pdf._appendix:
            return
        self._appendix_heading("photos", "HÌNH ẢNH GHI NHẬN TẠI BUỔI KIỂM TRA")
        c = WD_ALIGN_PARAGRAPH.CENTER
        for n, photo in enumerate(self.d.photos, start=1):
            caption = f"Ảnh {n}" + (f": {photo.caption}" if photo.caption else "")
            caption += f" (mục {photo.item_code})" if photo.item_code else ""
            jpeg = _jpeg(photo.path) if photo.path is not None else None
            if jpeg is None:
                self.para(
                    f"{caption} – tệp ảnh {photo.sha256[:12]}… chưa có trên máy này.", italic=True, align=c
                )
                continue
            picture = self.para(align=c, after=2)
            picture.add_run().add_picture(jpeg, width=Mm(150))
            picture.paragraph_format.keep_with_next = True
            self.para(caption, italic=True, size=12, align=c, after=10)


def _word(words: dict[str, str], value: str | None) -> str:
    return words.get(value, "") if value else ""


def _jpeg(path: Path, longest: int = 1400) -> io.BytesIO | None:
    """A photo upright and downscaled (a 12-megapixel original would bloat the file)."""
    try:
        with PILImage.open(path) as src:
            src.draft("RGB", (longest, longest))
            img = ImageOps.exif_transpose(src).convert("RGB")
    except (OSError, ValueError):
        return None
    img.thumbnail((longest, longest))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=82)
    buf.seek(0)
    return buf


def _repeat_header(table: Table) -> None:
    """The header row repeats on every page the table runs over (w:tblHeader)."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    el = tr_pr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"})
    tr_pr.append(el)


def _fix_widths(table: Table, widths_mm: Sequence[float]) -> None:
    """Column widths that Word *and* LibreOffice keep: autofit off, widths on the grid and the cells
    (LibreOffice ignores cell widths alone and shares the page out evenly)."""
    table.autofit = False
    for c, w in enumerate(widths_mm):
        table.columns[c].width = Mm(w)
        for cell in table.columns[c].cells:
            cell.width = Mm(w)
