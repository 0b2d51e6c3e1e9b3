"""The office hands out blocks of document numbers (``numbering.allocate_block``) when a laptop
syncs: before each pull, a device with fewer than ``LOW_WATER`` unused numbers of this year left
for the issuer of one of its teams gets a new block, which the same pull then carries to it.

The first look is a read without any lock (a pull must stay cheap); only a device that runs low
takes the push lock, looks again and allocates, so two laptops syncing at once never get
overlapping blocks and a block always has a seq at or below the counter the pull reads next.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session, col, select

from inspector_app.core.models import Team
from inspector_app.core.models.documents import DocumentNumber, NumberBlock
from inspector_app.core.services import numbering
from inspector_app.core.services.editor import Editor
from inspector_app.core.text import nfc
from inspector_app.office import store
from inspector_app.office.principal import Principal
from inspector_app.sync.tables import table

LOW_WATER = 20  # fewer numbers than this left: the device gets a new block
BLOCK_SIZE = 50
_SEQUENCED = ("number_block", "audit_entry")  # what allocate_block writes


def office_editor() -> Editor:
    from inspector_app.office.admin import office_editor as editor  # admin imports the whole office

    return editor()


def current_year(today: dt.date | None = None) -> int:
    return (today or dt.datetime.now(numbering.VN_TZ).date()).year


def issuers_of(session: Session, p: Principal) -> list[str]:
    """The ký hiệu of the device's teams (the team's ``short_issuer``), each once."""
    if not p.team_ids:
        return []
    rows = session.exec(
        select(Team.short_issuer).where(
            col(Team.id).in_(sorted(p.team_ids)),
            Team.deleted == sa.false(),
        )
    ).all()
    return sorted({nfc(r) for r in rows if r and nfc(r)})


def left_for(session: Session, issuer: str, year: int, device_tag: str) -> int:
    """Unused numbers of ``device_tag``'s blocks, counted in SQL (a device holds a few blocks)."""
    blocks = numbering.blocks_of(session, issuer, year, device_tag)
    if not blocks:
        return 0
    size = sum(b.last - b.first + 1 for b in blocks)
    inside = sa.or_(*(col(DocumentNumber.number).between(b.first, b.last) for b in blocks))
    used = session.exec(
        select(sa.func.count()).where(
            DocumentNumber.issuer == issuer,
            DocumentNumber.year == year,
            DocumentNumber.deleted == sa.false(),
            inside,
        )
    ).one()
    return size - int(used)


def ensure_blocks(
    engine: sa.Engine,
    p: Principal,
    *,
    today: dt.date | None = None,
    low: int = LOW_WATER,
    size: int = BLOCK_SIZE,
) -> list[NumberBlock]:
    """Give ``p``'s device a new block of ``size`` for every issuer of its teams where it has
    fewer than ``low`` numbers of this year left. Returns the blocks made (usually none)."""
    year = current_year(today)
    with Session(engine) as session:
        low_on = [i for i in issuers_of(session, p) if left_for(session, i, year, p.device_tag) < low]
    if not low_on:
        return []
    made: list[NumberBlock] = []
    with engine.begin() as conn:
        store.lock_counter(conn)  # one allocator at a time, and in seq order with pushes
        session = Session(bind=conn)
        editor = office_editor()
        for issuer in low_on:
            if left_for(session, issuer, year, p.device_tag) < low:  # another request may have
                made.append(numbering.allocate_block(session, editor, issuer, year, p.device_tag, size))
        session.flush()
        made = [_detached(b) for b in made]
        session.close()
        if made:
            _sequence(conn)
    return made


def _detached(block: NumberBlock) -> NumberBlock:
    return NumberBlock.model_validate(block.model_dump())


def _sequence(conn: sa.Connection) -> None:
    """Seqs for the rows just written (still under the push lock), so this pull carries them."""
    value = store.lock_counter(conn)
    for name in _SEQUENCED:
        t = table(name)
        ids = list(conn.execute(sa.select(t.c.id).where(t.c.seq.is_(None)).order_by(t.c.id)).scalars())
        if ids:
            stmt = (
                t.update().where(t.c.id == sa.bindparam("_id")).values(seq=sa.bindparam("_seq"), dirty=False)
            )
            conn.execute(stmt, [{"_id": i, "_seq": value + n} for n, i in enumerate(ids, 1)])
            value += len(ids)
    store.save_counter(conn, value)
