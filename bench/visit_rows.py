"""Synthetic visits for the benchmarks: each with 80 answers and 40 roll-call rows, as plain dict
rows ready for the bulk path (``core.bulk``) or for a laptop's pending changes."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from inspector_app.core.ids import answer_id, roll_call_id, uuid7

TABLES = ("visit", "answer", "roll_call")
ANSWERS, ROLL_CALL = 80, 40


def visit_rows(
    n_visits: int,
    *,
    unit_id: uuid.UUID,
    form_id: uuid.UUID,
    stamp: Callable[[], str],
    dirty: bool,
    team_id: uuid.UUID | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """``stamp()`` gives each row its version: a fixed one for "already synced" reference-like rows,
    the laptop's clock for rows waiting to be pushed (then ``dirty``)."""
    base = dt.datetime(2026, 3, 1, 0, 30, tzinfo=dt.UTC)
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for v in range(n_visits):
        vid, when = uuid7(), base + dt.timedelta(hours=v)

        def sync() -> dict[str, Any]:
            return {"updated_at": stamp(), "deleted": False, "dirty": dirty, "seq": None}

        out["visit"].append(sync() | {
            "id": vid, "unit_id": unit_id, "form_id": form_id, "team_id": team_id, "plan_id": None,
            "mode": "dot_xuat", "status": "completed", "started_at": when, "arrived_at": when,
            "completed_at": None, "signed_at": None, "place": "Trụ sở UBND xã", "unit_representative": None,
            "explanation": None, "conclusion": None, "copies": 2, "number": None, "device_id": "bench",
        })  # fmt: skip
        for i in range(ANSWERS):
            code = f"Q{i}"
            out["answer"].append(sync() | {
                "id": answer_id(vid, code), "visit_id": vid, "item_code": code, "value": '"yes"',
                "note": None, "answered_at": when,
            })  # fmt: skip
        for i in range(ROLL_CALL):
            out["roll_call"].append(sync() | {
                "id": roll_call_id(vid, uuid7()), "visit_id": vid, "official_id": None,
                "full_name": f"Nguyễn Văn Số {i}", "position": "Công chức", "department": None,
                "kind": "cong_chuc", "sort_order": i, "status": "co_mat", "arrival_at": None,
                "minutes_late": None, "badge": "co", "dress": "dat", "name_plate": "co", "attitude": None,
                "reason": None, "evidence_id": None, "note": None,
            })  # fmt: skip
    return out
