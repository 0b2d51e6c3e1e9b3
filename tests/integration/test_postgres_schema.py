"""One Alembic history for the laptop's SQLite and the office's PostgreSQL, and the bulk paths
(demo loading, newer-wins upsert) working the same on both."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel, select

from inspector_app.core.bulk import upsert_newer
from inspector_app.core.db import is_current, make_engine, upgrade
from inspector_app.core.demo.load import load_reference
from inspector_app.core.demo.province import demo_reference
from inspector_app.core.models import Official, Unit
from inspector_app.core.services.search import search_officials


def test_migrations_and_bulk_paths_on_postgresql(pg_url: str) -> None:
    engine = make_engine(pg_url)
    upgrade(engine, "0001")
    upgrade(engine)
    assert is_current(engine)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []

    with Session(engine) as s:
        load_reference(s)
        s.commit()
        load_reference(s)  # idempotent: same stable ids, nothing doubled
        s.commit()
        expected = len(demo_reference()["official"])
        assert s.exec(select(sa.func.count()).select_from(Official)).one() == expected
        assert search_officials(s, "nguyen van an")[0].full_name == "Nguyễn Văn An"

    table = SQLModel.metadata.tables["unit"]
    with Session(engine) as s:
        unit = s.exec(select(Unit).where(Unit.code == "HT-XA-THACH-KHE")).one()
        row = unit.model_dump()
    newer = row | {"address": "Thôn Bắc Sơn, xã Thạch Khê", "updated_at": "9999999999999-00000-office"}
    older = row | {"address": "cũ hơn", "updated_at": "0000000000000-00000-old"}
    with engine.begin() as conn:
        upsert_newer(conn, table, [newer])
        upsert_newer(conn, table, [older])
    with Session(engine) as s:
        assert s.get(Unit, unit.id).address == "Thôn Bắc Sơn, xã Thạch Khê"
    engine.dispose()
    assert dt.date(2025, 7, 1) == row["valid_from"]
