"""The set-wise push (``office.push_fast``) decides exactly as the row-by-row path.

One batch full of what a push can meet — new rows, rows already at the office (same stamp, older
stamp), decomposed Vietnamese, a wrong type, a time without a zone, a stamp from the future, a
signed visit, another team's visit, a visit the office has never seen, an official it has never
seen, a signature role already held — is applied to two identical PostgreSQL offices, once with
the set-wise path and once without. Acks, refusals, conflict records and the stored rows must be
the same.
"""

from __future__ import annotations

import time
import unicodedata
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select
from sync_helpers import OTHER_TEAM, fresh_pg_url, prepare_office

from inspector_app.core.ids import answer_id, roll_call_id, stable_id, uuid7
from inspector_app.core.models import Team, Unit
from inspector_app.core.models.sync import OfficeDevice, OfficeUser, SyncConflict
from inspector_app.core.services.forms_registry import latest_form
from inspector_app.office import push_fast
from inspector_app.office.principal import Principal, principal_for
from inspector_app.office.push import apply_batch
from inspector_app.sync.protocol import PushBatch, PushResult
from inspector_app.sync.rows import encode_row
from inspector_app.sync.tables import table

TAG = "laptop-parity"
NOW_MS = time.time_ns() // 1_000_000  # one clock reading: both offices get the very same rows
_counter = iter(range(1, 100_000))


def stamp(ahead_ms: int = 0) -> str:
    return f"{NOW_MS + ahead_ms:013d}-{next(_counter):05d}-{TAG}"


def principal(engine: sa.Engine, user: str, tag: str = TAG) -> Principal:
    with Session(engine) as s:
        account = s.exec(select(OfficeUser).where(OfficeUser.name == user)).one()
        device = OfficeDevice(user_id=account.id, token_sha256=uuid.uuid4().hex * 2, tag=tag)
        s.add(device)
        s.commit()
        s.refresh(device)
        return principal_for(s, device, account)


def visit(vid: uuid.UUID, refs: dict[str, uuid.UUID], team: str = "demo") -> dict[str, Any]:
    return {
        "id": str(vid), "updated_at": stamp(), "deleted": False, "seq": None,
        "unit_id": str(refs["unit"]), "form_id": str(refs["form"]), "team_id": str(refs[team]),
        "plan_id": None, "mode": "dot_xuat", "status": "in_progress",
        "started_at": "2026-11-24T01:00:00+00:00", "arrived_at": "2026-11-24T01:00:00+00:00",
        "completed_at": None, "signed_at": None, "place": "Trụ sở UBND xã", "unit_representative": None,
        "explanation": None, "conclusion": None, "copies": 2, "number": None, "device_id": TAG,
    }  # fmt: skip


def answer(vid: uuid.UUID, n: int, **changes: Any) -> dict[str, Any]:
    code = f"Q{n}"
    row = {
        "id": str(answer_id(vid, code)), "updated_at": stamp(), "deleted": False, "seq": None,
        "visit_id": str(vid), "item_code": code, "value": '"yes"', "note": "Đạt yêu cầu",
        "answered_at": "2026-11-24T01:05:00+00:00",
    }  # fmt: skip
    return row | changes


def member(vid: uuid.UUID, n: int, **changes: Any) -> dict[str, Any]:
    row = {
        "id": str(roll_call_id(vid, stable_id("parity-official", str(n)))), "updated_at": stamp(),
        "deleted": False, "seq": None, "visit_id": str(vid), "official_id": None,
        "full_name": f"Nguyễn Văn Thành {n}", "position": "Công chức", "department": None, "kind": "official",
        "sort_order": n, "status": "present", "arrival_at": "2026-11-24T00:58:00+00:00", "minutes_late": 0,
        "badge": "yes", "dress": "ok", "name_plate": "yes", "attitude": None, "reason": None,
        "evidence_id": None, "note": None,
    }  # fmt: skip
    return row | changes


def signature(vid: uuid.UUID, role: str) -> dict[str, Any]:
    return {
        "id": str(stable_id("parity-signature", f"{vid}/{role}/{next(_counter)}")), "updated_at": stamp(),
        "deleted": False, "seq": None, "visit_id": str(vid), "role": role, "signer_name": "Trần Thị Hoa", "signer_position": "Trưởng đoàn", "attachment_id": None,
        "refused": False, "refusal_note": None, "signed_at": "2026-11-24T03:00:00+00:00",
    }  # fmt: skip


def push(engine: sa.Engine, who: Principal, rows: dict[str, list[dict[str, Any]]]) -> PushResult:
    batch = PushBatch(device_id=who.device_tag, batch_id=str(uuid7()), rows=rows)
    return apply_batch(engine, who, batch)


Rows = dict[str, list[dict[str, Any]]]


def refs_of(engine: sa.Engine) -> dict[str, uuid.UUID]:
    with Session(engine) as s:
        form = latest_form(s, "kiem-tra-cong-vu-dot-xuat")
        assert form is not None
        return {
            "unit": s.exec(select(Unit).where(Unit.code == "HT-XA-CAN-LOC")).one().id,
            "form": form.id,
            "demo": s.exec(select(Team).where(Team.code == "demo")).one().id,
            OTHER_TEAM: s.exec(select(Team).where(Team.code == OTHER_TEAM)).one().id,
        }


FRESH, SIGNED, OTHER, UNSEEN = (stable_id("parity-visit", k) for k in ("fresh", "signed", "other", "unseen"))


def scenario(refs: dict[str, uuid.UUID]) -> tuple[list[tuple[str, Rows]], Rows]:
    """What the office holds before (pushes by "an" or by the office admin) and the batch itself.
    Made once: both offices get the very same rows."""
    known, older = answer(FRESH, 0), answer(FRESH, 1)
    lock = {
        "id": str(stable_id("parity-lock", "signed")), "updated_at": stamp(), "deleted": False, "seq": None,
        "visit_id": str(SIGNED), "content_sha256": "0" * 64, "pdf_sha256": None,
        "locked_at": "2026-11-24T03:00:00+00:00", "locked_by": "an", "device_id": TAG,
    }  # fmt: skip
    before = [
        ("an", {"visit": [visit(FRESH, refs), visit(SIGNED, refs)], "answer": [known, older],
                "signature": [signature(FRESH, "leader")]}),
        ("an", {"visit_lock": [lock]}),
        ("quantri", {"visit": [visit(OTHER, refs, OTHER_TEAM)]}),
    ]  # fmt: skip
    decomposed = unicodedata.normalize("NFD", "Không đeo thẻ công chức")
    batch = {
        "answer": [
            *(answer(FRESH, n) for n in range(10, 260)),
            known,  # the same version again: acked with the office's seq
            older | {"updated_at": "0000000000001-00000-" + TAG},  # older than the office's: stale
            answer(FRESH, 300, note=decomposed),  # stored NFC
            answer(FRESH, 301, value=5),  # not text: invalid
            answer(FRESH, 302, answered_at="2026-11-24T01:05:00"),  # no zone: invalid
            answer(FRESH, 303, updated_at=stamp(ahead_ms=3_600_000)),  # an hour ahead: clock
            *(answer(SIGNED, n) for n in range(3)),  # a signed visit: locked, kept as conflicts
            *(answer(OTHER, n) for n in range(3)),  # another team's: forbidden
            *(answer(UNSEEN, n) for n in range(3)),  # a visit the office lacks: wait for it
        ],
        "roll_call": [
            *(member(FRESH, n) for n in range(40)),
            member(FRESH, 99, official_id=str(stable_id("official", "nobody"))),  # unknown official
            member(FRESH, 98, full_name=None),  # a required value missing: invalid
        ],
        "signature": [signature(FRESH, "leader"), signature(FRESH, "secretary")],  # leader is taken
    }
    return before, batch


def prepare(engine: sa.Engine, before: list[tuple[str, Rows]]) -> Principal:
    who = {"an": principal(engine, "an"), "quantri": principal(engine, "quantri", "office-desk")}
    for user, rows in before:
        assert not push(engine, who[user], rows).rejected
    return who["an"]


def outcome(engine: sa.Engine, result: PushResult) -> dict[str, Any]:
    stored: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for name in ("answer", "roll_call", "signature"):
            t = table(name)
            rows = [encode_row(dict(r._mapping)) for r in conn.execute(sa.select(t))]
            stored[name] = sorted(
                tuple(sorted((k, str(v)) for k, v in r.items() if k != "seq")) for r in rows
            )
        conflicts = sorted(
            (r.table_name, str(r.row_id), r.kind)
            for r in conn.execute(sa.select(SyncConflict.__table__))  # type: ignore[attr-defined]
        )
    return {
        "acked": sorted((name, rid, hlc) for name, acks in result.acks.items() for rid, hlc, _seq in acks),
        "refused": sorted((r.table, r.id, r.code.value) for r in result.rejected),
        "conflicts": conflicts,
        "stored": stored,
    }


def test_set_wise_push_decides_like_the_row_by_row_path(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, int, int]] = []
    real_apply: Callable[..., list[dict[str, Any]]] = push_fast.apply

    def spy(push_: Any, name: str, raws: list[dict[str, Any]]) -> list[dict[str, Any]]:
        left = real_apply(push_, name, raws)
        seen.append((name, len(raws), len(left)))
        return left

    monkeypatch.setattr(push_fast, "apply", spy)
    results = {}
    plan: tuple[list[tuple[str, Rows]], Rows] | None = None
    for mode, min_rows in (("exact", 10**9), ("set-wise", 1)):
        monkeypatch.setattr(push_fast, "MIN_ROWS", min_rows)
        engine = prepare_office(fresh_pg_url(pg_url))
        try:
            plan = plan or scenario(refs_of(engine))
            who = prepare(engine, plan[0])
            seen.clear()
            results[mode] = outcome(engine, push(engine, who, plan[1]))
        finally:
            engine.dispose()
    by_table = {name: (total, left) for name, total, left in seen}
    # The set-wise run took the plain new rows itself and handed back only the odd ones:
    # answers 4 odd values + 2 already here + 9 of refused visits; a member with an unknown
    # official and one without a name; the signature whose role is taken.
    assert by_table == {"answer": (265, 15), "roll_call": (42, 2), "signature": (2, 1)}
    assert results["set-wise"] == results["exact"]
    refused = {(t, code) for t, _id, code in results["exact"]["refused"]}
    assert {
        ("answer", c) for c in ("stale", "invalid", "clock", "locked", "forbidden", "missing_parent")
    } <= refused
    assert ("roll_call", "missing_parent") in refused and ("signature", "duplicate") in refused
    assert (
        len(results["exact"]["acked"]) == 250 + 1 + 1 + 40 + 1
    )  # new answers, the retry, NFC, members, secretary
    nfc = unicodedata.normalize("NFC", "Không đeo thẻ công chức")
    assert any(("note", nfc) in row for row in results["set-wise"]["stored"]["answer"])


def test_a_clean_batch_goes_set_wise_whole(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing odd: not one row handed back, every row acked once with its own seq."""
    left: list[int] = []
    real_apply = push_fast.apply
    monkeypatch.setattr(
        push_fast, "apply", lambda p, n, r: left.append(len(out := real_apply(p, n, r))) or out
    )
    engine = prepare_office(fresh_pg_url(pg_url))
    try:
        before, _batch = scenario(refs_of(engine))
        who = prepare(engine, before)
        vid = FRESH
        rows = {
            "answer": [answer(vid, n) for n in range(400, 900)],
            "roll_call": [member(vid, n) for n in range(200, 450)],
        }
        result = push(engine, who, rows)
        seqs = [seq for acks in result.acks.values() for _id, _hlc, seq in acks]
        assert left == [0, 0] and not result.rejected
        assert len(seqs) == len(set(seqs)) == 750
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT max(seq) FROM answer")).scalar_one() <= max(seqs)
            counter = conn.execute(sa.text("SELECT value FROM sync_counter")).scalar_one()
        assert counter == max(seqs)
    finally:
        engine.dispose()
