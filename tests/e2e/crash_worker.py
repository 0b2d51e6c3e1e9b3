"""Child process for the crash drill: streams edits through the services and prints each one
only after its transaction has committed — what the app shows as "saved"."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from inspector_app.core.db import session_scope
from inspector_app.core.services import findings, visits
from inspector_app.core.workspace import open_workspace

ITEMS = ("B9", "B11", "B12", "C2", "C5", "C8")


def main(data_dir: str, visit_id: str, start: int) -> None:
    ws = open_workspace(Path(data_dir))
    vid = uuid.UUID(visit_id)
    n = start
    while True:
        n += 1
        if n % 2:
            with session_scope(ws.engine) as s:
                findings.add_finding(s, ws.editor, visit_id=vid, text=f"Ghi nhận số {n}")
            print(f"finding {n}", flush=True)
        else:
            item = ITEMS[n % len(ITEMS)]
            with session_scope(ws.engine) as s:
                visits.record_answer(s, ws.editor, visit_id=vid, item_code=item, value="yes", note=f"lần {n}")
            print(f"answer {item} {n}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
