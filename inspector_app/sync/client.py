"""The laptop's sync engine (DESIGN §5): files first, then push in batches, then pull.

Interrupted anywhere, the next run finishes the job: the outbox replays an unacknowledged batch
under its batch_id, rows are marked clean only if unchanged since they were sent, the pull
cursor moves in the same transaction as the rows it covers, and uploads resume at the office's
offset. No Qt here: progress goes to a callback, cancellation is polled between steps.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import shutil
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa

from inspector_app.core.backups import DB_FILENAME, backup_dir
from inspector_app.core.demo.load import pending_demo_visits
from inspector_app.core.desk import access
from inspector_app.core.models import utcnow
from inspector_app.core.services.attachments import blob_path, write_blob
from inspector_app.core.workspace import Workspace
from inspector_app.i18n import _
from inspector_app.sync import local
from inspector_app.sync.credentials import TOKEN_FILE, TokenStore
from inspector_app.sync.protocol import (
    AFTER_HEADER,
    CHUNK_BYTES,
    FINAL_CONTACT_HEADER,
    BlobStatus,
    FinalContact,
    LoginRequest,
    LoginResult,
    PullPage,
    PushResult,
)
from inspector_app.sync.tables import table
from inspector_app.sync.transport import (
    NotSignedIn,
    SyncError,
    check_url,
    make_client,
    on_this_machine,
    request,
)

log = logging.getLogger(__name__)
BATCH_ROWS = 5_000  # MAX_BATCH_ROWS: fewer round trips, one transaction each
PULL_LIMIT = 2_000
MAX_ROUNDS = 500  # bounded loops: 1M rows at the batch size above
PUSHES_IN_FLIGHT = 2  # one applied at the office while the next travels


@dataclass(frozen=True)
class _Batch:
    batch_id: str
    body: str
    replay: bool = False  # built by an earlier run, found in the outbox
    rowids: dict[str, dict[str, int]] | None = None  # local.Built.rowids: where the acked rows are


@dataclass(frozen=True)
class _Sent:
    batch: _Batch
    answer: Future[PushResult | None]


# The pull cursor, also kept beside the database. Rows this laptop pushed itself are left out of
# pulls only while both agree: a database restored from a backup (older cursor) or a crash between
# the two writes pulls everything again, its own rows included.
CURSOR_WITNESS = "sync-cursor.txt"


class SyncCancelled(SyncError):
    pass


class DemoVisitsHere(SyncError):
    """Sign-in and sync refused: the data folder holds the demo province's sample visits."""


class DeviceWiped(NotSignedIn):
    """The office revoked this laptop: what it had not sent went up, then its local data was
    deleted. Sync and sign-in are refused while the note file is in the data folder."""


# Left in the data folder after a wipe: why and when. Its presence refuses further sync.
WIPE_NOTE = "DATA-REMOVED-BY-OFFICE.txt"
WIPE_PENDING = WIPE_NOTE + ".pending"  # the note while the wipe runs


def _wiped_message(ws: Workspace) -> str | None:
    return wiped_message(ws.data_dir)


def wiped_message(data_dir: Path) -> str | None:
    """Why this data folder is empty, when the office had its data removed; else None."""
    note = data_dir / WIPE_NOTE
    return _wiped_text(note) if note.exists() else None


def _wiped_text(note: Path) -> str:
    return _(
        "The office revoked this laptop and its local data was removed (see {note}). "
        "Ask the office administrator before using it for inspections again."
    ).format(note=note)


def _read_witness(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def _write_witness(path: Path, cursor: int) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(str(cursor), encoding="ascii")
    os.replace(tmp, path)


@dataclass(frozen=True)
class Progress:
    stage: str  # "upload" | "push" | "pull" | "download"
    done: int
    total: int | None = None


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    rejected: list[tuple[str, str, str, str]] = field(default_factory=list)  # table, id, code, reason
    uploaded: int = 0
    downloaded: int = 0


def _setting(ws: Workspace, key: str) -> str | None:
    with ws.engine.connect() as conn:
        return local.get(conn, key)


def _refuse_demo_visits(ws: Workspace) -> None:
    """The demo province's sample visits never go to an office (fake visits there, and the same
    ids with other contents from every laptop that tried the demo)."""
    with ws.engine.connect() as conn:
        count = pending_demo_visits(conn)
    if count:
        raise DemoVisitsHere(
            _(
                "This data folder holds {count} sample visits of the demo province, which must not "
                "reach an office. Sign in from a new data folder (inspector-app --data-dir FOLDER login …)."
            ).format(count=count)
        )


def _tokens(ws: Workspace, server: str) -> TokenStore:
    return TokenStore(ws.data_dir, f"{server}#{ws.editor.device_id}")


def login(
    ws: Workspace,
    server: str,
    user: str,
    password: str,
    ca_cert: str | None = None,
    *,
    allow_insecure: bool = False,
    device_name: str = "",
) -> LoginResult:
    server = check_url(server, allow_insecure=allow_insecure)
    if refused := _wiped_message(ws):
        raise DeviceWiped(refused)
    _refuse_demo_visits(ws)
    body = LoginRequest(user=user, password=password, device_tag=ws.editor.device_id, device_name=device_name)
    with make_client(server, ca_cert=ca_cert) as client:
        try:
            resp = request(client, "POST", "/auth/login", json=body.model_dump())
        except NotSignedIn as exc:
            raise NotSignedIn(_("Wrong user name or password")) from exc
    result = LoginResult.model_validate_json(resp.content)
    _tokens(ws, server).save(result.token)
    with ws.engine.begin() as conn:
        if local.get(conn, "sync.server") != server:
            local.put(conn, "sync.cursor", "0")  # another office: pull everything it has
        local.put(conn, "sync.server", server)
        local.put(conn, "sync.ca_cert", ca_cert or "")
        local.put(conn, "sync.insecure", "1" if allow_insecure else "")
        local.put(conn, "sync.user", result.user)
        local.put(conn, access.ROLE_KEY, result.role)  # "admin" opens the office workspace
    return result


def sync(
    ws: Workspace,
    server: str | None = None,
    *,
    progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    batch_rows: int = BATCH_ROWS,
) -> SyncReport:
    if (ws.data_dir / WIPE_PENDING).exists():  # a wipe interrupted half-way: finish it
        _wipe_local(ws, server)
    if refused := _wiped_message(ws):
        raise DeviceWiped(refused)
    _refuse_demo_visits(ws)
    server = server or _setting(ws, "sync.server")
    if not server:
        raise NotSignedIn(_("Sign in to the office first"))
    server = check_url(server, allow_insecure=bool(_setting(ws, "sync.insecure")))
    token = _tokens(ws, server).load()
    if not token:
        raise NotSignedIn(_("Sign in to the office first"))
    report = SyncReport()
    run = _Run(ws, report, progress or (lambda _p: None), cancel or threading.Event(), batch_rows)
    ca_cert = _setting(ws, "sync.ca_cert") or None
    try:
        with make_client(server, token=token, ca_cert=ca_cert) as client:
            run.client = client
            run.upload_files()
            run.push_all()
            run.pull_all()
            if local.dirty_count(ws.engine):
                run.push_all()  # rows edited here that the pull left alone, or edited meanwhile
            run.download_files()
    except NotSignedIn:
        with make_client(server, token=token, ca_cert=ca_cert) as client:
            client.headers[FINAL_CONTACT_HEADER] = "wipe"
            final = _final_state(client)
            if final is None:
                raise  # an ordinary refusal (signed out, wiped, wrong token): sign in again
            run.client, run.final = client, True
            _final_contact(ws, server, run, final)
    with ws.engine.begin() as conn:
        local.put(conn, "sync.last", utcnow().isoformat(timespec="seconds"))
    return report


def _final_state(client: httpx.Client) -> FinalContact | None:
    try:
        return FinalContact.model_validate_json(request(client, "GET", "/auth/final").content)
    except NotSignedIn:
        return None


def _final_contact(ws: Workspace, server: str, run: _Run, final: FinalContact) -> None:
    """Revoked at the office: send the files and rows not sent yet, then delete the local data,
    leave a note, confirm to the office and refuse to sync again. A failure before the wipe
    leaves everything in place: the next sync tries the last contact again."""
    log.warning("this laptop was revoked at the office (%s): last push, then wipe", final.revoked_at)
    run.upload_files()
    run.push_all()
    left = local.dirty_count(ws.engine)
    note = (
        f"{utcnow().isoformat(timespec='seconds')}  The office {server} revoked this laptop "
        f"(device {ws.editor.device_id}, revoked at {final.revoked_at}).\n"
        f"Rows sent in the last contact: {run.report.pushed}; files: {run.report.uploaded}; "
        f"rows the office could not take: {left}.\n"
        "The local database, attachments and backups of this data folder were deleted.\n"
        f"{_wiped_text(ws.data_dir / WIPE_NOTE)}\n"
    )
    (ws.data_dir / WIPE_PENDING).write_text(note, encoding="utf-8")  # an interrupted wipe resumes
    try:
        request(run.client, "POST", "/auth/final/wiped", ok=(204,))
    except SyncError as exc:  # the data goes anyway; the office keeps the device as pending
        log.warning("could not confirm the wipe to the office: %s", exc)
    _wipe_local(ws, server)
    raise DeviceWiped(_wiped_text(ws.data_dir / WIPE_NOTE))


def _wipe_local(ws: Workspace, server: str | None = None) -> None:
    """Delete the database (with its WAL and journal), attachments, backups, outbox and token."""
    ws.engine.dispose()
    for name in (DB_FILENAME, f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm", f"{DB_FILENAME}-journal"):
        (ws.data_dir / name).unlink(missing_ok=True)
    for folder in (ws.attachments, backup_dir(ws.data_dir)):
        shutil.rmtree(folder, ignore_errors=True)
    (ws.data_dir / CURSOR_WITNESS).unlink(missing_ok=True)
    (ws.data_dir / TOKEN_FILE).unlink(missing_ok=True)
    if server:
        _tokens(ws, server).clear()
    pending = ws.data_dir / WIPE_PENDING
    if pending.exists():
        os.replace(pending, ws.data_dir / WIPE_NOTE)


@dataclass
class _Run:
    ws: Workspace
    report: SyncReport
    progress: Callable[[Progress], None]
    cancel: threading.Event
    batch_rows: int
    client: httpx.Client = field(init=False)
    pulled_files: list[str] = field(default_factory=list)
    final: bool = False  # the last contact of a revoked laptop (/auth/final/*)

    def check(self) -> None:
        if self.cancel.is_set():
            raise SyncCancelled(_("Sync cancelled"))

    # --- push ------------------------------------------------------------------------------
    def push_all(self) -> None:
        """Batches are sent oldest first, parents before children, the lock after its data.
        Unacknowledged batches of an earlier run go first, exactly as they were built (no new one
        is built until they are answered: their rows are still dirty). Once the office says it
        keeps a laptop's batches in order (protocol 2), the next batch goes before the answer to
        this one arrives, naming it (``AFTER_HEADER``): the office works on one while the other
        travels and the laptop reads the one after from its database. A pass ends when every dirty
        row has been sent once; another pass takes rows edited meanwhile or left waiting for a
        parent, until a pass gets nothing new taken."""
        with self.ws.engine.connect() as conn:
            ready = deque(_Batch(*entry, replay=True) for entry in local.outbox_entries(conn))
        replays = len(ready)  # answers still awaited for batches of an earlier run
        after: dict[str, int] = {}
        taken, depth, drained = 0, 1, False
        flight: deque[_Sent] = deque()

        def next_batch() -> _Batch | None:
            nonlocal drained
            if ready:
                return ready.popleft()
            if replays or drained:
                return None
            built = self._build(after)
            drained = built is None
            return built

        with ThreadPoolExecutor(PUSHES_IN_FLIGHT, thread_name_prefix="sync-push") as sender:

            def send(batch: _Batch) -> None:
                before = flight[-1].batch.batch_id if flight else None
                flight.append(_Sent(batch, sender.submit(self._send, batch.body, before)))

            def fill() -> None:
                while len(flight) < depth and (batch := next_batch()) is not None:
                    send(batch)

            for _round in range(MAX_ROUNDS):
                self.check()
                fill()
                if not flight:
                    if not after or taken == 0:
                        return  # nothing dirty, or only rows the office cannot take yet
                    after, taken, drained = {}, 0, False
                    continue
                if not ready and (batch := next_batch()) is not None:
                    ready.append(batch)  # read while the office works: sent as soon as a slot frees
                head = flight.popleft()
                result = head.answer.result()
                if result is None:  # it overtook its predecessor (425): once more, now that one is answered
                    flight.appendleft(_Sent(head.batch, sender.submit(self._send, head.batch.body, None)))
                    continue
                if head.batch.replay:
                    replays -= 1
                if result.protocol >= 2:
                    depth = PUSHES_IN_FLIGHT
                fill()  # the next batch goes before this answer is stored
                applied = local.apply_result(self.ws.engine, head.batch.body, result, head.batch.rowids)
                taken += applied.pushed
                self.report.pushed += applied.pushed
                self.report.conflicts += applied.conflicts
                self.report.rejected += applied.rejected
                self.progress(Progress("push", self.report.pushed))
        raise SyncError(_("Too many rows changed during sync; run it again"))

    def _build(self, after: dict[str, int]) -> _Batch | None:
        built = local.build_batch(self.ws.engine, self.ws.editor.device_id, self.batch_rows, after)
        return None if built is None else _Batch(built.batch_id, built.body, rowids=built.rowids)

    def _send(self, body: str, before: str | None) -> PushResult | None:
        """The office's answer, or None if it answered 425: the batch sent before this one had
        not arrived (a slow link), and this one must go again."""
        url = "/auth/final/push" if self.final else "/sync/push"
        headers = {"Content-Type": "application/json"}
        if before is not None:
            headers[AFTER_HEADER] = before
        content = body.encode()
        if not on_this_machine(str(self.client.base_url)):
            # Over a mobile link: a fifth of the bytes for 7 ms of work (gzip level 1, a 5,000-row batch).
            content = gzip.compress(content, compresslevel=1)
            headers["Content-Encoding"] = "gzip"
        resp = request(self.client, "POST", url, ok=(200, 425), content=content, headers=headers)
        return None if resp.status_code == 425 else PushResult.model_validate_json(resp.content)

    # --- pull ------------------------------------------------------------------------------
    def pull_all(self) -> None:
        """Pages in cursor order. The next page is asked for as soon as a page arrives, so the
        office reads it while the laptop stores this one; the cursor still moves only with the
        rows it covers, so an interruption anywhere resumes at the last stored page."""
        engine = self.ws.engine
        witness = self.ws.data_dir / CURSOR_WITNESS
        skip_own: bool | None = None
        self.progress(Progress("pull", 0))
        ahead: tuple[int, Future[PullPage]] | None = None  # (since, the page after it)
        with ThreadPoolExecutor(1, thread_name_prefix="sync-pull") as fetcher:
            for _page in range(MAX_ROUNDS * 10):
                self.check()
                with engine.connect() as conn:
                    cursor = int(local.get(conn, "sync.cursor") or 0)
                    scope = local.get(conn, "sync.scope")
                if skip_own is None:
                    skip_own = _read_witness(witness) == cursor > 0
                if ahead is None or ahead[0] != cursor:
                    ahead = (cursor, fetcher.submit(self._fetch_page, cursor, skip_own))
                page = ahead[1].result()
                ahead = None
                if scope is not None and page.scope != scope and cursor:
                    # The user's teams changed: rows of a newly joined team have old seqs. Start over.
                    with engine.begin() as conn:
                        local.put(conn, "sync.cursor", "0")
                        local.put(conn, "sync.scope", page.scope)
                    continue
                if page.has_more:
                    ahead = (page.cursor, fetcher.submit(self._fetch_page, page.cursor, skip_own))
                with local.bookkeeping(engine) as conn:
                    local.put(conn, "sync.cursor", str(page.cursor))  # same transaction as the rows
                    local.put(conn, "sync.scope", page.scope)
                    _count, newest, attachments = local.apply_page(conn, page)
                _write_witness(witness, page.cursor)
                if newest:
                    self.ws.editor.clock.observe(newest)  # later local edits sort after what we saw
                self.pulled_files += [a["sha256"] for a in attachments if not a["deleted"]]
                self.report.pulled += len(page.changes)
                self.progress(Progress("pull", self.report.pulled))
                if not page.has_more:
                    return
        raise SyncError(_("Too many pages to pull; run sync again"))

    def _fetch_page(self, since: int, skip_own: bool) -> PullPage:
        params = {"since": since, "limit": PULL_LIMIT, "skip_own": skip_own}
        return PullPage.model_validate_json(request(self.client, "GET", "/sync/pull", params=params).content)

    # --- files -----------------------------------------------------------------------------
    def upload_files(self) -> None:
        """Every file a dirty attachment row names goes up before the row does."""
        att = table("attachment")
        with self.ws.engine.connect() as conn:
            shas = list(conn.execute(sa.select(att.c.sha256).where(sa.text("dirty"))).scalars())
        for n, sha in enumerate(shas, 1):
            self.check()
            path = blob_path(self.ws.attachments, sha)
            if not path.exists():
                log.warning(
                    "attachment %s is missing on this laptop; the office will list it as missing", sha
                )
                continue
            if self._upload(sha, path.read_bytes()):
                self.report.uploaded += 1
            self.progress(Progress("upload", n, len(shas)))

    def _upload(self, sha: str, data: bytes) -> bool:
        prefix = "/auth/final/blobs" if self.final else "/blobs"
        status = BlobStatus.model_validate_json(request(self.client, "GET", f"{prefix}/{sha}/status").content)
        sent = False
        for _step in range(len(data) // CHUNK_BYTES + 8):
            if status.complete:
                return sent
            self.check()
            chunk = data[status.offset : status.offset + CHUNK_BYTES]
            resp = request(
                self.client,
                "PUT",
                f"{prefix}/{sha}",
                ok=(200, 409),  # 409: the office has another offset, resume from there
                params={"offset": status.offset, "size": len(data)},
                content=chunk,
                headers={"Content-Type": "application/octet-stream"},
            )
            status, sent = BlobStatus.model_validate_json(resp.content), True
        raise SyncError(_("Upload of a file did not finish; run sync again"))

    def download_files(self) -> None:
        for sha in sorted(set(self.pulled_files)):
            self.check()
            if blob_path(self.ws.attachments, sha).exists():
                continue
            try:
                resp = request(self.client, "GET", f"/blobs/{sha}")
            except SyncError as exc:
                log.warning("file %s not available at the office yet: %s", sha, exc)
                continue
            if hashlib.sha256(resp.content).hexdigest() != sha:
                log.warning("file %s arrived damaged; it will be fetched again next time", sha)
                continue
            write_blob(self.ws.attachments, resp.content)
            self.report.downloaded += 1
            self.progress(Progress("download", self.report.downloaded))
