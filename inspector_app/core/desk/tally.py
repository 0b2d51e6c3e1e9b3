"""Per-visit figures of the office's results (``models/tally.py``): computed once, kept, read back.

The results need, per visit, its roll-call counts, the weight of its scored answers, its failures
and the checklist topics it failed. Computed from 80 answers and 40 roll-call rows a visit, that is
a walk over millions of rows at 20,000 visits; read back from the tally tables it is one row a visit.
The summary report takes its roll-call counts from here too (:func:`roll_call`).

On SQLite the figures of the visits in scope that have none are computed and kept, a thousand
visits per write transaction (so no edit slips in between the reading and the keeping, and the
file is never held long); triggers (migration 0006) drop a visit's figures whenever its answers or
roll call change, so kept figures are never stale, whoever writes (a form, sync, a bulk insert). A
signed visit never changes (DESIGN §4): its figures are made at signing, or when first needed after
it arrives by sync, and stay. Elsewhere (PostgreSQL: no triggers) the figures are computed each time.
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
CHUNK = 1000  # visits computed and kept per write transaction (well under a second)
BUSY_MS = 200  # how long to wait for the file when another connection is writing


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
    return sa.select(v.c.id).where(q.in_scope(ids), ~sa.exists().where(t.c.visit_id == v.c.id))


def fill(engine: sa.Engine, ids: sa.Select[Any], specs: Specs) -> int:
    """Compute and keep the figures of the visits ``ids`` that have none; how many were made.

    A thousand visits per write transaction (computed and kept with no edit in between), so the
    file is never held long; when it is busy writing the rest is left: those figures are then
    computed without being kept, and kept next time."""
    made = 0
    with Session(engine) as session:
        if not keeps(session):
            return 0
        with q.fast_reads(session):
            missing = [q.as_uuid(x) for x in session.execute(_missing(ids)).scalars()]
        session.rollback()
        for start in range(0, len(missing), CHUNK):
            chunk = missing[start : start + CHUNK]
            if not _begin_immediate(session):
                break
            try:
                with q.fast_reads(session):
                    done = set(
                        session.execute(sa.select(t.c.visit_id).where(t.c.visit_id.in_(chunk))).scalars()
                    )
                    todo = [x for x in chunk if x not in done]
                    store(session, compute(session, todo, specs))
                session.commit()
            except BaseException:
                session.rollback()
                raise
            made += len(todo)
        if made >= CHUNK:
            _checkpoint(session)
    return made


def _checkpoint(session: Session) -> None:
    """After many figures were kept: copy the write-ahead log into the file now, so that the reads
    that follow take the pages from the memory-mapped file, not from the log (when no one else is
    reading; else SQLite does it at a later write)."""
    conn = session.connection()
    before = int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0)
    conn.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_MS}")
    try:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except sa.exc.OperationalError as exc:
        log.info("no checkpoint now: %s", exc)
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {before}")
        session.rollback()


def _begin_immediate(session: Session) -> bool:
    """Take the file for writing (computed and kept with no edit in between), or give up soon."""
    conn = session.connection()
    before = int(conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0)
    conn.exec_driver_sql(f"PRAGMA busy_timeout = {BUSY_MS}")
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        began = True
    except sa.exc.OperationalError as exc:
        log.info("visit figures not kept now: %s", exc)
        began = False
    conn.exec_driver_sql(f"PRAGMA busy_timeout = {before}")  # the connection goes back to the pool
    if not began:
        session.rollback()
    return began


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
    """Kept figures where there are (summed per unit and month in SQL), computed ones for the other
    visits in scope, grouped; the items of the visits with kept figures are left to :func:`kept_items`."""
    month = q.local_month(v.c.started_at, session.get_bind().dialect.name).label("month")
    done = sa.case((v.c.status.in_(DONE), 1), else_=0)
    rows: dict[tuple[Any, str], dict[str, Any]] = {}
    weights: dict[uuid.UUID, float] = defaultdict(float)
    failed: dict[tuple[uuid.UUID, str], list[Any]] = {}
    items: dict[tuple[uuid.UUID, str], list[Any]] = {}
    counts = (*ROLL_CALL_COUNTS, *(f"{n}_visits" for n in ROLL_CALL_VIOLATIONS))

    def add(unit: uuid.UUID, name: str, month: str, visits: int, done: int, d: dict[str, Any]) -> None:
        g = rows.get((unit, month))
        if g is None:
            g = rows[(unit, month)] = {"unit_id": unit, "unit_name": name, "month": month, "visits": 0}
            g.update(dict.fromkeys(("done", *counts), 0))
        g["visits"] += visits
        g["done"] += done
        for k in counts:
            g[k] += d[k]
        weights[unit] += d["applicable_weight"]
        if d["failed_items"]:
            f = failed.setdefault((unit, month), ["unit", unit, month, 0, 0.0, 0])
            f[3] += d["failed_items"]
            f[4] += d["failed_weight"]
            f[5] += d["topic_failures"]

    def add_item(form_id: Any, code: str, n: int, x: float | None) -> None:
        key = (q.as_uuid(form_id), code)
        it = items.setdefault(key, ["item", key[0], code, 0, None, 0])
        it[3] += n
        if x is not None:
            it[4] = x if it[4] is None else it[4] + x

    kept = keeps(session)
    visits = sa.select(v.c.id, v.c.unit_id, u.c.name, month, done.label("done"), v.c.form_id).join(
        u, u.c.id == v.c.unit_id
    )
    if kept:
        total = [sa.func.sum(t.c[k]).label(k) for k in FIGURES]
        total += [
            sa.func.sum(sa.case((t.c[k] > 0, 1), else_=0)).label(f"{k}_visits") for k in ROLL_CALL_VIOLATIONS
        ]
        stmt = (
            sa.select(
                v.c.unit_id, u.c.name, month, sa.func.count().label("visits"), sa.func.sum(done), *total
            )
            .join(u, u.c.id == v.c.unit_id)
            .join(t, t.c.visit_id == v.c.id)
            .where(q.in_scope(ids))
            .group_by(v.c.unit_id, u.c.name, month)
        )
        for row in session.execute(stmt):
            add(q.as_uuid(row[0]), row[1], row[2], int(row[3]), int(row[4]), dict(row._mapping))
        visits = visits.where(q.in_scope(ids), ~sa.exists().where(t.c.visit_id == v.c.id))
    else:
        visits = visits.where(q.in_scope(ids))
    missing = list(session.execute(visits))
    if not missing:
        return _grouped(rows, weights, failed, items)
    which: Any = [q.as_uuid(row[0]) for row in missing]
    if len(which) > LISTED:
        which = _missing(ids) if kept else ids
    live = compute(session, which, specs)
    form_of: dict[uuid.UUID, Any] = {}
    for visit_id, unit_id, name, month_key, is_done, form_id in missing:
        key = q.as_uuid(visit_id)
        form_of[key] = form_id
        d = live.figures.get(key) or _zero()
        d = d | {f"{k}_visits": int(d[k] > 0) for k in ROLL_CALL_VIOLATIONS}
        add(q.as_uuid(unit_id), name, month_key, 1, int(is_done), d)
    for visit_id, code, n, x in live.items:
        if visit_id in form_of:
            add_item(form_of[visit_id], code, n, x)
    return _grouped(rows, weights, failed, items)


def kept_items(session: Session, ids: sa.Select[Any]) -> list[tuple[uuid.UUID, str, int, float | None]]:
    """The checklist topics failed in the visits in scope that have kept figures, per (form, item):
    failing answers and summed value (a query of its own, so it can run beside :func:`grouped`)."""
    if not keeps(session):
        return []
    stmt = (
        sa.select(v.c.form_id, ti.c.item_code, sa.func.sum(ti.c.n), sa.func.sum(ti.c.amount))
        .select_from(v)
        .join(t, t.c.visit_id == v.c.id)  # items count with their visit's figures only
        .join(ti, ti.c.visit_id == v.c.id)
        .where(q.in_scope(ids))
        .group_by(v.c.form_id, ti.c.item_code)
    )
    return [
        (q.as_uuid(form_id), code, int(n), None if x is None else float(x))
        for form_id, code, n, x in session.execute(stmt)
    ]


def with_items(g: Grouped, kept: list[tuple[uuid.UUID, str, int, float | None]]) -> Grouped:
    """``g`` (whose items are those of the visits computed live) with the kept items added."""
    items: dict[tuple[uuid.UUID, str], list[Any]] = {(it[1], it[2]): list(it) for it in g.items}
    for form_id, code, n, x in kept:
        it = items.setdefault((form_id, code), ["item", form_id, code, 0, None, 0])
        it[3] += n
        if x is not None:
            it[4] = x if it[4] is None else it[4] + x
    return Grouped(g.rows, g.weights, g.failed, [tuple(it) for it in items.values()])


def _grouped(
    rows: dict[Any, dict[str, Any]],
    weights: dict[uuid.UUID, float],
    failed: dict[Any, list[Any]],
    items: dict[Any, list[Any]],
) -> Grouped:
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


# ------------------------------------------------------------------------------- summary report


def roll_call(
    session: Session, ids: sa.Select[Any]
) -> tuple[dict[str, int], dict[uuid.UUID, dict[str, int]]]:
    """The summary report's roll-call figures from the kept ones (``reports.roll_call_totals`` and
    ``reports.roll_call_by_unit``, same counts): the totals with, per count, the visits where it
    was above zero (and ``visits``: those with a roll call), and the counts per unit that has one.
    Figures still missing (the file was busy) are computed here."""
    bind = session.get_bind()
    specs = q.specs_in(session, ids)
    if isinstance(bind, sa.Engine):
        fill(bind, ids, specs)
    per_unit: dict[uuid.UUID, dict[str, int]] = {}

    def add(unit_id: uuid.UUID, d: dict[str, Any]) -> None:
        unit = per_unit.setdefault(unit_id, dict.fromkeys((*ROLL_CALL_COUNTS, *_VISITS), 0))
        for k in ROLL_CALL_COUNTS:
            unit[k] += int(d[k] or 0)
            unit[f"{k}_visits"] += int(d[f"{k}_visits"] or 0)

    missing: list[Any] = []
    if not keeps(session):
        missing = list(session.execute(sa.select(v.c.id, v.c.unit_id).where(q.in_scope(ids))))
    else:
        columns = [sa.func.sum(t.c[k]).label(k) for k in ROLL_CALL_COUNTS]
        columns += [
            sa.func.sum(sa.case((t.c[k] > 0, 1), else_=0)).label(f"{k}_visits") for k in ROLL_CALL_COUNTS
        ]
        stmt = sa.select(v.c.unit_id, *columns).join(t, t.c.visit_id == v.c.id).where(q.in_scope(ids))
        for row in session.execute(stmt.group_by(v.c.unit_id)):
            add(q.as_uuid(row[0]), dict(row._mapping))
        missing = list(
            session.execute(
                sa.select(v.c.id, v.c.unit_id).where(
                    q.in_scope(ids), ~sa.exists().where(t.c.visit_id == v.c.id)
                )
            )
        )
    if missing:
        which: Any = [q.as_uuid(x[0]) for x in missing] if len(missing) <= LISTED else ids
        if not isinstance(which, list) and keeps(session):
            which = _missing(ids)
        live = compute(session, which, specs)
        for visit_id, unit_id in missing:
            d = live.figures.get(q.as_uuid(visit_id)) or _zero()
            add(q.as_uuid(unit_id), d | {f"{k}_visits": int(d[k] > 0) for k in ROLL_CALL_COUNTS})
    totals = dict.fromkeys((*ROLL_CALL_COUNTS, *_VISITS), 0)
    for unit in per_unit.values():
        for k, n in unit.items():
            totals[k] += n
    totals["visits"] = totals["people_visits"]
    return totals, {k: {n: d[n] for n in ROLL_CALL_COUNTS} for k, d in per_unit.items() if d["people"] > 0}


_VISITS = tuple(f"{k}_visits" for k in ROLL_CALL_COUNTS)
