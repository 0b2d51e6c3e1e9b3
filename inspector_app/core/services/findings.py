"""Findings (tồn tại, hạn chế) drafted from failing answers and the roll call; remedies with
owner and deadline; follow-up and addenda, which live beside a signed visit."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlmodel import Session, col, select

from inspector_app.core.ids import stable_id, uuid7
from inspector_app.core.models import (
    Addendum,
    AttendanceStatus,
    Finding,
    Remedy,
    RemedyFollowUp,
    RemedyStatus,
    RollCall,
    Unit,
    utcnow,
)
from inspector_app.core.services import audit
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput, NotFound
from inspector_app.core.services.forms_registry import form_spec
from inspector_app.core.services.roll_call import fill_auto_answers, roll_call_rows
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.core.services.visits import answer_values, editable_visit, get_visit
from inspector_app.core.text import nfc
from inspector_app.i18n import _, ngettext

REMEDY_DAYS = 30  # default deadline for a drafted remedy

# Which roll-call finding tells the same story as a failing automatic count (``auto:`` in the form).
_AUTO_TOPIC = {
    "roll_call.late": "late",
    "roll_call.absent_without_reason": "absent",
    "roll_call.no_badge": "no_badge",
    "roll_call.no_name_plate": "no_name_plate",
    "roll_call.dress_not_ok": "dress",
}


def _names(rows: list[RollCall], with_minutes: bool = False) -> str:
    if with_minutes:
        return ", ".join(
            _("{name} ({minutes} min)").format(name=r.full_name, minutes=r.minutes_late or 0) for r in rows
        )
    return ", ".join(r.full_name for r in rows)


def _roll_call_findings(rows: list[RollCall]) -> dict[str, str]:
    """Finding text per roll-call problem, naming the people concerned."""
    late = [r for r in rows if r.status == AttendanceStatus.LATE]
    absent = [
        r for r in rows if r.status in (AttendanceStatus.ABSENT_WITHOUT_REASON, AttendanceStatus.UNKNOWN)
    ]
    no_badge = [r for r in rows if r.badge == "khong_deo"]
    no_plate = [r for r in rows if r.name_plate == "khong"]
    dress = [r for r in rows if r.dress == "chua_dat"]
    texts: dict[str, str] = {}
    if late:
        texts["late"] = ngettext(
            "{n} official arrived late: {names}.", "{n} officials arrived late: {names}.", len(late)
        ).format(n=len(late), names=_names(late, with_minutes=True))
    if absent:
        texts["absent"] = ngettext(
            "{n} official absent without a reason: {names}.",
            "{n} officials absent without a reason: {names}.",
            len(absent),
        ).format(n=len(absent), names=_names(absent))
    if no_badge:
        texts["no_badge"] = ngettext(
            "{n} official not wearing a badge: {names}.",
            "{n} officials not wearing a badge: {names}.",
            len(no_badge),
        ).format(n=len(no_badge), names=_names(no_badge))
    if no_plate:
        texts["no_name_plate"] = ngettext(
            "{n} desk without a name plate: {names}.",
            "{n} desks without a name plate: {names}.",
            len(no_plate),
        ).format(n=len(no_plate), names=_names(no_plate))
    if dress:
        texts["dress"] = ngettext(
            "{n} official not dressed as required: {names}.",
            "{n} officials not dressed as required: {names}.",
            len(dress),
        ).format(n=len(dress), names=_names(dress))
    return texts


def draft_findings(session: Session, editor: Editor, *, visit_id: uuid.UUID) -> list[Finding]:
    """(Re)draft findings from failing answers and the roll call.

    Ids are deterministic per cause, so drafting twice — or on two laptops — yields one finding.
    A finding edited by hand keeps its text; one whose cause went away is withdrawn (tombstoned).
    A drafted finding whose item suggests a remedy also drafts that remedy, owned by the unit.
    """
    visit = editable_visit(session, visit_id)
    fill_auto_answers(session, editor, visit_id=visit.id)
    spec = form_spec(session, visit.form_id)
    answers = answer_values(session, visit.id)
    roll_texts = _roll_call_findings(roll_call_rows(session, visit.id)) if spec.roll_call else {}
    wanted: dict[uuid.UUID, tuple[str, str, str, str | None]] = {}
    for item in spec.items():
        value = answers.get(item.code)
        if value is not None and item.is_visible(answers) and item.fails(value):
            fid = stable_id("finding", visit.id, "answer", item.code)
            # A count filled from the roll call fails together with its roll-call finding: one
            # finding, worded with the names from the roll call, not two saying the same thing.
            named = roll_texts.pop(_AUTO_TOPIC.get(item.auto or "", ""), None)
            wanted[fid] = ("answer", item.code, named or item.finding_text(value), item.remedy)
    for key, text in roll_texts.items():
        wanted[stable_id("finding", visit.id, "roll_call", key)] = ("roll_call", key, text, None)
    existing = {
        f.id: f
        for f in session.exec(
            select(Finding).where(Finding.visit_id == visit.id, col(Finding.source) != "manual")
        ).all()
    }
    unit = session.get(Unit, visit.unit_id)
    for order, (fid, (source, ref, text, remedy_text)) in enumerate(wanted.items(), start=1):
        row = existing.get(fid)
        if row is None:
            row = Finding(
                id=fid, visit_id=visit.id, source=source, source_ref=ref, text=text, sort_order=order
            )
            session.add(row)
        elif row.edited and row.deleted:
            continue  # withdrawn by hand: re-drafting must not bring it back
        elif row.deleted or (not row.edited and row.text != text) or row.sort_order != order:
            row.deleted = False
            row.sort_order = order
            if not row.edited:
                row.text = text
        else:
            continue
        editor.stamp(row)
        if remedy_text:
            day = (visit.arrived_at or visit.started_at).astimezone(VN_TZ).date()
            _draft_remedy(session, editor, visit.id, fid, remedy_text, unit.name if unit else "", day)
    for fid, row in existing.items():
        if fid not in wanted and not row.deleted:
            row.deleted = True
            editor.stamp(row)
    audit.append(
        session,
        editor,
        action="finding.draft",
        entity="visit",
        entity_id=visit.id,
        detail={"findings": sorted(str(f) for f in wanted)},
    )
    return visit_findings(session, visit.id)


def _draft_remedy(
    session: Session,
    editor: Editor,
    visit_id: uuid.UUID,
    finding_id: uuid.UUID,
    content: str,
    owner: str,
    day: dt.date,
) -> None:
    """A remedy suggested by the form, owned by the unit, due REMEDY_DAYS after the visit."""
    rid = stable_id("remedy", finding_id)
    if session.get(Remedy, rid) is not None:
        return
    remedy = Remedy(
        id=rid,
        visit_id=visit_id,
        finding_id=finding_id,
        content=nfc(content),
        owner=owner,
        deadline=day + dt.timedelta(days=REMEDY_DAYS),
    )
    editor.stamp(remedy)
    session.add(remedy)


def visit_findings(session: Session, visit_id: uuid.UUID) -> list[Finding]:
    return list(
        session.exec(
            select(Finding)
            .where(Finding.visit_id == visit_id, Finding.deleted == False)  # noqa: E712
            .order_by(col(Finding.sort_order))
        ).all()
    )


def add_finding(
    session: Session, editor: Editor, *, visit_id: uuid.UUID, text: str, kind: str = "shortcoming"
) -> Finding:
    visit = editable_visit(session, visit_id)
    if kind not in ("shortcoming", "strength"):
        raise InvalidInput(_("Unknown kind of finding: {value}").format(value=kind))
    if not nfc(text):
        raise InvalidInput(_("A finding needs a text"))
    count = len(visit_findings(session, visit.id))
    row = Finding(
        id=uuid7(),
        visit_id=visit.id,
        source="manual",
        kind=kind,
        text=nfc(text),
        edited=True,
        sort_order=count + 1000,
    )
    editor.stamp(row)
    session.add(row)
    audit.append(
        session,
        editor,
        action="finding.add",
        entity="finding",
        entity_id=row.id,
        detail={"visit": str(visit.id), "text": row.text},
    )
    return row


def update_finding(
    session: Session, editor: Editor, *, finding_id: uuid.UUID, text: str | None = None, delete: bool = False
) -> Finding:
    row = session.get(Finding, finding_id)
    if row is None:
        raise NotFound(_("Finding not found: {id}").format(id=finding_id))
    editable_visit(session, row.visit_id)
    if text is not None:
        if not nfc(text):
            raise InvalidInput(_("A finding needs a text"))
        row.text, row.edited = nfc(text), True
    row.deleted = delete
    if delete:
        row.edited = True  # a drafted finding removed by hand stays removed
    editor.stamp(row)
    audit.append(
        session,
        editor,
        action="finding.update",
        entity="finding",
        entity_id=row.id,
        detail={"text": row.text, "deleted": delete},
    )
    return row


# --- remedies ---------------------------------------------------------------------------------


def _check_remedy(content: str, owner: str, deadline: dt.date | None, status: str) -> None:
    if not nfc(content):
        raise InvalidInput(_("A remedy needs a content"))
    if not nfc(owner):
        raise InvalidInput(_("A remedy needs an owner (who is responsible)"))
    if deadline is not None and not isinstance(deadline, dt.date):
        raise InvalidInput(_("The deadline must be a date"))
    if status not in set(RemedyStatus):
        raise InvalidInput(_("Unknown remedy status: {value}").format(value=status))


def add_remedy(
    session: Session,
    editor: Editor,
    *,
    visit_id: uuid.UUID,
    content: str,
    owner: str,
    deadline: dt.date | None,
    finding_id: uuid.UUID | None = None,
) -> Remedy:
    visit = editable_visit(session, visit_id)
    _check_remedy(content, owner, deadline, RemedyStatus.OPEN)
    count = session.exec(select(Remedy.id).where(Remedy.visit_id == visit.id)).all()
    row = Remedy(
        id=uuid7(),
        visit_id=visit.id,
        finding_id=finding_id,
        content=nfc(content),
        owner=nfc(owner),
        deadline=deadline,
        sort_order=len(count) + 1,
    )
    editor.stamp(row)
    session.add(row)
    audit.append(
        session,
        editor,
        action="remedy.add",
        entity="remedy",
        entity_id=row.id,
        detail={"visit": str(visit.id), "content": row.content, "owner": row.owner, "deadline": deadline},
    )
    return row


def update_remedy(session: Session, editor: Editor, *, remedy_id: uuid.UUID, **fields: Any) -> Remedy:
    row = session.get(Remedy, remedy_id)
    if row is None:
        raise NotFound(_("Remedy not found: {id}").format(id=remedy_id))
    editable_visit(session, row.visit_id)
    allowed = {"content", "owner", "deadline", "status", "deleted"}
    unknown = set(fields) - allowed
    if unknown:
        raise InvalidInput(_("Unknown field: {name}").format(name=", ".join(sorted(unknown))))
    merged = {k: getattr(row, k) for k in allowed} | fields
    _check_remedy(merged["content"], merged["owner"], merged["deadline"], merged["status"])
    for key, value in fields.items():
        setattr(row, key, nfc(value) if isinstance(value, str) and key != "status" else value)
    editor.stamp(row)
    audit.append(session, editor, action="remedy.update", entity="remedy", entity_id=row.id, detail=fields)
    return row


def add_follow_up(
    session: Session,
    editor: Editor,
    *,
    remedy_id: uuid.UUID,
    progress: str,
    status: str,
    reported_on: dt.date | None = None,
    attachment_id: uuid.UUID | None = None,
) -> RemedyFollowUp:
    """Progress on a remedy — allowed after signing: it is recorded beside the visit, not in it."""
    remedy = session.get(Remedy, remedy_id)
    if remedy is None:
        raise NotFound(_("Remedy not found: {id}").format(id=remedy_id))
    if status not in set(RemedyStatus):
        raise InvalidInput(_("Unknown remedy status: {value}").format(value=status))
    if not nfc(progress):
        raise InvalidInput(_("Describe the progress made"))
    row = RemedyFollowUp(
        id=uuid7(),
        remedy_id=remedy.id,
        reported_on=reported_on or utcnow().date(),
        progress=nfc(progress),
        status=status,
        attachment_id=attachment_id,
        recorded_by=editor.actor,
    )
    editor.stamp(row)
    session.add(row)
    audit.append(
        session,
        editor,
        action="remedy.follow_up",
        entity="remedy",
        entity_id=remedy.id,
        detail={"progress": row.progress, "status": status},
    )
    return row


def add_addendum(session: Session, editor: Editor, *, visit_id: uuid.UUID, text: str) -> Addendum:
    """A correction after signing: a new record that references the visit."""
    visit = get_visit(session, visit_id)
    if not nfc(text):
        raise InvalidInput(_("An addendum needs a text"))
    row = Addendum(id=uuid7(), visit_id=visit.id, text=nfc(text), author=editor.actor, created_at=utcnow())
    editor.stamp(row)
    session.add(row)
    audit.append(
        session,
        editor,
        action="visit.addendum",
        entity="visit",
        entity_id=visit.id,
        detail={"text": row.text},
    )
    return row
