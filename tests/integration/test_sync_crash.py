"""kill -9 anywhere: laptop and office processes are killed with SIGKILL at random points while
they edit and sync; then a clean sync leaves both laptops and the office equal, nothing lost,
nothing doubled. PostgreSQL office, real processes, bounded (about two minutes)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import sqlalchemy as sa
from sync_helpers import PASSWORD, free_port, fresh_pg_url, prepare_office, spawn_office, spawn_worker

from inspector_app.core.db import session_scope
from inspector_app.core.demo.load import load_reference
from inspector_app.core.workspace import DB_FILENAME, open_workspace
from inspector_app.sync import client
from inspector_app.sync.local import OUTBOX, dirty_count
from inspector_app.sync.tables import table

RUNS = int(os.environ.get("INSPECTOR_CRASH_RUNS", "50"))
SHARED = ("visit", "visit_member", "answer", "roll_call")


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    if proc.stdout:
        proc.stdout.close()


def _versions(engine: sa.Engine, name: str) -> set[tuple[object, ...]]:
    t = table(name)
    with engine.connect() as conn:
        return {tuple(r) for r in conn.execute(sa.select(t.c.id, t.c.updated_at, t.c.deleted))}


def test_kill_minus_nine_loop_then_a_clean_sync(pg_url: str, tmp_path: Path) -> None:
    url = fresh_pg_url(pg_url)
    engine = prepare_office(url)
    port, files, log = free_port(), tmp_path / "files", tmp_path / "processes.log"
    server = f"http://127.0.0.1:{port}"
    office = spawn_office(url, files, port, log)
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder, user in zip(folders, ("an", "binh"), strict=True):
        ws = open_workspace(folder)
        with session_scope(ws.engine) as s:
            load_reference(s)
        client.login(ws, server, user, PASSWORD)
        ws.engine.dispose()
    rnd = random.Random(int(os.environ.get("INSPECTOR_CRASH_SEED", "20261124")))
    killed_office = in_flight = 0
    db_name = DB_FILENAME
    started = time.monotonic()
    try:
        for run in range(RUNS):
            if office.poll() is not None:
                office = spawn_office(url, files, port, log)
            worker = spawn_worker(folders[run % 2], rnd.randrange(1 << 30), log)
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == b"ready"  # bounded by the worker's own deadline
            time.sleep(rnd.uniform(0.0, 0.7))
            if rnd.random() < 0.3:
                _kill(office)  # the office dies mid-request (or between two)
                killed_office += 1
                time.sleep(rnd.uniform(0.0, 0.3))
            _kill(worker)
            with sqlite3.connect(folders[run % 2] / db_name) as raw:  # killed between send and ack?
                in_flight += raw.execute("SELECT count(*) FROM sync_outbox").fetchone()[0]
        if office.poll() is not None:
            office = spawn_office(url, files, port, log)
        laptops = [open_workspace(f) for f in folders]
        for ws in [*laptops, *laptops]:
            client.sync(ws)
    finally:
        _kill(office)
    elapsed = time.monotonic() - started
    print(f"{RUNS} runs, office killed {killed_office} times, {in_flight} batches in flight, {elapsed:.0f} s")
    assert killed_office >= RUNS // 10

    for ws in laptops:
        with sqlite3.connect(ws.db_path) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert dirty_count(ws.engine) == 0
        with ws.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(OUTBOX)).scalar_one() == 0
    for name in SHARED:
        office_rows = _versions(engine, name)
        assert _versions(laptops[0].engine, name) == office_rows, name
        assert _versions(laptops[1].engine, name) == office_rows, name
    audit = table("audit_entry")
    for ws in laptops:  # each laptop's own audit chain arrived whole, once
        mine = audit.c.device_id == ws.editor.device_id
        with ws.engine.connect() as conn, engine.connect() as office_conn:
            here = {tuple(r) for r in conn.execute(sa.select(audit.c.id, audit.c.hash).where(mine))}
            there = {tuple(r) for r in office_conn.execute(sa.select(audit.c.id, audit.c.hash).where(mine))}
        assert here == there and here
    visit, answer = table("visit"), table("answer")
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(visit)).scalar_one() >= RUNS // 4
        doubled = conn.execute(
            sa.select(answer.c.visit_id, answer.c.item_code)
            .group_by(answer.c.visit_id, answer.c.item_code)
            .having(sa.func.count() > 1)
        ).all()
    assert doubled == []
    engine.dispose()
