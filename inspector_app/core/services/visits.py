"""A visit from arrival to completion: start, answers, completion check."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from inspector_app.core.forms import AnswerError, FormSpec
from inspector_app.core.ids import answer_id, roll_call_id, stable_id, uuid7
from inspector_app.core.models import (
    Answer,
    FormVersion,
    Inspector,
    Official,
    Plan,
    PlannedVisit,
    RollCall,
    Team,
    TeamMember,
    Unit,
    Visit,
    VisitMember,
    VisitMode,
    VisitStatus,
    utcnow,
)
from inspector_app.core.services import audit
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput, Missing, NotFound, VisitIncomplete
from inspector_app.core.services.forms_registry import form_spec, latest_form
from inspector_app.core.services.locking import ensure_editable
from inspector_app.core.text import nfc_or_none
from inspector_app.i18n import _


def get_visit(session: Session, visit_id: uuid.UUID) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None or visit.deleted:
        raise NotFound(_("Visit not found: {id}").format(id=visit_id))
    return visit


def editable_visit(session: Session, visit_id: uuid.UUID) -> Visit:
    visit = get_visit(session, visit_id)
    ensure_editable(session, visit)
    return visit


def start_visit(
    session: Session,
    editor: Editor,
    *,
    unit_id: uuid.UUID,
    form_id: uuid.UUID,
    team_id: uuid.UUID | None = None,
    plan_id: uuid.UUID | None = None,
    member_ids: Iterable[uuid.UUID] = (),
    mode: str = VisitMode.SURPRISE,
    arrived_at: dt.datetime | None = None,
    place: str | None = None,
    visit_id: uuid.UUID | None = None,
    planned_visit_id: uuid.UUID | None = None,
) -> Visit:
    """Record the team's arrival at a unit and list every current official for the roll call."""
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted:
        raise NotFound(_("Unit not found: {id}").format(id=unit_id))
    form = session.get(FormVersion, form_id)
    if form is None:
        raise NotFound(_("Checklist form not found: {id}").format(id=form_id))
    if mode not in set(VisitMode):
        raise InvalidInput(_("Unknown inspection mode: {mode}").format(mode=mode))
    for parent, model in ((team_id, Team), (plan_id, Plan)):
        if parent is not None and session.get(model, parent) is None:
            raise NotFound(_("Not found: {id}").format(id=parent))
    arrived = arrived_at or utcnow()
    visit = Visit(
        id=visit_id or uuid7(),
        unit_id=unit.id,
        form_id=form.id,
        team_id=team_id,
        plan_id=plan_id,
        planned_visit_id=planned_visit_id,
        mode=mode,
        status=VisitStatus.DRAFT,
        started_at=arrived,
        arrived_at=arrived,
        place=nfc_or_none(place) or _("Headquarters of {unit}").format(unit=unit.name),
        device_id=editor.device_id,
    )
    editor.stamp(visit)
    session.add(visit)
    roles = _team_roles(session, team_id)
    for inspector_id in member_ids:
        if session.get(Inspector, inspector_id) is None:
            raise NotFound(_("Inspector not found: {id}").format(id=inspector_id))
        member = VisitMember(
            id=stable_id("visit-member", visit.id, inspector_id),
            visit_id=visit.id,
            inspector_id=inspector_id,
            role=roles.get(inspector_id, "thanh_vien"),
        )
        editor.stamp(member)
        session.add(member)
    if form_spec(session, form.id).roll_call:
        for row in roster_rows(session, visit.id, unit.id, arrived.date()):
            editor.stamp(row)
            session.add(row)
    detail = {"unit": str(unit.id), "form": str(form.id), "arrived_at": arrived}
    if planned_visit_id is not None:
        detail["planned_visit"] = str(planned_visit_id)
    audit.append(session, editor, action="visit.start", entity="visit", entity_id=visit.id, detail=detail)
    return visit


DEFAULT_FORM_CODE = "kiem-tra-cong-vu-dot-xuat"


def planned_visit_key(planned_visit_id: uuid.UUID) -> uuid.UUID:
    """The id of the visit made from a planned visit: the same on every laptop of the team, so two
    inspectors who both start it offline meet on one visit (and its roll call) after sync."""
    return stable_id("visit", "planned", planned_visit_id)


def start_planned_visit(
    session: Session,
    editor: Editor,
    *,
    planned_visit_id: uuid.UUID,
    member_ids: Iterable[uuid.UUID] = (),
    arrived_at: dt.datetime | None = None,
    place: str | None = None,
    form_id: uuid.UUID | None = None,
) -> Visit:
    """Start the visit the office planned: its unit, team, plan and mode; the planned visit's form,
    else the plan's default form (``form_id`` overrides both)."""
    planned = session.get(PlannedVisit, planned_visit_id)
    if planned is None or planned.deleted:
        raise NotFound(_("Planned visit not found: {id}").format(id=planned_visit_id))
    plan = session.get(Plan, planned.plan_id)
    if plan is None or plan.deleted:
        raise NotFound(_("Plan not found: {id}").format(id=planned.plan_id))
    started = session.exec(
        select(Visit).where(Visit.planned_visit_id == planned.id, Visit.deleted == False)  # noqa: E712
    ).first()
    if started is not None:
        raise InvalidInput(
            _("This planned visit was already started on {date}: open it from the list of visits.").format(
                date=(started.arrived_at or started.started_at).strftime("%d/%m/%Y")
            )
        )
    if form_id is None:
        code = planned.form_code or plan.default_form_code or DEFAULT_FORM_CODE
        form = latest_form(session, code)
        if form is None:
            raise NotFound(_("No checklist form with code {code} is loaded.").format(code=code))
        form_id = form.id
    key = planned_visit_key(planned.id)
    return start_visit(
        session,
        editor,
        unit_id=planned.unit_id,
        form_id=form_id,
        team_id=planned.team_id or plan.team_id,
        plan_id=plan.id,
        member_ids=member_ids,
        mode=planned.mode,
        arrived_at=arrived_at,
        place=place,
        visit_id=key if session.get(Visit, key) is None else None,  # a removed earlier start keeps its id
        planned_visit_id=planned.id,
    )


def _team_roles(session: Session, team_id: uuid.UUID | None) -> dict[uuid.UUID, str]:
    if team_id is None:
        return {}
    rows = session.exec(select(TeamMember).where(TeamMember.team_id == team_id)).all()
    return {m.inspector_id: m.role for m in rows}


def roster_rows(session: Session, visit_id: uuid.UUID, unit_id: uuid.UUID, day: dt.date) -> list[RollCall]:
    """One roll-call row per official still working at the unit that day, in roster order."""
    officials = session.exec(
        select(Official)
        .where(Official.unit_id == unit_id, Official.deleted == False)  # noqa: E712
        .where((col(Official.left_on).is_(None)) | (col(Official.left_on) > day))
        .order_by(col(Official.sort_order), col(Official.full_name))
    ).all()
    return [
        RollCall(
            id=roll_call_id(visit_id, o.id),
            visit_id=visit_id,
            official_id=o.id,
            full_name=o.full_name,
            position=o.position,
            department=o.department,
            kind=o.kind,
            sort_order=i,
        )
        for i, o in enumerate(officials, start=1)
    ]


# --- answers ----------------------------------------------------------------------------------


def record_answer(
    session: Session,
    editor: Editor,
    *,
    visit_id: uuid.UUID,
    item_code: str,
    value: Any,
    note: str | None = None,
) -> Answer:
    """Validate and store one answer. Two devices answering the same item meet on one row."""
    visit = editable_visit(session, visit_id)
    spec = form_spec(session, visit.form_id)
    try:
        item = spec.item(item_code)
    except KeyError:
        raise InvalidInput(_("The form has no item {code}").format(code=item_code)) from None
    try:
        clean = item.validate(value)
    except AnswerError as exc:
        raise InvalidInput(str(exc)) from None
    row = session.get(Answer, answer_id(visit.id, item.code))
    if row is None:
        row = Answer(
            id=answer_id(visit.id, item.code), visit_id=visit.id, item_code=item.code, answered_at=utcnow()
        )
        session.add(row)
    row.value = None if clean is None else json.dumps(clean, ensure_ascii=False)
    row.note = nfc_or_none(note) if note is not None else row.note
    row.answered_at = utcnow()
    row.deleted = False
    editor.stamp(row)
    audit.append(
        session,
        editor,
        action="answer.record",
        entity="answer",
        entity_id=row.id,
        detail={"visit": str(visit.id), "item": item.code, "value": clean},
    )
    return row


def clear_answer(session: Session, editor: Editor, *, visit_id: uuid.UUID, item_code: str) -> None:
    visit = editable_visit(session, visit_id)
    row = session.get(Answer, answer_id(visit.id, item_code))
    if row is None or row.value is None:
        return
    row.value = None
    editor.stamp(row)
    audit.append(
        session,
        editor,
        action="answer.clear",
        entity="answer",
        entity_id=row.id,
        detail={"visit": str(visit.id), "item": item_code},
    )


def answer_values(session: Session, visit_id: uuid.UUID) -> dict[str, Any]:
    rows = session.exec(
        select(Answer).where(Answer.visit_id == visit_id, Answer.deleted == False)  # noqa: E712
    ).all()
    return {a.item_code: json.loads(a.value) for a in rows if a.value is not None}


# --- completion -------------------------------------------------------------------------------


def missing_for_completion(session: Session, visit_id: uuid.UUID) -> list[Missing]:
    """Exactly what still stands between the visit and "completed", in form order."""
    from inspector_app.core.services.roll_call import auto_values  # roll call depends on us

    visit = get_visit(session, visit_id)
    spec: FormSpec = form_spec(session, visit.form_id)
    answers = answer_values(session, visit.id) | auto_values(session, visit.id, spec)
    missing = [
        Missing("item", item.code, item.label)
        for item in spec.items()
        if item.required and item.is_visible(answers) and answers.get(item.code) in (None, "", [])
    ]
    if spec.roll_call:
        unmarked = session.exec(
            select(RollCall)
            .where(RollCall.visit_id == visit.id, RollCall.deleted == False)  # noqa: E712
            .where(col(RollCall.status).is_(None))
            .order_by(col(RollCall.sort_order))
        ).all()
        missing += [
            Missing("roll_call", str(r.id), _("Roll call: no status for {name}").format(name=r.full_name))
            for r in unmarked
        ]
    return missing


def complete_visit(
    session: Session, editor: Editor, *, visit_id: uuid.UUID, at: dt.datetime | None = None
) -> Visit:
    """Mark the visit completed (the minutes' end time is ``at``, now by default)."""
    from inspector_app.core.services.roll_call import fill_auto_answers

    visit = editable_visit(session, visit_id)
    fill_auto_answers(session, editor, visit_id=visit.id)
    missing = missing_for_completion(session, visit.id)
    if missing:
        raise VisitIncomplete(missing)
    visit.status = VisitStatus.COMPLETED
    visit.completed_at = at or utcnow()
    editor.stamp(visit)
    audit.append(session, editor, action="visit.complete", entity="visit", entity_id=visit.id, detail={})
    return visit


def reopen_visit(session: Session, editor: Editor, *, visit_id: uuid.UUID) -> Visit:
    visit = editable_visit(session, visit_id)
    visit.status = VisitStatus.DRAFT
    visit.completed_at = None
    editor.stamp(visit)
    audit.append(session, editor, action="visit.reopen", entity="visit", entity_id=visit.id, detail={})
    return visit


_VISIT_TEXT_FIELDS = ("place", "unit_representative", "explanation", "conclusion", "number")


def update_visit(session: Session, editor: Editor, *, visit_id: uuid.UUID, **fields: Any) -> Visit:
    """Change the visit's own text fields (place, representative, explanation, conclusion, number)
    or ``copies``."""
    visit = editable_visit(session, visit_id)
    changed: dict[str, Any] = {}
    for name, value in fields.items():
        if name in _VISIT_TEXT_FIELDS:
            value = nfc_or_none(value)
        elif name == "copies":
            if not isinstance(value, int) or not 1 <= value <= 20:
                raise InvalidInput(_("Number of copies must be a whole number from 1 to 20"))
        else:
            raise InvalidInput(_("Unknown field: {name}").format(name=name))
        setattr(visit, name, value)
        changed[name] = value
    editor.stamp(visit)
    audit.append(session, editor, action="visit.update", entity="visit", entity_id=visit.id, detail=changed)
    return visit
