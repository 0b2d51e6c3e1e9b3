"""Field data that flows from the laptops to the office: visits and everything recorded in one."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field

from inspector_app.core.models.base import SyncColumns, utc_field


class VisitStatus(StrEnum):
    DRAFT = "draft"
    COMPLETED = "completed"
    SIGNED = "signed"


class VisitMode(StrEnum):
    SURPRISE = "dot_xuat"
    PLANNED = "theo_ke_hoach"
    COMPLAINT = "theo_phan_anh"


class AttendanceStatus(StrEnum):
    """Tình trạng of DOMAIN.md §4.1, in the order of the roll-call keys 1–7."""

    PRESENT = "co_mat"
    LATE = "di_muon"
    ABSENT_WITH_REASON = "vang_co_ly_do"
    ABSENT_WITHOUT_REASON = "vang_khong_ly_do"
    ON_DUTY = "di_cong_tac"  # đi công tác (có văn bản)
    LEAVE = "nghi_phep_om"  # nghỉ phép, nghỉ ốm
    UNKNOWN = "khong_ro_ly_do"


ON_SITE = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})


class Badge(StrEnum):
    WORN = "co"
    NOT_WORN = "khong_deo"
    NOT_ISSUED = "chua_cap"
    NA = "khong_ap_dung"


class Dress(StrEnum):
    OK = "dat"
    NOT_OK = "chua_dat"


class NamePlate(StrEnum):
    YES = "co"
    NO = "khong"
    NA = "khong_ap_dung"


class Attitude(StrEnum):
    GOOD = "tot"
    OK = "dat"
    NOT_OK = "chua_dat"
    NA = "khong_ap_dung"


class RemedyStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Visit(SyncColumns, table=True):
    unit_id: uuid.UUID = Field(foreign_key="unit.id", index=True)
    form_id: uuid.UUID = Field(foreign_key="form_version.id")
    team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id", index=True)
    plan_id: uuid.UUID | None = Field(default=None, foreign_key="plan.id", index=True)
    planned_visit_id: uuid.UUID | None = Field(default=None, foreign_key="planned_visit.id", index=True)
    mode: str = Field(default=VisitMode.SURPRISE, max_length=16)
    status: str = Field(default=VisitStatus.DRAFT, max_length=16, index=True)
    started_at: dt.datetime = utc_field(index=True)
    arrived_at: dt.datetime | None = utc_field(default=None, nullable=True)
    completed_at: dt.datetime | None = utc_field(default=None, nullable=True)
    signed_at: dt.datetime | None = utc_field(default=None, nullable=True)
    place: str | None = None  # "Trụ sở UBND xã Thạch Khê"
    unit_representative: str | None = None  # "Ông Nguyễn Văn A – Chủ tịch UBND xã"
    explanation: str | None = None  # giải trình, tiếp thu of the unit
    conclusion: str | None = None
    copies: int = 2
    number: str | None = None  # số/ký hiệu of the minutes, "15/BB-ĐKTCV"
    device_id: str = Field(default="", max_length=40)  # the laptop that started it


class VisitMember(SyncColumns, table=True):
    """A team member present at a visit (ticked when the visit starts)."""

    __tablename__ = "visit_member"
    visit_id: uuid.UUID = Field(foreign_key="visit.id", index=True)
    inspector_id: uuid.UUID = Field(foreign_key="inspector.id")
    role: str = Field(max_length=32)


class Answer(SyncColumns, table=True):
    """One row per checklist item: two inspectors answering the same item edit the same row."""

    visit_id: uuid.UUID = Field(foreign_key="visit.id", index=True)
    item_code: str = Field(max_length=32)
    value: str | None = None  # JSON of the validated value; NULL once cleared
    note: str | None = None
    answered_at: dt.datetime = utc_field()


class RollCall(SyncColumns, table=True):
    """One row per official at a visit, with the columns of DOMAIN.md §4.1. Name and position are
    copied from the registry so the minutes keep what was true on the day."""

    __tablename__ = "roll_call"
    visit_id: uuid.UUID = Field(foreign_key="visit.id", index=True)
    official_id: uuid.UUID | None = Field(default=None, foreign_key="official.id")
    full_name: str
    position: str = ""
    department: str | None = None
    kind: str = Field(default="", max_length=32)
    sort_order: int = 0
    status: str | None = Field(default=None, max_length=24)  # AttendanceStatus, NULL until marked
    arrival_at: dt.datetime | None = utc_field(default=None, nullable=True)
    minutes_late: int | None = None
    badge: str | None = Field(default=None, max_length=16)
    dress: str | None = Field(default=None, max_length=16)
    name_plate: str | None = Field(default=None, max_length=16)
    attitude: str | None = Field(default=None, max_length=16)
    reason: str | None = None
    evidence_id: uuid.UUID | None = Field(default=None, foreign_key="attachment.id")
    note: str | None = None


class Finding(SyncColumns, table=True):
    visit_id: uuid.UUID = Field(foreign_key="visit.id", index=True)
    source: str = Field(max_length=16)  # "answer" | "roll_call" | "manual"
    source_ref: str | None = None  # item code, or roll-call status for a roll-call finding
    kind: str = Field(default="shortcoming", max_length=16)  # "shortcoming" | "strength"
    text: str
    edited: bool = False  # changed by hand: re-drafting leaves it alone
    sort_order: int = 0


class Remedy(SyncColumns, table=True):
    """A requirement to fix something: content, who is responsible, by when."""

    visit_id: uuid.UUID = Field(foreign_key="visit.id", index=True)
    finding_id: uuid.UUID | None = Field(default=None, foreign_key="finding.id")
    content: str
    owner: str
    deadline: dt.date | None = None
    status: str = Field(default=RemedyStatus.OPEN, max_length=16)
    sort_order: int = 0


class RemedyFollowUp(SyncColumns, table=True):
    """Progress on a remedy, recorded beside the (possibly signed) visit, never inside it."""

    __tablename__ = "remedy_follow_up"
    remedy_id: uuid.UUID = Field(foreign_key="remedy.id", index=True)
    reported_on: dt.date
    progress: str
    status: str = Field(max_length=16)
    attachment_id: uuid.UUID | None = Field(default=None, foreign_key="attachment.id")
    recorded_by: str = ""


class Attachment(SyncColumns, table=True):
    """A stored file, addressed by its SHA-256: the same photo attached twice is stored once."""

    sha256: str = Field(max_length=64, unique=True, index=True)
    mime: str = Field(max_length=64)
    size: int
    width: int | None = None
    height: int | None = None
    original_name: str | None = None


class AttachmentLink(SyncColumns, table=True):
    """Where an attachment is used: a visit, an item of it, or a roll-call row."""

    __tablename__ = "attachment_link"
    visit_id: uuid.UUID = Field(foreign_key="visit.id", index=True)
    attachment_id: uuid.UUID = Field(foreign_key="attachment.id")
    item_code: str | None = Field(default=None, max_length=32)
    roll_call_id: uuid.UUID | None = Field(default=None, foreign_key="roll_call.id")
    role: str = Field(default="photo", max_length=16)  # "photo" | "evidence"
    caption: str | None = None
    taken_at: dt.datetime | None = utc_field(default=None, nullable=True)


class SignatureRole(StrEnum):
    LEADER = "truong_doan"
    SECRETARY = "thu_ky"
    UNIT_REPRESENTATIVE = "dai_dien_don_vi"


class Signature(SyncColumns, table=True):
    """A hand signature on the minutes (drawn on the pad), or a note that the person refused."""

    __table_args__ = (sa.UniqueConstraint("visit_id", "role"),)
    visit_id: uuid.UUID = Field(foreign_key="visit.id", index=True)
    role: str = Field(max_length=24)  # SignatureRole
    signer_name: str
    signer_position: str = ""
    attachment_id: uuid.UUID | None = Field(default=None, foreign_key="attachment.id")
    refused: bool = False
    refusal_note: str | None = None
    signed_at: dt.datetime = utc_field()
