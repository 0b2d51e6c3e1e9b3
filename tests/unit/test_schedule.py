"""Lateness: measured in Asia/Ho_Chi_Minh against the schedule in force that day."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from inspector_app.core.db import session_scope
from inspector_app.core.models import Unit, WorkSchedule
from inspector_app.core.services.schedule import VN_TZ, lateness, schedule_for
from inspector_app.core.workspace import Workspace


def _unit(s: Session, code: str = "HT-XA-THACH-KHE") -> Unit:
    return s.exec(select(Unit).where(Unit.code == code)).one()


def _at(y: int, m: int, d: int, hh: int, mm: int) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN_TZ).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("when", "late"),
    [
        (_at(2026, 4, 14, 7, 20), 0),  # last winter day: work starts 07:30
        (_at(2026, 4, 14, 7, 50), 20),
        (_at(2026, 4, 15, 7, 20), 20),  # first summer day: work starts 07:00
        (_at(2026, 4, 15, 6, 55), 0),
        (_at(2026, 10, 14, 7, 10), 10),  # last summer day
        (_at(2026, 10, 15, 7, 10), 0),  # first winter day
        (_at(2026, 4, 15, 13, 45), 15),  # afternoon session starts 13:30
        (_at(2026, 4, 15, 12, 40), 0),  # lunch, before the middle of the break: morning, long over
    ],
)
def test_lateness_follows_the_season(demo_ws: Workspace, when: dt.datetime, late: int) -> None:
    with Session(demo_ws.engine) as s:
        assert lateness(s, _unit(s).id, when) == late


def test_arrival_late_in_the_utc_day_is_judged_on_the_local_day(demo_ws: Workspace) -> None:
    # 14 April 23:50 UTC is 15 April 06:50 in Hà Tĩnh: the summer schedule applies.
    with Session(demo_ws.engine) as s:
        sched = schedule_for(
            s, _unit(s).id, dt.datetime(2026, 4, 14, 23, 50, tzinfo=dt.UTC).astimezone(VN_TZ).date()
        )
    assert sched is not None and sched.season == "summer"


def test_grace_minutes_apply_only_where_the_schedule_sets_them(demo_ws: Workspace) -> None:
    with session_scope(demo_ws.engine) as s:
        unit = _unit(s)
        for sched in s.exec(select(WorkSchedule)).all():
            sched.grace_minutes = 5
        assert lateness(s, unit.id, _at(2026, 11, 24, 7, 34)) == 0
        assert lateness(s, unit.id, _at(2026, 11, 24, 7, 36)) == 6


def test_no_schedule_means_no_judgement(demo_ws: Workspace) -> None:
    with Session(demo_ws.engine) as s:
        assert lateness(s, _unit(s).id, _at(2031, 1, 5, 9, 0)) is None
