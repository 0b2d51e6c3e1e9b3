"""Units of the registry: listing them, finding one by code or id, and the rule that a unit which
no longer exists (valid_to in the past, e.g. merged away on 1 July 2025) takes no more edits."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Session, col, select

from inspector_app.core.models import Official, Unit
from inspector_app.core.services.errors import NotFound, ServiceError
from inspector_app.core.services.schedule import VN_TZ
from inspector_app.i18n import _


class UnitClosed(ServiceError):
    """The unit ended (valid_to before today): its records stay as history, unchanged."""

    def __init__(self, unit: Unit, successor: Unit | None = None) -> None:
        self.unit = unit
        ended = unit.valid_to.strftime("%d/%m/%Y") if unit.valid_to else "?"
        if successor is not None:
            message = _(
                "The unit {unit} no longer exists (ended on {date}); edit its successor {successor} instead."
            ).format(unit=unit.name, date=ended, successor=successor.name)
        else:
            message = _("The unit {unit} no longer exists (ended on {date}); its records cannot be changed.")
            message = message.format(unit=unit.name, date=ended)
        super().__init__(message)


def local_today() -> dt.date:
    """Today in Viet Nam (validity dates of units are Vietnamese calendar days)."""
    return dt.datetime.now(VN_TZ).date()


def list_units(session: Session, *, current_only: bool = False, today: dt.date | None = None) -> list[Unit]:
    """Every unit not deleted, ordered by code; ``current_only`` leaves out units that ended."""
    stmt = select(Unit).where(Unit.deleted == False)  # noqa: E712
    if current_only:
        day = today or local_today()
        stmt = stmt.where(sa.or_(col(Unit.valid_to).is_(None), col(Unit.valid_to) >= day))
    return list(session.exec(stmt.order_by(col(Unit.code))).all())


def find_unit(session: Session, ref: str) -> Unit:
    """The unit whose code (any case) or id is ``ref``; :class:`NotFound` with a clear message if none."""
    text = ref.strip()
    unit: Unit | None = None
    with contextlib.suppress(ValueError):
        unit = session.get(Unit, uuid.UUID(text))
    if unit is None and text:
        unit = session.exec(
            select(Unit).where(sa.func.upper(Unit.code) == text.upper(), Unit.deleted == False)  # noqa: E712
        ).first()
    if unit is None or unit.deleted:
        raise NotFound(
            _("No unit with code or id {ref}. See the codes with: inspector-app units list").format(ref=ref)
        )
    return unit


def get_unit(session: Session, unit_id: uuid.UUID) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted:
        raise NotFound(
            _("No unit with code or id {ref}. See the codes with: inspector-app units list").format(
                ref=unit_id
            )
        )
    return unit


def is_open(unit: Unit, today: dt.date | None = None) -> bool:
    return unit.valid_to is None or unit.valid_to >= (today or local_today())


def ensure_open(session: Session, unit: Unit, today: dt.date | None = None) -> None:
    """Raise :class:`UnitClosed` (naming the successor if there is one) when the unit has ended."""
    if is_open(unit, today):
        return
    successor = session.get(Unit, unit.successor_id) if unit.successor_id else None
    raise UnitClosed(unit, successor)


def unit_codes(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Codes of the given units (parents, successors) in one query."""
    if not ids:
        return {}
    rows = session.exec(select(Unit.id, Unit.code).where(col(Unit.id).in_(ids))).all()
    return dict(rows)


def list_officials(
    session: Session, unit_id: uuid.UUID, *, include_left: bool = True, today: dt.date | None = None
) -> list[Official]:
    """Officials of one unit in roster order; without ``include_left`` only those still working there."""
    stmt = select(Official).where(Official.unit_id == unit_id, Official.deleted == False)  # noqa: E712
    if not include_left:
        stmt = stmt.where(current_official(today))
    return list(session.exec(stmt.order_by(col(Official.sort_order), col(Official.full_name))).all())


def current_official(today: dt.date | None = None) -> sa.ColumnElement[bool]:
    """SQL condition: the official has not left (no left_on, or a left_on still to come)."""
    day = today or local_today()
    return sa.or_(col(Official.left_on).is_(None), col(Official.left_on) > day)


# ---- history of mergers (added for the office desk) ---------------------------------------------


def predecessors(session: Session, unit_id: uuid.UUID) -> list[tuple[int, Unit]]:
    """Units merged into this one, directly (depth 1) or through earlier mergers (depth 2, …), as
    (depth, unit) in reading order: each predecessor followed by its own, latest ending first."""
    out: list[tuple[int, Unit]] = []
    seen = {unit_id}

    def walk(target: uuid.UUID, depth: int) -> None:
        rows = session.exec(
            select(Unit).where(Unit.successor_id == target, Unit.deleted == False)  # noqa: E712
        ).all()
        for unit in sorted(rows, key=lambda u: (-(u.valid_to or dt.date.max).toordinal(), u.name)):
            if unit.id in seen:
                continue
            seen.add(unit.id)
            out.append((depth, unit))
            walk(unit.id, depth + 1)

    walk(unit_id, 1)
    return out


def successor_chain(session: Session, unit_id: uuid.UUID) -> list[Unit]:
    """The unit's successor, that one's successor, … (empty for a unit that was never merged away)."""
    chain: list[Unit] = []
    seen = {unit_id}
    unit = session.get(Unit, unit_id)
    while unit is not None and unit.successor_id is not None and unit.successor_id not in seen:
        seen.add(unit.successor_id)
        unit = session.get(Unit, unit.successor_id)
        if unit is not None and not unit.deleted:
            chain.append(unit)
    return chain
