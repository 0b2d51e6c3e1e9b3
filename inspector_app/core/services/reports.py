"""Aggregate queries of the summary report (báo cáo kết quả kiểm tra), done in SQL.

Each function takes a :class:`ReportScope` (a plan, or a range of local dates) and returns a few
grouped rows: counts per unit, per failing item, per remedy status. Nothing here loops in Python
over the visits' children; the only Python work per *form* is reading its scoring rules
(weights and failing answers) from the form spec, which then go to the database as ``CASE … IN (…)``
expressions (:func:`form_rules`). The scored answers are walked once for the failing items and the
units' scores together (:func:`scored_totals`, 27 s → 3 s at 20,000 visits, bench/office.py).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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


def roll_call_columns() -> list[Any]:
    """The roll-call counts of the rows grouped, as labelled columns."""

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
    per_visit = sa.select(RollCall.visit_id, *roll_call_columns()).where(  # type: ignore[call-overload]
        RollCall.deleted == sa.false(),
        RollCall.visit_id.in_(visits_in(scope)),  # type: ignore[attr-defined]
    )
    sub = per_visit.group_by(RollCall.visit_id).subquery()
    columns = []
    for name in (c.name for c in roll_call_columns()):
        columns.append(sa.func.coalesce(sa.func.sum(sub.c[name]), 0).label(name))
        columns.append(
            sa.func.coalesce(sa.func.sum(sa.case((sub.c[name] > 0, 1), else_=0)), 0).label(f"{name}_visits")
        )
    columns.append(sa.func.count().label("visits"))
    row = session.execute(sa.select(*columns)).one()
    return dict(row._mapping)


def json_values(values: tuple[object, ...]) -> list[str]:
    """Failing answers as stored (JSON text), in both spellings of non-ASCII letters."""
    return sorted({json.dumps(x, ensure_ascii=False) for x in values} | {json.dumps(x) for x in values})


@dataclass(frozen=True)
class FormRules:
    """The scoring rules of one form as SQL expressions over an answer's ``code`` and ``value``:
    ``CASE … IN (…)`` tests, which SQLite looks up in one step (a VALUES table of rules joined to
    the answers was scanned once per answer)."""

    weight: Any  # the item's weight when scored, else 0
    fails: Any  # true when the answer fails the item's rule (whether applicable or not)
    topic: Any  # 1 when the item is a checklist topic (not one the roll call fills), else 0
    scored: Any  # true when the item is scored (has a failing rule)
    numeric: Any  # true when the item is a scored count or number


def form_rules(spec: FormSpec, code: Any, value: Any) -> FormRules:
    by_weight: dict[float, list[str]] = defaultdict(list)
    by_values: dict[tuple[str, ...], list[str]] = defaultdict(list)
    by_limit: dict[tuple[str, float], list[str]] = defaultdict(list)
    topics: list[str] = []
    scored: list[str] = []
    for item in spec.items():
        if item.fail_when is None:
            continue
        scored.append(item.code)
        by_weight[item.weight].append(item.code)
        if item.type in NUMERIC:
            op, limit = item.fail_when
            by_limit[(str(op), float(limit))].append(item.code)  # type: ignore[arg-type]
        else:
            by_values[tuple(json_values(item.fail_when))].append(item.code)
        if not (item.auto and item.auto.startswith("roll_call.")):
            topics.append(item.code)
    number = sa.cast(value, sa.Float)
    # The answer's value first: it rules out most answers before the code is looked up.
    tests = [sa.and_(value.in_(vals), code.in_(codes)) for vals, codes in by_values.items()]
    tests += [
        sa.and_(number > lim if op == "greater_than" else number < lim, code.in_(codes))
        for (op, lim), codes in by_limit.items()
    ]
    weight = sa.case(*((code.in_(codes), w) for w, codes in by_weight.items()), else_=0.0)
    numeric = [c for codes in by_limit.values() for c in codes]
    return FormRules(
        weight,
        sa.or_(*tests) if tests else sa.false(),
        sa.case((code.in_(topics), 1), else_=0) if topics else sa.literal(0),
        code.in_(scored) if scored else sa.false(),
        code.in_(numeric) if numeric else sa.false(),
    )


def _applicable(value: Any) -> Any:
    """Answered and not "không áp dụng"."""
    return sa.and_(value.is_not(None), value != "null", value != NOT_APPLICABLE)


def scored_answers(session: Session, scope: ReportScope) -> Any | None:
    """A subquery of the scored answers in scope: visit, unit, form, item, value, weight,
    ``applicable`` (answered, not "không áp dụng"), ``failed`` (0/1) and ``numeric`` (0/1).
    Answers of unscored items come out with weight, applicable and failed 0."""
    ids = visits_in(scope).subquery()
    form_ids = session.execute(
        sa.select(v.c.form_id).distinct().where(v.c.id.in_(sa.select(ids.c.id)))
    ).scalars()
    specs = {_uuid(f): form_spec(session, _uuid(f)) for f in form_ids}
    if not any(item.fail_when is not None for spec in specs.values() for item in spec.items()):
        return None
    code, value = a.c.item_code, a.c.value

    def term(pick: Callable[[FormRules], Any], flag: bool = False, else_: Any = 0) -> Any:
        whens = []
        for form_id, spec in specs.items():
            t = pick(form_rules(spec, code, value))
            whens.append((v.c.form_id == form_id, sa.case((t, 1), else_=0) if flag else t))
        return whens[0][1] if len(whens) == 1 else sa.case(*whens, else_=else_)

    applicable = sa.and_(term(lambda x: x.scored, True) == 1, _applicable(value))
    return (
        sa.select(
            v.c.id.label("visit_id"),
            v.c.unit_id,
            v.c.form_id,
            code,
            value,
            term(lambda x: x.weight, else_=0.0).label("weight"),
            term(lambda x: x.numeric, True).label("numeric"),
            sa.case((applicable, 1), else_=0).label("applicable"),
            sa.case((sa.and_(applicable, term(lambda x: x.fails, True) == 1), 1), else_=0).label("failed"),
        )
        .join(a, a.c.visit_id == v.c.id)
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


@dataclass(frozen=True)
class ScoredTotals:
    """The scored answers in scope summed in one walk: the failing items and, per unit, (applicable
    weight, passing weight, failed items). ``failing_items`` and ``unit_scores`` both read them."""

    items: list[FailingItem]
    by_unit: dict[uuid.UUID, tuple[float, float, int]]


def scored_totals(session: Session, scope: ReportScope) -> ScoredTotals:
    """Two grouped walks instead of one over every answer's rules: the applicable answers counted
    per (unit, form, item) — their weight is the item's, known here — and the failing ones (few:
    picked by their value first) summed per (unit, form, item). On SQLite the first, the long one,
    runs in two halves side by side (two cores, two connections)."""
    ids = visits_in(scope).subquery()
    in_scope = v.c.id.in_(sa.select(ids.c.id))
    form_ids = session.execute(sa.select(v.c.form_id).distinct().where(in_scope)).scalars()
    specs = {_uuid(f): form_spec(session, _uuid(f)) for f in form_ids}
    weights = {
        (form_id, item.code): (item.weight, item.type in NUMERIC)
        for form_id, spec in specs.items()
        for item in spec.items()
        if item.fail_when is not None
    }
    if not weights:
        return ScoredTotals([], {})
    code, value = a.c.item_code, a.c.value
    scored = sorted({c for _f, c in weights})
    walk = (
        sa.select(v.c.unit_id, v.c.form_id, code, sa.func.count())
        .join(a, a.c.visit_id == v.c.id)
        .where(in_scope, a.c.deleted == sa.false(), code.in_(scored), _applicable(value))
        .group_by(v.c.unit_id, v.c.form_id, code)
    )
    rules = {form_id: form_rules(spec, code, value) for form_id, spec in specs.items()}
    fails = sa.case(*((v.c.form_id == f, sa.case((x.fails, 1), else_=0)) for f, x in rules.items()), else_=0)
    failing = (
        sa.select(v.c.unit_id, v.c.form_id, code, sa.func.count(), sa.func.sum(sa.cast(value, sa.Float)))
        .join(a, a.c.visit_id == v.c.id)
        .where(
            in_scope,
            a.c.deleted == sa.false(),
            sa.or_(*(x.fails for x in rules.values())),  # some form's rule fails it: few answers
            code.in_(scored),
            _applicable(value),
            fails == 1,
        )
        .group_by(v.c.unit_id, v.c.form_id, code)
    )
    counted, failed = _side_by_side(session, walk, failing)
    items: dict[tuple[uuid.UUID, str], list[Any]] = {}
    by_unit: dict[uuid.UUID, list[Any]] = {}
    for unit_id, form_id, item_code, n in counted:
        key = (_uuid(form_id), item_code)
        if key not in weights:
            continue
        item = items.setdefault(key, [0, 0, None])
        item[1] += int(n)
        unit = by_unit.setdefault(_uuid(unit_id), [0.0, 0.0, 0])
        unit[0] += weights[key][0] * int(n)
        unit[1] += weights[key][0] * int(n)
    for unit_id, form_id, item_code, n, total in failed:
        key = (_uuid(form_id), item_code)
        weight, numeric = weights[key]
        item = items.setdefault(key, [0, 0, None])
        item[0] += int(n)
        if numeric and total is not None:
            item[2] = float(total) if item[2] is None else item[2] + float(total)
        unit = by_unit.setdefault(_uuid(unit_id), [0.0, 0.0, 0])
        unit[1] -= weight * int(n)
        unit[2] += int(n)
    found = [FailingItem(f, c, n, m, x) for (f, c), (n, m, x) in items.items() if n > 0]
    found.sort(key=lambda i: (-i.visits, i.item_code))
    return ScoredTotals(found, {k: (w, p, n) for k, (w, p, n) in by_unit.items()})


def _side_by_side(
    session: Session, walk: sa.Select[Any], other: sa.Select[Any]
) -> tuple[list[Any], list[Any]]:
    """The rows of ``walk`` (over ``visit``) and of ``other``. On SQLite ``walk`` is read as two halves
    of the visits, each on its own connection beside ``other``'s (SQLite's WAL lets readers share the
    file; the machine has at least two cores)."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite" or not isinstance(bind, sa.Engine) or _writes_pending(session):
        return list(session.execute(walk)), list(session.execute(other))
    half: Any = sa.literal_column("visit.rowid") % 2
    stmts = [walk.where(half == 0), walk.where(half == 1), other]

    def read(stmt: sa.Select[Any]) -> list[Any]:
        with Session(bind) as own:
            conn = own.connection()
            before = int(conn.exec_driver_sql("PRAGMA mmap_size").scalar() or 0)
            conn.exec_driver_sql("PRAGMA mmap_size = 2147483648")  # pages read in place
            try:
                return list(own.execute(stmt))
            finally:
                conn.exec_driver_sql(f"PRAGMA mmap_size = {before}")

    with ThreadPoolExecutor(max_workers=len(stmts), thread_name_prefix="report") as pool:
        first, second, rest = pool.map(read, stmts)
    return first + second, rest


def _writes_pending(session: Session) -> bool:
    """Whether the session has changes other connections cannot see yet (they must not read for it)."""
    if session.new or session.dirty or session.deleted:
        return True
    dbapi = session.connection().connection.dbapi_connection
    return bool(getattr(dbapi, "in_transaction", False))  # pysqlite: open once something was written


def failing_items(
    session: Session, scope: ReportScope, totals: ScoredTotals | None = None
) -> list[FailingItem]:
    """Every scored item that failed at least once, with how often."""
    return (totals or scored_totals(session, scope)).items


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


def unit_scores(
    session: Session,
    scope: ReportScope,
    totals: ScoredTotals | None = None,
    roll_call: dict[uuid.UUID, dict[str, int]] | None = None,
) -> list[UnitScore]:
    """Per unit: visits, weights of the scored answers, failing items and roll-call counts
    (``totals`` and ``roll_call`` when the caller has them already: see ``scored_totals``)."""
    ids = visits_in(scope).subquery()
    base = session.execute(
        sa.select(u.c.id, u.c.name, sa.func.count(v.c.id))
        .join(v, v.c.unit_id == u.c.id)
        .where(v.c.id.in_(sa.select(ids.c.id)))
        .group_by(u.c.id, u.c.name)
    ).all()
    weights = (totals or scored_totals(session, scope)).by_unit
    roll = roll_call if roll_call is not None else roll_call_by_unit(session, scope)
    out = []
    for unit_id, name, n in base:
        key = _uuid(unit_id)
        applicable, passing, failed = weights.get(key, (0.0, 0.0, 0))
        out.append(UnitScore(key, name, int(n), applicable, passing, failed, roll.get(key, {})))
    return out


def roll_call_by_unit(session: Session, scope: ReportScope) -> dict[uuid.UUID, dict[str, int]]:
    """Per unit with roll-call rows in scope: its roll-call counts."""
    ids = visits_in(scope).subquery()
    roll: dict[uuid.UUID, dict[str, int]] = {}
    for row in session.execute(
        sa.select(v.c.unit_id, *roll_call_columns())
        .join(r, r.c.visit_id == v.c.id)
        .where(v.c.id.in_(sa.select(ids.c.id)), r.c.deleted == sa.false())
        .group_by(v.c.unit_id)
    ):
        roll[_uuid(row[0])] = {k: int(n) for k, n in row._mapping.items() if k != "unit_id"}
    return roll


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
