"""Thông báo kết luận kiểm tra công vụ (…/TB-ĐKTCV; NĐ 30/2020 Mẫu 1.4, DOMAIN.md §3.1 step 5).

Header boxes, số, địa danh and date; "THÔNG BÁO / Kết luận kiểm tra công vụ tại …"; căn cứ (the
decision that formed the team, the plan, the minutes of the visits concluded); I. Kết quả kiểm
tra (the findings, one paragraph per line: "1. …" a sub-heading, "- …" an item); II. Yêu cầu (a
table: content, who is responsible, deadline) and the day to report by; Nơi nhận beside the
signer's block, whose signature space is recorded for the PAdES field; a QR code with the
notice's id and the SHA-256 of its content, like the minutes'.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer
from sqlmodel import Session

from inspector_app.core.desk.notices import (
    DRAFT,
    Requirement,
    content_sha256,
    get_notice,
    recipients_of,
    requirements_of,
    visit_ids_of,
)
from inspector_app.core.models import Plan, Team, Unit, Visit
from inspector_app.core.services.schedule import province_of
from inspector_app.documents.base import DocumentError, DocumentRenderer, HeaderInfo
from inspector_app.documents.flowables import Anchor, PageBox, QrCode, Rule
from inspector_app.documents.fonts import BOLD
from inspector_app.documents.formatting import dmy, local, markup, nfc
from inspector_app.documents.minutes import citation
from inspector_app.documents.minutes_data import Citation, team_decision, team_heading
from inspector_app.documents.vocabulary import NOT_RECORDED
from inspector_app.i18n import _

QR_PREFIX = "KTCV-TB"
SIGN_KEY = "truong_doan"
_SUBHEADING = re.compile(r"^\d+[.)]\s")
_GREY = (0.9, 0.9, 0.9)


@dataclass(frozen=True)
class MinutesRef:
    day: dt.date
    number: str | None


@dataclass(frozen=True)
class NoticeData:
    notice_id: uuid.UUID
    status: str
    number: str | None
    number_suffix: str  # "TB-ĐKTCV"
    parent_agency: str
    agency: str
    place_name: str
    issued_on: dt.date
    unit_name: str
    decision: Citation | None
    plan: Citation | None
    minutes: tuple[MinutesRef, ...]
    findings: tuple[str, ...]
    requirements: tuple[Requirement, ...]
    report_by: dt.date | None
    signer: str
    signer_position: str
    recipients: tuple[str, ...]
    archive: str  # "VT, ĐKTCV"
    content_sha256: str


@dataclass(frozen=True)
class NoticePdf:
    data: bytes
    notice_id: uuid.UUID
    qr_payload: str
    signature_boxes: dict[str, PageBox]  # "truong_doan": the leader's signature space
    page_count: int


def qr_payload(notice_id: uuid.UUID, sha256: str) -> str:
    return f"{QR_PREFIX}:{notice_id}:{sha256}"


def load_notice(session: Session, notice_id: uuid.UUID) -> NoticeData:
    notice = get_notice(session, notice_id)
    unit = session.get(Unit, notice.unit_id)
    if unit is None:
        raise DocumentError(_("Unit not found: {id}").format(id=notice.unit_id))
    team = session.get(Team, notice.team_id) if notice.team_id else None
    plan = session.get(Plan, notice.plan_id) if notice.plan_id else None
    province = province_of(session, unit.id)
    minutes = []
    for vid in visit_ids_of(notice):
        visit = session.get(Visit, vid)
        if visit is not None and not visit.deleted:
            minutes.append(MinutesRef(local(visit.arrived_at or visit.started_at).date(), visit.number))
    short = team.short_issuer if team and team.short_issuer else "ĐKTCV"
    return NoticeData(
        notice_id=notice.id,
        status=notice.status,
        number=notice.number,
        number_suffix=f"TB-{short}",
        parent_agency=team.issuer if team else "",
        agency=team_heading(team),
        place_name=province.proper_name if province else unit.proper_name,
        issued_on=notice.issued_on,
        unit_name=unit.name,
        decision=team_decision(session, team),
        plan=Citation(plan.number, plan.issued_on, plan.issuer, plan.title) if plan else None,
        minutes=tuple(sorted(minutes, key=lambda m: m.day)),
        findings=tuple(line.strip() for line in nfc(notice.findings).splitlines() if line.strip()),
        requirements=tuple(requirements_of(notice)),
        report_by=notice.report_by,
        signer=notice.signer,
        signer_position=notice.signer_position or "TRƯỞNG ĐOÀN",
        recipients=tuple(recipients_of(notice)),
        archive=f"VT, {short}",
        content_sha256=content_sha256(notice),
    )


def render_notice(session: Session, notice_id: uuid.UUID) -> NoticePdf:
    data = load_notice(session, notice_id)
    renderer = NoticeRenderer(data)
    pdf = renderer.render()
    boxes = {k: b for k, b in renderer.signature_boxes.items() if k != "qr"}
    return NoticePdf(pdf, data.notice_id, renderer.qr_payload, boxes, renderer.page_count)


class NoticeRenderer(DocumentRenderer):
    """The conclusion notice: one subclass of the NĐ 30 page."""

    qr_size_mm = 24

    def __init__(self, data: NoticeData) -> None:
        super().__init__()
        self.d = data
        self.draft = data.status == DRAFT
        self.pdf_title = f"Thông báo kết luận kiểm tra công vụ tại {data.unit_name}"
        self.pdf_subject = f"Số {data.number}" if data.number else "Thông báo kết luận kiểm tra công vụ"
        self.qr_payload = qr_payload(data.notice_id, data.content_sha256)

    def header(self) -> HeaderInfo:
        d = self.d
        number = d.number or f"{chr(0xA0) * 12}/{d.number_suffix}"
        return HeaderInfo(d.parent_agency, d.agency, number, d.place_name, d.issued_on)

    def story(self) -> list[Flowable]:
        s, d = self.styles, self.d
        summary = f"Kết luận kiểm tra công vụ tại {nfc(d.unit_name)}"
        summary_w = min(self._width(summary, s.summary.fontSize), self.frame_width)
        out: list[Flowable] = [
            self.p("THÔNG BÁO", s.doc_type),
            self.p(summary, s.summary),
            Rule(summary_w / 3),
            Spacer(1, 12),
        ]
        out += self._legal_bases()
        out.append(self.p(f"{nfc(d.agency)} thông báo kết luận kiểm tra tại {nfc(d.unit_name)} như sau:"))
        out += self._findings()
        out += self._requirements()
        out.append(KeepTogether([Spacer(1, 10), self._closing()]))
        out.append(Spacer(1, 10))
        out.append(self._qr_block())
        return out

    def _legal_bases(self) -> list[Flowable]:
        d = self.d
        lines = [
            f"Căn cứ {kind} số {citation(cite)};"
            for kind, cite in (("Quyết định", d.decision), ("Kế hoạch", d.plan))
            if cite is not None
        ]
        for m in d.minutes:
            number = f" số {nfc(m.number)}" if m.number else ""
            lines.append(f"Căn cứ Biên bản kiểm tra{number} ngày {dmy(m.day)};")
        return [self.p(line, self.styles.body) for line in lines]

    def _findings(self) -> list[Flowable]:
        s = self.styles
        out: list[Flowable] = [self.p("I. KẾT QUẢ KIỂM TRA", s.heading)]
        for line in self.d.findings:
            if _SUBHEADING.match(line):
                out.append(self.p(line, s.subheading))
            elif line.startswith(("- ", "+ ", "• ")):
                out.append(self.p(line, s.bullet))
            else:
                out.append(self.p(line))
        if not self.d.findings:
            out.append(self.p("…" * 60, s.body_plain))
        return out

    def _requirements(self) -> list[Flowable]:
        s, d = self.styles, self.d
        out: list[Flowable] = [self.p("II. YÊU CẦU", s.heading)]
        if d.requirements:
            out.append(self.p(f"Yêu cầu {nfc(d.unit_name)} thực hiện các nội dung sau:"))
            out.append(self._requirement_table())
            out.append(Spacer(1, 8))
        else:
            out.append(self.p("Không có yêu cầu khắc phục."))
        if d.report_by is not None:
            to = f"{nfc(d.agency)} ({nfc(d.parent_agency)})" if d.parent_agency else nfc(d.agency)
            out.append(
                self.p(
                    f"{nfc(d.unit_name)} tổ chức thực hiện và báo cáo kết quả khắc phục bằng văn bản về "
                    f"{to} trước ngày {dmy(d.report_by)}./."
                )
            )
        return out

    def _requirement_table(self) -> Flowable:
        s = self.styles
        widths = [w * mm for w in (10, 85, 45, 25)]
        labels = ("STT", "Nội dung yêu cầu", "Người/đơn vị chịu trách nhiệm", "Thời hạn")
        rows: list[list[object]] = [[self.pm(f"<b>{markup(label)}</b>", s.cell_centre) for label in labels]]
        for n, r in enumerate(self.d.requirements, start=1):
            rows.append(
                [
                    str(n),
                    self.p(r.content, s.cell),
                    self.p(r.owner, s.cell),
                    dmy(r.deadline) if r.deadline else NOT_RECORDED,
                ]
            )
        style = [
            ("FONTNAME", (0, 0), (-1, 0), BOLD),
            ("BACKGROUND", (0, 0), (-1, 0), _GREY),
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("ALIGN", (3, 1), (3, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ]
        return self.table(rows, widths, header_rows=1, style=style)

    def _closing(self) -> Flowable:
        s, d = self.styles, self.d
        left = self.recipients_block(d.recipients, d.archive)
        right: list[Flowable] = [
            self.p("TM. ĐOÀN KIỂM TRA", s.sign_title),
            self.p(nfc(d.signer_position).upper(), s.sign_title),
            Anchor(SIGN_KEY, self.signature_space_mm * mm, self.signature_boxes),
            self.p(d.signer, s.sign_name),
        ]
        half = self.frame_width / 2
        return self.table([[left, right]], [half, half], grid=False, padding=0)

    def _qr_block(self) -> Flowable:
        s, d = self.styles, self.d
        size = self.qr_size_mm * mm
        qr = QrCode(self.qr_payload, size, sink=self.signature_boxes)
        text = [
            self.pm("<b>Mã xác thực thông báo</b>", s.small),
            self.p(f"Mã thông báo: {d.notice_id}", s.small),
            self.p(f"SHA-256 nội dung: {d.content_sha256}", s.small),
        ]
        table = self.table(
            [[qr, text]],
            [size + 4, self.frame_width - size - 4],
            grid=False,
            padding=0,
            style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (1, 0), (1, 0), 6)],
        )
        return KeepTogether([table])

    @staticmethod
    def _width(text: str, size: float) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return stringWidth(nfc(text), BOLD, size)


__all__ = ["NoticeData", "NoticePdf", "NoticeRenderer", "load_notice", "qr_payload", "render_notice"]
