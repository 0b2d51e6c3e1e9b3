"""Biên bản kiểm tra công vụ of one visit (DOMAIN.md §3.2), with the roll call and photos as
appendices and a QR code carrying the visit id and the SHA-256 of its canonical content."""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageOps
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import Flowable, Image, KeepTogether, PageBreak, Spacer
from sqlmodel import Session

from inspector_app.core.models import SignatureRole, TeamRole, VisitMode, VisitStatus
from inspector_app.documents.base import DocumentRenderer, HeaderInfo, SignatureBlock
from inspector_app.documents.flowables import PageBox, QrCode, Rule
from inspector_app.documents.fonts import BOLD, REGULAR
from inspector_app.documents.formatting import clock, dmy, hhmm, local, lower_first, markup, nfc, two_digits
from inspector_app.documents.minutes_data import (
    Citation,
    ItemResult,
    Member,
    MinutesData,
    Photo,
    load_minutes,
    roll_call_sentence,
)
from inspector_app.documents.styles import SMALL_TABLE_SIZE, TABLE_SIZE
from inspector_app.documents.vocabulary import (
    ATTENDANCE,
    BADGE,
    DRESS,
    NAME_PLATE,
    NOT_RECORDED,
    REFUSED,
    SIGNATURE_TITLE,
    TEAM_ROLE,
)

QR_PREFIX = "KTCV"
MODE_WORDS: dict[str, str] = {
    VisitMode.SURPRISE: "Kiểm tra công vụ đột xuất tại",
    VisitMode.PLANNED: "Kiểm tra công vụ theo kế hoạch tại",
    VisitMode.COMPLAINT: "Kiểm tra công vụ theo phản ánh, kiến nghị tại",
}
_DOTS = "…" * 60
# Phụ lục 1 columns: (header, width in mm, centred). Widths add up to the 165 mm text width.
ROLL_CALL_COLUMNS = (
    ("STT", 8, True),
    ("Họ và tên", 31, False),
    ("Chức vụ", 31, False),
    ("Tình trạng", 18, False),
    ("Giờ có mặt", 11, True),
    ("Số phút muộn", 10, True),
    ("Đeo thẻ", 13, True),
    ("Trang phục", 12, True),
    ("Biển tên", 11, True),
    ("Ghi chú", 20, False),
)
PHOTO_BOX_MM = (150, 100)
PHOTO_DPI = 150


def qr_payload(visit_id: uuid.UUID, content_sha256: str) -> str:
    """What the QR code says: ``KTCV:<visit id>:<SHA-256 of the visit's canonical content>``."""
    return f"{QR_PREFIX}:{visit_id}:{content_sha256}"


@dataclass(frozen=True)
class MinutesPdf:
    data: bytes
    visit_id: uuid.UUID
    content_sha256: str
    qr_payload: str
    signature_boxes: dict[str, PageBox]  # keyed by SignatureRole value; "truong_doan" for pyHanko
    qr_box: PageBox | None
    page_count: int


def render_minutes(session: Session, visit_id: uuid.UUID, *, attachments: Path) -> MinutesPdf:
    """The biên bản of a visit as PDF bytes. ``attachments`` is the folder of stored files
    (``Workspace.attachments``): drawn signatures and photos are read from there."""
    data = load_minutes(session, visit_id, attachments=attachments)
    renderer = MinutesRenderer(data)
    pdf = renderer.render()
    boxes = dict(renderer.signature_boxes)
    qr_box = boxes.pop("qr", None)
    return MinutesPdf(
        data=pdf,
        visit_id=data.visit_id,
        content_sha256=data.content_sha256,
        qr_payload=renderer.qr_payload,
        signature_boxes=boxes,
        qr_box=qr_box,
        page_count=renderer.page_count,
    )


class MinutesRenderer(DocumentRenderer):
    """Biên bản kiểm tra: header, căn cứ, I–IV, closing formula, signatures, QR, appendices."""

    qr_size_mm = 30

    def __init__(self, data: MinutesData) -> None:
        super().__init__()
        self.d = data
        self.draft = data.status == VisitStatus.DRAFT
        self.pdf_title = f"Biên bản kiểm tra công vụ tại {data.unit_name}"
        self.pdf_subject = f"Số {data.number}" if data.number else "Biên bản kiểm tra công vụ"
        self.qr_payload = qr_payload(data.visit_id, data.content_sha256)
        self._appendix: dict[str, int] = {}
        n = 0
        if data.has_roll_call and data.roll_call:
            n += 1
            self._appendix["roll_call"] = n
        if data.photos:
            n += 1
            self._appendix["photos"] = n

    # ------------------------------------------------------------------ header

    def header(self) -> HeaderInfo:
        d = self.d
        # No number yet: room for the văn thư to write one in (non-breaking, or Paragraph collapses it).
        number = d.number or f"{chr(0xA0) * 12}/{d.number_suffix}"
        return HeaderInfo(d.parent_agency, d.agency, number, d.place_name, d.day)

    # ------------------------------------------------------------------ body

    def story(self) -> list[Flowable]:
        s, d = self.styles, self.d
        words = MODE_WORDS.get(d.mode, MODE_WORDS[VisitMode.SURPRISE])
        summary = f"{words} {nfc(d.unit_name)}"
        summary_w = min(self._text_width(summary, BOLD, s.summary.fontSize), self.frame_width)
        out: list[Flowable] = [
            self.p("BIÊN BẢN", s.doc_type),
            self.p(summary, s.summary),
            Rule(summary_w / 3),
            Spacer(1, 12),
        ]
        out += self._legal_bases()
        arrived = d.arrived_at
        out.append(self.pm(f"Thời gian bắt đầu: {clock(arrived)}, ngày {dmy(arrived)}."))
        out.append(self.pm(f"Địa điểm: {markup(d.place)}."))
        out += self._participants()
        out += self._results()
        out += self._unit_opinion()
        out += self._conclusions()
        out.append(KeepTogether([self.p(self._closing()), Spacer(1, 6), self._signatures()]))
        out.append(Spacer(1, 10))
        out.append(self._qr_block())
        out += self._roll_call_appendix()
        out += self._photo_appendix()
        return out

    def _legal_bases(self) -> list[Flowable]:
        out = []
        for kind, cite in (("Quyết định", self.d.decision), ("Kế hoạch", self.d.plan)):
            if cite is not None:
                out.append(self.p(f"Căn cứ {kind} số {citation(cite)};"))
        return out

    def _participants(self) -> list[Flowable]:
        s, d = self.styles, self.d
        out: list[Flowable] = [self.p("I. THÀNH PHẦN", s.heading), self.p("1. Đoàn kiểm tra:", s.subheading)]
        for m in d.members:
            role = TEAM_ROLE.get(m.role, m.role)
            position = f", {nfc(m.position)}" if m.position else ""
            out.append(self.p(f"- {m.name}{position} – {role};", s.bullet))
        if not d.members:
            out.append(self.p(f"- {_DOTS}", s.bullet))
        out.append(self.p(f"2. Đơn vị được kiểm tra: {d.unit_name}", s.subheading))
        rep = d.unit_representative or _DOTS
        out.append(self.p(f"- Đại diện: {rep}.", s.bullet))
        return out

    def _results(self) -> list[Flowable]:
        s, d = self.styles, self.d
        out: list[Flowable] = [self.p("II. NỘI DUNG KIỂM TRA VÀ KẾT QUẢ", s.heading)]
        n = 0
        if d.has_roll_call:
            n += 1
            t = d.totals
            out.append(self.p(f"{n}. Việc chấp hành thời giờ làm việc", s.subheading))
            where = f" (chi tiết tại Phụ lục {self._appendix['roll_call']} kèm theo)" if d.roll_call else ""
            out.append(self.p(roll_call_sentence(t) + where + "."))
        for section in d.sections:
            n += 1
            out.append(self.p(f"{n}. {section.title}", s.subheading))
            out.append(self._section_table(section.items))
            out.append(Spacer(1, 6))
        return out

    def _section_table(self, items: Sequence[ItemResult]) -> Flowable:
        widths = [w * mm for w in (13, 87, 45, 20)]
        inner = [w - 6 for w in widths]  # minus the cell padding
        size = TABLE_SIZE
        rows: list[list[str]] = [
            _header_cells(("Mã", "Nội dung kiểm tra", "Kết quả", "Đánh giá"), inner, size)
        ]
        style: list[tuple[object, ...]] = [
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("ALIGN", (3, 1), (3, -1), "CENTER"),
        ]
        photos_note = f" (Phụ lục {self._appendix['photos']})" if "photos" in self._appendix else ""
        for r, item in enumerate(items, start=1):
            answer = item.answer + (photos_note if item.answer.endswith(" ảnh") else "")
            if item.note:
                answer += f"\nGhi chú: {item.note}"
            rows.append(
                [
                    item.code,
                    _wrap(item.label, REGULAR, size, inner[1]),
                    _wrap(answer, REGULAR, size, inner[2]),
                    _wrap(item.verdict, BOLD if item.failed else REGULAR, size, inner[3]),
                ]
            )
            if item.failed:
                style += [
                    ("FONTNAME", (3, r), (3, r), BOLD),
                    ("BACKGROUND", (3, r), (3, r), (0.88, 0.88, 0.88)),
                ]
        return self.table(rows, widths, header_rows=1, style=style, font_size=size)

    def _unit_opinion(self) -> list[Flowable]:
        s, d = self.styles, self.d
        out: list[Flowable] = [self.p("III. Ý KIẾN CỦA ĐƠN VỊ ĐƯỢC KIỂM TRA", s.heading)]
        if d.explanation:
            out += [self.p(line) for line in nfc(d.explanation).splitlines() if line.strip()]
        else:
            out += [self.p(_DOTS, s.body_plain), self.p(_DOTS, s.body_plain)]
        return out

    def _conclusions(self) -> list[Flowable]:
        s, d = self.styles, self.d
        out: list[Flowable] = [self.p("IV. KẾT LUẬN, KIẾN NGHỊ CỦA ĐOÀN KIỂM TRA", s.heading)]
        if d.conclusion:
            out += [self.p(line) for line in nfc(d.conclusion).splitlines() if line.strip()]
        n = 0
        if d.strengths:
            n += 1
            out.append(self.p(f"{n}. Ưu điểm", s.subheading))
            out += [self.p(f"- {text}", s.bullet) for text in d.strengths]
        n += 1
        out.append(self.p(f"{n}. Tồn tại, hạn chế", s.subheading))
        if d.shortcomings:
            out += [self.p(f"- {text}", s.bullet) for text in d.shortcomings]
        else:
            out.append(self.p("Không phát hiện tồn tại, hạn chế.", s.bullet))
        n += 1
        out.append(self.p(f"{n}. Yêu cầu khắc phục", s.subheading))
        if d.remedies:
            out.append(self._remedy_table())
            out.append(Spacer(1, 8))
        else:
            out.append(self.p("Không có yêu cầu khắc phục.", s.bullet))
        return out

    def _remedy_table(self) -> Flowable:
        widths = [w * mm for w in (10, 85, 45, 25)]
        inner = [w - 6 for w in widths]
        size = TABLE_SIZE
        labels = ("STT", "Nội dung yêu cầu khắc phục", "Người/đơn vị chịu trách nhiệm", "Thời hạn")
        rows = [_header_cells(labels, inner, size)]
        for i, r in enumerate(self.d.remedies, start=1):
            rows.append(
                [
                    str(i),
                    _wrap(r.content, REGULAR, size, inner[1]),
                    _wrap(r.owner, REGULAR, size, inner[2]),
                    dmy(r.deadline) if r.deadline else NOT_RECORDED,
                ]
            )
        style = [("ALIGN", (0, 1), (0, -1), "CENTER"), ("ALIGN", (3, 1), (3, -1), "CENTER")]
        return self.table(rows, widths, header_rows=1, style=style, font_size=size)

    def _closing(self) -> str:
        d = self.d
        if d.ended_at is None:
            end = "… giờ … phút cùng ngày"
        elif local(d.ended_at).date() == d.day:
            end = f"{clock(d.ended_at)} cùng ngày"
        else:
            end = f"{clock(d.ended_at)}, ngày {dmy(d.ended_at)}"
        copies = max(d.copies, 1)
        if copies == 1:
            keep = "Đoàn kiểm tra giữ 01 bản"
        else:
            keep = (
                f"có giá trị như nhau, Đoàn kiểm tra giữ {two_digits(copies - 1)} bản, "
                "đơn vị được kiểm tra giữ 01 bản"
            )
        return (
            f"Biên bản kết thúc vào lúc {end}, đã được đọc lại cho các thành viên cùng nghe, thống nhất "
            f"ký tên; được lập thành {two_digits(copies)} bản {keep}."
        )

    def _signatures(self) -> Flowable:
        d = self.d
        by_role = {m.role: m for m in d.members}
        blocks = []
        for role in (SignatureRole.UNIT_REPRESENTATIVE, SignatureRole.SECRETARY, SignatureRole.LEADER):
            signer = d.signers.get(role)
            if signer is not None:
                name, image = signer.name, signer.image
                note = REFUSED.format(note=signer.note or "") if signer.refused else None
            else:
                name, image, note = self._expected_signer(role, by_role), None, None
            blocks.append(
                SignatureBlock(key=role.value, title=SIGNATURE_TITLE[role], name=name, image=image, note=note)
            )
        return self.signature_row(blocks)

    def _expected_signer(self, role: SignatureRole, by_role: dict[str, Member]) -> str:
        if role == SignatureRole.UNIT_REPRESENTATIVE:
            return (self.d.unit_representative or "").split(" – ")[0]
        member = by_role.get(TeamRole.LEADER if role == SignatureRole.LEADER else TeamRole.SECRETARY)
        return member.name if member else ""

    def _qr_block(self) -> Flowable:
        s, d = self.styles, self.d
        size = self.qr_size_mm * mm
        qr = QrCode(self.qr_payload, size, sink=self.signature_boxes)
        text = [
            self.pm("<b>Mã xác thực biên bản</b>", s.small),
            self.p(f"Mã lượt kiểm tra: {d.visit_id}", s.small),
            self.p(f"SHA-256 nội dung: {d.content_sha256}", s.small),
            self.p(
                "Quét mã để đối chiếu với dữ liệu gốc của lượt kiểm tra."
                if d.is_signed
                else "Bản chưa ký: mã xác thực thay đổi khi nội dung thay đổi.",
                s.small,
            ),
        ]
        table = self.table(
            [[qr, text]],
            [size + 4, self.frame_width - size - 4],
            grid=False,
            padding=0,
            style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (1, 0), (1, 0), 6)],
        )
        return KeepTogether([table])

    # ------------------------------------------------------------------ appendices

    def _appendix_heading(self, key: str, title: str) -> list[Flowable]:
        s, d = self.styles, self.d
        ref = f"số {d.number} " if d.number else ""
        return [
            PageBreak(),
            self.p(f"Phụ lục {self._appendix[key]}", s.appendix_label),
            self.pm("<br/>".join(markup(line) for line in title.splitlines()), s.appendix_title),
            self.p(f"(Kèm theo Biên bản kiểm tra {ref}ngày {dmy(d.day)})", s.appendix_note),
        ]

    def _roll_call_appendix(self) -> list[Flowable]:
        d = self.d
        if "roll_call" not in self._appendix:
            return []
        size = SMALL_TABLE_SIZE
        widths = [w * mm for _, w, _ in ROLL_CALL_COLUMNS]
        inner = [w - 4 for w in widths]  # minus the cell padding
        # Plain strings wrapped here, not Paragraphs: a 300-row roll call stays well under a second.
        rows: list[list[str]] = [
            [_wrap(h, BOLD, size, w) for (h, _, _), w in zip(ROLL_CALL_COLUMNS, inner, strict=True)]
        ]
        for i, r in enumerate(d.roll_call, start=1):
            note = "; ".join(nfc(x) for x in (r.reason, r.note) if x)
            late = str(r.minutes_late) if r.minutes_late else ""
            rows.append(
                [
                    str(i),
                    _wrap(r.full_name, REGULAR, size, inner[1]),
                    _wrap(r.position, REGULAR, size, inner[2]),
                    _wrap(
                        ATTENDANCE.get(r.status, NOT_RECORDED) if r.status else NOT_RECORDED,
                        REGULAR,
                        size,
                        inner[3],
                    ),
                    hhmm(r.arrival_at),
                    late,
                    _wrap(BADGE.get(r.badge, "") if r.badge else "", REGULAR, size, inner[6]),
                    _wrap(DRESS.get(r.dress, "") if r.dress else "", REGULAR, size, inner[7]),
                    _wrap(NAME_PLATE.get(r.name_plate, "") if r.name_plate else "", REGULAR, size, inner[8]),
                    _wrap(note, REGULAR, size, inner[9]),
                ]
            )
        style = [
            ("ALIGN", (c, 1), (c, -1), "CENTER")
            for c, (_, _, centred) in enumerate(ROLL_CALL_COLUMNS)
            if centred
        ]
        t = d.totals
        summary = (
            f"Tổng số: {t.total} người; có mặt: {t.present}; đi muộn: {t.late}; vắng có lý do: "
            f"{t.absent_with_reason}; vắng không lý do: {t.absent_without_reason}; "
            f"không đeo thẻ: {t.no_badge}; không có biển tên: {t.no_name_plate}; "
            f"trang phục chưa đạt: {t.dress_not_ok}."
        )
        return [
            *self._appendix_heading(
                "roll_call", "DANH SÁCH ĐIỂM DANH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC\nVÀ NGƯỜI LAO ĐỘNG"
            ),
            self.table(rows, widths, header_rows=1, style=style, font_size=size, padding=2),
            Spacer(1, 8),
            self.p(summary, self.styles.body_plain),
        ]

    def _photo_appendix(self) -> list[Flowable]:
        if "photos" not in self._appendix:
            return []
        out = self._appendix_heading("photos", "HÌNH ẢNH GHI NHẬN TẠI BUỔI KIỂM TRA")
        for n, photo in enumerate(self.d.photos, start=1):
            out.append(KeepTogether(self._photo(n, photo)))
        return out

    def _photo(self, n: int, photo: Photo) -> list[Flowable]:
        s = self.styles
        parts = [f"Ảnh {n}"]
        if photo.caption:
            parts.append(f": {photo.caption}")
        if photo.item_code:
            parts.append(f" (mục {photo.item_code})")
        caption = "".join(parts)
        if photo.path is None:
            missing = f"{caption} – tệp ảnh {photo.sha256[:12]}… chưa có trên máy này."
            return [self.p(missing, s.caption)]
        image = _fitted_image(photo.path, PHOTO_BOX_MM[0] * mm, PHOTO_BOX_MM[1] * mm)
        if image is None:
            return [self.p(f"{caption} – không đọc được tệp ảnh {photo.sha256[:12]}….", s.caption)]
        return [image, Spacer(1, 4), self.p(caption, s.caption)]

    @staticmethod
    def _text_width(text: str, font: str, size: float) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return stringWidth(nfc(text), font, size)


def citation(cite: Citation) -> str:
    """ "125/QĐ-UBND ngày 12/01/2026 của UBND tỉnh … về việc …": a first citation, Nghị định 30 style."""
    title = nfc(cite.title)
    about = lower_first(title) if title[:2].casefold() == "về" else f"về {lower_first(title)}"
    return f"{nfc(cite.number)} ngày {dmy(cite.day)} của {nfc(cite.issuer)} {about}"


def _header_cells(labels: Sequence[str], widths: Sequence[float], size: float) -> list[str]:
    return [_wrap(label, BOLD, size, w) for label, w in zip(labels, widths, strict=True)]


def _wrap(text: str, font: str, size: float, width: float) -> str:
    """Text broken into lines that fit ``width`` (a table cell of plain strings)."""
    if not text:
        return ""
    return "\n".join(simpleSplit(nfc(text), font, size, width))


def _fitted_image(path: Path, max_w: float, max_h: float) -> Image | None:
    """A photo turned upright (EXIF), downscaled to what the box prints at PHOTO_DPI, as JPEG.

    JPEGs are decoded at a reduced scale (``draft``): a 12-megapixel phone photo then costs a few
    milliseconds instead of a full decode and resize.
    """
    longest = round(max(max_w, max_h) / 72 * PHOTO_DPI)
    try:
        with PILImage.open(path) as src:
            src.draft("RGB", (longest, longest))  # no-op for formats other than JPEG
            img = ImageOps.exif_transpose(src).convert("RGB")
    except (OSError, ValueError):
        return None
    scale = min(max_w / img.width, max_h / img.height)
    w, h = img.width * scale, img.height * scale
    target = (max(1, round(w / 72 * PHOTO_DPI)), max(1, round(h / 72 * PHOTO_DPI)))
    if target[0] < img.width:
        img = img.resize(target, PILImage.Resampling.LANCZOS, reducing_gap=2.0)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=82)
    buf.seek(0)
    return Image(buf, width=w, height=h)
