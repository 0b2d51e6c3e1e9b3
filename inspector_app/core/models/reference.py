"""Reference data that flows from the office to the laptops: units, officials, teams, plans,
working hours and checklist form versions."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field

from inspector_app.core.models.base import SyncColumns, utc_field, utcnow
from inspector_app.core.text import fold


class UnitType(StrEnum):
    # after 1 July 2025 (two tiers)
    TINH = "tinh"
    THANH_PHO_TW = "thanh_pho_tw"
    XA = "xa"
    PHUONG = "phuong"
    DAC_KHU = "dac_khu"
    # agencies and service centres
    SO = "so"  # Sở and equivalent provincial agencies
    PHONG = "phong"  # phòng chuyên môn
    TT_PVHCC = "tt_pvhcc"  # Trung tâm Phục vụ hành chính công
    DON_VI_SU_NGHIEP = "don_vi_su_nghiep"
    # before 1 July 2025 only (kept for historical records)
    HUYEN = "huyen"
    QUAN = "quan"
    THI_XA = "thi_xa"
    THANH_PHO_THUOC_TINH = "thanh_pho_thuoc_tinh"
    THI_TRAN = "thi_tran"


PROVINCE_TYPES = frozenset({UnitType.TINH, UnitType.THANH_PHO_TW})


class OfficialKind(StrEnum):
    CAN_BO = "can_bo"
    CONG_CHUC = "cong_chuc"
    VIEN_CHUC = "vien_chuc"
    NGUOI_LAO_DONG = "nguoi_lao_dong"
    KHONG_CHUYEN_TRACH = "khong_chuyen_trach"


class TeamRole(StrEnum):
    LEADER = "truong_doan"
    DEPUTY = "pho_truong_doan"
    MEMBER = "thanh_vien"
    SECRETARY = "thu_ky"


class Unit(SyncColumns, table=True):
    code: str = Field(max_length=64, unique=True, index=True)
    name: str  # as written in documents: "UBND xã Thạch Khê", "Sở Tư pháp tỉnh Hà Tĩnh"
    proper_name: str  # "Thạch Khê"
    unit_type: str = Field(max_length=32)
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="unit.id", index=True)
    address: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    successor_id: uuid.UUID | None = Field(default=None, foreign_key="unit.id")
    search_key: str = Field(default="", index=True)  # fold(name): diacritic-free search


class Official(SyncColumns, table=True):
    unit_id: uuid.UUID = Field(foreign_key="unit.id", index=True)
    full_name: str
    position: str  # chức vụ / chức danh
    department: str | None = None  # bộ phận / vị trí việc làm
    kind: str = Field(max_length=32)  # OfficialKind
    gender: str | None = Field(default=None, max_length=8)
    birth_date: dt.date | None = None
    left_on: dt.date | None = None  # no longer works at the unit from this day
    sort_order: int = 0
    search_key: str = Field(default="", index=True)  # fold(full_name)


class Inspector(SyncColumns, table=True):
    full_name: str
    position: str
    agency: str  # "Sở Nội vụ tỉnh Hà Tĩnh"
    phone: str | None = None
    email: str | None = None


class Team(SyncColumns, table=True):
    code: str = Field(max_length=32, unique=True, index=True)
    name: str  # "Đoàn kiểm tra công vụ tỉnh Hà Tĩnh năm 2026"
    issuer: str  # the body that formed it: "UBND tỉnh Hà Tĩnh"
    short_issuer: str = "ĐKTCV"  # ký hiệu used in document numbers: 15/BB-ĐKTCV
    province_id: uuid.UUID | None = Field(default=None, foreign_key="unit.id")


class TeamDecision(SyncColumns, table=True):
    """The quyết định thành lập đoàn kiểm tra that formed a team."""

    __tablename__ = "team_decision"
    team_id: uuid.UUID = Field(foreign_key="team.id", index=True)
    number: str  # "125/QĐ-UBND"
    signed_on: dt.date
    signer: str
    title: str
    valid_to: dt.date | None = None
    signer_position: str = ""  # "CHỦ TỊCH", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    plan_id: uuid.UUID | None = Field(default=None, foreign_key="plan.id")
    legal_bases: str = ""  # căn cứ, one per line


class TeamMember(SyncColumns, table=True):
    __tablename__ = "team_member"
    team_id: uuid.UUID = Field(foreign_key="team.id", index=True)
    inspector_id: uuid.UUID = Field(foreign_key="inspector.id", index=True)
    role: str = Field(max_length=32)  # TeamRole


class Plan(SyncColumns, table=True):
    number: str  # "15/KH-UBND"
    title: str
    issuer: str
    issued_on: dt.date
    period_from: dt.date
    period_to: dt.date
    legal_bases: str = ""  # one per line
    team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id")
    default_form_code: str | None = None
    purpose: str = ""  # I. Mục đích, yêu cầu (one paragraph per line)
    content: str = ""  # II. Nội dung kiểm tra (one point per line)
    signer: str = ""
    signer_position: str = ""


class PlannedVisit(SyncColumns, table=True):
    """A unit the plan will visit, assigned to a team: it reaches that team's laptops on sync.

    Reference data owned by the office, read only by the assigned team (``office.scope``).
    """

    __tablename__ = "planned_visit"
    plan_id: uuid.UUID = Field(foreign_key="plan.id", index=True)
    unit_id: uuid.UUID = Field(foreign_key="unit.id", index=True)
    team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id", index=True)
    planned_on: dt.date | None = None  # None: some day within the plan's period
    mode: str = Field(default="theo_ke_hoach", max_length=16)  # VisitMode
    form_code: str | None = None  # None: the plan's default form
    note: str = ""
    sort_order: int = 0


class WorkSchedule(SyncColumns, table=True):
    """Working hours a province set for a season: lateness is measured against these."""

    __tablename__ = "work_schedule"
    province_id: uuid.UUID = Field(foreign_key="unit.id", index=True)
    name: str  # "Giờ làm việc mùa hè 2026"
    season: str = Field(max_length=16)  # "summer" | "winter" | "all_year"
    valid_from: dt.date
    valid_to: dt.date
    morning_start: dt.time
    morning_end: dt.time
    afternoon_start: dt.time
    afternoon_end: dt.time
    grace_minutes: int = 0


class FormVersion(SyncColumns, table=True):
    """A checklist form as loaded: code + version + SHA-256 of the file identify it."""

    __tablename__ = "form_version"
    __table_args__ = (sa.UniqueConstraint("code", "version"),)
    code: str = Field(max_length=64, index=True)
    version: int
    title: str
    sha256: str = Field(max_length=64)
    source: str  # the YAML text itself: a visit can always be re-read with the form it was made with
    loaded_at: dt.datetime = utc_field(default_factory=utcnow)


def _keep_search_key(_mapper: object, _conn: object, target: Unit | Official) -> None:
    # ORM writes keep the folded key in step; bulk paths set it themselves.
    target.search_key = fold(target.name if isinstance(target, Unit) else target.full_name)


for _model in (Unit, Official):
    sa.event.listen(_model, "before_insert", _keep_search_key)
    sa.event.listen(_model, "before_update", _keep_search_key)
