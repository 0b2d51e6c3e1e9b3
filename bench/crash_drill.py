"""Crash drill, long form: the drill of tests/e2e/test_crash_drill.py run many times (default 200).

A child process (tests/e2e/crash_worker.py, the test's own worker) streams edits through the services
and prints each one only after its transaction committed; it is killed with SIGKILL after a random
0–250 ms of writing. After every kill SQLite's integrity and foreign-key checks run; at the end every
edit printed as saved must be in the database (findings by text, answers at least at the last saved
value). Not a test: prints figures, and exits 1 if an edit was lost or an integrity check failed.

    python bench/crash_drill.py [--kills 200] [--seed 20261201] [--keep]
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlmodel import Session, select

from inspector_app.core.db import DB_FILENAME, integrity_problems
from inspector_app.core.demo.load import load_demo
from inspector_app.core.models import Answer, Finding
from inspector_app.core.services.queries import VisitFilter, list_visits
from inspector_app.core.workspace import open_workspace

WORKER = Path(__file__).resolve().parent.parent / "tests" / "e2e" / "crash_worker.py"


def kill_after(data_dir: Path, visit_id: str, start: int, delay: float) -> list[str]:
    """Run the worker until it has saved its first edit, let it write ``delay`` seconds, SIGKILL it;
    the lines it printed (each one an edit committed)."""
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), str(data_dir), visit_id, str(start)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = proc.stdout.readline() if proc.stdout else ""
    if not first:
        err = proc.stderr.read() if proc.stderr else ""
        proc.kill()
        proc.communicate(timeout=30)
        raise RuntimeError(f"the worker printed nothing: {err.strip()[-2000:]}")
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    rest, _err = proc.communicate(timeout=30)
    return [first.strip(), *(line for line in rest.splitlines() if line.strip())]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("kills_pos", nargs="?", type=int, help="number of kills (same as --kills)")
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--keep", action="store_true", help="keep the data folder and print its path")
    args = parser.parse_args()
    kills = args.kills_pos if args.kills_pos is not None else args.kills

    folder = Path(tempfile.mkdtemp(prefix="bench-crash-"))
    data_dir = folder / "data"
    started = time.perf_counter()
    try:
        ws = open_workspace(data_dir)
        load_demo(ws)
        with Session(ws.engine) as s:
            visit_id = str(list_visits(s, VisitFilter(status="draft"), limit=1)[0]["id"])
        ws.close()
        setup_s = time.perf_counter() - started

        rng = random.Random(args.seed)
        saved_findings: set[str] = set()
        last_answer: dict[str, int] = {}
        counter = 0
        printed_per_kill: list[int] = []
        integrity_failures: list[tuple[int, list[str]]] = []
        check_ms: list[float] = []
        drill_start = time.perf_counter()
        for run in range(kills):
            lines = kill_after(data_dir, visit_id, counter, rng.uniform(0.0, 0.25))
            printed_per_kill.append(len(lines))
            for line in lines:
                kind, *rest = line.split()
                if kind == "finding":
                    saved_findings.add(f"Ghi nhận số {rest[0]}")
                    counter = max(counter, int(rest[0]))
                else:
                    last_answer[rest[0]] = int(rest[1])
                    counter = max(counter, int(rest[1]))
            counter += 1  # an edit may have committed unprinted: never reuse its number
            t0 = time.perf_counter()
            problems = integrity_problems(data_dir / DB_FILENAME)
            check_ms.append((time.perf_counter() - t0) * 1000)
            if problems:
                integrity_failures.append((run + 1, problems))
            if (run + 1) % 25 == 0:
                print(
                    f"  … {run + 1}/{kills} kills, {sum(printed_per_kill)} edits confirmed, "
                    f"{time.perf_counter() - drill_start:.0f} s",
                    flush=True,
                )
        drill_s = time.perf_counter() - drill_start

        ws = open_workspace(data_dir)
        try:
            with Session(ws.engine) as s:
                stored = {f.text for f in s.exec(select(Finding).where(Finding.source == "manual")).all()}
                answers = s.exec(select(Answer).where(Answer.visit_id == uuid.UUID(visit_id))).all()
                notes = {a.item_code: a.note for a in answers}
        finally:
            ws.close()
        lost_findings = sorted(saved_findings - stored)
        stale_answers = []
        for item, n in last_answer.items():
            stored_n = int(notes[item].split()[-1]) if notes.get(item) else -1
            if stored_n < n:
                stale_answers.append((item, n, stored_n))
        final_problems = integrity_problems(data_dir / DB_FILENAME)

        confirmed = sum(printed_per_kill)
        print(f"kills: {kills} (SIGKILL after a random 0–250 ms of writing; seed {args.seed})")
        print(
            f"edits confirmed saved before a kill: {confirmed} "
            f"({len(saved_findings)} findings, {confirmed - len(saved_findings)} answers over "
            f"{len(last_answer)} items); per kill: median {statistics.median(printed_per_kill):.0f}, "
            f"min {min(printed_per_kill)}, max {max(printed_per_kill)}"
        )
        print(
            f"integrity after each kill: {kills - len(integrity_failures)}/{kills} ok "
            f"(integrity_check + foreign_key_check, median {statistics.median(check_ms):.0f} ms); "
            f"final check: {'ok' if not final_problems else final_problems[:5]}"
        )
        for run_no, problems in integrity_failures[:5]:
            print(f"  kill {run_no}: {problems[:3]}")
        print(
            f"confirmed edits missing afterwards: {len(lost_findings)} findings, "
            f"{len(stale_answers)} answers older than the last saved one"
        )
        for item in lost_findings[:5]:
            print(f"  lost: {item}")
        for item, n, stored_n in stale_answers[:5]:
            print(f"  stale: {item} saved {n}, stored {stored_n}")
        print(
            f"time: {drill_s:.1f} s for the drill ({drill_s / kills * 1000:.0f} ms per kill, "
            f"worker start-up included), {setup_s:.1f} s demo setup"
        )
        ok = not integrity_failures and not final_problems and not lost_findings and not stale_answers
        print(f"result: {'PASS' if ok else 'FAIL'}")
        return 0 if ok else 1
    finally:
        if args.keep:
            print(f"data kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
