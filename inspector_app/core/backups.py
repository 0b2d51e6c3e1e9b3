"""Copies of the local database: made with SQLite's online backup API (a plain file copy of a WAL
database can miss committed pages), kept rolling, and restored without overwriting anything."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

DB_FILENAME = "inspector.sqlite3"  # also in core.db; kept here so this module needs no SQLAlchemy
DEFAULT_KEEP = 14


def backup_dir(data_dir: Path) -> Path:
    return data_dir / "backups"


def backup_to(db_path: Path, target: Path) -> Path:
    """Copy a live database consistently into ``target`` (written beside it, then renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(target)
    return target


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def make_backup(db_path: Path, reason: str) -> Path:
    """A copy named ``inspector-<UTC time>-<reason>.sqlite3`` in the data folder's backups."""
    return backup_to(db_path, backup_dir(db_path.parent) / f"inspector-{_stamp()}-{reason}.sqlite3")


def list_backups(data_dir: Path) -> list[Path]:
    """Copies made by the app, newest first (the name starts with its UTC time)."""
    folder = backup_dir(data_dir)
    if not folder.is_dir():
        return []
    return sorted(folder.glob("inspector-*.sqlite3"), key=lambda p: p.name, reverse=True)


def is_sound(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def newest_sound_backup(data_dir: Path) -> Path | None:
    return next((p for p in list_backups(data_dir) if is_sound(p)), None)


def prune(data_dir: Path, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Remove the oldest rolling copies beyond ``keep``. Copies made before a migration or a restore
    are kept: they are the way back from a change the user did not choose."""
    rolling = [p for p in list_backups(data_dir) if p.stem.endswith(("-daily", "-manual"))]
    removed = rolling[max(keep, 1) :]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def daily_backup(data_dir: Path, keep: int = DEFAULT_KEEP) -> Path | None:
    """One copy per UTC day, made at start when today's is missing; then prune."""
    db_path = data_dir / DB_FILENAME
    if not db_path.exists():
        return None
    today = dt.datetime.now(dt.UTC).strftime("%Y%m%d")
    if any(
        p.name.startswith(f"inspector-{today}") and p.stem.endswith("-daily") for p in list_backups(data_dir)
    ):
        return None
    made = make_backup(db_path, "daily")
    prune(data_dir, keep)
    return made


@dataclass(frozen=True)
class Restored:
    source: Path
    set_aside: list[Path]  # the files that were in place, moved into the backups folder


def restore(data_dir: Path, source: Path | None = None) -> Restored:
    """Put a copy back in place of the current database.

    The current files (database, and its -wal and -shm, which hold committed pages of their own)
    are moved into the backups folder under a ``replaced`` name, never deleted: whatever was there
    can still be recovered. Raises ``ValueError`` when the chosen copy is not a sound database.
    """
    chosen = source or newest_sound_backup(data_dir)
    if chosen is None:
        raise FileNotFoundError(backup_dir(data_dir))
    if not is_sound(chosen):
        raise ValueError(str(chosen))
    db_path = data_dir / DB_FILENAME
    aside_dir = backup_dir(data_dir)
    aside_dir.mkdir(parents=True, exist_ok=True)
    stamp = _stamp()
    set_aside = []
    for suffix in ("", "-wal", "-shm"):
        current = db_path.with_name(db_path.name + suffix)
        if current.exists():
            target = aside_dir / f"replaced-{stamp}-{DB_FILENAME}{suffix}"
            shutil.move(current, target)
            set_aside.append(target)
    partial = db_path.with_name(db_path.name + ".part")
    shutil.copyfile(chosen, partial)
    partial.replace(db_path)
    return Restored(chosen, set_aside)
