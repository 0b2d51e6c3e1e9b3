"""Benchmark of sync (DESIGN §5, TECH-NOTES §6) against a PostgreSQL office over loopback.

(a) 1,000 visits × (80 answers + 40 roll-call rows) pushed from one laptop: rows/s, and in the
    same run the ratio to inserting the same rows straight into PostgreSQL with psycopg
    ``executemany`` (target at most 2×) and to ``COPY``; each side the median of three runs.
(b) 20 laptops pushing at once: visits/s.
(c) a sync with nothing to do (target < 100 ms).

The office runs as its own process (uvicorn, one worker); it stops with this script.

    python bench/sync.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test] [--visits 1000]
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from sqlmodel import Session, select

os.environ.setdefault("INSPECTOR_TOKEN_STORE", "file")

from visit_rows import TABLES  # bench/ is the script's folder
from visit_rows import visit_rows as synthetic_rows

from inspector_app.core.bulk import encode_rows, insert_rows
from inspector_app.core.db import session_scope
from inspector_app.core.demo.load import load_reference
from inspector_app.core.models import Team, Unit
from inspector_app.core.services.forms_registry import latest_form
from inspector_app.core.workspace import Workspace, open_workspace
from inspector_app.office import admin
from inspector_app.sync import client
from inspector_app.sync.client import Progress
from inspector_app.sync.tables import table

PASSWORD = "mat-khau-do-hieu-nang"


@contextmanager
def pg_database(base_url: str) -> Iterator[str]:
    root = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    name = f"bench_sync_{uuid.uuid4().hex[:8]}"
    with root.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with root.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        root.dispose()


def _die_with_parent() -> None:
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    signal.alarm(1800)


@contextmanager
def office_process(url: str, files: Path) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = "import sys; from inspector_app.office.cli import main; sys.exit(main(sys.argv[1:]))"
    args = ["--database-url", url, "serve", "--port", str(port), "--files", str(files)]
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    server = f"http://127.0.0.1:{port}"
    try:
        for _ in range(400):
            try:
                if httpx.get(f"{server}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            raise RuntimeError("office did not start")
        yield server
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def prepare_office(url: str) -> sa.Engine:
    engine = admin.office_engine(url)
    admin.load_demo_reference(engine)
    admin.add_user(engine, "an", "inspector", PASSWORD, "demo")
    return engine


def new_laptop(folder: Path, server: str) -> Workspace:
    ws = open_workspace(folder)
    with session_scope(ws.engine) as s:
        load_reference(s)
    client.login(ws, server, "an", PASSWORD)
    client.sync(ws)  # reference data down: later syncs carry only the visits
    return ws


def visit_rows(ws: Workspace, n_visits: int) -> dict[str, list[dict[str, Any]]]:
    """Rows as the app writes them: stamped by the laptop's clock, dirty."""
    with Session(ws.engine) as s:
        unit = s.exec(select(Unit).where(Unit.code == "HT-XA-CAN-LOC")).one()
        team = s.exec(select(Team).where(Team.code == "demo")).one()
        form = latest_form(s, "kiem-tra-cong-vu-dot-xuat")
        assert form is not None
        unit_id, team_id, form_id = unit.id, team.id, form.id
    return synthetic_rows(
        n_visits, unit_id=unit_id, form_id=form_id, team_id=team_id, stamp=ws.editor.clock.now, dirty=True
    )


def write_local(ws: Workspace, rows: dict[str, list[dict[str, Any]]]) -> None:
    with ws.engine.begin() as conn:
        for name in TABLES:
            insert_rows(conn, table(name), rows[name])


def timed_sync(ws: Workspace) -> tuple[float, float]:
    """(seconds until the pull began = the push, seconds for the whole sync)."""
    marks: dict[str, float] = {}

    def progress(p: Progress) -> None:
        marks.setdefault(p.stage, time.perf_counter())

    start = time.perf_counter()
    report = client.sync(ws, progress=progress)
    end = time.perf_counter()
    assert not report.rejected, report.rejected[:3]
    return marks.get("pull", end) - start, end - start


def raw_insert(url: str, rows: dict[str, list[dict[str, Any]]], *, copy: bool) -> float:
    """The same rows straight into the same schema (indexes, foreign keys) with psycopg."""
    engine = prepare_office(url)
    try:
        raw = engine.raw_connection()
        dbapi = raw.driver_connection
        assert dbapi is not None
        prepared = {}
        for name in TABLES:
            t = table(name)
            cols = [c.name for c in t.columns]
            seq_rows = [r | {"seq": n, "dirty": False} for n, r in enumerate(rows[name], 1)]
            prepared[name] = (cols, encode_rows(t, cols, seq_rows, engine.dialect))
        start = time.perf_counter()
        with dbapi.cursor() as cur:
            for name in TABLES:
                cols, params = prepared[name]
                quoted = ", ".join(f'"{c}"' for c in cols)
                if copy:
                    with cur.copy(f"COPY {name} ({quoted}) FROM STDIN") as cp:
                        for p in params:
                            cp.write_row(p)
                else:
                    cur.executemany(
                        f"INSERT INTO {name} ({quoted}) VALUES ({', '.join(['%s'] * len(cols))})", params
                    )
        dbapi.commit()
        elapsed = time.perf_counter() - start
        raw.close()
        return elapsed
    finally:
        engine.dispose()


def bench_one_laptop(pg: str, folder: Path, n_visits: int, runs: int = 3) -> dict[str, float]:
    """Each side measured three times, each time into a fresh database; the medians are compared
    (one run on this shared machine varies by a fifth either way)."""
    pushes, syncs, idle = [], [], []
    total = 0
    rows: dict[str, list[dict[str, Any]]] = {}
    for run in range(runs):
        with pg_database(pg) as url:
            prepare_office(url).dispose()
            with office_process(url, folder / f"files-1-{run}") as server:
                ws = new_laptop(folder / f"one-{run}", server)
                rows = visit_rows(ws, n_visits)
                total = sum(len(r) for r in rows.values())
                write_local(ws, rows)
                push_s, sync_s = timed_sync(ws)
                pushes.append(push_s)
                syncs.append(sync_s)
                if run == 0:
                    for _ in range(7):
                        start = time.perf_counter()
                        client.sync(ws)
                        idle.append(time.perf_counter() - start)
                ws.close()
    figures = {
        "rows": total,
        "push_s": statistics.median(pushes),
        "push_low": min(pushes),
        "push_high": max(pushes),
        "sync_s": statistics.median(syncs),
        "noop_ms": statistics.median(idle) * 1000,
    }
    for copy in (False, True):
        times = []
        for _ in range(runs):
            with pg_database(pg) as url:
                times.append(raw_insert(url, rows, copy=copy))
        figures["copy_s" if copy else "executemany_s"] = statistics.median(times)
    return figures


def bench_many_laptops(pg: str, folder: Path, laptops: int, visits_each: int) -> dict[str, float]:
    with pg_database(pg) as url:
        prepare_office(url).dispose()
        with office_process(url, folder / "files-20") as server:
            fleet = [new_laptop(folder / f"l{n:02d}", server) for n in range(laptops)]
            for ws in fleet:
                write_local(ws, visit_rows(ws, visits_each))
            barrier = threading.Barrier(laptops)
            errors: list[BaseException] = []
            pushed: list[float] = []  # when each laptop's push ended (its pull began)

            def run(ws: Workspace) -> None:
                def progress(p: Progress) -> None:
                    if p.stage == "pull" and p.done == 0:
                        pushed.append(time.perf_counter())

                try:
                    barrier.wait(timeout=60)
                    client.sync(ws, progress=progress)
                except BaseException as exc:
                    errors.append(exc)

            threads = [threading.Thread(target=run, args=(ws,), daemon=True) for ws in fleet]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=900)
            elapsed = time.perf_counter() - start
            if errors:
                raise errors[0]
    # Every laptop also pulls the others' visits (one team): the whole sync is reported beside.
    return {"visits": laptops * visits_each, "push_s": max(pushed) - start, "seconds": elapsed}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--pg",
        default=os.environ.get("INSPECTOR_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument("--visits", type=int, default=1000)
    parser.add_argument("--laptops", type=int, default=20)
    parser.add_argument("--visits-each", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as tmp:
        folder = Path(tmp)
        one = bench_one_laptop(args.pg, folder, args.visits)
        many = bench_many_laptops(args.pg, folder, args.laptops, args.visits_each)
    rows = one["rows"]
    low, high = one["push_low"], one["push_high"]
    print(
        f"(a) push {rows:,.0f} rows from one laptop: {one['push_s']:.2f} s "
        f"= {rows / one['push_s']:,.0f} rows/s (median of 3; {low:.2f}–{high:.2f} s)"
    )
    print(f"    whole sync (push + pull): {one['sync_s']:.2f} s")
    print(
        f"    psycopg executemany of the same rows: {one['executemany_s']:.2f} s; "
        f"COPY: {one['copy_s']:.2f} s "
        "(medians of 3)"
    )
    print(
        f"(b) {args.laptops} laptops pushing at once: {many['visits']:.0f} visits in {many['push_s']:.2f} s "
        f"= {many['visits'] / many['push_s']:.1f} visits/s (aim: 250); until every laptop also had "
        f"the others' visits (one team): {many['seconds']:.2f} s"
    )
    print(f"(c) sync with nothing to do: {one['noop_ms']:.1f} ms (median of 7; target < 100 ms)")
    print(f"ratio push / COPY: {one['push_s'] / one['copy_s']:.2f}x")
    print(f"ratio push / executemany: {one['push_s'] / one['executemany_s']:.2f}x (target <= 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
