"""The roll call (bảng điểm danh): one row per official, lateness from the schedule, totals
that fill the checklist's counts."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session, col, select

from inspector_app.core.forms import FormSpec
from inspector_app.core.ids import answer_id, stable_id
from inspector_app.core.models import (
    ON_SITE,
    Answer,
    AttendanceStatus,
    Attitude,
    Badge,
    Dress,
    NamePlate,
    OfficialKind,
    RollCall,
    utcnow,
)
from inspector_app.core.services import audit
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput, NotFound
from inspector_app.core.services.forms_registry import form_spec
from inspector_app.core.services.schedule import lateness
from inspector_app.core.services.visits import editable_visit, get_visit
from inspector_app.core.text import fold, nfc, nfc_or_none
from inspector_app.i18n import _

_UNSET: Any = object()
_ENUMS = {"badge": Badge, "dress": Dress, "name_plate": NamePlate, "attitude": Attitude}
_TEXT = ("reason", "note")
ABSENT = frozenset(set(AttendanceStatus) - ON_SITE)


def record_roll_call(
    session: Session,
    editor: Editor,
    *,
    row_id: uuid.UUID,
    status: str | None = _UNSET,
    arrival_at: dt.datetime | None = _UNSET,
    badge: str | None = _UNSET,
    dress: str | None = _UNSET,
    name_plate: str | None = _UNSET,
    attitude: str | None = _UNSET,
    reason: str | None = _UNSET,
    evidence_id: uuid.UUID | None = _UNSET,
    note: str | None = _UNSET,
) -> RollCall:
    """Change the given columns of one roll-call row; the others stay as they are.

    Marking someone late without a time takes "now"; lateness comes from the schedule in force
    that day. A given arrival time after the session started turns "present" into "late".
    """
    row = session.get(RollCall, row_id)
    if row is None or row.deleted:
        raise NotFound(_("Roll-call row not found: {id}").format(id=row_id))
    visit = editable_visit(session, row.visit_id)
    changed: dict[str, Any] = {}
    if status is not _UNSET:
        if status is not None and status not in set(AttendanceStatus):
            raise InvalidInput(_("Unknown attendance status: {value}").format(value=status))
        row.status = status
        changed["status"] = status
        if status in ABSENT:
            row.arrival_at, row.minutes_late = None, None
            if badge is _UNSET and row.badge in (None, Badge.WORN, Badge.NOT_WORN):
                badge = Badge.NA  # nobody to look at: the badge column does not apply
        if status == AttendanceStatus.LATE and arrival_at is _UNSET and row.arrival_at is None:
            arrival_at = utcnow()
    given = {"badge": badge, "dress": dress, "name_plate": name_plate, "attitude": attitude,
             "reason": reason, "note": note}  # fmt: skip
    for name, enum in _ENUMS.items():
        value = given[name]
        if value is _UNSET:
            continue
        if value is not None and value not in set(enum):
            raise InvalidInput(_("Unknown value {value!r} for {column}").format(value=value, column=name))
        setattr(row, name, value)
        changed[name] = value
    for name in _TEXT:
        value = given[name]
        if value is not _UNSET:
            setattr(row, name, nfc_or_none(value))
            changed[name] = getattr(row, name)
    if evidence_id is not _UNSET:
        row.evidence_id = evidence_id
        changed["evidence_id"] = str(evidence_id) if evidence_id else None
    if arrival_at is not _UNSET:
        if arrival_at is not None and arrival_at.tzinfo is None:
            raise InvalidInput(_("Arrival time needs a time zone"))
        row.arrival_at = arrival_at
        row.minutes_late = lateness(session, visit.unit_id, arrival_at) if arrival_at else None
        if row.minutes_late and row.status in (None, AttendanceStatus.PRESENT):
            row.status = AttendanceStatus.LATE
        changed["arrival_at"] = arrival_at
        changed["minutes_late"] = row.minutes_late
    editor.stamp(row)
    audit.append(
        session,
        editor,
        action="roll_call.record",
        entity="roll_call",
        entity_id=row.id,
        detail={"visit": str(visit.id), **changed},
    )
    return row


def add_person(
    session: Session,
    editor: Editor,
    *,
    visit_id: uuid.UUID,
    full_name: str,
    position: str = "",
    kind: str = OfficialKind.CONG_CHUC,
    department: str | None = None,
) -> RollCall:
    """Someone found at the unit who is not in the registry: added to this visit's roll call only."""
    visit = editable_visit(session, visit_id)
    name = nfc(full_name)
    if not name:
        raise InvalidInput(_("Full name is required"))
    if kind not in set(OfficialKind):
        raise InvalidInput(_("Unknown kind of official: {value}").format(value=kind))
    last = session.exec(
        select(RollCall.sort_order)
        .where(RollCall.visit_id == visit.id)
        .order_by(col(RollCall.sort_order).desc())
    ).first()
    row = RollCall(
        # Deterministic: two laptops adding the same person meet on one row.
        id=stable_id("roll-call-extra", visit.id, fold(name), fold(position)),
        visit_id=visit.id,
        official_id=None,
        full_name=name,
        position=nfc(position),
        department=nfc_or_none(department),
        kind=kind,
        sort_order=(last or 0) + 1,
    )
    existing = session.get(RollCall, row.id)
    if existing is not None:
        existing.deleted = False
        editor.stamp(existing)
        return existing
    editor.stamp(row)
    session.add(row)
    audit.append(
        session,
        editor,
        action="roll_call.add_person",
        entity="roll_call",
        entity_id=row.id,
        detail={"visit": str(visit.id), "full_name": name, "position": row.position},
    )
    return row


def roll_call_rows(session: Session, visit_id: uuid.UUID) -> list[RollCall]:
    return list(
        session.exec(
            select(RollCall)
            .where(RollCall.visit_id == visit_id, RollCall.deleted == False)  # noqa: E712
            .order_by(col(RollCall.sort_order), col(RollCall.full_name))
        ).all()
    )


@dataclass(frozen=True)
class RollCallTotals:
    """The totals row: feeds items B1–B5, C1 and C4 of the surprise-inspection form."""

    total: int = 0
    present: int = 0
    late: int = 0
    absent_with_reason: int = 0
    absent_without_reason: int = 0
    unmarked: int = 0
    no_badge: int = 0
    no_name_plate: int = 0
    dress_not_ok: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def totals_of(rows: list[RollCall]) -> RollCallTotals:
    status = Counter(r.status for r in rows)
    return RollCallTotals(
        total=len(rows),
        present=status[AttendanceStatus.PRESENT],
        late=status[AttendanceStatus.LATE],
        absent_with_reason=sum(
            status[s]
            for s in (AttendanceStatus.ABSENT_WITH_REASON, AttendanceStatus.ON_DUTY, AttendanceStatus.LEAVE)
        ),
        absent_without_reason=status[AttendanceStatus.ABSENT_WITHOUT_REASON]
        + status[AttendanceStatus.UNKNOWN],
        unmarked=status[None],
        no_badge=sum(1 for r in rows if r.badge == Badge.NOT_WORN),
        no_name_plate=sum(1 for r in rows if r.name_plate == NamePlate.NO),
        dress_not_ok=sum(1 for r in rows if r.dress == Dress.NOT_OK),
    )


def totals(session: Session, visit_id: uuid.UUID) -> RollCallTotals:
    return totals_of(roll_call_rows(session, visit_id))


def auto_values(session: Session, visit_id: uuid.UUID, spec: FormSpec) -> dict[str, int]:
    """Values of the items the form fills from the roll call (``auto: roll_call.<total>``)."""
    auto_items = [i for i in spec.items() if i.auto]
    if not auto_items or not spec.roll_call:
        return {}
    counts = totals(session, visit_id).as_dict()
    return {i.code: counts[i.auto.split(".", 1)[1]] for i in auto_items if i.auto}


def fill_auto_answers(session: Session, editor: Editor, *, visit_id: uuid.UUID) -> None:
    """Write the roll-call totals into the automatic items (only rows whose value changed)."""
    visit = get_visit(session, visit_id)
    spec = form_spec(session, visit.form_id)
    for code, value in auto_values(session, visit.id, spec).items():
        row = session.get(Answer, answer_id(visit.id, code))
        encoded = json.dumps(value)
        if row is not None and row.value == encoded and not row.deleted:
            continue
        if row is None:
            row = Answer(
                id=answer_id(visit.id, code), visit_id=visit.id, item_code=code, answered_at=utcnow()
            )
            session.add(row)
        row.value, row.deleted, row.answered_at = encoded, False, utcnow()
        editor.stamp(row)
