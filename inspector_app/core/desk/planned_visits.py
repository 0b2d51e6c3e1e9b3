"""Planned visits (one unit each, a team, a day within the plan's period) and the progress of plans.

Planned visits are office-owned reference data: they reach the assigned team's laptops on sync,
where an inspector starts one (``services.visits.start_planned_visit``). Progress counts, per planned
visit, whether a visit was started and signed, matched by ``Visit.planned_visit_id``, or by plan and
unit for a visit started by hand under the plan.

Each function stamps the rows it writes, appends an audit entry and leaves committing to the caller.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from inspector_app.core.desk.access import ADMIN, ROLE_KEY
from inspector_app.core.desk.plans import day_text, form_code_of, get_plan, get_team, snapshot
from inspector_app.core.ids import stable_id
from inspector_app.core.models import (
    Plan,
    PlannedVisit,
    Team,
    TeamMember,
    Unit,
    Visit,
    VisitMode,
    VisitStatus,
)
from inspector_app.core.registry.officials import KEEP, Keep
from inspector_app.core.registry.units import ensure_open, get_unit, is_open, local_today
from inspector_app.core.services import audit
from inspector_app.core.services.editor import Editor, get_setting
from inspector_app.core.services.errors import InvalidInput, NotFound
from inspector_app.core.text import nfc
from inspector_app.i18n import _

PLANNED_MODES = (VisitMode.PLANNED.value, VisitMode.SURPRISE.value)
WAITING = "waiting"  # status of a planned visit nobody started yet
_STATUS_RANK = {WAITING: 0, VisitStatus.DRAFT: 1, VisitStatus.COMPLETED: 2, VisitStatus.SIGNED: 3}


def _planned(session: Session, plan_ids: Iterable[uuid.UUID] | None = None) -> list[PlannedVisit]:
    stmt = select(PlannedVisit).where(PlannedVisit.deleted == sa.false())
    if plan_ids is not None:
        stmt = stmt.where(col(PlannedVisit.plan_id).in_(list(plan_ids)))
    return list(session.exec(stmt).all())


def get_planned_visit(session: Session, planned_visit_id: uuid.UUID) -> PlannedVisit:
    row = session.get(PlannedVisit, planned_visit_id)
    if row is None or row.deleted:
        raise NotFound(_("Planned visit not found: {id}").format(id=planned_visit_id))
    return row


def _check_day(plan: Plan, unit: Unit, day: dt.date | None, session: Session) -> None:
    if day is None:
        return
    if not plan.period_from <= day <= plan.period_to:
        raise InvalidInput(
            _("{date} is outside the plan's period ({start} – {end}).").format(
                date=day_text(day), start=day_text(plan.period_from), end=day_text(plan.period_to)
            )
        )
    ensure_open(session, unit, day)  # a unit merged away before that day cannot be visited then


def _mode(mode: str) -> str:
    value = str(mode)
    if value not in PLANNED_MODES:
        raise InvalidInput(_("Unknown inspection mode: {mode}").format(mode=value))
    return value


def _assigned_team(session: Session, plan: Plan, team_id: uuid.UUID | None) -> uuid.UUID:
    chosen = team_id or plan.team_id
    if chosen is None:
        raise InvalidInput(_("Choose the team that will make this visit."))
    return get_team(session, chosen).id


def add_planned_visit(
    session: Session,
    editor: Editor,
    plan_id: uuid.UUID,
    unit_id: uuid.UUID,
    *,
    planned_on: dt.date | None = None,
    team_id: uuid.UUID | None = None,
    form_code: str | None = None,
    mode: str = VisitMode.PLANNED,
    note: str = "",
    today: dt.date | None = None,
) -> PlannedVisit:
    """Plan a visit to an open unit, for a team (the plan's by default), on a day of the period."""
    plan = get_plan(session, plan_id)
    unit = get_unit(session, unit_id)
    ensure_open(session, unit, today)
    _check_day(plan, unit, planned_on, session)
    team = _assigned_team(session, plan, team_id)
    taken = session.exec(
        select(PlannedVisit.id).where(
            PlannedVisit.plan_id == plan.id,
            PlannedVisit.unit_id == unit.id,
            PlannedVisit.deleted == sa.false(),
        )
    ).first()
    if taken is not None:
        raise InvalidInput(_("{unit} is already in this plan.").format(unit=unit.name))
    # Deterministic: two clerks planning the same unit offline meet on one row.
    row_id = stable_id("planned-visit", plan.id, unit.id)
    row = session.get(PlannedVisit, row_id) or PlannedVisit(id=row_id, plan_id=plan.id, unit_id=unit.id)
    top = session.exec(
        select(sa.func.max(PlannedVisit.sort_order)).where(PlannedVisit.plan_id == plan.id)
    ).one()
    row.team_id, row.planned_on, row.mode = team, planned_on, _mode(mode)
    row.form_code, row.note = form_code_of(session, form_code), nfc(note or "")
    row.sort_order, row.deleted = int(top or 0) + 1, False
    editor.stamp(row)
    session.add(row)
    audit.append(
        session,
        editor,
        action="planned_visit.add",
        entity="planned_visit",
        entity_id=row.id,
        detail=snapshot(row),
    )
    return row


def update_planned_visit(
    session: Session,
    editor: Editor,
    planned_visit_id: uuid.UUID,
    *,
    planned_on: dt.date | Keep | None = KEEP,
    team_id: uuid.UUID | Keep = KEEP,
    form_code: str | Keep | None = KEEP,
    mode: str | Keep = KEEP,
    note: str | Keep = KEEP,
) -> PlannedVisit:
    """Change the day, reassign to another team, change form, mode or note. Once a visit was
    started from it, only the note may change (the visit already carries the rest)."""
    row = get_planned_visit(session, planned_visit_id)
    plan = get_plan(session, row.plan_id)
    wanted: dict[str, Any] = {}
    if not isinstance(planned_on, Keep):
        _check_day(plan, get_unit(session, row.unit_id), planned_on, session)
        wanted["planned_on"] = planned_on
    if not isinstance(team_id, Keep):
        wanted["team_id"] = _assigned_team(session, plan, team_id)
    if not isinstance(form_code, Keep):
        wanted["form_code"] = form_code_of(session, form_code)
    if not isinstance(mode, Keep):
        wanted["mode"] = _mode(mode)
    if not isinstance(note, Keep):
        wanted["note"] = nfc(note or "")
    changed = {k: [getattr(row, k), v] for k, v in wanted.items() if getattr(row, k) != v}
    if not changed:
        return row
    if set(changed) - {"note"} and _visits_of(session, [row]).get(row.id):
        raise InvalidInput(_("A visit was already started from this plan entry: it can no longer be moved."))
    for key, (_old, new) in changed.items():
        setattr(row, key, new)
    editor.stamp(row)
    session.add(row)
    audit.append(
        session, editor, action="planned_visit.edit", entity="planned_visit", entity_id=row.id, detail=changed
    )
    return row


def remove_planned_visit(session: Session, editor: Editor, planned_visit_id: uuid.UUID) -> None:
    row = get_planned_visit(session, planned_visit_id)
    if _visits_of(session, [row]).get(row.id):
        raise InvalidInput(_("A visit was already started from this plan entry: it cannot be removed."))
    row.deleted = True
    editor.stamp(row)
    session.add(row)
    audit.append(
        session,
        editor,
        action="planned_visit.remove",
        entity="planned_visit",
        entity_id=row.id,
        detail={"plan_id": row.plan_id, "unit_id": row.unit_id},
    )


# ------------------------------------------------------------------------------ progress


@dataclass(frozen=True)
class StartedVisit:
    visit_id: uuid.UUID
    status: str


def _visits_of(session: Session, planned: list[PlannedVisit]) -> dict[uuid.UUID, list[StartedVisit]]:
    """The visits made for each planned visit: by ``planned_visit_id``, or by plan and unit."""
    if not planned:
        return {}
    ids = {pv.id for pv in planned}
    by_unit: dict[tuple[uuid.UUID | None, uuid.UUID], uuid.UUID] = {
        (pv.plan_id, pv.unit_id): pv.id for pv in planned
    }
    visits = session.exec(
        select(Visit).where(
            Visit.deleted == sa.false(),
            sa.or_(
                col(Visit.planned_visit_id).in_(sorted(ids)),
                col(Visit.plan_id).in_(sorted({pv.plan_id for pv in planned})),
            ),
        )
    ).all()
    out: dict[uuid.UUID, list[StartedVisit]] = {}
    for v in visits:
        key = v.planned_visit_id if v.planned_visit_id in ids else by_unit.get((v.plan_id, v.unit_id))
        if key is not None:
            out.setdefault(key, []).append(StartedVisit(v.id, v.status))
    return out


def _best(visits: list[StartedVisit]) -> StartedVisit | None:
    return max(visits, key=lambda v: _STATUS_RANK.get(v.status, 0), default=None)


@dataclass(frozen=True)
class PlannedRow:
    id: uuid.UUID
    plan_id: uuid.UUID
    plan_number: str
    unit_id: uuid.UUID
    unit_name: str
    unit_code: str
    team_id: uuid.UUID | None
    team_name: str
    planned_on: dt.date | None
    mode: str
    form_code: str | None
    note: str
    status: str  # WAITING, or the status of the most advanced visit made for it
    visit_id: uuid.UUID | None


def _rows(session: Session, planned: list[PlannedVisit]) -> list[PlannedRow]:
    units = {
        u.id: u for u in session.exec(select(Unit).where(col(Unit.id).in_({p.unit_id for p in planned})))
    }
    teams = {t.id: t.name for t in session.exec(select(Team))}
    plans = {
        p.id: p.number
        for p in session.exec(select(Plan).where(col(Plan.id).in_({p.plan_id for p in planned})))
    }
    made = _visits_of(session, planned)
    out = []
    for pv in planned:
        best = _best(made.get(pv.id, []))
        unit = units[pv.unit_id]
        out.append(
            PlannedRow(
                id=pv.id,
                plan_id=pv.plan_id,
                plan_number=plans.get(pv.plan_id, ""),
                unit_id=pv.unit_id,
                unit_name=unit.name,
                unit_code=unit.code,
                team_id=pv.team_id,
                team_name=teams.get(pv.team_id, "") if pv.team_id else "",
                planned_on=pv.planned_on,
                mode=pv.mode,
                form_code=pv.form_code,
                note=pv.note,
                status=best.status if best else WAITING,
                visit_id=best.visit_id if best else None,
            )
        )
    far = dt.date.max
    return sorted(out, key=lambda r: (r.planned_on or far, r.unit_name))


def planned_rows(session: Session, plan_id: uuid.UUID) -> list[PlannedRow]:
    """The plan's units to visit, by day (undated last), with how far each got."""
    return _rows(session, _planned(session, [plan_id]))


def waiting_planned_visits(
    session: Session, team_ids: Collection[uuid.UUID] | None = None, *, today: dt.date | None = None
) -> list[PlannedRow]:
    """Planned visits nobody started yet, of open units, of live plans (of these teams if given):
    what an inspector picks from to start a visit "theo kế hoạch"."""
    planned = [pv for pv in _planned(session) if team_ids is None or pv.team_id in team_ids]
    live = set(session.exec(select(Plan.id).where(Plan.deleted == sa.false())).all())
    rows = _rows(session, [pv for pv in planned if pv.plan_id in live])
    day = today or local_today()
    units = {u.id: u for u in session.exec(select(Unit).where(col(Unit.id).in_({r.unit_id for r in rows})))}
    return [r for r in rows if r.status == WAITING and is_open(units[r.unit_id], day)]


@dataclass(frozen=True)
class PlanProgress:
    plan: Plan
    team_name: str
    planned: int
    started: int  # planned visits with a visit started (in any state)
    signed: int  # planned visits with a signed visit

    @property
    def waiting(self) -> int:
        return self.planned - self.started


def list_plans(session: Session) -> list[PlanProgress]:
    """Every live plan, newest first, with its progress."""
    plans = list(
        session.exec(
            select(Plan)
            .where(Plan.deleted == sa.false())
            .order_by(col(Plan.issued_on).desc(), col(Plan.number))
        ).all()
    )
    planned = _planned(session, [p.id for p in plans])
    made = _visits_of(session, planned)
    teams = {t.id: t.name for t in session.exec(select(Team))}
    out = []
    for plan in plans:
        mine = [pv for pv in planned if pv.plan_id == plan.id]
        best = [_best(made.get(pv.id, [])) for pv in mine]
        out.append(
            PlanProgress(
                plan=plan,
                team_name=teams.get(plan.team_id, "") if plan.team_id else "",
                planned=len(mine),
                started=sum(1 for b in best if b is not None),
                signed=sum(1 for b in best if b is not None and b.status == VisitStatus.SIGNED),
            )
        )
    return out


def laptop_team_ids(session: Session) -> set[uuid.UUID] | None:
    """The teams of the inspector signed in on this laptop (None: everyone's — the office desk, the
    demo, or a laptop that never synced its team). The office already sends a laptop only its own
    teams' planned visits; this also keeps a shared laptop to the signed-in inspector's."""
    user = get_setting(session, "sync.user")
    if not user or get_setting(session, ROLE_KEY) == ADMIN:
        return None
    inspector = stable_id("office-user", user)  # how the office links a user to its inspector record
    teams = session.exec(
        select(TeamMember.team_id).where(
            TeamMember.inspector_id == inspector, TeamMember.deleted == sa.false()
        )
    ).all()
    return set(teams) or None
