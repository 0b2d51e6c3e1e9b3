"""Backups and recovery: rolling copies by the online backup API, restore that overwrites nothing,
and a full disk that loses nothing already saved."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from inspector_app.core import backups
from inspector_app.core.db import DB_FILENAME, StorageFull, session_scope
from inspector_app.core.models import Finding
from inspector_app.core.services import findings
from inspector_app.core.services.queries import VisitFilter, list_visits
from inspector_app.core.workspace import Workspace, open_workspace


def _draft_visit(ws: Workspace) -> object:
    with Session(ws.engine) as s:
        return list_visits(s, VisitFilter(status="draft"), limit=1)[0]["id"]


def test_one_daily_copy_and_pruning(workspace: Workspace) -> None:
    open_workspace(workspace.data_dir).close()  # a second start the same day adds no copy
    open_workspace(workspace.data_dir).close()
    daily = [p for p in backups.list_backups(workspace.data_dir) if p.stem.endswith("-daily")]
    assert len(daily) == 1 and backups.is_sound(daily[0])
    for _ in range(5):
        backups.make_backup(workspace.db_path, "manual")
    removed = backups.prune(workspace.data_dir, keep=3)
    assert len(removed) == 3
    assert len(backups.list_backups(workspace.data_dir)) == 3


def test_restore_puts_the_newest_sound_copy_back_and_keeps_what_was_there(demo_ws: Workspace) -> None:
    visit_id = _draft_visit(demo_ws)
    copy = backups.make_backup(demo_ws.db_path, "manual")
    with session_scope(demo_ws.engine) as s:
        findings.add_finding(s, demo_ws.editor, visit_id=visit_id, text="Ghi sau khi sao lưu")
    demo_ws.close()
    broken = backups.backup_dir(demo_ws.data_dir) / "inspector-99999999T000000000000Z-manual.sqlite3"
    broken.write_bytes(b"not a database")  # newer by name, but not sound: skipped
    done = backups.restore(demo_ws.data_dir)
    assert done.source == copy
    assert any(p.name.startswith("replaced-") for p in done.set_aside)
    with sqlite3.connect(demo_ws.db_path) as conn:
        assert conn.execute("SELECT count(*) FROM finding WHERE text = 'Ghi sau khi sao lưu'").fetchone() == (
            0,
        )
    replaced = next(p for p in done.set_aside if p.name.endswith(DB_FILENAME))
    with sqlite3.connect(replaced) as conn:  # the replaced database still holds the later edit
        assert conn.execute("SELECT count(*) FROM finding WHERE text = 'Ghi sau khi sao lưu'").fetchone() == (
            1,
        )
    with pytest.raises(ValueError):
        backups.restore(demo_ws.data_dir, broken)


def test_full_disk_refuses_the_edit_and_keeps_everything_saved(demo_ws: Workspace) -> None:
    visit_id = _draft_visit(demo_ws)
    with session_scope(demo_ws.engine) as s:
        findings.add_finding(s, demo_ws.editor, visit_id=visit_id, text="Đã lưu trước khi đầy đĩa")
    with demo_ws.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    # Simulate a full disk: the pool keeps one connection, cap its file at the current size.
    demo_ws.engine.dispose()
    limited = demo_ws.engine
    from sqlalchemy import event

    def cap(dbapi_conn: object, _rec: object) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")  # type: ignore[attr-defined]

    event.listen(limited, "connect", cap)
    with pytest.raises(StorageFull, match="Ổ đĩa đã đầy"), session_scope(limited) as s:
        findings.add_finding(s, demo_ws.editor, visit_id=visit_id, text="x" * 200_000)
    event.remove(limited, "connect", cap)
    limited.dispose()
    with Session(demo_ws.engine) as s:
        texts = {f.text for f in s.exec(select(Finding).where(Finding.visit_id == visit_id)).all()}
    assert "Đã lưu trước khi đầy đĩa" in texts and "x" * 200_000 not in texts
    assert backups.is_sound(demo_ws.db_path)


def test_backup_and_restore_from_the_command_line(tmp_path: Path, cli: Any) -> None:
    run = cli
    assert run("--data-dir", str(tmp_path), "demo").returncode == 0
    made = run("--data-dir", str(tmp_path), "db", "backup")
    assert made.returncode == 0 and "Đã sao lưu" in made.stdout
    restored = run("--data-dir", str(tmp_path), "db", "restore")
    assert restored.returncode == 0 and "Đã khôi phục" in restored.stdout
    assert run("--data-dir", str(tmp_path), "db", "check").returncode == 0
    bad = tmp_path / "hong.sqlite3"
    bad.write_text("hỏng")
    refused = run("--data-dir", str(tmp_path), "db", "restore", str(bad))
    assert refused.returncode == 1 and "không có gì bị thay đổi" in refused.stderr
