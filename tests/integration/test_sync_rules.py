"""Sync rules against a real office: team isolation, replayed and reordered batches, the clock
guard, pull under concurrent pushes, tombstones, signed visits, resumable attachment uploads."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import os
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select
from sync_helpers import Office, answer, answers, http, laptop, office_fixture, start_visit  # noqa: F401

from inspector_app.core.db import session_scope
from inspector_app.core.ids import stable_id, uuid7
from inspector_app.core.models import Answer, VisitLock
from inspector_app.core.services.attachments import attach_to_visit, store_attachment
from inspector_app.sync import client
from inspector_app.sync.protocol import CHUNK_BYTES, PullPage, PushBatch, PushResult
from inspector_app.sync.rows import encode_row
from inspector_app.sync.tables import table


def _rows(ws_engine: sa.Engine, name: str, where: sa.ColumnElement[bool]) -> list[dict[str, object]]:
    t = table(name)
    with ws_engine.connect() as conn:
        return [encode_row(dict(r._mapping)) for r in conn.execute(sa.select(t).where(where))]


def test_a_device_of_another_team_neither_reads_nor_writes_the_visit(office: Office, tmp_path: Path) -> None:
    a, c = laptop(tmp_path / "a", office, "an"), laptop(tmp_path / "c", office, "chi")
    visit_id = start_visit(a)
    client.sync(a)
    client.sync(c)
    with Session(c.engine) as s:
        assert s.exec(select(Answer).where(Answer.visit_id == visit_id)).first() is None
    with http(c, office) as h:
        assert h.get(f"/visits/{visit_id}/completeness").status_code == 404
        visit = _rows(a.engine, "visit", table("visit").c.id == visit_id)[0]
        visit["place"] = "chi was here"
        visit["updated_at"] = (
            f"{int(dt.datetime.now(dt.UTC).timestamp() * 1000):013d}-00000-{c.editor.device_id}"
        )
        batch = PushBatch(device_id=c.editor.device_id, batch_id=str(uuid7()), rows={"visit": [visit]})
        result = PushResult.model_validate(h.post("/sync/push", json=batch.model_dump()).json())
    assert [r.code for r in result.rejected] == ["forbidden"] and not result.acks
    with office.engine.connect() as conn:
        v = table("visit")
        assert conn.execute(sa.select(v.c.place).where(v.c.id == visit_id)).scalar_one() != "chi was here"


def test_replayed_and_reordered_batches_and_clock_guard(office: Office, tmp_path: Path) -> None:
    a = laptop(tmp_path / "a", office, "an")
    visit_id = start_visit(a)
    visit = _rows(a.engine, "visit", table("visit").c.id == visit_id)
    members = _rows(a.engine, "roll_call", table("roll_call").c.visit_id == visit_id)
    tag = a.editor.device_id

    def push(h: object, rows: dict[str, list[dict[str, object]]], batch_id: str | None = None) -> PushResult:
        batch = PushBatch(device_id=tag, batch_id=batch_id or str(uuid7()), rows=rows)
        return PushResult.model_validate(h.post("/sync/push", json=batch.model_dump()).json())  # type: ignore[attr-defined]

    with http(a, office) as h:
        early = push(h, {"roll_call": members})  # children before their visit: wait, do not lose
        assert {r.code for r in early.rejected} == {"missing_parent"} and not early.acks
        first = push(h, {"visit": visit}, batch_id="replay-0001")
        again = push(h, {"visit": visit}, batch_id="replay-0001")
        assert again.replayed and again.acks == first.acks
        late = push(h, {"roll_call": members})
        assert len(late.ack_ids()) == len(members) and not late.rejected
        future = dict(
            visit[0],
            updated_at=f"{int((dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).timestamp() * 1000):013d}-00000-{tag}",
        )
        ahead = push(h, {"visit": [future]})
        assert [r.code for r in ahead.rejected] == ["clock"]
    with office.engine.connect() as conn:
        rc = table("roll_call")
        assert conn.execute(sa.select(sa.func.count()).where(rc.c.visit_id == visit_id)).scalar_one() == len(
            members
        )


def test_pull_never_skips_a_row_under_concurrent_pushes(office: Office, tmp_path: Path) -> None:
    admin_ws = laptop(tmp_path / "q", office, "quantri")
    tag = admin_ws.editor.device_id
    acked: set[str] = set()
    lock = threading.Lock()

    def pusher(n: int) -> None:
        with http(admin_ws, office) as h:
            for b in range(6):
                rows = []
                for i in range(40):
                    sha = hashlib.sha256(f"{n}/{b}/{i}/{uuid.uuid4()}".encode()).hexdigest()
                    stamp = f"{int(dt.datetime.now(dt.UTC).timestamp() * 1000):013d}-{i:05d}-{tag}"
                    rows.append(
                        {
                            "id": str(uuid7()),
                            "updated_at": stamp,
                            "deleted": False,
                            "seq": None,
                            "sha256": sha,
                            "mime": "image/png",
                            "size": 1,
                        }
                    )
                batch = PushBatch(device_id=tag, batch_id=str(uuid7()), rows={"attachment": rows})
                result = PushResult.model_validate(h.post("/sync/push", json=batch.model_dump()).json())
                with lock:
                    acked.update(result.ack_ids())

    with http(admin_ws, office) as h:
        cursor = PullPage.model_validate(
            h.get("/sync/pull", params={"since": 0, "limit": 5000}).json()
        ).cursor
        threads = [threading.Thread(target=pusher, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        seen: set[str] = set()
        last_seq = cursor
        for _ in range(2000):  # bounded: pull while the pushers run, then until drained
            done = not any(t.is_alive() for t in threads)
            page = PullPage.model_validate(h.get("/sync/pull", params={"since": cursor, "limit": 37}).json())
            for ch in page.changes:
                assert ch.row["seq"] > last_seq  # strictly in seq order, never behind the cursor
                last_seq = ch.row["seq"]
                seen.add(ch.row["id"])
            cursor = page.cursor
            if done and not page.has_more:
                break
        for t in threads:
            t.join()
    assert len(acked) == 4 * 6 * 40
    assert acked <= seen


def test_tombstones_reach_the_other_laptop(office: Office, tmp_path: Path) -> None:
    a, b = laptop(tmp_path / "a", office, "an"), laptop(tmp_path / "b", office, "binh")
    visit_id = start_visit(a)
    answer(a, visit_id, "B11", "yes")
    client.sync(a)
    client.sync(b)
    assert "B11" in answers(b.engine, visit_id)
    ans = table("answer")
    with a.engine.begin() as conn:  # a delete is an update: deleted, newer stamp, dirty
        conn.execute(
            ans.update()
            .where(ans.c.id == stable_id("answer", visit_id, "B11"))
            .values(deleted=True, dirty=True, updated_at=a.editor.clock.now())
        )
    client.sync(a)
    client.sync(b)
    assert "B11" not in answers(b.engine, visit_id)
    with b.engine.connect() as conn:
        row = conn.execute(
            sa.select(ans.c.deleted).where(ans.c.id == stable_id("answer", visit_id, "B11"))
        ).one()
        assert row.deleted


def test_a_signed_visit_refuses_later_changes_with_a_reason(office: Office, tmp_path: Path) -> None:
    a, b = laptop(tmp_path / "a", office, "an"), laptop(tmp_path / "b", office, "binh")
    visit_id = start_visit(a)
    answer(a, visit_id, "B11", "yes")
    client.sync(a)
    client.sync(b)
    answer(b, visit_id, "B11", "no")  # B, offline, edits after A signed (below)
    with session_scope(a.engine) as s:
        lock = VisitLock(
            id=stable_id("visit-lock", visit_id),
            visit_id=visit_id,
            content_sha256="0" * 64,
            locked_at=dt.datetime.now(dt.UTC),
            locked_by="an",
            device_id=a.editor.device_id,
        )
        a.editor.stamp(lock)
        s.add(lock)
    assert client.sync(a).rejected == []
    report = client.sync(b)
    locked = [r for r in report.rejected if r[2] == "locked"]
    assert locked and all(r[3] for r in locked)  # a reason the UI can show
    assert answers(b.engine, visit_id)["B11"] == '"yes"'  # the office's version is back on B
    assert answers(office.engine, visit_id)["B11"] == '"yes"'


def test_attachment_upload_resumes_after_a_cut(office: Office, tmp_path: Path) -> None:
    a = laptop(tmp_path / "a", office, "an")
    visit_id = start_visit(a)
    data = os.urandom(2 * CHUNK_BYTES + 12345)
    with session_scope(a.engine) as s:
        att = store_attachment(s, a.editor, a.attachments, data=data, mime="image/jpeg")
        attach_to_visit(s, a.editor, visit_id=visit_id, attachment_id=att.id)
    sha = hashlib.sha256(data).hexdigest()
    with http(a, office) as h:  # the first chunk arrives, then the network drops
        r = h.put(f"/blobs/{sha}", params={"offset": 0, "size": len(data)}, content=data[:CHUNK_BYTES])
        assert r.status_code == 200 and r.json()["offset"] == CHUNK_BYTES
        wrong = h.put(f"/blobs/{sha}", params={"offset": 5, "size": len(data)}, content=data[5:10])
        assert wrong.status_code == 409 and wrong.json()["offset"] == CHUNK_BYTES
    report = client.sync(a)
    assert report.uploaded == 1 and report.rejected == []
    with http(a, office) as h:
        done = h.get(f"/visits/{visit_id}/completeness").json()
        assert done["complete"] and done["missing"] == []
        assert h.get(f"/blobs/{sha}").content == data
        again = h.put(f"/blobs/{sha}", params={"offset": 0, "size": len(data)}, content=data[:10])
        assert again.status_code == 200 and again.json()["complete"]  # idempotent


def test_a_laptop_on_a_mobile_link_sends_gzip_and_a_broken_body_is_refused(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Away from the office's machine the laptop compresses its batches; the office inflates
    them, and answers a body that is not gzip, or inflates past its limit, with a clear refusal."""
    sent: list[str] = []
    real_request = client.request

    def spy(c: object, method: str, url: str, **kw: Any) -> Any:
        if url.endswith("/push"):
            sent.append(kw["headers"].get("Content-Encoding", ""))
        return real_request(c, method, url, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(client, "on_this_machine", lambda _server: False)  # as if over 4G
    monkeypatch.setattr(client, "request", spy)
    a = laptop(tmp_path / "a", office, "an")
    visit_id = start_visit(a)
    answer(a, visit_id, "B9", "no")
    report = client.sync(a)
    assert sent and set(sent) == {"gzip"} and report.pushed > 0 and not report.rejected
    assert answers(office.engine, visit_id)
    with http(a, office) as h:
        headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
        broken = h.post("/sync/push", content=b"not gzip at all", headers=headers)
        assert broken.status_code == 400 and "gzip" in broken.json()["detail"]
        bomb = gzip.compress(b"[" + b" " * (80 * 1024 * 1024) + b"]", compresslevel=9)
        assert len(bomb) < 200_000
        assert h.post("/sync/push", content=bomb, headers=headers).status_code == 413
