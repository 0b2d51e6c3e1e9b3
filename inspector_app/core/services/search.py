"""Search that ignores diacritics and case: "nguyen van an" finds "Nguyễn Văn An"."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from inspector_app.core.models import Official, Unit
from inspector_app.core.text import fold


def folded_terms(query: str) -> list[str]:
    return [t for t in fold(query).split(" ") if t]


def like_all(column: Any, query: str) -> Any:
    """Every word of the query must occur in the (already folded) column, in any order."""
    terms = folded_terms(query)
    escaped = [t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for t in terms]
    return sa.and_(sa.true(), *(column.like(f"%{t}%", escape="\\") for t in escaped))


def best_first(column: Any, query: str) -> list[Any]:
    """Order: the whole name, then names starting with the query, then containing it, then the rest;
    shorter (closer) names first within each group."""
    phrase = " ".join(folded_terms(query))
    rank = sa.case(
        (column == phrase, 0),
        (column.like(f"{phrase}%"), 1),
        (column.like(f"%{phrase}%"), 2),
        else_=3,
    )
    return [rank, sa.func.length(column), column]


def search_units(session: Session, query: str, *, limit: int = 50, current_only: bool = True) -> list[Unit]:
    stmt = select(Unit).where(Unit.deleted == False, like_all(Unit.search_key, query))  # noqa: E712
    if current_only:
        stmt = stmt.where(col(Unit.valid_to).is_(None))
    return list(session.exec(stmt.order_by(*best_first(col(Unit.search_key), query)).limit(limit)).all())


def search_officials(
    session: Session, query: str, *, unit_id: uuid.UUID | None = None, limit: int = 50
) -> list[Official]:
    stmt = select(Official).where(Official.deleted == False, like_all(Official.search_key, query))  # noqa: E712
    if unit_id is not None:
        stmt = stmt.where(Official.unit_id == unit_id)
    return list(session.exec(stmt.order_by(*best_first(col(Official.search_key), query)).limit(limit)).all())
