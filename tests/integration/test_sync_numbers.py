"""Minutes numbers through the real office (SQLite and PostgreSQL): a laptop that syncs gets a
block of this year's numbers in the same sync, two laptops get disjoint blocks, sign visits
offline, and the office's register ends up with every number once; a laptop with no block is
asked for a number typed by hand."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select
from sync_helpers import Office, laptop, office_fixture, start_visit  # noqa: F401

from inspector_app.core.db import session_scope
from inspector_app.core.demo.png import signature_png
from inspector_app.core.models import SignatureRole, Visit, VisitStatus
from inspector_app.core.models.documents import NumberBlock
from inspector_app.core.services import numbering, signing
from inspector_app.core.services.attachments import store_attachment
from inspector_app.core.workspace import Workspace
from inspector_app.office import numbers
from inspector_app.sync import client

ISSUER = "ĐKTCV"  # both test teams' short_issuer
YEAR = numbers.current_year()


def _visit(ws: Workspace) -> uuid.UUID:
    """A visit of this year, completed and signed by all three (the checklist is not the point)."""
    visit_id = start_visit(ws)
    with session_scope(ws.engine) as s:
        visit = s.get(Visit, visit_id)
        assert visit is not None
        visit.arrived_at = dt.datetime.now(dt.UTC)
        visit.status = VisitStatus.COMPLETED
        ws.editor.stamp(visit)
    with session_scope(ws.engine) as s:
        for n, role in enumerate(SignatureRole):
            att = store_attachment(s, ws.editor, ws.attachments, data=signature_png(n), mime="image/png")
            s.flush()
            signing.record_signature(
                s, ws.editor, visit_id=visit_id, role=role, signer_name=f"Người ký {n}", attachment_id=att.id
            )
    return visit_id


def _lock(ws: Workspace, visit_id: uuid.UUID, number: int | str | None = None) -> str:
    with session_scope(ws.engine) as s:
        signing.sign_and_lock(s, ws.editor, visit_id=visit_id, number=number)
        visit = s.get(Visit, visit_id)
        assert visit is not None and visit.number
        return visit.number


def _blocks(engine: sa.Engine, device: str) -> list[tuple[int, int]]:
    with Session(engine) as s:
        return [(b.first, b.last) for b in numbering.blocks_of(s, ISSUER, YEAR, device)]


def test_two_laptops_number_offline_without_collisions(office: Office, tmp_path: Path) -> None:
    a, b = laptop(tmp_path / "a", office, "an"), laptop(tmp_path / "b", office, "binh")
    assert client.sync(a).rejected == [] and client.sync(b).rejected == []
    mine, theirs = _blocks(a.engine, a.editor.device_id), _blocks(b.engine, b.editor.device_id)
    assert len(mine) == len(theirs) == 1  # reached each laptop in that same sync
    (a1, a2), (b1, b2) = mine[0], theirs[0]
    assert a2 < b1 or b2 < a1, (mine, theirs)
    assert _blocks(office.engine, a.editor.device_id) == mine

    taken: list[str] = []
    for ws in (a, b, a, b, b):  # offline: neither can see the other's numbers
        taken.append(_lock(ws, _visit(ws)))
    assert len(set(taken)) == len(taken)
    for ws in (a, b, a):
        assert client.sync(ws).rejected == []
    with Session(office.engine) as s:
        lines = numbering.register(s, ISSUER, YEAR)
        signed = s.exec(select(Visit.number).where(col(Visit.number).is_not(None))).all()
    symbols = [line.symbol for line in lines]
    assert len(symbols) == len(set(symbols))
    assert set(taken) <= set(symbols) and set(taken) <= set(signed)
    assert {line.entity for line in lines if line.symbol in taken} == {"visit"}
    for line in (line for line in lines if line.symbol in taken):
        device = a.editor.device_id if line.device_id == a.editor.device_id else b.editor.device_id
        assert any(f <= line.number <= t for f, t in _blocks(office.engine, device))

    # A second sync with plenty left hands out nothing more.
    client.sync(a)
    assert _blocks(a.engine, a.editor.device_id) == mine


def test_running_low_brings_the_next_block(office: Office, tmp_path: Path) -> None:
    a = laptop(tmp_path / "a", office, "an")
    client.sync(a)
    first = _blocks(a.engine, a.editor.device_id)
    assert len(first) == 1
    with session_scope(a.engine) as s:  # use up all but a few numbers of the block
        for _ in range(numbers.BLOCK_SIZE - numbers.LOW_WATER + 1):
            numbering.next_number(s, a.editor, ISSUER, YEAR, "BC", summary="Báo cáo")
    assert client.sync(a).rejected == []
    after = _blocks(a.engine, a.editor.device_id)
    assert len(after) == 2 and after[0] == first[0] and after[1][0] > after[0][1]
    with Session(a.engine) as s:
        assert numbering.remaining(s, ISSUER, YEAR, a.editor.device_id) >= numbers.LOW_WATER


def test_a_laptop_without_a_block_types_the_number(office: Office, tmp_path: Path) -> None:
    c = laptop(tmp_path / "c", office, "an")  # signed in, never synced: no block yet
    visit_id = _visit(c)
    with Session(c.engine) as s:
        assert s.exec(select(NumberBlock).where(NumberBlock.device_id == c.editor.device_id)).first() is None
    with session_scope(c.engine) as s, pytest.raises(signing.MinutesNumberNeeded):
        signing.sign_and_lock(s, c.editor, visit_id=visit_id)
    typed = 9_000 + (1 if office.engine.dialect.name == "sqlite" else 2)
    assert _lock(c, visit_id, str(typed)) == numbering.symbol(typed, "BB", ISSUER)
    assert client.sync(c).rejected == []
    with Session(office.engine) as s:
        line = numbering.number_of(s, "visit", visit_id)
        assert line is not None and line.manual and line.number == typed
        # The office now hands out numbers after the one typed by hand.
        newest = s.exec(
            select(NumberBlock).where(NumberBlock.device_id == c.editor.device_id, NumberBlock.year == YEAR)
        ).all()
    assert newest and all(b.first > typed for b in newest)
