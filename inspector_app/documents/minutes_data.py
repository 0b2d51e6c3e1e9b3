"""Everything the biên bản shows, read from the database in one go (the renderer then needs no
session): the visit, its team and legal bases, roll call, answers, findings, remedies, signatures,
photos, and the content hash the QR code carries."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from inspector_app.core.forms import FormSpec, Item
from inspector_app.core.models import (
    Answer,
    Attachment,
    AttachmentLink,
    Inspector,
    Plan,
    Remedy,
    RollCall,
    Signature,
    Team,
    TeamDecision,
    Unit,
    VisitLock,
    VisitMember,
    VisitStatus,
)
from inspector_app.core.services.attachments import blob_path
from inspector_app.core.services.findings import visit_findings
from inspector_app.core.services.forms_registry import form_spec
from inspector_app.core.services.locking import content_sha256
from inspector_app.core.services.roll_call import RollCallTotals, auto_values, roll_call_rows, totals_of
from inspector_app.core.services.schedule import province_of
from inspector_app.core.services.visits import get_visit
from inspector_app.documents.base import DocumentError
from inspector_app.documents.formatting import iso_to_dmy, local, nfc
from inspector_app.documents.vocabulary import FAILED, NOT_RECORDED, PASSED, TEAM_ROLE_ORDER, YES_NO
from inspector_app.i18n import _


@dataclass(frozen=True)
class Citation:
    """A legal basis cited in "Căn cứ": Quyết định/Kế hoạch số …, ngày …, của …, về …."""

    number: str
    day: dt.date
    issuer: str
    title: str


@dataclass(frozen=True)
class Member:
    name: str
    position: str
    role: str  # TeamRole


@dataclass(frozen=True)
class ItemResult:
    code: str
    label: str
    answer: str  # in words
    verdict: str  # "Đạt" / "Chưa đạt" / ""
    failed: bool
    note: str | None = None


@dataclass(frozen=True)
class SectionResult:
    code: str
    title: str
    items: tuple[ItemResult, ...]


@dataclass(frozen=True)
class Photo:
    sha256: str
    path: Path | None  # None: the file is not on this laptop (yet)
    caption: str
    item_code: str | None


@dataclass(frozen=True)
class SignerInfo:
    role: str
    name: str
    position: str
    image: Path | None
    refused: bool
    note: str | None


@dataclass
class MinutesData:
    visit_id: uuid.UUID
    status: str
    number: str | None
    number_suffix: str  # "BB-ĐKTCV": for "Số:      /BB-ĐKTCV" while unnumbered
    parent_agency: str
    agency: str
    place_name: str  # địa danh of Ô4 (the province)
    arrived_at: dt.datetime
    ended_at: dt.datetime | None
    unit_name: str
    place: str
    mode: str
    decision: Citation | None
    plan: Citation | None
    members: list[Member]
    unit_representative: str | None
    has_roll_call: bool
    roll_call: list[RollCall]
    totals: RollCallTotals
    sections: list[SectionResult]
    explanation: str | None
    conclusion: str | None
    strengths: list[str]
    shortcomings: list[str]
    remedies: list[Remedy]
    signers: dict[str, SignerInfo]
    photos: list[Photo]
    copies: int
    content_sha256: str
    attachments_dir: Path
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def day(self) -> dt.date:
        return local(self.arrived_at).date()

    @property
    def is_signed(self) -> bool:
        return self.status == VisitStatus.SIGNED


def load_minutes(session: Session, visit_id: uuid.UUID, *, attachments: Path) -> MinutesData:
    visit = get_visit(session, visit_id)
    unit = session.get(Unit, visit.unit_id)
    if unit is None:
        raise DocumentError(_("Unit not found: {id}").format(id=visit.unit_id))
    team = session.get(Team, visit.team_id) if visit.team_id else None
    plan = session.get(Plan, visit.plan_id) if visit.plan_id else None
    province = province_of(session, unit.id)
    spec = form_spec(session, visit.form_id)

    digest = content_sha256(session, visit.id)
    lock = session.exec(select(VisitLock).where(VisitLock.visit_id == visit.id)).first()
    if lock is not None and lock.content_sha256 != digest:
        raise DocumentError(
            _("The visit's content no longer matches what was signed (lock {locked}, now {now})").format(
                locked=lock.content_sha256[:12], now=digest[:12]
            )
        )

    rows = roll_call_rows(session, visit.id) if spec.roll_call else []
    findings = visit_findings(session, visit.id)
    ended = visit.completed_at
    if ended is not None and ended < (visit.arrived_at or visit.started_at):
        ended = None  # a clock set wrong: better blank for the pen than an end before the start

    return MinutesData(
        visit_id=visit.id,
        status=visit.status,
        number=visit.number,
        number_suffix=f"BB-{team.short_issuer if team else 'ĐKTCV'}",
        parent_agency=team.issuer if team else "",
        agency=team_heading(team),
        place_name=province.proper_name if province else unit.proper_name,
        arrived_at=visit.arrived_at or visit.started_at,
        ended_at=ended,
        unit_name=unit.name,
        place=visit.place or unit.name,
        mode=visit.mode,
        decision=team_decision(session, team),
        plan=Citation(plan.number, plan.issued_on, plan.issuer, plan.title) if plan else None,
        members=_members(session, visit.id),
        unit_representative=visit.unit_representative,
        has_roll_call=spec.roll_call,
        roll_call=rows,
        totals=totals_of(rows),
        sections=_results(session, visit.id, spec),
        explanation=visit.explanation,
        conclusion=visit.conclusion,
        strengths=[f.text for f in findings if f.kind == "strength"],
        shortcomings=[f.text for f in findings if f.kind != "strength"],
        remedies=list(
            session.exec(
                select(Remedy)
                .where(Remedy.visit_id == visit.id, Remedy.deleted == False)  # noqa: E712
                .order_by(col(Remedy.sort_order), col(Remedy.id))
            ).all()
        ),
        signers=_signers(session, visit.id, attachments),
        photos=_photos(session, visit.id, attachments),
        copies=visit.copies,
        content_sha256=digest,
        attachments_dir=attachments,
    )


def team_heading(team: Team | None) -> str:
    """Ô2 line 2: "Đoàn kiểm tra công vụ tỉnh Hà Tĩnh năm 2026" → "Đoàn kiểm tra công vụ" (the place
    is in line 1 already; the year is in the date)."""
    if team is None:
        return "Đoàn kiểm tra công vụ"
    name = nfc(team.name)
    words = name.split()
    if len(words) > 2 and words[-2].casefold() == "năm" and words[-1].isdigit():
        name = " ".join(words[:-2])
    issuer = nfc(team.issuer)
    place = issuer.split(" ", 1)[1] if issuer.upper().startswith("UBND ") else ""
    if place and name.endswith(" " + place):
        name = name[: -len(place) - 1]
    return name


def roll_call_sentence(totals: RollCallTotals) -> str:
    """The totals of the roll call as the minutes state them (without the closing full stop)."""
    t = totals
    parts = [
        f"Tổng số cán bộ, công chức, viên chức, người lao động theo danh sách: {t.total} người",
        f"có mặt: {t.present}",
        f"đi muộn: {t.late}",
        f"vắng có lý do: {t.absent_with_reason}",
        f"vắng không lý do: {t.absent_without_reason}",
        f"không đeo thẻ: {t.no_badge}",
        f"không có biển tên: {t.no_name_plate}",
        f"trang phục chưa đạt: {t.dress_not_ok}",
    ]
    if t.unmarked:
        parts.append(f"chưa điểm danh: {t.unmarked}")
    return "; ".join(parts)


def team_decision(session: Session, team: Team | None) -> Citation | None:
    """The newest decision that formed ``team``, as a citation (minutes and reports cite it)."""
    if team is None:
        return None
    row = session.exec(
        select(TeamDecision)
        .where(TeamDecision.team_id == team.id, TeamDecision.deleted == False)  # noqa: E712
        .order_by(col(TeamDecision.signed_on).desc())
    ).first()
    return Citation(row.number, row.signed_on, team.issuer, row.title) if row else None


def _members(session: Session, visit_id: uuid.UUID) -> list[Member]:
    pairs = session.exec(
        select(VisitMember, Inspector)
        .join(Inspector, col(Inspector.id) == col(VisitMember.inspector_id))
        .where(VisitMember.visit_id == visit_id, VisitMember.deleted == False)  # noqa: E712
    ).all()
    order: dict[str, int] = {role: i for i, role in enumerate(TEAM_ROLE_ORDER)}
    members = [Member(i.full_name, i.position, m.role) for m, i in pairs]
    return sorted(members, key=lambda m: (order.get(m.role, len(order)), m.name))


def _results(session: Session, visit_id: uuid.UUID, spec: FormSpec) -> list[SectionResult]:
    answers_rows = session.exec(
        select(Answer).where(Answer.visit_id == visit_id, Answer.deleted == False)  # noqa: E712
    ).all()
    values: dict[str, Any] = {a.item_code: json.loads(a.value) for a in answers_rows if a.value is not None}
    notes = {a.item_code: a.note for a in answers_rows if a.note}
    values |= auto_values(session, visit_id, spec)  # live roll-call totals, as completion uses
    visible = {item.code for item in spec.visible_items(values)}
    sections = []
    for section in spec.sections:
        items = tuple(
            _item_result(item, values.get(item.code), notes.get(item.code))
            for item in section.items
            if item.code in visible
        )
        if items:
            sections.append(SectionResult(section.code, section.title, items))
    return sections


def answer_words(item: Item, value: Any) -> str:
    """An answer as the minutes write it (Vietnamese whatever the UI language)."""
    if value is None or value == "" or value == []:
        return NOT_RECORDED
    if item.type in ("yes_no", "yes_no_na") and isinstance(value, str):
        return YES_NO.get(value, value)
    if item.type == "photo" and isinstance(value, list):
        return f"{len(value)} ảnh"
    if item.type == "date" and isinstance(value, str):
        return iso_to_dmy(value)
    if item.type == "table" and isinstance(value, list):
        labels = {c.code: c.label for c in item.columns}
        lines = []
        for row in value:
            if isinstance(row, dict):
                cells = [
                    f"{labels.get(k, k)}: {iso_to_dmy(str(v)) if v is not None else NOT_RECORDED}"
                    for k, v in row.items()
                ]
                lines.append("; ".join(cells))
        return "\n".join(lines) or NOT_RECORDED
    if item.type == "multi_choice" and isinstance(value, list):
        return ", ".join(item.display_value(v) for v in value)
    return nfc(item.display_value(value))


def _item_result(item: Item, value: Any, note: str | None) -> ItemResult:
    failed = item.fails(value)
    verdict = FAILED if failed else (PASSED if item.fail_when is not None and value is not None else "")
    return ItemResult(item.code, item.label, answer_words(item, value), verdict, failed, note)


def _signers(session: Session, visit_id: uuid.UUID, store: Path) -> dict[str, SignerInfo]:
    pairs = session.exec(
        select(Signature, Attachment)
        .join(Attachment, col(Attachment.id) == col(Signature.attachment_id), isouter=True)
        .where(Signature.visit_id == visit_id, Signature.deleted == False)  # noqa: E712
    ).all()
    signers = {}
    for sig, att in pairs:
        path = blob_path(store, att.sha256) if att is not None else None
        signers[sig.role] = SignerInfo(
            role=sig.role,
            name=sig.signer_name,
            position=sig.signer_position,
            image=path if path is not None and path.is_file() else None,
            refused=sig.refused,
            note=sig.refusal_note,
        )
    return signers


def _photos(session: Session, visit_id: uuid.UUID, store: Path) -> list[Photo]:
    pairs = session.exec(
        select(AttachmentLink, Attachment)
        .join(Attachment, col(Attachment.id) == col(AttachmentLink.attachment_id))
        .where(
            AttachmentLink.visit_id == visit_id,
            AttachmentLink.deleted == False,  # noqa: E712
            AttachmentLink.role == "photo",
        )
        .order_by(col(AttachmentLink.item_code), col(AttachmentLink.taken_at), col(AttachmentLink.id))
    ).all()
    photos = []
    for link, att in pairs:
        path = blob_path(store, att.sha256)
        photos.append(
            Photo(
                sha256=att.sha256,
                path=path if path.is_file() else None,
                caption=link.caption or "",
                item_code=link.item_code,
            )
        )
    return photos
