"""Two batches in flight (protocol 2): a laptop sends its next batch before the answer to the
previous one, naming it in X-Inspector-After, and the office applies them in that order whatever
order they arrive in — children never overtake their parents, a lock never overtakes its data."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sync_helpers import Office, answer, dirty, http, laptop, office_fixture, start_visit  # noqa: F401

from inspector_app.core.ids import uuid7
from inspector_app.office import push_fast, routes_sync
from inspector_app.sync import client
from inspector_app.sync.protocol import AFTER_HEADER, PROTOCOL_VERSION, PushBatch, PushResult
from inspector_app.sync.rows import encode_row
from inspector_app.sync.tables import table


def _rows(engine: sa.Engine, name: str, where: sa.ColumnElement[bool]) -> list[dict[str, Any]]:
    t = table(name)
    with engine.connect() as conn:
        return [encode_row(dict(r._mapping)) for r in conn.execute(sa.select(t).where(where))]


def _count(engine: sa.Engine, name: str, visit_id: object) -> int:
    t = table(name)
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).where(t.c.visit_id == visit_id)).scalar_one())


def test_a_batch_sent_ahead_waits_for_the_one_it_names(office: Office, tmp_path: Path) -> None:
    a = laptop(tmp_path / "a", office, "an")
    visit_id = start_visit(a)
    tag = a.editor.device_id
    visit = _rows(a.engine, "visit", table("visit").c.id == visit_id)
    members = _rows(a.engine, "roll_call", table("roll_call").c.visit_id == visit_id)
    parent = PushBatch(device_id=tag, batch_id=str(uuid7()), rows={"visit": visit})
    child = PushBatch(device_id=tag, batch_id=str(uuid7()), rows={"roll_call": members})
    answers: dict[str, PushResult] = {}

    def send(batch: PushBatch, after: str | None) -> None:
        headers = {AFTER_HEADER: after} if after else {}
        with http(a, office) as h:
            resp = h.post("/sync/push", json=batch.model_dump(), headers=headers)
        assert resp.status_code == 200, resp.text
        answers[batch.batch_id] = PushResult.model_validate_json(resp.content)

    # The children arrive first, naming their parents' batch: they wait for it instead of being
    # refused for a missing parent.
    ahead = threading.Thread(target=send, args=(child, parent.batch_id))
    ahead.start()
    time.sleep(0.3)
    assert ahead.is_alive(), "the office did not wait for the batch named in X-Inspector-After"
    send(parent, None)
    ahead.join(timeout=30)
    first, second = answers[parent.batch_id], answers[child.batch_id]
    assert not first.rejected and not second.rejected, second.rejected[:3]
    assert len(second.ack_ids()) == len(members) > 0
    assert first.protocol == second.protocol == PROTOCOL_VERSION
    assert max(s for *_x, s in first.acks["visit"]) < min(s for *_x, s in second.acks["roll_call"])
    assert _count(office.engine, "roll_call", visit_id) == len(members)


def test_a_batch_whose_predecessor_never_comes_is_refused_untouched(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(routes_sync, "PREDECESSOR_PATIENCE", 0.2)
    a = laptop(tmp_path / "a", office, "an")
    visit_id = start_visit(a)
    visit = _rows(a.engine, "visit", table("visit").c.id == visit_id)
    batch = PushBatch(device_id=a.editor.device_id, batch_id=str(uuid7()), rows={"visit": visit})
    with http(a, office) as h:
        lost = h.post("/sync/push", json=batch.model_dump(), headers={AFTER_HEADER: str(uuid7())})
        assert lost.status_code == 425
        assert "chưa đến văn phòng" in lost.json()["detail"]  # the office speaks Vietnamese
        with office.engine.connect() as conn:
            v = table("visit")
            assert conn.execute(sa.select(v.c.id).where(v.c.id == visit_id)).first() is None
        again = h.post("/sync/push", json=batch.model_dump())  # sent again without it: taken
        assert again.status_code == 200 and not PushResult.model_validate_json(again.content).rejected


def test_a_laptop_resends_a_batch_that_overtook_its_predecessor(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second pipelined batch is held up before the push lock, so the one sent after it gets
    there first: with no patience at the office it is answered 425, and the laptop sends it again
    once the held-up one is answered. Nothing is refused, nothing is lost."""
    monkeypatch.setattr(routes_sync, "PREDECESSOR_PATIENCE", 0.0)
    calls: list[int] = []
    real_plan = push_fast.plan_batch

    def held_up(dialect: str, batch: PushBatch, max_skew_ms: int) -> dict[str, push_fast.Plan]:
        calls.append(1)
        if len(calls) == 2:
            time.sleep(0.5)
        return real_plan(dialect, batch, max_skew_ms)

    monkeypatch.setattr(push_fast, "plan_batch", held_up)
    sent: list[str | None] = []
    real_send = client._Run._send

    def spy(run: client._Run, body: str, before: str | None) -> PushResult | None:
        result = real_send(run, body, before)
        sent.append(None if result is None else result.batch_id)
        return result

    monkeypatch.setattr(client._Run, "_send", spy)
    a = laptop(tmp_path / "a", office, "an")
    visit_ids = [start_visit(a) for _ in range(4)]
    for visit_id in visit_ids:
        for item in ("B9", "B11", "B12"):
            answer(a, visit_id, item, "yes")
    report = client.sync(a, batch_rows=10)
    assert not report.rejected, report.rejected[:3]
    assert len(sent) >= 5 and sent.count(None) >= 1, f"no batch overtook its predecessor: {sent}"
    assert dirty(a) == 0
    for visit_id in visit_ids:
        assert _count(office.engine, "answer", visit_id) == _count(a.engine, "answer", visit_id) == 3
        assert _count(office.engine, "roll_call", visit_id) == _count(a.engine, "roll_call", visit_id)
