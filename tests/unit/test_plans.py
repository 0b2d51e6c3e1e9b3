"""The office desk's plans, planned visits and team decisions: validation, numbering, progress, and
starting a planned visit on a laptop."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from inspector_app.core.db import session_scope
from inspector_app.core.desk import decisions, planned_visits, plans
from inspector_app.core.desk.decisions import DecisionFields
from inspector_app.core.desk.plans import PlanFields
from inspector_app.core.models import (
    AuditEntry,
    Plan,
    PlannedVisit,
    Team,
    TeamMember,
    TeamRole,
    Unit,
    Visit,
    VisitStatus,
)
from inspector_app.core.models.documents import DocumentNumber
from inspector_app.core.registry.units import UnitClosed
from inspector_app.core.services import visits
from inspector_app.core.services.errors import InvalidInput
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import set_language

TODAY = dt.date(2026, 5, 4)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    set_language("en")  # the messages are matched in English here; test_i18n checks the Vietnamese
    yield
    set_language("vi")


def fields(**kw: object) -> PlanFields:
    base: dict[str, object] = {
        "title": "Kiểm tra công vụ đột xuất quý III năm 2026",
        "issuer": "UBND tỉnh Hà Tĩnh",
        "issued_on": dt.date(2026, 6, 20),
        "period_from": dt.date(2026, 7, 1),
        "period_to": dt.date(2026, 9, 30),
        "legal_bases": "Luật Cán bộ, công chức số 80/2025/QH15\n\n  Nghị định số 118/2025/NĐ-CP  ",
    }
    return PlanFields(**(base | kw))  # type: ignore[arg-type]


def unit(s: Session, code: str) -> Unit:
    return s.exec(select(Unit).where(Unit.code == code)).one()


def team(s: Session, code: str = "demo") -> Team:
    return s.exec(select(Team).where(Team.code == code)).one()


def make_plan(ws: Workspace, **kw: object) -> uuid.UUID:
    with session_scope(ws.engine) as s:
        return plans.create_plan(s, ws.editor, fields(team_id=team(s).id, **kw)).id


def test_a_plan_takes_the_next_number_of_the_register_or_a_typed_one(demo_ws: Workspace) -> None:
    ws = demo_ws
    with session_scope(ws.engine) as s:
        first = plans.create_plan(s, ws.editor, fields())
        second = plans.create_plan(s, ws.editor, fields(number="46", title="Kế hoạch thứ hai"))
        third = plans.create_plan(s, ws.editor, fields(title="Kế hoạch thứ ba"))
        assert (first.number, second.number, third.number) == ("01/KH-UBND", "46/KH-UBND", "47/KH-UBND")
        assert first.legal_bases == "Luật Cán bộ, công chức số 80/2025/QH15\nNghị định số 118/2025/NĐ-CP"
        register = {r.symbol: r for r in s.exec(select(DocumentNumber)).all()}
        assert register["46/KH-UBND"].manual and register["46/KH-UBND"].entity_id == str(second.id)
        assert register["01/KH-UBND"].summary == first.title and first.dirty
        actions = [a.action for a in s.exec(select(AuditEntry)).all()]
        assert actions.count("plan.create") == 3
    with session_scope(ws.engine) as s, pytest.raises(InvalidInput, match="46/KH-UBND"):
        plans.create_plan(s, ws.editor, fields(number="46/KH-UBND", title="Trùng số"))  # in the register
    with session_scope(ws.engine) as s, pytest.raises(InvalidInput, match="KH"):
        plans.create_plan(s, ws.editor, fields(number="12/QĐ-UBND"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"period_from": dt.date(2026, 10, 1)}, "period"),
        ({"title": "   "}, "empty"),
        ({"issuer": ""}, "empty"),
        ({"default_form_code": "khong-co"}, "khong-co"),
    ],
)
def test_plan_validation(demo_ws: Workspace, change: dict[str, object], message: str) -> None:
    with session_scope(demo_ws.engine) as s:
        before = len(s.exec(select(Plan)).all())
        with pytest.raises(InvalidInput, match=message):
            plans.create_plan(s, demo_ws.editor, fields(**change))
        assert len(s.exec(select(Plan)).all()) == before


def test_planned_visits_rules_and_progress(demo_ws: Workspace) -> None:
    ws = demo_ws
    plan_id = make_plan(ws)
    with session_scope(ws.engine) as s:
        khe, sen = unit(s, "HT-XA-THACH-KHE"), unit(s, "HT-PHUONG-THANH-SEN")
        pv = planned_visits.add_planned_visit(
            s, ws.editor, plan_id, khe.id, planned_on=dt.date(2026, 7, 15), today=TODAY
        )
        assert pv.team_id == team(s).id and pv.mode == "theo_ke_hoach"  # the plan's team by default
        planned_visits.add_planned_visit(s, ws.editor, plan_id, sen.id, mode="dot_xuat", today=TODAY)
        with pytest.raises(InvalidInput, match="already in this plan"):
            planned_visits.add_planned_visit(s, ws.editor, plan_id, khe.id, today=TODAY)
        with pytest.raises(InvalidInput, match="outside the plan"):
            planned_visits.add_planned_visit(
                s, ws.editor, plan_id, unit(s, "HT-SO-TP").id, planned_on=dt.date(2026, 10, 2), today=TODAY
            )
        closed = s.exec(select(Unit).where(Unit.valid_to != None)).first()  # noqa: E711  merged in 2025
        assert closed is not None
        with pytest.raises(UnitClosed):
            planned_visits.add_planned_visit(s, ws.editor, plan_id, closed.id, today=TODAY)
    with session_scope(ws.engine) as s:  # the plan's period cannot shrink past a planned day
        with pytest.raises(InvalidInput, match="outside the new period"):
            plans.edit_plan(s, ws.editor, plan_id, fields(team_id=team(s).id, period_to=dt.date(2026, 7, 10)))
        edited = plans.edit_plan(s, ws.editor, plan_id, fields(team_id=team(s).id, title="Tên mới"))
        assert edited.title == "Tên mới" and edited.number == "01/KH-UBND"  # the number is kept

    rows = _rows(ws, plan_id)
    assert [r.unit_name for r in rows] == ["UBND xã Thạch Khê", "UBND phường Thành Sen"]  # undated last
    assert {r.status for r in rows} == {planned_visits.WAITING}
    progress = _progress(ws, plan_id)
    assert (progress.planned, progress.started, progress.signed) == (2, 0, 0)

    # A laptop of the team starts one: the visit carries plan, planned visit, team and mode.
    with session_scope(ws.engine) as s:
        visit = visits.start_planned_visit(s, ws.editor, planned_visit_id=rows[1].id)
        assert (visit.plan_id, visit.planned_visit_id, visit.mode) == (plan_id, rows[1].id, "dot_xuat")
        assert visit.team_id == team(s).id and visit.id == visits.planned_visit_key(rows[1].id)
    with session_scope(ws.engine) as s:
        with pytest.raises(InvalidInput, match="already started"):
            visits.start_planned_visit(s, ws.editor, planned_visit_id=rows[1].id)
        with pytest.raises(InvalidInput, match="already started"):
            planned_visits.remove_planned_visit(s, ws.editor, rows[1].id)
        with pytest.raises(InvalidInput, match="moved"):
            planned_visits.update_planned_visit(s, ws.editor, rows[1].id, planned_on=dt.date(2026, 8, 1))
        planned_visits.update_planned_visit(s, ws.editor, rows[1].id, note="Đã bắt đầu")  # a note is fine
        # a visit started by hand at the other unit under the plan counts too, and it is signed
        hand = visits.start_visit(
            s,
            ws.editor,
            unit_id=rows[0].unit_id,
            form_id=visit.form_id,
            team_id=visit.team_id,
            plan_id=plan_id,
        )
        hand.status = VisitStatus.SIGNED
    progress = _progress(ws, plan_id)
    assert (progress.planned, progress.started, progress.signed, progress.waiting) == (2, 2, 1, 0)
    with Session(ws.engine) as s:
        assert planned_visits.waiting_planned_visits(s, today=TODAY) == []


def test_reassign_and_remove(demo_ws: Workspace) -> None:
    ws = demo_ws
    plan_id = make_plan(ws)
    with session_scope(ws.engine) as s:
        other = decisions.create_team(
            s, ws.editor, code="doan-2", name="Đoàn số 2", issuer="UBND tỉnh Hà Tĩnh"
        )
        pv = planned_visits.add_planned_visit(
            s, ws.editor, plan_id, unit(s, "HT-XA-THACH-KHE").id, today=TODAY
        )
        pv_id, other_id = pv.id, other.id
    with session_scope(ws.engine) as s:
        planned_visits.update_planned_visit(
            s, ws.editor, pv_id, team_id=other_id, planned_on=dt.date(2026, 8, 3), mode="dot_xuat"
        )
    with Session(ws.engine) as s:
        (waiting,) = planned_visits.waiting_planned_visits(s, [other_id], today=TODAY)
        assert (waiting.team_name, waiting.planned_on, waiting.mode) == (
            "Đoàn số 2",
            dt.date(2026, 8, 3),
            "dot_xuat",
        )
        assert planned_visits.waiting_planned_visits(s, [team(s).id], today=TODAY) == []
    with session_scope(ws.engine) as s:
        planned_visits.remove_planned_visit(s, ws.editor, pv_id)
    with session_scope(ws.engine) as s:
        assert _rows(ws, plan_id) == []
        again = planned_visits.add_planned_visit(
            s, ws.editor, plan_id, unit(s, "HT-XA-THACH-KHE").id, today=TODAY
        )
        assert again.id == pv_id and not again.deleted  # the same row, brought back


def members_of(s: Session, *keys: tuple[str, str]) -> list[tuple[uuid.UUID, str]]:
    from inspector_app.core.demo.province import _sid

    return [(_sid("inspector", key), role) for key, role in keys]


def test_team_decision_sets_the_members(demo_ws: Workspace) -> None:
    ws = demo_ws
    plan_id = make_plan(ws)
    with session_scope(ws.engine) as s:
        new = decisions.add_inspector(
            s, ws.editor, full_name="Trần Văn Mới", position="Chuyên viên", agency="Sở Nội vụ tỉnh Hà Tĩnh"
        )
        members = [
            *members_of(s, ("snv-pgd", TeamRole.LEADER), ("snv-cchc", TeamRole.MEMBER)),
            (new.id, TeamRole.SECRETARY),
        ]
        row = decisions.create_decision(
            s,
            ws.editor,
            DecisionFields(
                team_id=team(s).id,
                signed_on=dt.date(2026, 6, 25),
                signer="Phan Quốc Hưng",
                signer_position="CHỦ TỊCH",
                members=members,
                valid_to=dt.date(2026, 12, 31),
                plan_id=plan_id,
            ),
        )
        assert row.number == "02/QĐ-UBND"  # after the plan's 01: one sequence per issuer and year
        assert row.title == "Về việc thành lập Đoàn kiểm tra công vụ tỉnh Hà Tĩnh năm 2026"
        decision_id, team_id = row.id, row.team_id
    with Session(ws.engine) as s:
        names = [(m.full_name, m.role) for m in decisions.team_members(s, team_id)]
        assert names == [
            ("Lê Văn Thắng", "truong_doan"),
            ("Phạm Thị Thu Hằng", "thanh_vien"),
            ("Trần Văn Mới", "thu_ky"),
        ]
        dropped = s.exec(
            select(TeamMember).where(TeamMember.team_id == team_id, TeamMember.deleted == sa.true())
        ).all()
        assert len(dropped) == 4 and all(m.dirty for m in dropped)  # tombstones travel to the office
        assert decisions.decision_for_plan(s, plan_id).id == decision_id  # type: ignore[union-attr]
    with session_scope(ws.engine) as s:
        f = decisions.decision_fields(s, decisions.get_decision(s, decision_id))
        for bad, message in (
            ([(m, TeamRole.MEMBER) for m, _r in f.members], "exactly one leader"),
            (
                [(m, TeamRole.LEADER if n == 0 else TeamRole.MEMBER) for n, (m, _r) in enumerate(f.members)],
                "secretary",
            ),
            ([*f.members, f.members[0]], "twice"),
            ([], "members"),
        ):
            with pytest.raises(InvalidInput, match=message):
                decisions.edit_decision(
                    s, ws.editor, decision_id, DecisionFields(**(vars(f) | {"members": bad}))
                )
        with pytest.raises(InvalidInput, match="before"):
            decisions.edit_decision(
                s, ws.editor, decision_id, DecisionFields(**(vars(f) | {"valid_to": dt.date(2026, 1, 1)}))
            )
        swapped = [(m, TeamRole.DEPUTY if r == TeamRole.MEMBER else r) for m, r in f.members]
        decisions.edit_decision(
            s, ws.editor, decision_id, DecisionFields(**(vars(f) | {"members": swapped, "number": "126"}))
        )
    with Session(ws.engine) as s:
        assert decisions.get_decision(s, decision_id).number == "126/QĐ-UBND"
        assert [m.role for m in decisions.team_members(s, team_id)] == [
            "truong_doan",
            "pho_truong_doan",
            "thu_ky",
        ]
        assert decisions.find_decision(s, "126/QĐ-UBND").id == decision_id


def _rows(ws: Workspace, plan_id: uuid.UUID) -> list[planned_visits.PlannedRow]:
    with Session(ws.engine) as s:
        return planned_visits.planned_rows(s, plan_id)


def _progress(ws: Workspace, plan_id: uuid.UUID) -> planned_visits.PlanProgress:
    with Session(ws.engine) as s:
        return next(p for p in planned_visits.list_plans(s) if p.plan.id == plan_id)


def test_planned_visit_rows_survive_a_missing_plan_default(demo_ws: Workspace) -> None:
    """A planned visit with neither its own form nor a plan default starts with the surprise form."""
    ws = demo_ws
    with session_scope(ws.engine) as s:
        plan = plans.create_plan(s, ws.editor, fields(team_id=team(s).id))
        assert plan.default_form_code is None
        pv = planned_visits.add_planned_visit(s, ws.editor, plan.id, unit(s, "HT-SO-TP").id, today=TODAY)
        visit = visits.start_planned_visit(s, ws.editor, planned_visit_id=pv.id)
        s.flush()
        assert s.get(Visit, visit.id) is not None and s.get(PlannedVisit, pv.id) is not None


def test_the_laptop_lists_its_own_teams_planned_visits(demo_ws: Workspace) -> None:
    from inspector_app.core.desk.access import ROLE_KEY
    from inspector_app.core.ids import stable_id
    from inspector_app.core.services.editor import set_setting

    ws = demo_ws
    plan_id = make_plan(ws)
    with session_scope(ws.engine) as s:
        other = decisions.create_team(
            s, ws.editor, code="doan-2", name="Đoàn số 2", issuer="UBND tỉnh Hà Tĩnh"
        )
        planned_visits.add_planned_visit(s, ws.editor, plan_id, unit(s, "HT-XA-THACH-KHE").id, today=TODAY)
        planned_visits.add_planned_visit(
            s, ws.editor, plan_id, unit(s, "HT-SO-TP").id, team_id=other.id, today=TODAY
        )
        other_id = other.id
    with session_scope(ws.engine) as s:
        assert planned_visits.laptop_team_ids(s) is None  # the demo: no office, everyone's
        set_setting(s, "sync.user", "an")
        set_setting(s, ROLE_KEY, "inspector")
        assert planned_visits.laptop_team_ids(s) is None  # never synced its team: what the office sent
        an = decisions.add_inspector(
            s,
            ws.editor,
            full_name="an",
            position="-",
            agency="-",
            inspector_id=stable_id("office-user", "an"),
        )  # as the office makes the inspector record of its user "an", and pulls it with the team
        s.add(TeamMember(team_id=other_id, inspector_id=an.id, role="thanh_vien"))
    with Session(ws.engine) as s:
        mine = planned_visits.laptop_team_ids(s)
        assert mine == {other_id}
        assert [r.unit_name for r in planned_visits.waiting_planned_visits(s, mine, today=TODAY)] == [
            "Sở Tư pháp tỉnh Hà Tĩnh"
        ]
    with session_scope(ws.engine) as s:
        set_setting(s, ROLE_KEY, "admin")
        assert planned_visits.laptop_team_ids(s) is None


def test_a_typed_decision_number_already_in_use_is_refused(demo_ws: Workspace) -> None:
    ws = demo_ws
    with session_scope(ws.engine) as s, pytest.raises(InvalidInput, match="125/QĐ-UBND"):
        decisions.create_decision(
            s,
            ws.editor,
            DecisionFields(
                team_id=team(s).id,
                signed_on=dt.date(2026, 6, 25),
                signer="Phan Quốc Hưng",
                number="125/QĐ-UBND",  # the demo's decision
                members=members_of(s, ("snv-pgd", TeamRole.LEADER), ("snv-cv", TeamRole.SECRETARY)),
            ),
        )
