"""Working hours and lateness. Times are stored in UTC; lateness is judged on the clock of
Asia/Ho_Chi_Minh against the schedule the unit's province had in force that day."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from inspector_app.core.models import PROVINCE_TYPES, Unit, WorkSchedule

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # tzdata is a dependency: Windows has no zone database


def province_of(session: Session, unit_id: uuid.UUID) -> Unit | None:
    unit = session.get(Unit, unit_id)
    seen: set[uuid.UUID] = set()
    while (
        unit is not None and unit.unit_type not in PROVINCE_TYPES and unit.parent_id and unit.id not in seen
    ):
        seen.add(unit.id)
        unit = session.get(Unit, unit.parent_id)
    return unit if unit is not None and unit.unit_type in PROVINCE_TYPES else None


def schedule_for(session: Session, unit_id: uuid.UUID, day: dt.date) -> WorkSchedule | None:
    """The schedule in force on ``day`` for the unit's province (the latest-starting one if several)."""
    province = province_of(session, unit_id)
    if province is None:
        return None
    return session.exec(
        select(WorkSchedule)
        .where(
            WorkSchedule.province_id == province.id,
            WorkSchedule.deleted == False,  # noqa: E712
            col(WorkSchedule.valid_from) <= day,
            col(WorkSchedule.valid_to) >= day,
        )
        .order_by(col(WorkSchedule.valid_from).desc())
        .limit(1)
    ).first()


def _minutes(t: dt.time) -> float:
    return t.hour * 60 + t.minute + t.second / 60


def session_start(schedule: WorkSchedule, local_time: dt.time) -> dt.time:
    """Morning or afternoon: an arrival before the middle of the lunch break counts for the morning."""
    lunch_middle = (_minutes(schedule.morning_end) + _minutes(schedule.afternoon_start)) / 2
    return schedule.morning_start if _minutes(local_time) < lunch_middle else schedule.afternoon_start


def minutes_late(schedule: WorkSchedule, arrival_utc: dt.datetime) -> int:
    """Whole minutes after the session started; 0 within the schedule's grace period, if it sets one."""
    local = arrival_utc.astimezone(VN_TZ)
    start = session_start(schedule, local.time())
    late = int((_minutes(local.time()) - _minutes(start)) // 1)
    return late if late > schedule.grace_minutes else 0


def lateness(session: Session, unit_id: uuid.UUID, arrival_utc: dt.datetime) -> int | None:
    """Minutes late at this unit, or None when no schedule covers that day."""
    day = arrival_utc.astimezone(VN_TZ).date()
    schedule = schedule_for(session, unit_id, day)
    return None if schedule is None else minutes_late(schedule, arrival_utc)
