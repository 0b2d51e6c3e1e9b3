"""Server push (DESIGN §5): one transaction per batch, per-row newer-HLC-wins, losers kept.

Order inside the transaction: take the counter lock → a known batch_id returns its stored result
(a replay changes nothing) → a batch sent before the answer to the one it names (``after``) waits
until that one is applied → table by table, parents first: decode, authorize, refuse what the
lock, the clock or newer-wins refuse, check references and unique values, upsert the winners with
fresh seqs → store conflicts and the result under the batch_id → commit.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from inspector_app.core.hlc import Stamp
from inspector_app.core.models import utcnow
from inspector_app.core.models.sync import SyncBatch
from inspector_app.core.services.forms_registry import form_version_id
from inspector_app.i18n import _
from inspector_app.office import push_fast, store
from inspector_app.office.principal import Principal
from inspector_app.office.push_checks import check_references, check_uniques
from inspector_app.office.push_rules import APPEND_ONLY, DEVICE_OWNED, append_only_refusal
from inspector_app.sync import tables
from inspector_app.sync.protocol import PROTOCOL_VERSION, PushBatch, PushResult, Reason, Rejected
from inspector_app.sync.rows import RowError, decode_rows, encode_row
from inspector_app.sync.tables import LOCK_TABLE, LOCKED_CHILDREN, table

MAX_SKEW_MS = 5 * 60 * 1000
VISIT_OWNER = ("id", "team_id", "device_id")
_PLAIN_STAMP = re.compile(r"[0-9]{13}-[0-9]{5}-[^\n]+")


class BatchOwnedElsewhere(Exception):
    """The batch_id was already used by another device: refuse rather than leak its result."""


class PredecessorPending(Exception):
    """The batch the laptop sent before this one (``after``) is not applied yet: try again once it is."""


@dataclass
class _Push:
    conn: sa.Connection
    p: Principal
    batch_id: str
    seq: int
    max_skew_ms: int
    now_ms: int = field(default_factory=lambda: time.time_ns() // 1_000_000)
    result: PushResult = field(init=False)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    visits: dict[uuid.UUID, tuple[uuid.UUID | None, str]] = field(default_factory=dict)
    plans: dict[str, push_fast.Plan] = field(default_factory=dict)  # made before the lock was taken

    def __post_init__(self) -> None:
        self.result = PushResult(batch_id=self.batch_id, protocol=PROTOCOL_VERSION)

    def reject(
        self,
        name: str,
        row: dict[str, Any],
        code: Reason,
        reason: str,
        *,
        keep: str | None = None,
        server: dict[str, Any] | None = None,
    ) -> None:
        rid, hlc = str(row.get("id", "")), str(row.get("updated_at") or "")
        self.result.rejected.append(Rejected(table=name, id=rid, hlc=hlc, code=code, reason=reason))
        if keep and isinstance(row.get("id"), uuid.UUID):
            self.conflicts.append(
                store.conflict_row(
                    name=name,
                    row=row,
                    kind=keep,
                    reason=reason,
                    device_id=self.p.device_id,
                    batch_id=self.batch_id,
                )
            )
        if server is not None:
            self.result.server_rows.setdefault(name, []).append(encode_row(server))

    def ack(self, name: str, rid: uuid.UUID, hlc: str, seq: int) -> None:
        self.result.acks.setdefault(name, []).append((str(rid), hlc, seq))


def apply_batch(
    engine: sa.Engine,
    p: Principal,
    batch: PushBatch,
    *,
    max_skew_ms: int = MAX_SKEW_MS,
    final: bool = False,
    after: str | None = None,
    plans: dict[str, push_fast.Plan] | None = None,
) -> PushResult:
    """``final``: the last contact of a revoked device: rows are taken as usual, the answer says
    ``wipe`` and carries no office rows (a revoked device reads nothing). ``after``: the batch this
    device sent just before, still unanswered when it sent this one; ``PredecessorPending`` while
    that one is not applied (looked up under the counter lock, so never while it is committing).
    ``plans``: ``push_fast.plan_batch`` of this batch, made before the push lock."""
    sb = SyncBatch.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        seq = store.lock_counter(conn)
        stored = conn.execute(
            sa.select(sb.c.result, sb.c.device_id).where(sb.c.batch_id == batch.batch_id)
        ).first()
        if stored is not None:
            if stored.device_id != p.device_id:
                raise BatchOwnedElsewhere(batch.batch_id)
            replay = PushResult.model_validate_json(stored.result)
            replay.replayed, replay.protocol = True, PROTOCOL_VERSION
            if final:
                replay.server_rows, replay.wipe = {}, True
            return replay
        if after is not None and after != batch.batch_id:
            held = sa.select(sb.c.batch_id).where(sb.c.batch_id == after, sb.c.device_id == p.device_id)
            if conn.execute(held).first() is None:
                raise PredecessorPending(after)
        push = _Push(conn, p, batch.batch_id, seq, max_skew_ms, plans=plans or {})
        known = set(tables.table_names())
        for name, rows in batch.rows.items():
            if name not in known:
                for raw in rows:
                    push.reject(name, raw, Reason.INVALID, _("Unknown table: {name}").format(name=name))
        for name in tables.table_names():
            if batch.rows.get(name):
                _apply_table(push, name, batch.rows[name])
        push.result.conflicts = len(push.conflicts)
        if final:
            push.result.server_rows, push.result.wipe = {}, True
        store.save_counter(conn, push.seq)
        store.save_conflicts(conn, push.conflicts)
        conn.execute(
            sb.insert().values(
                batch_id=batch.batch_id,
                device_id=p.device_id,
                result=push.result.model_dump_json(),
                applied_at=utcnow(),
            )
        )
    return push.result


def _decode(push: _Push, name: str, raws: list[dict[str, Any]]) -> list[dict[str, Any]]:
    newest: dict[uuid.UUID, dict[str, Any]] = {}
    for raw, row in zip(raws, decode_rows(name, raws), strict=True):
        try:
            if isinstance(row, RowError):
                raise row
            hlc = row["updated_at"] or ""
            # The common well-formed stamp by one C-level match; anything else the full parser.
            wall_ms = int(hlc[:13]) if _PLAIN_STAMP.fullmatch(hlc) else Stamp.parse(hlc).wall_ms
        except (RowError, ValueError) as exc:
            push.reject(name, raw, Reason.INVALID, _("Invalid row: {error}").format(error=exc))
            continue
        if wall_ms > push.now_ms + push.max_skew_ms:
            minutes = push.max_skew_ms // 60_000
            msg = _(
                "The laptop's clock is more than {minutes} minutes ahead of the office; "
                "correct its date and time, then sync again"
            ).format(minutes=minutes)
            push.reject(name, row, Reason.CLOCK, msg)
            continue
        # One upsert must not touch a row twice (PostgreSQL refuses): keep the newest copy.
        prev = newest.get(row["id"])
        if prev is None or row["updated_at"] > prev["updated_at"]:
            newest[row["id"]] = row
    return list(newest.values())


def load_visits(push: _Push, ids: set[uuid.UUID]) -> None:
    todo = [i for i in ids if i not in push.visits]
    for vid, team_id, device_id in store.select_in(push.conn, table("visit"), "id", todo, VISIT_OWNER):
        push.visits[vid] = (team_id, device_id)


def may_write_visit(p: Principal, team_id: uuid.UUID | None, device_tag: str) -> bool:
    return p.is_admin or (team_id in p.team_ids if team_id else device_tag == p.device_tag)


def _visit_of(push: _Push, name: str, rows: list[dict[str, Any]]) -> dict[uuid.UUID, uuid.UUID | None]:
    """The visit each row belongs to (None: not tied to a visit)."""
    if name == "visit":
        return {r["id"]: r["id"] for r in rows}
    if "visit_id" in table(name).c:
        return {r["id"]: r["visit_id"] for r in rows}
    if name == "remedy_follow_up":
        ids = {r["remedy_id"] for r in rows}
        owner = dict(store.select_in(push.conn, table("remedy"), "id", ids, ("id", "visit_id")))
        return {r["id"]: owner.get(r["remedy_id"]) for r in rows}
    return {r["id"]: None for r in rows}


def _forbidden(push: _Push, name: str, row: dict[str, Any], old: dict[str, Any] | None) -> str | None:
    """Why this device may not write this row, or None."""
    p = push.p
    if p.is_admin:
        return None
    if name == "form_version":
        # Content-addressed: a laptop may bring a form the office lacks, never change one.
        if row["id"] == form_version_id(row["code"], row["version"], row["sha256"]):
            return None
        return _("Only an office administrator can change reference data")
    if name in DEVICE_OWNED:
        if row["device_id"] != p.device_tag:
            return _("Records of another computer cannot be pushed from this one")
        return None
    if tables.is_reference_table(name):
        return _("Only an office administrator can change reference data")
    if name == tables.AUDIT and row["device_id"] != p.device_tag:
        return _("Audit entries of another device cannot be pushed from this one")
    if name == "visit":
        ok_new = may_write_visit(p, row["team_id"], row["device_id"])
        ok_old = old is None or may_write_visit(p, old["team_id"], old["device_id"])
        if not (ok_new and ok_old):
            return _("This visit belongs to a team you are not a member of")
    return None


def _apply_table(push: _Push, name: str, raws: list[dict[str, Any]]) -> None:
    if push_fast.eligible(push, name, raws):
        raws = push_fast.apply(push, name, raws)  # the plainly new rows, set-wise; the rest below
        if not raws:
            return
    conn = push.conn
    rows = _decode(push, name, raws)
    if not rows:
        return
    existing = store.rows_by_id(conn, name, (r["id"] for r in rows))
    owners = _visit_of(push, name, rows)
    load_visits(push, {v for v in owners.values() if v is not None})
    locked = locked_visits(push, name, owners)
    candidates: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    for row in rows:
        old = existing.get(row["id"])
        why = _forbidden(push, name, row, old)
        visit_id = owners[row["id"]]
        if why is None and visit_id is not None and name != "visit" and not push.p.is_admin:
            known = push.visits.get(visit_id)
            if known is None:
                push.reject(
                    name,
                    row,
                    Reason.MISSING_PARENT,
                    _("A record it refers to has not reached the office yet"),
                )
                continue
            if not may_write_visit(push.p, *known):
                why = _("This visit belongs to a team you are not a member of")
        if why is not None:
            push.reject(name, row, Reason.FORBIDDEN, why, server=old)
            continue
        if visit_id in locked and (name == "visit" or name in LOCKED_CHILDREN):
            msg = _("Visit {label} is signed: later changes are refused").format(label=locked[visit_id])
            push.reject(name, row, Reason.LOCKED, msg, keep="locked", server=old)
            continue
        if old is not None:
            # A form version is content-addressed: the same row registered on a laptop and at the
            # office (shipped forms) is the same form, not a conflict — only an admin's tombstone differs.
            same_form = name == "form_version" and (not push.p.is_admin or old["deleted"] == row["deleted"])
            if old["updated_at"] == row["updated_at"] or same_form:
                push.ack(name, row["id"], row["updated_at"], old["seq"] or 0)  # already here: a retry
                continue
            if name in APPEND_ONLY and (refused := append_only_refusal(name, row, old)):
                push.reject(name, row, Reason.LOCKED, refused, keep="locked", server=old)
                continue
            if name in DEVICE_OWNED and old["device_id"] != row["device_id"]:
                msg = _("This number is already registered by another computer")
                push.reject(name, row, Reason.DUPLICATE, msg, keep="refused", server=old)
                continue
            if row["updated_at"] < old["updated_at"]:
                msg = _("A newer version is already at the office; yours is kept there as a conflict record")
                push.reject(name, row, Reason.STALE, msg, keep="stale", server=old)
                continue
        candidates.append((row, old))
    candidates = check_references(push, name, candidates)
    candidates = check_uniques(push, name, candidates)
    _write(push, name, candidates)


def locked_visits(push: _Push, name: str, owners: dict[uuid.UUID, uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """Visits (of these rows) whose lock the office holds → a label for the message."""
    if name != "visit" and name not in LOCKED_CHILDREN:
        return {}
    ids = {v for v in owners.values() if v is not None}
    held = store.select_in(push.conn, table(LOCK_TABLE), "visit_id", ids, ("visit_id", "deleted"))
    signed = {vid for vid, deleted in held if not deleted}
    if not signed:
        return {}
    numbers = store.select_in(push.conn, table("visit"), "id", signed, ("id", "number"))
    return {vid: number or str(vid)[:8] for vid, number in numbers}


def _write(push: _Push, name: str, decided: list[tuple[dict[str, Any], dict[str, Any] | None]]) -> None:
    rows = []
    for row, old in decided:
        if old is not None and row.get("seq") != old["seq"]:
            # The laptop edited a version older than the office's: that office version loses.
            msg = _("Overwritten by a newer edit made without seeing this version")
            push.conflicts.append(
                store.conflict_row(
                    name=name,
                    row=old,
                    kind="overwritten",
                    reason=msg,
                    device_id=push.p.device_id,
                    batch_id=push.batch_id,
                )
            )
        push.seq += 1
        row["seq"], row["dirty"] = push.seq, False  # decoded here: ours to change
        rows.append(row)
        push.ack(name, row["id"], row["updated_at"], push.seq)
        if name == "visit":
            push.visits[row["id"]] = (row["team_id"], row["device_id"])
    store.upsert(push.conn, name, rows)
