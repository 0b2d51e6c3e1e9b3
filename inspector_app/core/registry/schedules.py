"""Working-hour schedules a province sets per season (lateness is measured against them): listing,
adding and editing, with every problem of the input reported at once.

A schedule needs ordered times (morning start < morning end ≤ afternoon start < afternoon end), a
period that does not end before it starts, and no other schedule of the same province covering any
of its days (:func:`inspector_app.core.services.schedule.schedule_for` must find one schedule per day).
Like the other desk edits: stamped, audited, committed by the caller.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session, col, select

from inspector_app.core.models import PROVINCE_TYPES, Unit, WorkSchedule
from inspector_app.core.registry.units import get_unit
from inspector_app.core.services import audit
from inspector_app.core.services.editor import Editor
from inspector_app.core.services.errors import InvalidInput, NotFound
from inspector_app.core.text import nfc
from inspector_app.i18n import _

SEASONS = ("summer", "winter", "all_year")
MAX_GRACE_MINUTES = 60


class ScheduleInvalid(InvalidInput):
    """Every problem of a schedule's input, one per line of the message."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class ScheduleInput:
    """What a clerk types for one schedule."""

    name: str
    season: str
    valid_from: dt.date
    valid_to: dt.date
    morning_start: dt.time
    morning_end: dt.time
    afternoon_start: dt.time
    afternoon_end: dt.time
    grace_minutes: int = 0


def provinces(session: Session) -> list[Unit]:
    """Units that set working hours (tỉnh, thành phố trực thuộc trung ương), by name."""
    rows = session.exec(
        select(Unit).where(col(Unit.unit_type).in_(PROVINCE_TYPES), Unit.deleted == False)  # noqa: E712
    ).all()
    return sorted(rows, key=lambda u: u.name)


def list_schedules(session: Session, province_id: uuid.UUID) -> list[WorkSchedule]:
    return list(
        session.exec(
            select(WorkSchedule)
            .where(WorkSchedule.province_id == province_id, WorkSchedule.deleted == False)  # noqa: E712
            .order_by(col(WorkSchedule.valid_from))
        ).all()
    )


def get_schedule(session: Session, schedule_id: uuid.UUID) -> WorkSchedule:
    row = session.get(WorkSchedule, schedule_id)
    if row is None or row.deleted:
        raise NotFound(_("No working-hour schedule with id {id}.").format(id=schedule_id))
    return row


def _hm(t: dt.time) -> str:
    return t.strftime("%H:%M")


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def problems_of(
    session: Session, province_id: uuid.UUID, data: ScheduleInput, own_id: uuid.UUID | None = None
) -> list[str]:
    """Every reason the schedule cannot be stored (empty when it can)."""
    found: list[str] = []
    if not nfc(data.name):
        found.append(_("{field} must not be empty.").format(field=_("Schedule name")))
    if data.season not in SEASONS:
        found.append(_("Unknown season: {season}").format(season=data.season))
    if not data.morning_start < data.morning_end:
        found.append(
            _("The morning must end after it starts ({start} – {end}).").format(
                start=_hm(data.morning_start), end=_hm(data.morning_end)
            )
        )
    if not data.afternoon_start < data.afternoon_end:
        found.append(
            _("The afternoon must end after it starts ({start} – {end}).").format(
                start=_hm(data.afternoon_start), end=_hm(data.afternoon_end)
            )
        )
    if data.morning_end > data.afternoon_start:
        found.append(
            _("The afternoon ({start}) must start after the morning ends ({end}).").format(
                start=_hm(data.afternoon_start), end=_hm(data.morning_end)
            )
        )
    if not 0 <= data.grace_minutes <= MAX_GRACE_MINUTES:
        found.append(_("Grace minutes must be between 0 and {max}.").format(max=MAX_GRACE_MINUTES))
    if data.valid_to < data.valid_from:
        found.append(
            _("The schedule ends ({end}) before it starts ({start}).").format(
                start=_d(data.valid_from), end=_d(data.valid_to)
            )
        )
    else:
        for other in list_schedules(session, province_id):
            if other.id != own_id and other.valid_from <= data.valid_to and other.valid_to >= data.valid_from:
                found.append(
                    _("The period overlaps “{name}” ({start} – {end}) of the same province.").format(
                        name=other.name, start=_d(other.valid_from), end=_d(other.valid_to)
                    )
                )
    return found


def _province(session: Session, province_id: uuid.UUID) -> Unit:
    unit = get_unit(session, province_id)
    if unit.unit_type not in PROVINCE_TYPES:
        raise InvalidInput(
            _("{unit} is not a province: working hours are set by provinces.").format(unit=unit.name)
        )
    return unit


def _values(data: ScheduleInput) -> dict[str, Any]:
    return asdict(data) | {"name": nfc(data.name)}


def add_schedule(
    session: Session, editor: Editor, *, province_id: uuid.UUID, data: ScheduleInput
) -> WorkSchedule:
    province = _province(session, province_id)
    problems = problems_of(session, province.id, data)
    if problems:
        raise ScheduleInvalid(problems)
    row = WorkSchedule(province_id=province.id, **_values(data))
    editor.stamp(row)
    session.add(row)
    audit.append(
        session,
        editor,
        action="work_schedule.add",
        entity="work_schedule",
        entity_id=row.id,
        detail={"province_id": province.id, **_values(data)},
    )
    return row


def edit_schedule(
    session: Session, editor: Editor, schedule_id: uuid.UUID, *, data: ScheduleInput
) -> WorkSchedule:
    """Replace the schedule's fields; nothing is stamped when nothing differs."""
    row = get_schedule(session, schedule_id)
    problems = problems_of(session, row.province_id, data, own_id=row.id)
    if problems:
        raise ScheduleInvalid(problems)
    changed = {k: [getattr(row, k), v] for k, v in _values(data).items() if getattr(row, k) != v}
    if not changed:
        return row
    for key, (_old, new) in changed.items():
        setattr(row, key, new)
    editor.stamp(row)
    session.add(row)
    audit.append(
        session, editor, action="work_schedule.edit", entity="work_schedule", entity_id=row.id, detail=changed
    )
    return row
