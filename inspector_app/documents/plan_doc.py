"""Kế hoạch kiểm tra công vụ (NĐ 30/2020 Mẫu 1.4, văn bản có tên loại): header, căn cứ,
I. Mục đích, yêu cầu; II. Nội dung, đối tượng (the units to visit, their days and teams), thời gian;
III. Tổ chức thực hiện; Nơi nhận and the signer. Also the pieces the team decision shares with it:
the issuer's heading, the place name, the signer's block beside "Nơi nhận"."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer
from sqlmodel import Session

from inspector_app.core.desk.decisions import decision_for_plan
from inspector_app.core.desk.planned_visits import planned_rows
from inspector_app.core.desk.plans import get_plan
from inspector_app.core.models import Team, Unit, VisitMode
from inspector_app.documents.base import DocumentRenderer, HeaderInfo
from inspector_app.documents.flowables import Anchor, Rule
from inspector_app.documents.fonts import BOLD
from inspector_app.documents.formatting import dmy, lower_first, nfc
from inspector_app.documents.minutes import citation
from inspector_app.documents.minutes_data import Citation

NBSP = chr(0xA0)
UBND, UBND_FULL = "UBND", "Ủy ban nhân dân"
DEFAULT_PURPOSE = (
    "1. Mục đích",
    "Đánh giá việc chấp hành kỷ luật, kỷ cương hành chính, thời giờ làm việc, văn hóa công sở và việc thực "
    "hiện nhiệm vụ, công vụ của cán bộ, công chức, viên chức tại các cơ quan, đơn vị; kịp thời chấn chỉnh "
    "những tồn tại, hạn chế.",
    "Biểu dương tập thể, cá nhân thực hiện tốt; kiến nghị xử lý tập thể, cá nhân vi phạm theo quy định.",
    "2. Yêu cầu",
    "Việc kiểm tra bảo đảm khách quan, đúng quy định, không gây khó khăn, không ảnh hưởng đến hoạt động "
    "bình thường của cơ quan, đơn vị được kiểm tra.",
    "Mỗi cuộc kiểm tra được lập biên bản; kết quả kiểm tra là căn cứ đánh giá, xếp loại cán bộ, công chức, "
    "viên chức và chấm điểm Chỉ số cải cách hành chính.",
)
DEFAULT_CONTENT = (
    "Việc chấp hành thời giờ làm việc, nội quy, quy chế làm việc của cơ quan, đơn vị.",
    "Việc thực hiện văn hóa công sở: đeo thẻ, trang phục, biển tên, bài trí phòng làm việc (Quyết định số "
    "129/2007/QĐ-TTg, Chỉ thị số 26/CT-TTg).",
    "Việc giải quyết thủ tục hành chính theo cơ chế một cửa, một cửa liên thông tại Bộ phận Một cửa, Trung "
    "tâm Phục vụ hành chính công (Nghị định số 118/2025/NĐ-CP).",
    "Việc thực hiện nhiệm vụ, công vụ, thái độ, tác phong của cán bộ, công chức, viên chức khi giải quyết "
    "công việc của người dân, tổ chức (Luật Cán bộ, công chức số 80/2025/QH15).",
    "Công tác chỉ đạo, điều hành, tự kiểm tra công vụ của người đứng đầu cơ quan, đơn vị.",
)
MODE_WORDS: dict[str, str] = {VisitMode.PLANNED: "Theo kế hoạch", VisitMode.SURPRISE: "Đột xuất"}
ANY_UNIT = (
    "Các cơ quan, đơn vị do Đoàn kiểm tra lựa chọn, kiểm tra đột xuất trong thời gian thực hiện Kế hoạch."
)
TEAM_TASKS = (
    "Thực hiện kiểm tra theo nội dung, đối tượng, thời gian của Kế hoạch; lập biên bản kiểm tra tại "
    "từng cơ quan, đơn vị; yêu cầu khắc phục tồn tại, hạn chế và theo dõi kết quả khắc phục; tổng hợp, "
    "báo cáo kết quả kiểm tra về {issuer} (qua Sở Nội vụ)."
)
HOME_AFFAIRS_TASKS = (
    "Là cơ quan thường trực, tham mưu tổ chức thực hiện Kế hoạch; bảo đảm điều kiện hoạt động của Đoàn kiểm "
    "tra; theo dõi, đôn đốc việc khắc phục sau kiểm tra."
)
UNIT_TASKS = (
    "Bố trí lãnh đạo làm việc với Đoàn kiểm tra; cung cấp đầy đủ hồ sơ, tài liệu theo yêu cầu; thực hiện "
    "nghiêm các yêu cầu khắc phục và báo cáo kết quả đúng thời hạn."
)
FINAL = (
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các cơ quan, đơn vị phản ánh về Sở Nội vụ "
    "để tổng hợp, báo cáo {issuer} xem xét, chỉ đạo./."
)
NOT_ANNOUNCED = (
    "Đối với kiểm tra đột xuất, Đoàn kiểm tra không thông báo trước thời gian và địa điểm kiểm tra."
)


# ------------------------------------------------------------------------------ shared pieces


def agency_full(issuer: str) -> str:
    """ "UBND tỉnh Hà Tĩnh" → "Ủy ban nhân dân tỉnh Hà Tĩnh" (NĐ 30: names in full in Ô2)."""
    text = nfc(issuer).strip()
    return UBND_FULL + text[len(UBND) :] if text.upper().startswith(UBND + " ") else text


def agency_heading(issuer: str) -> str:
    """Ô2 for the issuer: "ỦY BAN NHÂN DÂN / TỈNH HÀ TĨNH" — the place kept on one line."""
    full = agency_full(issuer)
    if full.startswith(UBND_FULL + " "):
        return f"{UBND_FULL} " + full[len(UBND_FULL) + 1 :].replace(" ", NBSP)
    return full


def is_committee(issuer: str) -> bool:
    """A People's Committee works collectively: its documents are signed "TM. ỦY BAN NHÂN DÂN"."""
    return agency_full(issuer).startswith(UBND_FULL)


def place_of(issuer: str, province: Unit | None) -> str:
    """Địa danh of Ô4: the province's name, else what follows "tỉnh"/"thành phố" in the issuer."""
    if province is not None:
        return province.proper_name
    text = agency_full(issuer)
    for word in (" tỉnh ", " thành phố "):
        if word in text:
            return text.split(word, 1)[1]
    return ""


def position_lines(position: str, default: str) -> list[str]:
    """ "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" → ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]."""
    parts = [p.strip().upper() for p in nfc(position or "").split("/") if p.strip()]
    return parts or [default]


def basis_line(text: str) -> str:
    line = nfc(text).strip().rstrip(";.")
    return line if line.casefold().startswith("căn cứ") else f"Căn cứ {line}"


class IssuerDocument(DocumentRenderer):
    """A document of the issuing body (plan, decision): Nơi nhận on the left, signer on the right."""

    def closing(
        self, recipients: Sequence[str], archive: str, authority: str | None, titles: Sequence[str], name: str
    ) -> Flowable:
        st = self.styles
        right: list[Flowable] = [self.p(authority, st.sign_title)] if authority else []
        right += [self.p(t, st.sign_title) for t in titles]
        right += [
            Anchor("signer", self.signature_space_mm * mm, self.signature_boxes),
            self.p(name, st.sign_name),
        ]
        half = self.frame_width / 2
        left = self.recipients_block(recipients, archive)
        return self.table([[left, right]], [half, half], grid=False, padding=0)

    @property
    def head_style(self) -> ParagraphStyle:
        return ParagraphStyle("head", parent=self.styles.cell_centre, fontName=BOLD)

    def title_block(self, kind: str, summary: str) -> list[Flowable]:
        s = self.styles
        width = min(self._width(summary), self.frame_width)
        return [self.p(kind, s.doc_type), self.p(summary, s.summary), Rule(width / 3), Spacer(1, 12)]

    def _width(self, text: str) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return stringWidth(nfc(text), BOLD, self.styles.summary.fontSize)


# ------------------------------------------------------------------------------ the plan


@dataclass(frozen=True)
class PlanRow:
    unit_name: str
    planned_on: dt.date | None
    mode: str
    team_name: str


@dataclass
class PlanDocData:
    plan_id: uuid.UUID
    number: str
    issuer: str
    place_name: str
    issued_on: dt.date
    title: str
    legal_bases: list[str]
    purpose: list[str]
    content: list[str]
    period_from: dt.date
    period_to: dt.date
    rows: list[PlanRow]
    team_name: str
    decision: Citation | None
    signer: str
    signer_position: str


def load_plan_doc(session: Session, plan_id: uuid.UUID) -> PlanDocData:
    plan = get_plan(session, plan_id)
    team = session.get(Team, plan.team_id) if plan.team_id else None
    province = session.get(Unit, team.province_id) if team and team.province_id else None
    decision = decision_for_plan(session, plan.id)
    rows = [PlanRow(r.unit_name, r.planned_on, r.mode, r.team_name) for r in planned_rows(session, plan.id)]
    return PlanDocData(
        plan_id=plan.id,
        number=plan.number,
        issuer=plan.issuer,
        place_name=place_of(plan.issuer, province),
        issued_on=plan.issued_on,
        title=plan.title,
        legal_bases=plan.legal_bases.splitlines(),
        purpose=plan.purpose.splitlines(),
        content=plan.content.splitlines(),
        period_from=plan.period_from,
        period_to=plan.period_to,
        rows=rows,
        team_name=team.name if team else "",
        decision=(
            Citation(
                decision.number, decision.signed_on, team.issuer if team else plan.issuer, decision.title
            )
            if decision
            else None
        ),
        signer=plan.signer,
        signer_position=plan.signer_position,
    )


def render_plan_pdf(session: Session, plan_id: uuid.UUID) -> bytes:
    return PlanRenderer(load_plan_doc(session, plan_id)).render()


class PlanRenderer(IssuerDocument):
    def __init__(self, data: PlanDocData) -> None:
        super().__init__()
        self.d = data
        self.pdf_title = f"Kế hoạch {data.number}: {data.title}"
        self.pdf_subject = "Kế hoạch kiểm tra công vụ"

    def header(self) -> HeaderInfo:
        d = self.d
        return HeaderInfo("", agency_heading(d.issuer), d.number, d.place_name, d.issued_on)

    def story(self) -> list[Flowable]:
        s, d = self.styles, self.d
        out = self.title_block("KẾ HOẠCH", d.title)
        out += [self.p(basis_line(line) + ";") for line in d.legal_bases if line.strip()]
        out.append(
            self.p(f"{agency_full(d.issuer)} ban hành Kế hoạch {d.title[:1].lower()}{d.title[1:]} như sau:")
        )
        out.append(self.p("I. MỤC ĐÍCH, YÊU CẦU", s.heading))
        for line in d.purpose or DEFAULT_PURPOSE:
            numbered = line[:2] in ("1.", "2.", "3.")
            out.append(self.p(line, s.subheading if numbered and len(line) < 40 else s.body))
        out.append(self.p("II. NỘI DUNG, ĐỐI TƯỢNG, THỜI GIAN KIỂM TRA", s.heading))
        out.append(self.p("1. Nội dung kiểm tra", s.subheading))
        out += [self.p(f"- {line}", s.bullet) for line in (d.content or DEFAULT_CONTENT)]
        out.append(self.p("2. Đối tượng kiểm tra", s.subheading))
        out += self._units()
        out.append(self.p("3. Thời gian kiểm tra", s.subheading))
        out.append(self.p(f"Từ ngày {dmy(d.period_from)} đến ngày {dmy(d.period_to)}."))
        if any(r.mode == VisitMode.SURPRISE for r in d.rows) or not d.rows:
            out.append(self.p(NOT_ANNOUNCED))
        out += self._organisation()
        out.append(
            KeepTogether(
                [
                    self.p(FINAL.format(issuer=agency_full(d.issuer))),
                    Spacer(1, 10),
                    self._closing(),
                ]
            )
        )
        return out

    def _units(self) -> list[Flowable]:
        d, s = self.d, self.styles
        if not d.rows:
            return [self.p(ANY_UNIT)]
        labels = ("STT", "Đơn vị được kiểm tra", "Thời gian", "Hình thức", "Đoàn kiểm tra")
        rows: list[list[object]] = [[self.p(h, self.head_style) for h in labels]]
        for n, r in enumerate(d.rows, start=1):
            if r.mode == VisitMode.SURPRISE:
                when = "Không báo trước"
            else:
                when = dmy(r.planned_on) if r.planned_on else "Trong thời gian Kế hoạch"
            rows.append(
                [
                    str(n),
                    self.p(r.unit_name, s.cell),
                    self.p(when, s.cell_centre),
                    self.p(MODE_WORDS.get(r.mode, r.mode), s.cell_centre),
                    self.p(r.team_name, s.cell),
                ]
            )
        widths = [w * mm for w in (11, 62, 28, 25, 39)]
        style = [
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), (0.9, 0.9, 0.9)),
        ]
        return [self.table(rows, widths, header_rows=1, style=style), Spacer(1, 8)]

    def _organisation(self) -> list[Flowable]:
        s, d = self.styles, self.d
        team = d.team_name or "Đoàn kiểm tra công vụ"
        formed = f" (thành lập theo Quyết định số {citation(d.decision)})" if d.decision else ""
        return [
            self.p("III. TỔ CHỨC THỰC HIỆN", s.heading),
            self.p("1. Đoàn kiểm tra công vụ", s.subheading),
            self.p(f"{team}{formed}: " + lower_first(TEAM_TASKS.format(issuer=agency_full(d.issuer)))),
            self.p("2. Sở Nội vụ", s.subheading),
            self.p(HOME_AFFAIRS_TASKS),
            self.p("3. Các cơ quan, đơn vị được kiểm tra", s.subheading),
            self.p(UNIT_TASKS),
        ]

    def _closing(self) -> Flowable:
        d = self.d
        recipients = [
            "Chủ tịch, các Phó Chủ tịch UBND tỉnh",
            "Sở Nội vụ",
            "Thành viên Đoàn kiểm tra",
            "Các cơ quan, đơn vị được kiểm tra",
        ]
        committee = is_committee(d.issuer)
        authority = "TM. ỦY BAN NHÂN DÂN" if committee else None
        titles = position_lines(d.signer_position, "CHỦ TỊCH" if committee else "GIÁM ĐỐC")
        return self.closing(recipients, "VT, NC", authority, titles, d.signer)


__all__ = [
    "IssuerDocument",
    "PlanDocData",
    "PlanRenderer",
    "agency_full",
    "agency_heading",
    "load_plan_doc",
    "render_plan_pdf",
]
