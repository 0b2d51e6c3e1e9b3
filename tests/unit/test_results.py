"""The office's results (issue 7 item 6): every figure checked against counts taken straight from the
database with plain SQL, over the demo province plus visits with known violations added here."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from sqlmodel import select

from inspector_app.core.db import session_scope
from inspector_app.core.desk.results import Results, ResultsScope, compute_results
from inspector_app.core.models import Plan, PlannedVisit, Team, Unit, Visit
from inspector_app.core.services import reports, roll_call, visits
from inspector_app.core.services.forms_registry import latest_form
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.core.workspace import Workspace
from inspector_app.documents.report_data import build_report_data

SURPRISE = "kiem-tra-cong-vu-dot-xuat"


@dataclass(frozen=True)
class Extra:
    plan_id: uuid.UUID
    demo_team: uuid.UUID
    other_team: uuid.UUID
    signed_visit: uuid.UUID  # demo team, March 2026, made for a planned visit
    other_visit: uuid.UUID  # the other team, February 2026, a draft


def sql(ws: Workspace, query: str, **params: object) -> list[tuple[object, ...]]:
    with ws.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.text(query), params)]


def one(ws: Workspace, query: str, **params: object) -> int:
    return int(sql(ws, query, **params)[0][0] or 0)


def _visit(
    ws: Workspace,
    unit_code: str,
    team_id: uuid.UUID,
    plan_id: uuid.UUID | None,
    when: dt.datetime,
    **kw: object,
) -> uuid.UUID:
    with session_scope(ws.engine) as s:
        unit = s.exec(select(Unit).where(Unit.code == unit_code)).one()
        form = latest_form(s, SURPRISE)
        assert form is not None
        visit = visits.start_visit(
            s, ws.editor, unit_id=unit.id, form_id=form.id, team_id=team_id, plan_id=plan_id,
            arrived_at=when.replace(tzinfo=VN_TZ), **kw,  # type: ignore[arg-type]
        )  # fmt: skip
        s.flush()
        rows = roll_call.roll_call_rows(s, visit.id)
        assert len(rows) >= 5
        marks = [
            {"status": "di_muon"}, {"status": "di_muon", "badge": "khong_deo"}, {"status": "vang_khong_ly_do"},
            {"status": "co_mat", "name_plate": "khong", "dress": "chua_dat"}, {"status": "khong_ro_ly_do"},
        ]  # fmt: skip
        for row, fields in zip(rows, marks, strict=False):
            roll_call.record_roll_call(s, ws.editor, row_id=row.id, **fields)  # type: ignore[arg-type]
        for row in rows[len(marks) :]:
            roll_call.record_roll_call(s, ws.editor, row_id=row.id, status="co_mat", badge="co")
        answers = {"D4": "no", "D5": "no", "D10D": 3, "D3": "yes", "B8": "yes", "C5": "no", "B6": "na"}
        for code, value in answers.items():
            visits.record_answer(s, ws.editor, visit_id=visit.id, item_code=code, value=value)
        return visit.id


@pytest.fixture
def extra(demo_ws: Workspace) -> Extra:
    return add_extra(demo_ws)


def add_extra(ws: Workspace) -> Extra:
    """A second team, planned visits in the demo plan, and two visits with known violations."""
    with session_scope(ws.engine) as s:
        plan = s.exec(select(Plan)).one()
        assert plan.team_id is not None
        other = Team(code="khac", name="Đoàn kiểm tra số 2", issuer="UBND tỉnh Hà Tĩnh")
        ws.editor.stamp(other)
        s.add(other)
        units = {u.code: u.id for u in s.exec(select(Unit))}
        planned = [  # (unit, day, team): one carried out by a visit made for it, one by a demo visit of the
            # plan at its unit, one not yet, one with no day (due by the plan's end), one of the other team
            ("HT-XA-THACH-KHE", dt.date(2026, 3, 12), plan.team_id),
            ("HT-PHUONG-THANH-SEN", dt.date(2026, 3, 2), plan.team_id),
            ("HT-XA-DUC-THO", dt.date(2026, 5, 20), plan.team_id),
            ("HT-SO-TP", None, plan.team_id),
            ("HT-PHUONG-TRAN-PHU", dt.date(2026, 2, 10), other.id),
        ]
        rows = []
        for n, (code, day, team) in enumerate(planned):
            row = PlannedVisit(
                plan_id=plan.id, unit_id=units[code], team_id=team, planned_on=day, sort_order=n
            )
            ws.editor.stamp(row)
            s.add(row)
            rows.append(row)
        ids = (plan.id, plan.team_id, other.id, rows[0].id)
    plan_id, demo_team, other_team, first_planned = ids
    signed = _visit(
        ws,
        "HT-XA-THACH-KHE",
        demo_team,
        plan_id,
        dt.datetime(2026, 3, 12, 7, 50),
        planned_visit_id=first_planned,
    )
    draft = _visit(ws, "HT-PHUONG-TRAN-PHU", other_team, None, dt.datetime(2026, 2, 10, 13, 45))
    with session_scope(ws.engine) as s:  # signed by hand: the signing flow is tested elsewhere
        visit = s.get(Visit, signed)
        assert visit is not None
        visit.status = "signed"
    return Extra(plan_id, demo_team, other_team, signed, draft)


def results(ws: Workspace, **scope: object) -> Results:
    return compute_results(ws.engine, ResultsScope(**scope))  # type: ignore[arg-type]


def test_figures_match_plain_sql(demo_ws: Workspace, extra: Extra) -> None:
    ws = demo_ws
    res = results(ws)
    assert res.visits == one(ws, "SELECT COUNT(*) FROM visit WHERE deleted = 0") >= 8
    assert res.done == one(
        ws, "SELECT COUNT(*) FROM visit WHERE deleted = 0 AND status IN ('completed', 'signed')"
    )
    roll = "FROM roll_call r JOIN visit v ON v.id = r.visit_id WHERE r.deleted = 0 AND v.deleted = 0 AND "
    expected = {
        "late": "r.status = 'di_muon'",
        "absent_without_reason": "r.status IN ('vang_khong_ly_do', 'khong_ro_ly_do')",
        "no_badge": "r.badge = 'khong_deo'",
        "no_name_plate": "r.name_plate = 'khong'",
        "dress_not_ok": "r.dress = 'chua_dat'",
    }
    topics = {t.key: t for t in res.topics if t.source == "roll_call"}
    for key, condition in expected.items():
        people = one(ws, f"SELECT COUNT(*) {roll}{condition}")
        visits_with = one(ws, f"SELECT COUNT(DISTINCT r.visit_id) {roll}{condition}")
        assert people >= 2, key  # our two visits alone bring two of each
        assert (topics[key].people, topics[key].visits) == (people, visits_with), key
        assert res.roll_call[key] == people
    assert res.roll_call["people"] == one(ws, f"SELECT COUNT(*) {roll}1 = 1")

    answer = (
        "FROM answer a JOIN visit v ON v.id = a.visit_id JOIN form_version f ON f.id = v.form_id "
        "WHERE a.deleted = 0 AND v.deleted = 0 AND f.code = :form AND a.item_code = :code"
    )
    checklist = {t.key: t for t in res.topics if t.source == "checklist"}
    fees = checklist["D/D4"]  # "Chưa niêm yết mức thu phí, lệ phí."
    assert fees.visits == one(
        ws, f"SELECT COUNT(*) {answer} AND a.value = '\"no\"'", form=SURPRISE, code="D4"
    )
    assert fees.visits >= 2 and fees.section.startswith("Bộ phận Một cửa")
    late_files = checklist["D/D10D"]
    sums = sql(
        ws,
        f"SELECT COUNT(*), SUM(CAST(a.value AS REAL)) {answer} AND CAST(a.value AS REAL) > 0",
        form=SURPRISE,
        code="D10D",
    )[0]
    assert (late_files.visits, late_files.people) == (sums[0], sums[1])
    assert str(int(sums[1])) in late_files.text  # "Có 6 hồ sơ … trễ hạn"
    assert "B/B6" not in checklist  # "không áp dụng" is no violation
    assert not any(
        k in checklist for k in ("B/B3", "B/B5", "C/C1", "C/C3", "C/C4")
    )  # filled by the roll call

    months = dict(
        sql(
            ws,
            "SELECT strftime('%Y-%m', started_at, '+7 hours'), COUNT(*) FROM visit WHERE deleted = 0 GROUP BY 1",
        )
    )
    assert {f"{m.month:%Y-%m}": m.visits for m in res.months} == months
    feb = next(m for m in res.months if m.month == dt.date(2026, 2, 1))
    people, late = sql(
        ws, f"SELECT COUNT(*), SUM(r.status = 'di_muon') {roll}r.visit_id = :v", v=extra.other_visit.hex
    )[0]
    assert (feb.people, feb.late) == (people, late) and feb.late_share == pytest.approx(late / people)
    assert feb.violations == 2 + 2 + 1 + 1 + 1 + 4  # late, absent, badge, plate, dress; D4, D5, D10D, C5


def test_ranking_is_the_summary_reports(demo_ws: Workspace, extra: Extra) -> None:
    res = results(demo_ws)
    with demo_ws.session() as s:
        expected = {x.unit_id: x for x in reports.unit_scores(s, reports.ReportScope())}
        report = build_report_data(s, date_from=dt.date(2025, 1, 1), date_to=dt.date(2027, 12, 31))
    assert len(res.ranking) == len(expected) >= 6
    for ranked in res.ranking:
        want = expected[ranked.unit.unit_id]
        got = ranked.unit
        assert (got.visits, got.failed_items) == (want.visits, want.failed_items)
        assert (got.applicable_weight, got.passing_weight) == pytest.approx(
            (want.applicable_weight, want.passing_weight)
        )
        assert {k: got.roll_call[k] for k in want.roll_call} == want.roll_call
    assert [r.unit.unit_name for r in res.ranking] == [row.name for row in report.unit_rows]
    assert [r.rank for r in res.ranking] == [row.rank for row in report.unit_rows]


PLANNED = """
SELECT u.name, COUNT(*), SUM(EXISTS (SELECT 1 FROM visit v WHERE v.deleted = 0
        AND v.status IN ('completed', 'signed')
        AND (v.planned_visit_id = p.id OR (v.plan_id = p.plan_id AND v.unit_id = p.unit_id))))
FROM planned_visit p JOIN plan pl ON pl.id = p.plan_id JOIN unit u ON u.id = p.unit_id
WHERE p.deleted = 0 AND COALESCE(p.planned_on, pl.period_to) BETWEEN :start AND :end
  AND (:team IS NULL OR COALESCE(p.team_id, pl.team_id) = :team)
GROUP BY u.name
"""


def planned_sql(
    ws: Workspace, start: dt.date, end: dt.date, team: uuid.UUID | None = None
) -> dict[str, tuple[int, int]]:
    rows = sql(ws, PLANNED, start=start.isoformat(), end=end.isoformat(), team=team.hex if team else None)
    return {str(name): (int(n), int(done)) for name, n, done in rows}  # type: ignore[call-overload]


def planned_of(res: Results) -> dict[str, tuple[int, int]]:
    return {u.unit_name: (u.planned, u.planned_done) for u in res.units if u.planned}


def test_done_against_planned(demo_ws: Workspace, extra: Extra) -> None:
    ws = demo_ws
    res = results(ws, plan_id=extra.plan_id)
    expected = planned_sql(ws, dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    assert planned_of(res) == expected
    assert res.planned == sum(n for n, _ in expected.values()) >= 5
    assert res.planned_done == sum(d for _, d in expected.values())
    assert expected["UBND xã Thạch Khê"][1] >= 1  # ours, made for its planned visit
    assert expected["UBND xã Đức Thọ"][1] == 0  # only a draft there
    assert res.visits == one(
        ws, "SELECT COUNT(*) FROM visit WHERE deleted = 0 AND plan_id = :p", p=extra.plan_id.hex
    )
    done_here = one(
        ws,
        "SELECT COUNT(*) FROM visit v JOIN unit u ON u.id = v.unit_id WHERE v.deleted = 0 AND v.plan_id = :p "
        "AND v.status IN ('completed', 'signed') AND u.name = 'UBND xã Thạch Khê'",
        p=extra.plan_id.hex,
    )
    assert next(u.done for u in res.units if u.unit_name == "UBND xã Thạch Khê") == done_here >= 2

    for start, end in (
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 12, 1), dt.date(2026, 12, 31)),
    ):
        period = results(ws, date_from=start, date_to=end)
        assert planned_of(period) == planned_sql(ws, start, end), (start, end)
    march = planned_of(results(ws, date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31)))
    assert march["UBND xã Thạch Khê"] == (1, 1)  # a day in March, carried out
    december = planned_of(results(ws, date_from=dt.date(2026, 12, 1), date_to=dt.date(2026, 12, 31)))
    assert "Sở Tư pháp tỉnh Hà Tĩnh" in december  # no day given: due by the plan's last day


def test_a_team_sees_its_own_figures(demo_ws: Workspace, extra: Extra) -> None:
    ws = demo_ws
    other = results(ws, team_id=extra.other_team)
    assert other.visits == 1 and [u.unit_name for u in other.units if u.visits] == ["UBND phường Trần Phú"]
    mine = planned_sql(ws, dt.date(2000, 1, 1), dt.date(2100, 1, 1), extra.other_team)
    assert planned_of(other) == mine == {"UBND phường Trần Phú": (1, 0)}
    assert other.roll_call["late"] == one(
        ws,
        "SELECT COUNT(*) FROM roll_call WHERE visit_id = :v AND status = 'di_muon'",
        v=extra.other_visit.hex,
    )
    demo = results(ws, team_id=extra.demo_team)
    assert demo.visits == one(ws, "SELECT COUNT(*) FROM visit WHERE team_id = :t", t=extra.demo_team.hex)
    assert demo.roll_call["late"] + other.roll_call["late"] == results(ws).roll_call["late"]


def test_an_empty_scope(demo_ws: Workspace) -> None:
    res = results(demo_ws, date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 12, 31))
    assert (res.visits, res.planned, res.topics, res.ranking, res.months) == (0, 0, [], [], [])
