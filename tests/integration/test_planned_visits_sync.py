"""Issue 7 item 3, done when: an office clerk (admin laptop) makes a plan, a team decision and
planned visits, and syncs; an inspector of the planned team receives the planned visit after a
sync and starts it; an inspector of another team does not receive it. Against a real office on
SQLite and on PostgreSQL (INSPECTOR_TEST_PG_URL)."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select
from sync_helpers import OTHER_TEAM, Office, laptop, office_fixture  # noqa: F401

from inspector_app.core.db import session_scope
from inspector_app.core.demo.province import _sid
from inspector_app.core.desk import decisions, planned_visits, plans
from inspector_app.core.ids import stable_id
from inspector_app.core.models import PlannedVisit, Team, TeamDecision, TeamMember, TeamRole, Unit, Visit
from inspector_app.core.registry.units import local_today
from inspector_app.core.services import visits
from inspector_app.core.workspace import Workspace
from inspector_app.sync import client
from inspector_app.sync.tables import table


def _team(s: Session, code: str) -> Team:
    return s.exec(select(Team).where(Team.code == code)).one()


def _unit(s: Session, code: str) -> Unit:
    return s.exec(select(Unit).where(Unit.code == code)).one()


def _office_plan(ws: Workspace) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID, uuid.UUID]:
    """On the admin laptop: plan, team decision (its members include inspector "an"), one planned
    visit for the demo team and one for the other team. Returns plan, decision and the two ids."""
    today = local_today()
    with session_scope(ws.engine) as s:
        demo, other = _team(s, "demo"), _team(s, OTHER_TEAM)
        plan = plans.create_plan(
            s,
            ws.editor,
            plans.PlanFields(
                title="Kiểm tra công vụ đột xuất tháng này",
                issuer="UBND tỉnh Hà Tĩnh",
                issued_on=today,
                period_from=today,
                period_to=today + dt.timedelta(days=60),
                team_id=demo.id,
                default_form_code="kiem-tra-cong-vu-dot-xuat",
                signer="Phan Quốc Hưng",
            ),
        )
        decision = decisions.create_decision(
            s,
            ws.editor,
            decisions.DecisionFields(
                team_id=demo.id,
                signed_on=today,
                signer="Phan Quốc Hưng",
                plan_id=plan.id,
                valid_to=today + dt.timedelta(days=90),
                members=[
                    (_sid("inspector", "snv-pgd"), TeamRole.LEADER),
                    (stable_id("office-user", "an"), TeamRole.MEMBER),  # the office's user "an"
                    (stable_id("office-user", "binh"), TeamRole.SECRETARY),
                ],
            ),
        )
        ours = planned_visits.add_planned_visit(
            s, ws.editor, plan.id, _unit(s, "HT-XA-THACH-KHE").id, planned_on=today + dt.timedelta(days=3)
        )
        theirs = planned_visits.add_planned_visit(
            s, ws.editor, plan.id, _unit(s, "HT-XA-DUC-THO").id, team_id=other.id, mode="dot_xuat"
        )
        return plan.id, decision.id, ours.id, theirs.id


def _planned_ids(ws: Workspace, plan_id: uuid.UUID) -> set[uuid.UUID]:
    """The planned visits of the plan made here (the demo's own plan has some for the demo team)."""
    with Session(ws.engine) as s:
        live = PlannedVisit.deleted == sa.false()
        return set(s.exec(select(PlannedVisit.id).where(live, PlannedVisit.plan_id == plan_id)).all())


def test_a_planned_visit_reaches_only_the_planned_team(office: Office, tmp_path: Path) -> None:
    clerk = laptop(tmp_path / "clerk", office, "quantri")
    first = client.sync(clerk)  # the office's users (and their inspector records) come down first
    assert first.conflicts == 0  # the shipped forms, registered on both sides, are the same forms
    plan_id, decision_id, ours, theirs = _office_plan(clerk)
    report = client.sync(clerk)
    assert not report.rejected, report.rejected

    with Session(office.engine) as s:  # the office took the clerk's reference data
        assert {p.id for p in s.exec(select(PlannedVisit).where(PlannedVisit.plan_id == plan_id)).all()} == {
            ours,
            theirs,
        }
        decision = s.get(TeamDecision, decision_id)
        assert decision is not None and decision.plan_id == plan_id
        live = s.exec(
            select(TeamMember.inspector_id).where(
                TeamMember.team_id == decision.team_id, TeamMember.deleted == sa.false()
            )
        ).all()
        assert set(live) == {
            _sid("inspector", "snv-pgd"),
            stable_id("office-user", "an"),
            stable_id("office-user", "binh"),
        }
    numbers = table("document_number")
    with office.engine.connect() as conn:
        symbols = set(conn.execute(sa.select(numbers.c.symbol)).scalars())
    assert {"01/KH-UBND", "02/QĐ-UBND"} <= symbols

    # An inspector of the demo team: the planned visit arrives, waits, and can be started.
    an = laptop(tmp_path / "an", office, "an")
    client.sync(an)
    assert _planned_ids(an, plan_id) == {ours}
    with Session(an.engine) as s:
        waiting = planned_visits.waiting_planned_visits(s, planned_visits.laptop_team_ids(s))
        waiting = [w for w in waiting if w.plan_id == plan_id]
        assert [(w.id, w.unit_name) for w in waiting] == [(ours, "UBND xã Thạch Khê")]
        members = [m.inspector_id for m in decisions.team_members(s, waiting[0].team_id)]  # type: ignore[arg-type]
    with session_scope(an.engine) as s:
        visit = visits.start_planned_visit(s, an.editor, planned_visit_id=ours, member_ids=members)
        visit_id = visit.id
    report = client.sync(an)
    assert not report.rejected, report.rejected
    with Session(office.engine) as s:
        row = s.get(Visit, visit_id)
        assert row is not None
        assert (row.planned_visit_id, row.plan_id, row.mode) == (ours, plan_id, "theo_ke_hoach")

    # An inspector of the other team gets its own planned visit, never the demo team's.
    chi = laptop(tmp_path / "chi", office, "chi")
    client.sync(chi)
    assert _planned_ids(chi, plan_id) == {theirs}
    with Session(chi.engine) as s:
        assert s.get(Visit, visit_id) is None

    # Back at the office desk: the plan's progress shows the started visit.
    client.sync(clerk)
    with Session(clerk.engine) as s:
        progress = next(p for p in planned_visits.list_plans(s) if p.plan.id == plan_id)
        assert (progress.planned, progress.started, progress.signed) == (2, 1, 0)
        assert planned_visits.laptop_team_ids(s) is None  # an admin's desk sees every team
