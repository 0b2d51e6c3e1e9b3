"""Read-only queries for lists (command line, visits table): done in SQL, page by page."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from inspector_app.core.models import FormVersion, Unit, Visit
from inspector_app.core.services.search import like_all


@dataclass(frozen=True)
class VisitFilter:
    search: str = ""  # unit name or number, diacritics ignored
    status: str | None = None
    unit_id: uuid.UUID | None = None
    plan_id: uuid.UUID | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


SORT_COLUMNS: dict[str, Any] = {
    "started_at": Visit.started_at,
    "unit": Unit.search_key,
    "status": Visit.status,
    "number": Visit.number,
}


def _filtered(stmt: Any, flt: VisitFilter) -> Any:
    stmt = stmt.where(Visit.deleted == False)  # noqa: E712
    if flt.search.strip():
        units = select(Unit.id).where(like_all(Unit.search_key, flt.search))
        stmt = stmt.where(
            sa.or_(col(Visit.unit_id).in_(units), col(Visit.number).contains(flt.search.strip()))
        )
    if flt.status:
        stmt = stmt.where(Visit.status == flt.status)
    if flt.unit_id:
        stmt = stmt.where(Visit.unit_id == flt.unit_id)
    if flt.plan_id:
        stmt = stmt.where(Visit.plan_id == flt.plan_id)
    if flt.date_from:
        stmt = stmt.where(col(Visit.started_at) >= dt.datetime.combine(flt.date_from, dt.time(), dt.UTC))
    if flt.date_to:
        end = dt.datetime.combine(flt.date_to + dt.timedelta(days=1), dt.time(), dt.UTC)
        stmt = stmt.where(col(Visit.started_at) < end)
    return stmt


def count_visits(session: Session, flt: VisitFilter = VisitFilter()) -> dict[str, int]:
    """Counts per status under the filter (the status filter itself ignored), plus ``"all"``."""
    base = VisitFilter(**{**flt.__dict__, "status": None})
    stmt = _filtered(select(Visit.status, sa.func.count()).select_from(Visit), base).group_by(Visit.status)
    counts = {status: n for status, n in session.exec(stmt).all()}
    counts["all"] = sum(counts.values())
    return counts


def list_visits(
    session: Session,
    flt: VisitFilter = VisitFilter(),
    *,
    sort: str = "started_at",
    descending: bool = True,
    offset: int = 0,
    limit: int | None = 200,
) -> list[dict[str, Any]]:
    order = col(SORT_COLUMNS[sort])
    stmt = _filtered(
        sa.select(
            col(Visit.id),
            col(Visit.status),
            col(Visit.started_at),
            col(Visit.number),
            col(Visit.mode),
            col(Unit.name).label("unit"),
            col(Unit.code).label("unit_code"),
            col(FormVersion.code).label("form"),
            col(FormVersion.version).label("form_version"),
            col(FormVersion.title).label("form_title"),
        )
        .join(Unit, col(Unit.id) == Visit.unit_id)
        .join(FormVersion, col(FormVersion.id) == Visit.form_id),
        flt,
    )
    stmt = stmt.order_by(order.desc() if descending else order.asc(), col(Visit.id).desc()).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [dict(row._mapping) for row in session.execute(stmt).all()]
