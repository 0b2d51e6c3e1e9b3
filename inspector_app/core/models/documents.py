"""Records of documents: PAdES signatures beside a locked visit, and the register of document
numbers (số/ký hiệu) with the number blocks a laptop receives from the office."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field

from inspector_app.core.models.base import SyncColumns, utc_field


class DigitalSignature(SyncColumns, table=True):
    """One PAdES signature on a visit's minutes: append-only, never updated. The signed PDF (the
    whole file as it stood after this signature) is an attachment, content-addressed. One per
    visit and role; the key derives from both, so two laptops signing the same role meet on one row."""

    __tablename__ = "digital_signature"
    __table_args__ = (sa.UniqueConstraint("visit_id", "role"),)
    visit_id: uuid.UUID = Field(foreign_key="visit.id", index=True)
    role: str = Field(max_length=24)  # SignatureRole
    field_name: str = Field(max_length=64)
    signer_name: str
    signer_subject: str
    cert_serial: str = Field(max_length=80)  # hex
    cert_sha256: str = Field(max_length=64)
    signed_at: dt.datetime = utc_field()
    attachment_id: uuid.UUID = Field(foreign_key="attachment.id")
    pdf_sha256: str = Field(max_length=64)
    device_id: str = Field(max_length=40)
    recorded_by: str = ""


class DocumentKind(StrEnum):
    """Tên loại văn bản abbreviations of NĐ 30/2020 Phụ lục III that the team issues."""

    BB = "BB"  # Biên bản
    BC = "BC"  # Báo cáo
    TB = "TB"  # Thông báo
    KH = "KH"  # Kế hoạch
    QD = "QĐ"  # Quyết định


class DocumentNumber(SyncColumns, table=True):
    """A line of the register (sổ đăng ký văn bản): one number of one issuer in one year.

    The number is unique per issuer and year whatever the kind (NĐ 30 Điều 15: one sequence per
    year). The key is derived from (issuer, year, number), so two laptops that somehow took the
    same number meet on one row in sync instead of making two.
    """

    __tablename__ = "document_number"
    __table_args__ = (sa.UniqueConstraint("issuer", "year", "number"),)
    issuer: str = Field(max_length=32)  # ký hiệu of the issuing body, "ĐKTCV"
    year: int
    number: int
    kind: str = Field(max_length=8)  # DocumentKind
    symbol: str = Field(max_length=64)  # "15/BB-ĐKTCV"
    entity: str = Field(default="", max_length=32)  # what it numbers: "visit", "report"…
    entity_id: str = Field(default="", max_length=64)
    summary: str = ""  # trích yếu
    issued_on: dt.date
    device_id: str = Field(max_length=40)
    manual: bool = False  # typed by hand (the block had run out)
    created_by: str = ""


class NumberBlock(SyncColumns, table=True):
    """Numbers first..last of an issuer's year, handed by the office to one laptop, which takes
    from it offline. Blocks of one issuer and year never overlap."""

    __tablename__ = "number_block"
    __table_args__ = (sa.UniqueConstraint("issuer", "year", "first"),)
    issuer: str = Field(max_length=32)
    year: int
    device_id: str = Field(max_length=40, index=True)
    first: int
    last: int
    allocated_at: dt.datetime = utc_field()


class ConclusionNotice(SyncColumns, table=True):
    """Thông báo kết luận kiểm tra (…/TB-…) sent to a unit after its signed visit(s).

    Issued by the office, beside the visits it concludes (never inside them). ``visit_ids`` is a
    JSON list; the requirements come from the visits' remedies when the notice is drafted and are
    kept here as the office edited them (JSON list of {content, owner, deadline}).
    """

    __tablename__ = "conclusion_notice"
    unit_id: uuid.UUID = Field(foreign_key="unit.id", index=True)
    team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id", index=True)
    plan_id: uuid.UUID | None = Field(default=None, foreign_key="plan.id")
    visit_ids: str = "[]"
    number: str | None = None  # "12/TB-ĐKTCV", from the register
    issued_on: dt.date
    findings: str = ""  # one paragraph per line
    requirements: str = "[]"
    report_by: dt.date | None = None  # the unit reports on its remedies by this day
    signer: str = ""
    signer_position: str = ""
    recipients: str = ""  # one per line
    status: str = Field(default="draft", max_length=16)  # "draft" | "issued" | "signed"
    pdf_attachment_id: uuid.UUID | None = Field(default=None, foreign_key="attachment.id")
    pdf_sha256: str | None = Field(default=None, max_length=64)
    signed_at: dt.datetime | None = utc_field(default=None, nullable=True)
    created_by: str = ""
