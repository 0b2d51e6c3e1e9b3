"""A fresh office's planner statistics follow its pushes (office/statistics.py): a table is
ANALYZEd in the background once the rows written since the last sample reach ``GROWTH`` times
the rows sampled, not on every push, and never on SQLite."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sync_helpers import fresh_pg_url, prepare_office

from inspector_app.office import admin, statistics


def _sampled(engine: sa.Engine, name: str) -> float:
    with engine.connect() as conn:
        return float(
            conn.exec_driver_sql("SELECT reltuples FROM pg_class WHERE relname = %s", (name,)).scalar_one()
        )


def test_tables_are_sampled_as_pushes_grow_them(pg_url: str) -> None:
    engine = prepare_office(fresh_pg_url(pg_url))
    try:
        with engine.connect() as conn:
            officials = conn.exec_driver_sql("SELECT count(*) FROM official").scalar_one()
        assert officials > statistics.STALE_ROWS  # the demo province: enough rows to tell samples apart
        stats = statistics.refresher(engine)

        statistics.rows_written(engine, {"official": statistics.STALE_ROWS - 1, "answer": 0})
        assert stats.wait(30) and stats.analyzed == {}  # below the floor: nothing to do

        statistics.rows_written(engine, {"official": 1})
        assert stats.wait(30) and stats.analyzed == {"official": 1}
        assert _sampled(engine, "official") == officials  # the planner now knows the table's size

        statistics.rows_written(engine, {"official": statistics.GROWTH * officials - 1})
        assert stats.wait(30) and stats.analyzed == {"official": 1}  # not yet grown enough
        statistics.rows_written(engine, {"official": 1})
        assert stats.wait(30) and stats.analyzed == {"official": 2}
    finally:
        engine.dispose()


def test_a_sqlite_office_has_no_statistics_to_refresh(tmp_path: Path) -> None:
    engine = admin.office_engine(str(tmp_path / "office.sqlite3"))
    try:
        statistics.rows_written(engine, {"official": 10**6})
        assert engine not in statistics._refreshers
    finally:
        engine.dispose()
