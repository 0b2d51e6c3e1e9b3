"""Storage: pragmas, migrations that lose nothing, backups, and damage detection."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from inspector_app.core.db import (
    DB_FILENAME,
    DatabaseDamaged,
    integrity_problems,
    is_current,
    make_engine,
    open_database,
    upgrade,
)


def test_pragmas_make_edits_durable(tmp_path: Path) -> None:
    engine = open_database(tmp_path)
    with engine.connect() as conn:
        pragma = {
            p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
            for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 5000}


def test_head_schema_matches_the_models(tmp_path: Path) -> None:
    engine = open_database(tmp_path)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    assert is_current(engine)


def _fill_at_first_revision(engine: sa.Engine) -> dict[str, str]:
    ids = {name: uuid.uuid4().hex for name in ("province", "unit", "official", "form", "visit", "answer")}
    sync = "'0000000000001-00000-t', 0, 1, NULL"
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"INSERT INTO unit VALUES ('{ids['province']}', {sync}, 'HT', 'UBND tỉnh Hà Tĩnh', 'Hà Tĩnh', 'tinh', "
            "NULL, NULL, '2025-07-01', NULL, NULL)"
        )
        conn.exec_driver_sql(
            f"INSERT INTO unit VALUES ('{ids['unit']}', {sync}, 'HT-XA-A', 'UBND xã Thạch Khê', 'Thạch Khê', 'xa', "
            f"'{ids['province']}', NULL, '2025-07-01', NULL, NULL)"
        )
        conn.exec_driver_sql(
            f"INSERT INTO official VALUES ('{ids['official']}', {sync}, '{ids['unit']}', 'Nguyễn Văn An', "
            "'Chủ tịch UBND', NULL, 'can_bo', 'nam', '1975-05-02', NULL, 1)"
        )
        conn.exec_driver_sql(
            f"INSERT INTO form_version VALUES ('{ids['form']}', {sync}, 'f', 1, 'Phiếu', '{'0' * 64}', 'code: f', "
            "'2026-01-01 00:00:00.000000')"
        )
        conn.exec_driver_sql(
            f"INSERT INTO visit (id, updated_at, deleted, dirty, seq, unit_id, form_id, mode, status, started_at, "
            f"copies, device_id) VALUES ('{ids['visit']}', {sync}, '{ids['unit']}', '{ids['form']}', 'dot_xuat', "
            "'draft', '2026-03-10 00:45:00.000000', 2, 'd1')"
        )
        conn.exec_driver_sql(
            f"INSERT INTO answer VALUES ('{ids['answer']}', {sync}, '{ids['visit']}', 'B9', '\"no\"', 'ghi chú', "
            "'2026-03-10 01:00:00.000000')"
        )
    return ids


def test_upgrade_from_the_first_revision_loses_nothing(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / DB_FILENAME)
    upgrade(engine, "0001")
    ids = _fill_at_first_revision(engine)
    before = _dump(engine)
    engine.dispose()

    engine = open_database(tmp_path)  # what the app does at start: back up, then migrate
    assert is_current(engine)
    after = _dump(engine)
    for table, rows in before.items():  # columns added by later revisions are left out
        assert [{k: r[k] for k in rows[0]} for r in after[table]] == rows, table
    with engine.connect() as conn:
        keys = dict(conn.exec_driver_sql("SELECT id, search_key FROM official").fetchall())
        unit_keys = dict(conn.exec_driver_sql("SELECT code, search_key FROM unit").fetchall())
    assert keys[ids["official"]] == "nguyen van an"
    assert unit_keys["HT-XA-A"] == "ubnd xa thach khe"
    backups = list((tmp_path / "backups").glob("*before-migration*.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert copy.execute("SELECT count(*) FROM answer").fetchone() == (1,)


def _dump(engine: sa.Engine) -> dict[str, list[dict[str, object]]]:
    with engine.connect() as conn:
        return {
            t: [dict(r._mapping) for r in conn.exec_driver_sql(f"SELECT * FROM {t} ORDER BY id")]
            for t in ("unit", "official", "form_version", "visit", "answer")
        }


def test_no_backup_when_nothing_to_migrate(tmp_path: Path) -> None:
    open_database(tmp_path).dispose()
    open_database(tmp_path).dispose()
    assert not (tmp_path / "backups").exists()


def test_a_damaged_file_is_reported_not_opened(tmp_path: Path) -> None:
    open_database(tmp_path).dispose()
    path = tmp_path / DB_FILENAME
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # overwrite the second page
    path.write_bytes(bytes(data))
    assert integrity_problems(path)
    with pytest.raises(DatabaseDamaged):
        open_database(tmp_path)


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / DB_FILENAME).write_text("không phải cơ sở dữ liệu")
    assert integrity_problems(tmp_path / DB_FILENAME)
    with pytest.raises(DatabaseDamaged):
        open_database(tmp_path)


def test_naive_datetimes_are_refused_at_the_column(tmp_path: Path) -> None:
    from inspector_app.core.models import UTCDateTime

    with pytest.raises(ValueError):
        UTCDateTime().process_bind_param(dt.datetime(2026, 1, 1), make_engine(tmp_path / "x.db").dialect)
