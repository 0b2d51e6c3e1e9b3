"""The queries behind the office's results (``results.py`` folds their rows) and the pieces that
``tally.py`` builds its per-visit queries from.

What makes them fast on SQLite, measured on 20,000 visits (1.6 M answers, 0.8 M roll-call rows,
bench/office.py):

- the per-visit figures are kept (``tally.py``): the results read one row a visit, and walk the
  answers and roll calls only of visits whose figures are missing;
- the checklist rules are ``CASE … IN (…)`` expressions per form (``reports.form_rules``): SQLite looks
  a code up in an IN list in one step, whereas joining a VALUES table of rules scanned the rules once
  per answer;
- failing answers are found by a test on the answer's value first (``_candidate``);
- the scope is a condition on ``visit`` itself (``in_scope``), walked once;
- the file is memory-mapped while we read (pages read in place, not copied into SQLite's cache).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from inspector_app.core.forms import FormSpec
from inspector_app.core.models import Plan, PlannedVisit, RollCall, Unit, Visit, VisitStatus
from inspector_app.core.models.field import Answer
from inspector_app.core.services import reports
from inspector_app.core.services.forms_registry import form_spec
from inspector_app.core.services.reports import NOT_APPLICABLE, NUMERIC, ReportScope

v, u, r, a, pv, pl = (t.__table__ for t in (Visit, Unit, RollCall, Answer, PlannedVisit, Plan))  # type: ignore[union-attr]
DONE = (VisitStatus.COMPLETED.value, VisitStatus.SIGNED.value)
# Roll-call counts that are violations, in the order the report lists them (absence with a reason is not).
ROLL_CALL_VIOLATIONS = ("late", "absent_without_reason", "no_badge", "no_name_plate", "dress_not_ok")
ROLL_CALL_COUNTS = ("people", *ROLL_CALL_VIOLATIONS, "absent_with_reason")
Specs = dict[uuid.UUID, FormSpec]


def visit_ids(scope: ReportScope, team_id: uuid.UUID | None) -> sa.Select[Any]:
    """``SELECT visit.id`` of the visits in scope: the summary report's, then the team's."""
    stmt = reports.visits_in(scope)
    return stmt if team_id is None else stmt.where(v.c.team_id == team_id)


@contextmanager
def fast_reads(session: Session) -> Iterator[None]:
    """Memory-map the file while we scan (2-3× faster over a million answers here), then set the
    connection back as it was: it returns to the pool the app writes with."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    before = int(conn.exec_driver_sql("PRAGMA mmap_size").scalar() or 0)
    conn.exec_driver_sql("PRAGMA mmap_size = 2147483648")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA mmap_size = {before}")


def in_scope(ids: sa.Select[Any]) -> Any:
    """The visits ``ids`` as a condition on ``visit`` itself: SQLite then walks the visits once,
    where ``visit.id IN (SELECT …)`` looked each one up again by its id."""
    froms = ids.get_final_froms()
    if len(froms) == 1 and froms[0] is v and ids.whereclause is not None:
        return ids.whereclause
    return v.c.id.in_(ids)


def specs_in(session: Session, ids: sa.Select[Any]) -> Specs:
    forms = session.execute(sa.select(v.c.form_id).distinct().where(in_scope(ids)))
    return {as_uuid(f): form_spec(session, as_uuid(f)) for f in forms.scalars()}


def local_month(column: Any, dialect: str) -> Any:
    """'YYYY-MM' of a stored UTC time in Vietnamese time (UTC+7 all year, no summer time)."""
    if dialect == "sqlite":
        return sa.func.strftime("%Y-%m", column, "+7 hours")
    local = sa.func.timezone("Asia/Ho_Chi_Minh", sa.func.timezone("UTC", column))
    return sa.func.to_char(local, "YYYY-MM")


# ---------------------------------------------------------------------------------- checklist rules


def _by_form(specs: Specs, n: int, code: Any = a.c.item_code, value: Any = a.c.value) -> Any:
    """Term ``n`` (weight, fails, topic) of ``reports.form_rules``, chosen by the visit's form."""
    pick = {0: lambda x: x.weight, 1: lambda x: x.fails, 2: lambda x: x.topic}[n]
    whens = [
        (v.c.form_id == form_id, pick(reports.form_rules(spec, code, value)))
        for form_id, spec in specs.items()
    ]
    if n == 1:
        whens = [(cond, sa.case((test, 1), else_=0)) for cond, test in whens]
    return whens[0][1] if len(whens) == 1 else sa.case(*whens, else_=0)


def _candidate(specs: Specs) -> Any:
    """True for an answer that fails some item of some form: one IN test of the value for yes/no and
    choice items, the number only for the codes of count items. Each visit's form decides later."""
    values: set[str] = set()
    limits: dict[tuple[str, float], set[str]] = defaultdict(set)
    for spec in specs.values():
        for item in spec.items():
            if item.fail_when is None:
                continue
            if item.type in NUMERIC:
                op, limit = item.fail_when
                limits[(str(op), float(limit))].add(item.code)  # type: ignore[arg-type]
            else:
                values.update(reports.json_values(item.fail_when))
    number = sa.cast(a.c.value, sa.Float)
    tests = [a.c.value.in_(sorted(values))] if values else []
    tests += [
        sa.and_(a.c.item_code.in_(sorted(codes)), number > lim if op == "greater_than" else number < lim)
        for (op, lim), codes in limits.items()
    ]
    return sa.or_(*tests) if tests else sa.false()


def _applicable() -> Any:
    """Answered and not "không áp dụng" (as ``reports.scored_answers``)."""
    return sa.and_(a.c.value.is_not(None), a.c.value != "null", a.c.value != NOT_APPLICABLE)


# -------------------------------------------------------------------------------------------- queries


def planned(session: Session, scope: ReportScope, team_id: uuid.UUID | None) -> list[Any]:
    """Per unit: planned visits in scope and how many were carried out. A planned visit falls in a
    period by its day, or by its plan's last day when it has none (it is due by then); it is carried
    out by a completed or signed visit made for it, or of its plan at its unit."""
    day = sa.func.coalesce(pv.c.planned_on, pl.c.period_to)
    conditions = [pv.c.deleted == sa.false()]
    if scope.plan_id is not None:
        conditions.append(pv.c.plan_id == scope.plan_id)
    if scope.date_from is not None:
        conditions.append(day >= scope.date_from)
    if scope.date_to is not None:
        conditions.append(day <= scope.date_to)
    if team_id is not None:
        conditions.append(sa.func.coalesce(pv.c.team_id, pl.c.team_id) == team_id)
    made_for = v.alias("made_for")
    of_plan = v.alias("of_plan")
    done = sa.or_(
        sa.exists().where(
            made_for.c.planned_visit_id == pv.c.id,
            made_for.c.deleted == sa.false(),
            made_for.c.status.in_(DONE),
        ),
        # The (unit, plan) pairs carried out, listed once: as an EXISTS per planned visit, SQLite
        # walked every visit of the plan for each.
        sa.tuple_(pv.c.unit_id, pv.c.plan_id).in_(
            sa.select(of_plan.c.unit_id, of_plan.c.plan_id).where(
                of_plan.c.plan_id.is_not(None),
                of_plan.c.deleted == sa.false(),
                of_plan.c.status.in_(DONE),
            )
        ),
    )
    stmt = (
        sa.select(
            pv.c.unit_id,
            u.c.name,
            sa.func.count().label("planned"),
            sa.func.coalesce(sa.func.sum(sa.case((done, 1), else_=0)), 0).label("planned_done"),
        )
        .join(pl, pl.c.id == pv.c.plan_id)
        .join(u, u.c.id == pv.c.unit_id)
        .where(*conditions)
        .group_by(pv.c.unit_id, u.c.name)
    )
    return list(session.execute(stmt))


def as_uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
