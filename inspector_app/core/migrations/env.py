"""Alembic environment: one history for the laptop's SQLite and the office's PostgreSQL."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import inspector_app.core.models  # noqa: F401  (the metadata autogenerate compares against)

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    from inspector_app.core.db import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///autogen.sqlite3")

sqlite = engine.dialect.name == "sqlite"
with engine.connect() as conn:
    if sqlite:
        # A batch migration copies and drops tables: with foreign keys on, dropping a parent fails.
        # The pragma only works outside a transaction; the keys are checked again afterwards.
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        conn.commit()
    context.configure(
        connection=conn,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        if bad:
            raise RuntimeError(f"foreign keys broken by a migration: {bad[:10]}")
