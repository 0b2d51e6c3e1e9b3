"""The local database: one engine per file, the pragmas that make an edit survive a power cut,
backups with SQLite's online backup API, and Alembic migrations applied at start."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import Session

import inspector_app.core.models  # noqa: F401  (registers every table on the metadata)
from inspector_app.core import backups
from inspector_app.core.backups import backup_dir, backup_to, make_backup  # noqa: F401  (re-exported)
from inspector_app.core.services.errors import ServiceError
from inspector_app.i18n import _

log = logging.getLogger(__name__)

DB_FILENAME = backups.DB_FILENAME


class DatabaseDamaged(RuntimeError):
    """The database file cannot be trusted (integrity check failed or not a database)."""


class StorageFull(ServiceError):
    """The disk (or the database's size limit) is full: this edit was not saved, earlier ones are."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            _(
                "The disk is full: this change was not saved (everything saved before it is safe). "
                "Free some space, then try again. ({detail})"
            ).format(detail=detail)
        )


def _is_full(exc: BaseException) -> bool:
    return "database or disk is full" in str(exc) or "SQLITE_FULL" in str(exc)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL, not NORMAL: an edit acknowledged to the inspector must survive a power cut.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(url_or_path: str | Path) -> sa.Engine:
    """Engine for a SQLite file path (laptop) or any SQLAlchemy URL (office)."""
    url = str(url_or_path)
    if "://" not in url:
        url = f"sqlite:///{Path(url).resolve()}"
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@contextmanager
def session_scope(engine: sa.Engine) -> Iterator[Session]:
    """A short session that commits on success: one interactive edit, one transaction."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except sa.exc.OperationalError as exc:
            session.rollback()
            if _is_full(exc):
                raise StorageFull(str(exc.orig)) from exc
            raise
        except BaseException:
            session.rollback()
            raise


# --- migrations -------------------------------------------------------------------------------


def alembic_config(engine: sa.Engine | None = None) -> Config:
    """No alembic.ini is shipped: the migrations live inside the package (wheel and frozen app)."""
    cfg = Config()
    cfg.set_main_option("script_location", "inspector_app.core:migrations")
    cfg.attributes["engine"] = engine
    return cfg


def head_revisions() -> frozenset[str]:
    """The newest revision of each branch (one while the history is linear)."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: sa.Engine) -> frozenset[str]:
    with engine.connect() as conn:
        return frozenset(MigrationContext.configure(conn).get_current_heads())


def is_current(engine: sa.Engine) -> bool:
    return current_revisions(engine) == head_revisions()


def upgrade(engine: sa.Engine, revision: str = "heads") -> None:
    command.upgrade(alembic_config(engine), revision)


# --- integrity --------------------------------------------------------------------------------


def integrity_problems(db_path: Path) -> list[str]:
    """Problems SQLite finds in the file; empty when it is sound."""
    if not db_path.exists():
        return [f"{db_path}: not found"]
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"{db_path}: {exc}"]
    problems = [r[0] for r in rows if r[0] != "ok"]
    problems += [f"foreign key: table {r[0]} rowid {r[1]} → {r[2]}" for r in fk]
    return problems


def open_database(data_dir: Path) -> sa.Engine:
    """Open (creating if needed) the laptop database and bring it to the newest schema,
    backing it up first whenever a migration is about to run."""
    data_dir.mkdir(parents=True, exist_ok=True)
    db_path = data_dir / DB_FILENAME
    existed = db_path.exists() and db_path.stat().st_size > 0
    if existed:
        problems = integrity_problems(db_path)
        if problems:
            raise DatabaseDamaged("\n".join(problems))
    engine = make_engine(db_path)
    if existed and not is_current(engine):
        saved = make_backup(db_path, "before-migration")
        log.info("backed up %s to %s before migrating", db_path, saved)
    upgrade(engine)
    return engine
