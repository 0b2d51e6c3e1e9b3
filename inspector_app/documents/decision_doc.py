"""Quyết định thành lập Đoàn kiểm tra công vụ (NĐ 30/2020 Mẫu 1.2, quyết định quy định trực tiếp):
header, tên loại and trích yếu, the authority that decides, căn cứ, "QUYẾT ĐỊNH:", Điều 1 (the team and
its members with their roles), Điều 2 (its tasks), Điều 3 (effect, who carries it out), Nơi nhận and
the signer."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer
from sqlmodel import Session

from inspector_app.core.desk.decisions import get_decision, position_and_agency, team_members
from inspector_app.core.desk.plans import get_team
from inspector_app.core.models import Plan, Unit
from inspector_app.documents.base import HeaderInfo
from inspector_app.documents.fonts import BOLD, ITALIC
from inspector_app.documents.formatting import dmy, markup, nfc
from inspector_app.documents.minutes import citation
from inspector_app.documents.minutes_data import Citation
from inspector_app.documents.plan_doc import (
    IssuerDocument,
    agency_full,
    agency_heading,
    basis_line,
    place_of,
    position_lines,
)
from inspector_app.documents.vocabulary import TEAM_ROLE

DEFAULT_BASES = (
    "Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16/6/2025",
    "Luật Cán bộ, công chức số 80/2025/QH15 ngày 24/6/2025",
    "Chỉ thị số 26/CT-TTg ngày 05/9/2016 của Thủ tướng Chính phủ về tăng cường kỷ luật, kỷ cương trong các "
    "cơ quan hành chính nhà nước các cấp",
)
PROPOSER = "Theo đề nghị của Giám đốc Sở Nội vụ."
TASKS = (
    "Kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính, thời giờ làm việc, văn hóa công sở, việc giải "
    "quyết thủ tục hành chính và thực hiện nhiệm vụ, công vụ tại các cơ quan, đơn vị {scope}; kiểm tra đột "
    "xuất khi cần thiết.",
    "Lập biên bản kiểm tra; yêu cầu khắc phục tồn tại, hạn chế; kiến nghị xử lý tập thể, cá nhân vi phạm; "
    "tổng hợp, báo cáo kết quả kiểm tra về {head} {agency}.",
    "Trưởng đoàn phân công nhiệm vụ cụ thể cho các thành viên. Đoàn kiểm tra được sử dụng con dấu của Sở "
    "Nội vụ trong hoạt động và tự giải thể sau khi hoàn thành nhiệm vụ.",
)
EXECUTORS = (
    "Chánh Văn phòng {agency}, Giám đốc Sở Nội vụ, thủ trưởng các cơ quan, đơn vị có liên quan và các "
    "ông, bà có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./."
)


@dataclass(frozen=True)
class MemberLine:
    name: str
    position: str  # chức vụ, đơn vị công tác
    role: str  # TeamRole


@dataclass
class DecisionDocData:
    decision_id: uuid.UUID
    number: str
    issuer: str
    place_name: str
    signed_on: dt.date
    title: str
    team_name: str
    legal_bases: list[str]
    plan: Citation | None
    members: list[MemberLine]
    valid_to: dt.date | None
    signer: str
    signer_position: str


def load_decision_doc(session: Session, decision_id: uuid.UUID) -> DecisionDocData:
    row = get_decision(session, decision_id)
    team = get_team(session, row.team_id)
    province = session.get(Unit, team.province_id) if team.province_id else None
    plan = session.get(Plan, row.plan_id) if row.plan_id else None
    members = [
        MemberLine(m.full_name, position_and_agency(m.position, m.agency), m.role)
        for m in team_members(session, team.id)
    ]
    return DecisionDocData(
        decision_id=row.id,
        number=row.number,
        issuer=team.issuer,
        place_name=place_of(team.issuer, province),
        signed_on=row.signed_on,
        title=row.title,
        team_name=team.name,
        legal_bases=row.legal_bases.splitlines(),
        plan=Citation(plan.number, plan.issued_on, plan.issuer, plan.title)
        if plan and not plan.deleted
        else None,
        members=members,
        valid_to=row.valid_to,
        signer=row.signer,
        signer_position=row.signer_position,
    )


def render_decision_pdf(session: Session, decision_id: uuid.UUID) -> bytes:
    return DecisionRenderer(load_decision_doc(session, decision_id)).render()


class DecisionRenderer(IssuerDocument):
    def __init__(self, data: DecisionDocData) -> None:
        super().__init__()
        self.d = data
        self.pdf_title = f"Quyết định {data.number}: {data.title}"
        self.pdf_subject = "Quyết định thành lập Đoàn kiểm tra công vụ"
        self.titles = position_lines(data.signer_position, "CHỦ TỊCH")
        self.head = self.titles[-1] if len(self.titles) == 1 else self.titles[0].removeprefix("KT. ")

    def header(self) -> HeaderInfo:
        d = self.d
        return HeaderInfo("", agency_heading(d.issuer), d.number, d.place_name, d.signed_on)

    def story(self) -> list[Flowable]:
        s, d = self.styles, self.d
        centre_bold = ParagraphStyle(
            "authority", parent=s.body, fontName=BOLD, alignment=TA_CENTER, firstLineIndent=0
        )
        basis = ParagraphStyle("basis", parent=s.body, fontName=ITALIC)
        out = self.title_block("QUYẾT ĐỊNH", d.title)
        out.append(self.p(f"{self.head} {nfc(agency_full(d.issuer)).upper()}", centre_bold))
        out.append(Spacer(1, 6))
        out += [self.p(line, basis) for line in self._bases()]
        out.append(self.p(PROPOSER, basis))
        out.append(Spacer(1, 4))
        out.append(self.p("QUYẾT ĐỊNH:", centre_bold))
        out.append(Spacer(1, 4))
        out.append(
            self.pm(
                f"<b>Điều 1.</b> Thành lập {markup(d.team_name)} (sau đây gọi là Đoàn kiểm tra), "
                "gồm các ông, bà có tên sau:"
            )
        )
        out.append(self._members())
        out.append(Spacer(1, 8))
        out.append(self.pm("<b>Điều 2.</b> Đoàn kiểm tra có nhiệm vụ:"))
        scope = f"theo Kế hoạch số {citation(d.plan)}" if d.plan else "trên địa bàn"
        words = {"scope": scope, "head": self.head.capitalize(), "agency": agency_full(d.issuer)}
        out += [self.p(f"{n}. {text.format(**words)}") for n, text in enumerate(TASKS, start=1)]
        until = f" đến hết ngày {dmy(d.valid_to)}" if d.valid_to else ""
        out.append(self.pm(f"<b>Điều 3.</b> Quyết định này có hiệu lực thi hành kể từ ngày ký{until}."))
        closing = self.closing(
            ["Như Điều 3", "Chủ tịch, các Phó Chủ tịch UBND tỉnh"], "VT, NC", None, self.titles, d.signer
        )
        out.append(
            KeepTogether([self.p(EXECUTORS.format(agency=agency_full(d.issuer))), Spacer(1, 10), closing])
        )
        return out

    def _bases(self) -> list[str]:
        d = self.d
        lines = [basis_line(x) for x in (d.legal_bases or DEFAULT_BASES) if x.strip()]
        if d.plan is not None and not any(d.plan.number in line for line in lines):
            lines.append(f"Căn cứ Kế hoạch số {citation(d.plan)}")
        return [line + ";" for line in lines]

    def _members(self) -> Flowable:
        s = self.styles
        labels = ("STT", "Họ và tên", "Chức vụ, đơn vị công tác", "Nhiệm vụ trong Đoàn")
        rows: list[list[object]] = [[self.p(h, self.head_style) for h in labels]]
        for n, m in enumerate(self.d.members, start=1):
            role = TEAM_ROLE.get(m.role, m.role)
            rows.append([str(n), self.p(m.name, s.cell), self.p(m.position, s.cell), self.p(role, s.cell)])
        widths = [w * mm for w in (11, 44, 80, 30)]
        style = [
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), (0.9, 0.9, 0.9)),
        ]
        return self.table(rows, widths, header_rows=1, style=style)


__all__ = ["DecisionDocData", "DecisionRenderer", "load_decision_doc", "render_decision_pdf"]
