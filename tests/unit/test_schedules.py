"""Working-hour schedules at the office desk: added and edited with every problem reported at once
(times out of order, a period ending before it starts, an overlap with another season)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from sqlmodel import col, select

from inspector_app.core.db import session_scope
from inspector_app.core.models import AuditEntry, WorkSchedule
from inspector_app.core.registry.schedules import (
    ScheduleInput,
    ScheduleInvalid,
    add_schedule,
    edit_schedule,
    list_schedules,
    provinces,
)
from inspector_app.core.registry.units import find_unit
from inspector_app.core.services.errors import InvalidInput
from inspector_app.core.services.schedule import VN_TZ, lateness
from inspector_app.core.workspace import Workspace

T = dt.time
SUMMER_2028 = ScheduleInput(
    name="  Giờ làm việc  mùa hè năm 2028 ",
    season="summer",
    valid_from=dt.date(2028, 4, 15),
    valid_to=dt.date(2028, 10, 14),
    morning_start=T(7, 0),
    morning_end=T(11, 30),
    afternoon_start=T(13, 30),
    afternoon_end=T(17, 0),
    grace_minutes=5,
)


def _count(ws: Workspace) -> int:
    with ws.session() as s:
        return len(s.exec(select(WorkSchedule)).all())


def test_list_and_add(demo_ws: Workspace) -> None:
    ws = demo_ws
    with ws.session() as s:
        assert [p.code for p in provinces(s)] == ["HT"]
        province_id = find_unit(s, "HT").id
        assert len(list_schedules(s, province_id)) == 7
    with session_scope(ws.engine) as s:
        row = add_schedule(s, ws.editor, province_id=province_id, data=SUMMER_2028)
        new_id = row.id
    with ws.session() as s:
        stored = s.get(WorkSchedule, new_id)
        assert stored is not None
        assert (stored.name, stored.grace_minutes, stored.dirty) == ("Giờ làm việc mùa hè năm 2028", 5, True)
        assert list_schedules(s, province_id)[-1].id == new_id
        entry = s.exec(select(AuditEntry).order_by(col(AuditEntry.updated_at).desc())).first()
        assert entry is not None and entry.action == "work_schedule.add"
        assert json.loads(entry.detail)["morning_start"] == "07:00:00"
        # lateness now uses it: 07:09 on a summer day of 2028 with 5 minutes' grace is 9 minutes late
        xa = find_unit(s, "HT-XA-THACH-KHE")
        arrival = dt.datetime(2028, 6, 1, 7, 9, tzinfo=VN_TZ).astimezone(dt.UTC)
        assert lateness(s, xa.id, arrival) == 9


def test_bad_times_report_every_problem_and_write_nothing(demo_ws: Workspace) -> None:
    ws = demo_ws
    with ws.session() as s:
        province_id = find_unit(s, "HT").id
    before = _count(ws)
    bad = replace(
        SUMMER_2028,
        name=" ",
        morning_start=T(11, 30),
        morning_end=T(7, 0),
        afternoon_start=T(11, 0),
        afternoon_end=T(10, 0),
        grace_minutes=90,
    )
    with session_scope(ws.engine) as s, pytest.raises(ScheduleInvalid) as refused:
        add_schedule(s, ws.editor, province_id=province_id, data=bad)
    assert refused.value.problems == [
        "Tên lịch làm việc không được để trống.",
        "Giờ kết thúc buổi sáng phải sau giờ bắt đầu (11:30 – 07:00).",
        "Giờ kết thúc buổi chiều phải sau giờ bắt đầu (11:00 – 10:00).",
        "Số phút cho phép chậm phải từ 0 đến 60.",
    ]
    lunch = replace(SUMMER_2028, morning_end=T(12, 0), afternoon_start=T(11, 45))
    with (
        session_scope(ws.engine) as s,
        pytest.raises(ScheduleInvalid, match=r"Buổi chiều \(11:45\) phải bắt đầu sau"),
    ):
        add_schedule(s, ws.editor, province_id=province_id, data=lunch)
    backwards = replace(SUMMER_2028, valid_from=dt.date(2028, 10, 14), valid_to=dt.date(2028, 4, 15))
    with (
        session_scope(ws.engine) as s,
        pytest.raises(ScheduleInvalid, match=r"Ngày kết thúc \(15/04/2028\) trước"),
    ):
        add_schedule(s, ws.editor, province_id=province_id, data=backwards)
    assert _count(ws) == before


def test_no_two_schedules_of_a_province_cover_the_same_day(demo_ws: Workspace) -> None:
    ws = demo_ws
    with ws.session() as s:
        province_id = find_unit(s, "HT").id
        winter = list_schedules(s, province_id)[-1]  # winter 2027 - 2028: 15/10/2027 – 14/04/2028
    overlapping = replace(SUMMER_2028, valid_from=dt.date(2028, 4, 1))
    with session_scope(ws.engine) as s, pytest.raises(ScheduleInvalid) as refused:
        add_schedule(s, ws.editor, province_id=province_id, data=overlapping)
    assert refused.value.problems == [
        "Thời gian áp dụng trùng với “Giờ làm việc mùa đông năm 2027 - 2028” (15/10/2027 – 14/04/2028) "
        "của cùng tỉnh, thành phố."
    ]
    # editing a schedule never collides with itself; with unchanged fields nothing is stamped
    same = ScheduleInput(
        name=winter.name,
        season=winter.season,
        valid_from=winter.valid_from,
        valid_to=winter.valid_to,
        morning_start=winter.morning_start,
        morning_end=winter.morning_end,
        afternoon_start=winter.afternoon_start,
        afternoon_end=winter.afternoon_end,
        grace_minutes=winter.grace_minutes,
    )
    with session_scope(ws.engine) as s:
        edit_schedule(s, ws.editor, winter.id, data=same)
    with session_scope(ws.engine) as s:
        edit_schedule(
            s, ws.editor, winter.id, data=replace(same, grace_minutes=3, valid_to=dt.date(2028, 3, 31))
        )
    with ws.session() as s:
        stored = s.get(WorkSchedule, winter.id)
        assert stored is not None and (stored.grace_minutes, stored.valid_to) == (3, dt.date(2028, 3, 31))
        assert stored.updated_at != winter.updated_at
    # now 1/4/2028 is free: the summer may start then
    with session_scope(ws.engine) as s:
        add_schedule(s, ws.editor, province_id=province_id, data=overlapping)


def test_only_provinces_set_working_hours(demo_ws: Workspace) -> None:
    ws = demo_ws
    with ws.session() as s:
        commune = find_unit(s, "HT-XA-THACH-KHE").id
    with session_scope(ws.engine) as s, pytest.raises(InvalidInput, match="không phải cấp tỉnh"):
        add_schedule(s, ws.editor, province_id=commune, data=SUMMER_2028)
