"""Aggregate queries of the summary report (báo cáo kết quả kiểm tra), done in SQL.

Each function takes a :class:`ReportScope` (a plan, or a range of local dates) and returns a few
grouped rows: counts per unit, per failing item, per remedy status. Nothing here loops in Python
over the visits' children; the only Python work per *form* is reading its scoring rules
(weights and failing answers) from the form spec, which then go to the database as a VALUES table.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from inspector_app.core.forms import FormSpec
from inspector_app.core.models import (
    AttendanceStatus,
    Badge,
    Dress,
    NamePlate,
    Remedy,
    RemedyFollowUp,
    RemedyStatus,
    RollCall,
    Unit,
    Visit,
)
from inspector_app.core.models.field import Answer
from inspector_app.core.services.forms_registry import form_spec
from inspector_app.core.services.schedule import VN_TZ

NUMERIC = ("count", "number")
# The queries are Core selects over the tables of the ORM classes.
v, u, r, a, m, f = (t.__table__ for t in (Visit, Unit, RollCall, Answer, Remedy, RemedyFollowUp))  # type: ignore[union-attr]
NOT_APPLICABLE = json.dumps("na")


@dataclass(frozen=True)
class ReportScope:
    """Which visits a report covers: those of a plan, and/or those arrived within local dates."""

    plan_id: uuid.UUID | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def visits_in(scope: ReportScope) -> sa.Select[Any]:
    """``SELECT visit.id`` of the visits in scope (a subquery for every query below)."""
    stmt = sa.select(Visit.id).where(Visit.deleted == sa.false())  # type: ignore[call-overload]
    if scope.plan_id is not None:
        stmt = stmt.where(Visit.plan_id == scope.plan_id)
    if scope.date_from is not None:
        stmt = stmt.where(Visit.started_at >= _local_midnight(scope.date_from))
    if scope.date_to is not None:
        stmt = stmt.where(Visit.started_at < _local_midnight(scope.date_to + dt.timedelta(days=1)))
    return stmt


def _local_midnight(day: dt.date) -> dt.datetime:
    """Dates of a report are Vietnamese calendar days; visits are stored in UTC."""
    return dt.datetime.combine(day, dt.time(), VN_TZ).astimezone(dt.UTC)


@dataclass(frozen=True)
class Overview:
    visits: int
    units: int
    by_status: dict[str, int]
    first: dt.datetime | None
    last: dt.datetime | None
    team_ids: list[uuid.UUID]  # most visits first
    unit_types: dict[str, int]  # unit type → units visited


def overview(session: Session, scope: ReportScope) -> Overview:
    ids = visits_in(scope).subquery()
    in_scope = v.c.id.in_(sa.select(ids.c.id))
    statuses = sa.select(v.c.status, sa.func.count()).where(in_scope).group_by(v.c.status)
    by_status = {status: n for status, n in session.execute(statuses)}
    row = session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count(sa.distinct(v.c.unit_id)),
            sa.func.min(v.c.started_at),
            sa.func.max(v.c.started_at),
        ).where(in_scope)
    ).one()
    teams = session.execute(
        sa.select(v.c.team_id)
        .where(in_scope, v.c.team_id.is_not(None))
        .group_by(v.c.team_id)
        .order_by(sa.func.count().desc())
    ).scalars()
    types = session.execute(
        sa.select(u.c.unit_type, sa.func.count(sa.distinct(u.c.id)))
        .join(v, v.c.unit_id == u.c.id)
        .where(in_scope)
        .group_by(u.c.unit_type)
    ).all()
    return Overview(
        row[0], row[1], by_status, _utc(row[2]), _utc(row[3]), list(teams), {t: n for t, n in types}
    )


def _utc(value: dt.datetime | None) -> dt.datetime | None:  # SQLite returns MIN() of a time as naive
    return None if value is None else value.replace(tzinfo=dt.UTC)


def _roll_call_columns() -> list[Any]:

    def count_if(cond: Any) -> Any:
        return sa.func.coalesce(sa.func.sum(sa.case((cond, 1), else_=0)), 0)

    absent_without = (AttendanceStatus.ABSENT_WITHOUT_REASON, AttendanceStatus.UNKNOWN)
    absent_with = (AttendanceStatus.ABSENT_WITH_REASON, AttendanceStatus.ON_DUTY, AttendanceStatus.LEAVE)
    return [
        sa.func.count(r.c.id).label("people"),
        count_if(r.c.status == AttendanceStatus.LATE).label("late"),
        count_if(r.c.status.in_(absent_without)).label("absent_without_reason"),
        count_if(r.c.status.in_(absent_with)).label("absent_with_reason"),
        count_if(r.c.badge == Badge.NOT_WORN).label("no_badge"),
        count_if(r.c.name_plate == NamePlate.NO).label("no_name_plate"),
        count_if(r.c.dress == Dress.NOT_OK).label("dress_not_ok"),
    ]


def roll_call_totals(session: Session, scope: ReportScope) -> dict[str, int]:
    """Roll-call counts over the scope, and in how many visits each count was above zero."""
    per_visit = sa.select(RollCall.visit_id, *_roll_call_columns()).where(  # type: ignore[call-overload]
        RollCall.deleted == sa.false(),
        RollCall.visit_id.in_(visits_in(scope)),  # type: ignore[attr-defined]
    )
    sub = per_visit.group_by(RollCall.visit_id).subquery()
    columns = []
    for name in (c.name for c in _roll_call_columns()):
        columns.append(sa.func.coalesce(sa.func.sum(sub.c[name]), 0).label(name))
        columns.append(
            sa.func.coalesce(sa.func.sum(sa.case((sub.c[name] > 0, 1), else_=0)), 0).label(f"{name}_visits")
        )
    columns.append(sa.func.count().label("visits"))
    row = session.execute(sa.select(*columns)).one()
    return dict(row._mapping)


def _rules(specs: dict[uuid.UUID, FormSpec]) -> Any | None:
    """The scoring rules of the forms as a VALUES table: (form, item, weight, op, limit, fails) where
    ``fails`` lists the failing answers of a yes/no or choice item as ``|"no"|"chua_dat"|``."""
    guid = v.c.form_id.type
    rules: list[tuple[Any, ...]] = []
    for form_id, spec in specs.items():
        for item in spec.items():
            if item.fail_when is None:
                continue
            if item.type in NUMERIC:
                op, limit = item.fail_when
                rules.append(
                    (form_id, item.code, item.weight, "gt" if op == "greater_than" else "lt", limit, "")
                )
            else:
                fails = "".join(f"|{json.dumps(v, ensure_ascii=False)}" for v in item.fail_when) + "|"
                rules.append((form_id, item.code, item.weight, "in", 0.0, fails))
    if not rules:
        return None
    return (
        sa.values(
            sa.column("form_id", guid),
            sa.column("item_code", sa.String),
            sa.column("weight", sa.Float),
            sa.column("op", sa.String),
            sa.column("lim", sa.Float),
            sa.column("fails", sa.String),
            name="rule",
        )
        .data(rules)
        .cte("rule")
    )


def scored_answers(session: Session, scope: ReportScope) -> Any | None:
    """A subquery of the scored answers in scope: visit, unit, form, item, value, weight,
    ``applicable`` (answered, not "không áp dụng") and ``failed`` (0/1)."""
    ids = visits_in(scope).subquery()
    form_ids = session.execute(
        sa.select(v.c.form_id).distinct().where(v.c.id.in_(sa.select(ids.c.id)))
    ).scalars()
    specs = {_uuid(f): form_spec(session, _uuid(f)) for f in form_ids}
    rule = _rules(specs)
    if rule is None:
        return None
    numeric = sa.cast(a.c.value, sa.Float)
    matches = rule.c.fails.contains("|" + a.c.value + "|")  # LIKE: portable to PostgreSQL
    failed = sa.case(
        (rule.c.op == "in", sa.case((matches, 1), else_=0)),
        (rule.c.op == "gt", sa.case((numeric > rule.c.lim, 1), else_=0)),
        else_=sa.case((numeric < rule.c.lim, 1), else_=0),
    )
    applicable = sa.and_(
        rule.c.op.is_not(None), a.c.value.is_not(None), a.c.value != "null", a.c.value != NOT_APPLICABLE
    )
    return (
        sa.select(
            v.c.id.label("visit_id"),
            v.c.unit_id,
            v.c.form_id,
            a.c.item_code,
            a.c.value,
            rule.c.weight,
            rule.c.op,
            sa.case((applicable, 1), else_=0).label("applicable"),
            sa.case((applicable, failed), else_=0).label("failed"),
        )
        .join(a, a.c.visit_id == v.c.id)
        # An outer join keeps SQLite from scanning the rules first and every answer once per rule;
        # answers of unscored items come out with applicable = failed = 0.
        .outerjoin(rule, sa.and_(rule.c.form_id == v.c.form_id, rule.c.item_code == a.c.item_code))
        .where(v.c.id.in_(sa.select(ids.c.id)), a.c.deleted == sa.false())
        .subquery()
    )


@dataclass(frozen=True)
class FailingItem:
    form_id: uuid.UUID
    item_code: str
    visits: int  # visits where the item failed
    applicable: int  # visits where it was answered and applied
    total: float | None  # count items: the sum of the failing counts ("12 hồ sơ trễ hạn")


def failing_items(session: Session, scope: ReportScope) -> list[FailingItem]:
    """Every scored item that failed at least once, with how often (one GROUP BY)."""
    sub = scored_answers(session, scope)
    if sub is None:
        return []
    numeric = sa.case((sub.c.op != "in", sa.cast(sub.c.value, sa.Float)), else_=None)
    rows = session.execute(
        sa.select(
            sub.c.form_id,
            sub.c.item_code,
            sa.func.sum(sub.c.failed),
            sa.func.sum(sub.c.applicable),
            sa.func.sum(sa.case((sub.c.failed == 1, numeric), else_=None)),
        )
        .group_by(sub.c.form_id, sub.c.item_code)
        .having(sa.func.sum(sub.c.failed) > 0)
        .order_by(sa.func.sum(sub.c.failed).desc(), sub.c.item_code)
    ).all()
    return [FailingItem(_uuid(r[0]), r[1], int(r[2]), int(r[3]), r[4]) for r in rows]


@dataclass(frozen=True)
class UnitScore:
    unit_id: uuid.UUID
    unit_name: str
    visits: int
    applicable_weight: float
    passing_weight: float
    failed_items: int
    roll_call: dict[str, int]

    @property
    def score(self) -> float | None:
        """Passing weight / applicable weight, as a percentage (None: nothing scored)."""
        if not self.applicable_weight:
            return None
        return 100.0 * self.passing_weight / self.applicable_weight

    @property
    def violations(self) -> int:
        rc = self.roll_call
        return sum(
            rc.get(k, 0)
            for k in ("late", "absent_without_reason", "no_badge", "no_name_plate", "dress_not_ok")
        )


def unit_scores(session: Session, scope: ReportScope) -> list[UnitScore]:
    """Per unit: visits, weights of the scored answers, failing items and roll-call counts."""
    ids = visits_in(scope).subquery()
    base = session.execute(
        sa.select(u.c.id, u.c.name, sa.func.count(v.c.id))
        .join(v, v.c.unit_id == u.c.id)
        .where(v.c.id.in_(sa.select(ids.c.id)))
        .group_by(u.c.id, u.c.name)
    ).all()
    weights: dict[uuid.UUID, tuple[float, float, int]] = {}
    sub = scored_answers(session, scope)
    if sub is not None:
        for unit_id, applicable, passing, failed in session.execute(
            sa.select(
                sub.c.unit_id,
                sa.func.sum(sub.c.weight * sub.c.applicable),
                sa.func.sum(sub.c.weight * (sub.c.applicable - sub.c.failed)),
                sa.func.sum(sub.c.failed),
            ).group_by(sub.c.unit_id)
        ):
            weights[_uuid(unit_id)] = (float(applicable or 0), float(passing or 0), int(failed or 0))
    roll: dict[uuid.UUID, dict[str, int]] = {}
    for row in session.execute(
        sa.select(v.c.unit_id, *_roll_call_columns())
        .join(r, r.c.visit_id == v.c.id)
        .where(v.c.id.in_(sa.select(ids.c.id)), r.c.deleted == sa.false())
        .group_by(v.c.unit_id)
    ):
        roll[_uuid(row[0])] = {k: int(n) for k, n in row._mapping.items() if k != "unit_id"}
    out = []
    for unit_id, name, n in base:
        key = _uuid(unit_id)
        applicable, passing, failed = weights.get(key, (0.0, 0.0, 0))
        out.append(UnitScore(key, name, int(n), applicable, passing, failed, roll.get(key, {})))
    return out


REMEDY_BUCKETS = ("done", "in_progress", "open", "overdue")


def _latest_follow_up(column: Any) -> Any:
    return (
        sa.select(column)
        .where(f.c.remedy_id == m.c.id, f.c.deleted == sa.false())
        .order_by(f.c.reported_on.desc(), f.c.updated_at.desc())
        .limit(1)
        .scalar_subquery()
    )


def _status_and_bucket(as_of: dt.date) -> tuple[Any, Any]:
    """A remedy's status (the latest follow-up's, else its own) and its bucket on ``as_of``."""
    status = sa.func.coalesce(_latest_follow_up(f.c.status), m.c.status)
    bucket = sa.case(
        (status == RemedyStatus.DONE, "done"),
        (sa.and_(m.c.deadline.is_not(None), m.c.deadline < as_of), "overdue"),
        (status == RemedyStatus.IN_PROGRESS, "in_progress"),
        else_="open",
    )
    return status, bucket


def remedy_rows(session: Session, scope: ReportScope, as_of: dt.date) -> list[dict[str, Any]]:
    """Every remedy in scope with its unit, latest follow-up and ``bucket``: done, in_progress,
    open (not started, still in time) or overdue (not done and past its deadline on ``as_of``)."""
    ids = visits_in(scope).subquery()
    status, bucket = _status_and_bucket(as_of)
    stmt = (
        sa.select(
            m.c.id,
            u.c.name.label("unit"),
            v.c.number.label("minutes_number"),
            sa.func.coalesce(v.c.arrived_at, v.c.started_at).label("arrived_at"),
            m.c.content,
            m.c.owner,
            m.c.deadline,
            status.label("status"),
            _latest_follow_up(f.c.progress).label("progress"),
            _latest_follow_up(f.c.reported_on).label("reported_on"),
            bucket.label("bucket"),
        )
        .join(v, v.c.id == m.c.visit_id)
        .join(u, u.c.id == v.c.unit_id)
        .where(m.c.deleted == sa.false(), v.c.id.in_(sa.select(ids.c.id)))
        .order_by(u.c.name, m.c.deadline, m.c.sort_order, m.c.id)
    )
    out = []
    for row in session.execute(stmt):
        d = dict(row._mapping)
        d["arrived_at"] = _utc(d["arrived_at"])
        for key in ("deadline", "reported_on"):
            if isinstance(d[key], str):  # a scalar subquery loses the column type on SQLite
                d[key] = dt.date.fromisoformat(d[key])
        out.append(d)
    return out


def remedy_counts(session: Session, scope: ReportScope, as_of: dt.date) -> dict[str, int]:
    """How many remedies fall in each bucket of :func:`remedy_rows` (one GROUP BY)."""
    ids = visits_in(scope).subquery()
    _status, bucket = _status_and_bucket(as_of)
    sub = (
        sa.select(bucket.label("bucket"))
        .where(m.c.deleted == sa.false(), m.c.visit_id.in_(sa.select(ids.c.id)))
        .subquery()
    )
    rows = session.execute(sa.select(sub.c.bucket, sa.func.count()).group_by(sub.c.bucket)).all()
    counts = dict.fromkeys(REMEDY_BUCKETS, 0)
    counts.update({b: int(n) for b, n in rows})
    return counts


def _uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
