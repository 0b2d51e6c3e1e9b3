"""Benchmark of the data core (issue: foundation). Not a test: prints figures, ratio last.

(a) 2,000 single edits through the services — an answer or a roll-call row, each its own committed
    transaction with synchronous=FULL, as the app does them: p50/p99 latency (target p99 < 5 ms).
(b) 1,000 visits × (80 answers + 40 roll-call rows) through the bulk path that demo loading and sync
    use, then read back: rows/s, and the ratio to raw ``sqlite3.executemany`` of the same rows into
    the same schema in the same run (target: bulk at least half as fast as raw).

    python bench/core.py [--edits 2000] [--visits 1000]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlmodel import SQLModel, select
from visit_rows import visit_rows  # bench/ is the script's folder

from inspector_app.core.bulk import encode_rows, insert_rows
from inspector_app.core.db import DB_FILENAME, make_engine, open_database, session_scope
from inspector_app.core.demo.load import load_demo
from inspector_app.core.models import AttendanceStatus, FormVersion, Unit, Visit
from inspector_app.core.services import roll_call, visits
from inspector_app.core.services.queries import VisitFilter, list_visits
from inspector_app.core.workspace import open_workspace

STAMP = "0000000000001-00000-bench"


def bench_single_edits(folder: Path, n: int) -> dict[str, float]:
    ws = open_workspace(folder / "edits")
    load_demo(ws)
    with ws.session() as s:
        visit_id = list_visits(s, VisitFilter(status="draft"), limit=1)[0]["id"]
        rows = [r.id for r in roll_call.roll_call_rows(s, visit_id)]
    items = ["B9", "B10", "B11", "B12", "C2", "C5", "C6", "C8"]
    statuses = [AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT_WITH_REASON]
    timings = []
    for i in range(n):
        start = time.perf_counter()
        with session_scope(ws.engine) as s:
            if i % 2:
                visits.record_answer(
                    s,
                    ws.editor,
                    visit_id=visit_id,
                    item_code=items[i % len(items)],
                    value="yes" if i % 3 else "no",
                )
            else:
                roll_call.record_roll_call(s, ws.editor, row_id=rows[i % len(rows)], status=statuses[i % 3])
        timings.append((time.perf_counter() - start) * 1000)
    ws.close()
    timings.sort()
    return {
        "p50_ms": statistics.median(timings),
        "p99_ms": timings[int(len(timings) * 0.99) - 1],
        "max_ms": timings[-1],
    }


def _rows(n_visits: int, unit_id: object, form_id: object) -> dict[str, list[dict[str, object]]]:
    return visit_rows(n_visits, unit_id=unit_id, form_id=form_id, stamp=lambda: STAMP, dirty=False)  # type: ignore[arg-type]


def _fresh_db(folder: Path) -> tuple[Path, object, object]:
    engine = open_database(folder)
    with session_scope(engine) as s:
        unit = Unit(code="X", name="UBND xã Bench", proper_name="Bench", unit_type="xa", updated_at=STAMP)
        form = FormVersion(code="f", version=1, title="f", sha256="0" * 64, source="", updated_at=STAMP)
        s.add(unit)
        s.add(form)
        s.flush()
        ids = (unit.id, form.id)
    engine.dispose()
    return folder / DB_FILENAME, *ids


def bench_bulk(folder: Path, n_visits: int) -> dict[str, float]:
    tables = [SQLModel.metadata.tables[n] for n in ("visit", "answer", "roll_call")]
    path_raw, unit_id, form_id = _fresh_db(folder / "raw")
    rows = _rows(n_visits, unit_id, form_id)
    total = sum(len(r) for r in rows.values())

    # Raw floor: tuples prebuilt (encoding not timed), one transaction, same pragmas.
    engine = make_engine(path_raw)
    prebuilt = {}
    for t in tables:
        cols = list(rows[t.name][0])
        prebuilt[t.name] = (cols, encode_rows(t, cols, rows[t.name], engine.dialect))
    engine.dispose()
    conn = sqlite3.connect(path_raw, isolation_level=None)
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    start = time.perf_counter()
    conn.execute("BEGIN")
    for t in tables:
        cols, params = prebuilt[t.name]
        conn.executemany(
            f"INSERT INTO {t.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", params
        )
    conn.execute("COMMIT")
    raw_s = time.perf_counter() - start
    conn.close()

    # Our bulk path: plain dict rows in, encoding included.
    path_bulk, unit_id2, form_id2 = _fresh_db(folder / "bulk")
    for table_rows in rows.values():
        for r in table_rows:
            if "unit_id" in r:
                r["unit_id"], r["form_id"] = unit_id2, form_id2
    engine = make_engine(path_bulk)
    start = time.perf_counter()
    with engine.begin() as c:
        for t in tables:
            insert_rows(c, t, rows[t.name])
    bulk_s = time.perf_counter() - start

    start = time.perf_counter()
    with engine.connect() as c:
        read = sum(len(c.execute(t.select()).all()) for t in tables)
    read_s = time.perf_counter() - start
    with session_scope(engine) as s:
        assert len(s.exec(select(Visit.id)).all()) == n_visits
    engine.dispose()
    assert read == total
    return {
        "rows": total,
        "raw_s": raw_s,
        "bulk_s": bulk_s,
        "read_s": read_s,
        "raw_rows_per_s": total / raw_s,
        "bulk_rows_per_s": total / bulk_s,
        "read_rows_per_s": total / read_s,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--edits", type=int, default=2000)
    parser.add_argument("--visits", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-core-"))
    try:
        edits = bench_single_edits(folder, args.edits)
        print(
            f"(a) {args.edits} single edits, each committed (synchronous=FULL): "
            f"p50 {edits['p50_ms']:.2f} ms, p99 {edits['p99_ms']:.2f} ms, max {edits['max_ms']:.1f} ms "
            f"(target p99 < 5 ms: {'met' if edits['p99_ms'] < 5 else 'NOT met'})"
        )
        bulk = bench_bulk(folder, args.visits)
        print(f"(b) {args.visits} visits × (80 answers + 40 roll-call rows) = {bulk['rows']:,} rows")
        print(f"    raw sqlite3 executemany: {bulk['raw_s']:.2f} s ({bulk['raw_rows_per_s']:,.0f} rows/s)")
        print(f"    bulk path (insert_rows):  {bulk['bulk_s']:.2f} s ({bulk['bulk_rows_per_s']:,.0f} rows/s)")
        print(f"    read back:                {bulk['read_s']:.2f} s ({bulk['read_rows_per_s']:,.0f} rows/s)")
        ratio = bulk["bulk_rows_per_s"] / bulk["raw_rows_per_s"]
        print(f"ratio bulk/raw speed: {ratio:.2f} (target >= 0.50: {'met' if ratio >= 0.5 else 'NOT met'})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
