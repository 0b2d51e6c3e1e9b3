"""Child process of test_kill_app: the real visit window with the real threaded ``Tasks`` writer,
offscreen, on a data folder. A timer presses one roll-call status key every few milliseconds, as an
inspector would; each edit is printed only once the UI shows it as saved — from the write's
``on_done`` callback (the model's ``saved`` signal), when the table reads the value back.

    python kill_driver.py DATA_DIR VISIT_ID SEED

Prints ``ready``, then ``saved <row id> <status>`` lines, then ``done`` when every key was pressed.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

KEY_INTERVAL_MS = 8


def main(data_dir: str, visit_id: str, seed: int) -> None:
    app = QApplication(sys.argv[:1])
    from inspector_app.core.workspace import open_workspace
    from inspector_app.ui.tasks import Tasks
    from inspector_app.ui.visit.roll_call_model import COL_STATUS, STATUS_KEYS, ValueRole
    from inspector_app.ui.visit.visit_window import ROLL_CALL_TAB, VisitWindow

    ws = open_workspace(Path(data_dir))
    window = VisitWindow(ws, Tasks(ws.engine), uuid.UUID(visit_id))
    window.show()
    view = window.view(ROLL_CALL_TAB)
    model, table = view.model, view.table
    keys = sorted(STATUS_KEYS)
    plan = [(model.row_at(n).id, keys[(3 * n + seed) % len(keys)]) for n in range(model.rowCount())]
    pressed = 0
    printed: set[uuid.UUID] = set()

    def show_saved() -> None:
        for row_id, key in plan[:pressed]:
            if row_id in printed:
                continue
            index = model.index(model.row_of(row_id), COL_STATUS)
            if model.data(index, ValueRole) == STATUS_KEYS[key]:
                printed.add(row_id)
                print(f"saved {row_id} {STATUS_KEYS[key]}", flush=True)

    def press() -> None:
        nonlocal pressed
        if pressed == len(plan):
            timer.stop()
            print("done", flush=True)
            return
        QTest.keyClicks(table, plan[pressed][1])  # the status key; the cursor moves to the next person
        pressed += 1

    model.saved.connect(show_saved)
    table.setFocus()
    table.setCurrentIndex(model.index(0, COL_STATUS))
    timer = QTimer(interval=KEY_INTERVAL_MS)
    timer.timeout.connect(press)
    timer.start()
    print("ready", flush=True)
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
