"""Per-visit figures of the office's results (``models/tally.py``): computed once, kept, read back.

The results need, per visit, its roll-call counts, the weight of its scored answers, its failures
and the checklist topics it failed. Computed from 80 answers and 40 roll-call rows a visit, that is
a walk over millions of rows at 20,000 visits; read back from the tally tables it is one row a visit.

On SQLite the figures of the visits in scope that have none are computed and kept (in one write
transaction, so no edit can slip in between the reading and the keeping); triggers drop a visit's
figures whenever its answers or roll call change, so kept figures are never stale. A signed visit
never changes (DESIGN §4): its figures are made once (at signing, or when first needed after it
arrives by sync) and stay. Elsewhere (PostgreSQL: no triggers) the figures are computed each time.
The queries are those the results used over all visits, grouped per visit instead.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from inspector_app.core.desk import results_queries as q
from inspector_app.core.desk.results_queries import DONE, ROLL_CALL_COUNTS, ROLL_CALL_VIOLATIONS, Specs
from inspector_app.core.models.tally import VisitTally, VisitTallyItem
from inspector_app.core.services import reports

log = logging.getLogger(__name__)
t, ti = VisitTally.__table__, VisitTallyItem.__table__  # type: ignore[attr-defined]
v, a, r, u = q.v, q.a, q.r, q.u
FIGURES = (*ROLL_CALL_COUNTS, "applicable_weight", "failed_items", "failed_weight", "topic_failures")
FLOATS = ("applicable_weight", "failed_weight")
# Above this many visits to compute, they are named by a subquery rather than listed.
LISTED = 500


@dataclass
class Computed:
    """Figures per visit, and the failed topics as (visit, item, failing answers, summed value)."""

    figures: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    items: list[tuple[uuid.UUID, str, int, float | None]] = field(default_factory=list)


def _zero() -> dict[str, Any]:
    return {k: (0.0 if k in FLOATS else 0) for k in FIGURES}


def compute(session: Session, ids: sa.Select[Any] | list[uuid.UUID], specs: Specs) -> Computed:
    """The figures of the visits ``ids`` (a ``SELECT visit.id`` or a list), from their rows."""
    out = Computed()
    if isinstance(ids, list):
        for visit_id in ids:
            out.figures[visit_id] = _zero()
    in_ids = v.c.id.in_(ids)

    def figures(visit_id: Any) -> dict[str, Any]:
        key = q.as_uuid(visit_id)
        if key not in out.figures:
            out.figures[key] = _zero()
        return out.figures[key]

    if not isinstance(ids, list):
        for (visit_id,) in session.execute(sa.select(v.c.id).where(in_ids)):
            figures(visit_id)
    roll_call = (
        sa.select(v.c.id, *reports.roll_call_columns())
        .join(r, r.c.visit_id == v.c.id)
        .where(in_ids, r.c.deleted == sa.false())
        .group_by(v.c.id)
    )
    for row in session.execute(roll_call):
        d = figures(row[0])
        for name in ROLL_CALL_COUNTS:
            d[name] = int(row._mapping[name] or 0)
    if not specs:
        return out
    weight, fails, topic = (q._by_form(specs, n) for n in (0, 1, 2))
    answers = (
        sa.select(
            v.c.id,
            sa.func.sum(sa.case((q._applicable(), weight), else_=0.0)),
            sa.func.sum(fails),
            sa.func.sum(sa.case((fails == 1, weight), else_=0.0)),
            sa.func.sum(sa.case((fails == 1, topic), else_=0)),
        )
        .join(a, a.c.visit_id == v.c.id)
        .where(in_ids, a.c.deleted == sa.false())
        .group_by(v.c.id)
    )
    for visit_id, applicable, n, failed_weight, topics in session.execute(answers):
        d = figures(visit_id)
        d["applicable_weight"] = float(applicable or 0)
        d["failed_items"] = int(n or 0)
        d["failed_weight"] = float(failed_weight or 0)
        d["topic_failures"] = int(topics or 0)
    items = (
        sa.select(v.c.id, a.c.item_code, sa.func.count(), sa.func.sum(sa.cast(a.c.value, sa.Float)))
        .join(a, a.c.visit_id == v.c.id)
        .where(in_ids, a.c.deleted == sa.false(), q._candidate(specs), fails == 1, topic == 1)
        .group_by(v.c.id, a.c.item_code)
    )
    out.items = [
        (q.as_uuid(visit_id), code, int(n), None if x is None else float(x))
        for visit_id, code, n, x in session.execute(items)
    ]
    return out


def keeps(session: Session) -> bool:
    """Whether figures are kept here (only SQLite has the triggers that drop stale ones)."""
    return session.get_bind().dialect.name == "sqlite"


def _missing(ids: sa.Select[Any]) -> sa.Select[Any]:
    return sa.select(v.c.id).where(v.c.id.in_(ids), ~sa.exists().where(t.c.visit_id == v.c.id))


def fill(engine: sa.Engine, ids: sa.Select[Any], specs: Specs) -> int:
    """Compute and keep the figures of the visits ``ids`` that have none; how many were made. Skipped
    (0) when the database is busy writing: the figures are then computed without being kept."""
    with Session(engine) as session:
        if not keeps(session):
            return 0
        conn = session.connection()
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # no edit between reading and keeping
        except sa.exc.OperationalError as exc:
            log.info("visit figures not kept now: %s", exc)
            return 0
        try:
            with q.fast_reads(session):
                missing = [q.as_uuid(x) for x in session.execute(_missing(ids)).scalars()]
                if missing:
                    store(
                        session, compute(session, missing if len(missing) <= LISTED else _missing(ids), specs)
                    )
            session.commit()
        except BaseException:
            session.rollback()
            raise
        return len(missing)


def store(session: Session, computed: Computed) -> None:
    """Keep computed figures (replacing any of the same visits)."""
    if not computed.figures:
        return
    visit_ids = list(computed.figures)
    for start in range(0, len(visit_ids), LISTED):
        chunk = visit_ids[start : start + LISTED]
        session.execute(sa.delete(ti).where(ti.c.visit_id.in_(chunk)))
        session.execute(sa.delete(t).where(t.c.visit_id.in_(chunk)))
    session.execute(sa.insert(t), [{"visit_id": k, **d} for k, d in computed.figures.items()])
    if computed.items:
        session.execute(
            sa.insert(ti),
            [{"visit_id": k, "item_code": c, "n": n, "amount": x} for k, c, n, x in computed.items],
        )


def keep_visit(session: Session, visit_id: uuid.UUID) -> None:
    """Compute and keep one visit's figures within the caller's transaction (at signing: from
    then on the visit never changes)."""
    if not keeps(session):
        return
    ids = sa.select(v.c.id).where(v.c.id == visit_id)
    store(session, compute(session, [visit_id], q.specs_in(session, ids)))


# ------------------------------------------------------------------------------------ read back


@dataclass
class Grouped:
    """The figures of the visits in scope, grouped as the results fold them (``results._fold``)."""

    rows: list[dict[str, Any]]  # per (unit, month): visits, done, roll-call counts and visits with each
    weights: list[tuple[uuid.UUID, float]]  # per unit: applicable weight
    failed: list[tuple[str, uuid.UUID, str, int, float, int]]  # per (unit, month): failures
    items: list[tuple[str, uuid.UUID, str, int, float | None, int]]  # per (form, item)


def grouped(session: Session, ids: sa.Select[Any], specs: Specs) -> Grouped:
    """Kept figures where there are, computed ones for the other visits in scope, grouped."""
    month = q.local_month(v.c.started_at, session.get_bind().dialect.name)
    kept = keeps(session)
    figure_columns = [t.c[k] for k in FIGURES] if kept else []
    stmt = (
        sa.select(
            v.c.id,
            v.c.unit_id,
            u.c.name,
            month,
            sa.case((v.c.status.in_(DONE), 1), else_=0),
            v.c.form_id,
            (t.c.visit_id if kept else sa.null()).label("kept"),
            *figure_columns,
        )
        .join(u, u.c.id == v.c.unit_id)
        .where(v.c.id.in_(ids))
    )
    if kept:
        stmt = stmt.outerjoin(t, t.c.visit_id == v.c.id)
    visits = list(session.execute(stmt))
    missing = [q.as_uuid(row[0]) for row in visits if row[6] is None]
    live = Computed()
    if len(missing) > LISTED:
        live = compute(session, _missing(ids) if kept else ids, specs)
    elif missing:
        live = compute(session, missing, specs)
    return _group(session, ids, visits, live, kept)


def _group(session: Session, ids: sa.Select[Any], visits: list[Any], live: Computed, kept: bool) -> Grouped:
    rows: dict[tuple[Any, str], dict[str, Any]] = {}
    weights: dict[uuid.UUID, float] = defaultdict(float)
    failed: dict[tuple[uuid.UUID, str], list[Any]] = {}
    form_of: dict[uuid.UUID, Any] = {}
    counts = (*ROLL_CALL_COUNTS, *(f"{n}_visits" for n in ROLL_CALL_VIOLATIONS))
    for row in visits:
        visit_id, unit_id, name, month, done, form_id, kept_id = row[:7]
        unit = q.as_uuid(unit_id)
        if kept_id is not None:
            d = dict(zip(FIGURES, row[7:], strict=True))
        else:
            form_of[q.as_uuid(visit_id)] = form_id
            d = live.figures.get(q.as_uuid(visit_id)) or _zero()
        g = rows.get((unit, month))
        if g is None:
            g = rows[(unit, month)] = {
                "unit_id": unit,
                "unit_name": name,
                "month": month,
                "visits": 0,
                "done": 0,
            }
            g.update(dict.fromkeys(counts, 0))
        g["visits"] += 1
        g["done"] += done
        for k in ROLL_CALL_COUNTS:
            g[k] += d[k]
        for k in ROLL_CALL_VIOLATIONS:
            g[f"{k}_visits"] += d[k] > 0
        weights[unit] += d["applicable_weight"]
        if d["failed_items"]:
            f = failed.setdefault((unit, month), ["unit", unit, month, 0, 0.0, 0])
            f[3] += d["failed_items"]
            f[4] += d["failed_weight"]
            f[5] += d["topic_failures"]
    items: dict[tuple[uuid.UUID, str], list[Any]] = {}

    def add(form_id: Any, code: str, n: int, x: float | None) -> None:
        key = (q.as_uuid(form_id), code)
        it = items.setdefault(key, ["item", key[0], code, 0, None, 0])
        it[3] += n
        if x is not None:
            it[4] = x if it[4] is None else it[4] + x

    if kept:
        stmt = (
            sa.select(v.c.form_id, ti.c.item_code, sa.func.sum(ti.c.n), sa.func.sum(ti.c.amount))
            .join(v, v.c.id == ti.c.visit_id)
            .join(t, t.c.visit_id == ti.c.visit_id)  # items count with their visit's figures only
            .where(v.c.id.in_(ids))
            .group_by(v.c.form_id, ti.c.item_code)
        )
        for form_id, code, n, x in session.execute(stmt):
            add(form_id, code, int(n), None if x is None else float(x))
    for visit_id, code, n, x in live.items:
        if visit_id in form_of:
            add(form_of[visit_id], code, n, x)
    return Grouped(
        [_Row(g) for g in rows.values()],
        list(weights.items()),
        [tuple(f) for f in failed.values()],
        [tuple(it) for it in items.values()],
    )


class _Row(dict[str, Any]):
    """A grouped row as ``results._fold`` reads one (``row._mapping[…]``)."""

    @property
    def _mapping(self) -> dict[str, Any]:
        return self
