"""Push, pull, and whether a visit's files have all arrived."""

from __future__ import annotations

import time
import uuid
import zlib
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, Response, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from inspector_app.i18n import _
from inspector_app.office import push_fast, statistics
from inspector_app.office.deps import Caller, Office, OfficeState
from inspector_app.office.numbers import ensure_blocks
from inspector_app.office.principal import Principal
from inspector_app.office.pull import pull_page
from inspector_app.office.push import BatchOwnedElsewhere, PredecessorPending, apply_batch
from inspector_app.office.scope import read_filter
from inspector_app.sync.protocol import (
    AFTER_HEADER,
    MAX_BATCH_ROWS,
    MAX_PULL_LIMIT,
    Completeness,
    ErrorBody,
    PullPage,
    PushBatch,
    PushResult,
)
from inspector_app.sync.tables import table

router = APIRouter(tags=["sync"])
PUSH_SCHEMA = PushBatch.model_json_schema()
_INVALID: dict[str, object] = {  # FastAPI's own answer to a body that fails its model
    "description": "Validation Error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}},
}


# How long a batch waits for the one the laptop sent before it (AFTER_HEADER). Over a slow link the
# earlier, larger batch may still be uploading; past this the laptop simply sends this one again.
PREDECESSOR_PATIENCE = 3.0
MAX_BODY_BYTES = 64 * 1024 * 1024  # a 5,000-row batch is about 1.5 MB of JSON
# The push body as documented: read and checked by ``push_body``, not by FastAPI.
PUSH_BODY_DOC = {"requestBody": {"required": True, "content": {"application/json": {"schema": PUSH_SCHEMA}}}}


async def push_body(request: Request) -> PushBatch:
    """The push batch, read and checked here rather than by FastAPI: pydantic's own JSON parser
    takes a 5,000-row batch in a third of the time of json.loads plus a second validation. A
    gzip body (laptops on a mobile link send one, a fifth of the size) is inflated first."""
    body = await request.body()
    if request.headers.get("content-encoding", "").strip().lower() == "gzip":
        body = _inflate(body)
    try:
        batch = await run_in_threadpool(PushBatch.model_validate_json, body)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False, include_input=False)) from None
    if sum(len(rows) for rows in batch.rows.values()) > MAX_BATCH_ROWS:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            _("Too many rows in one batch (at most {n})").format(n=MAX_BATCH_ROWS),
        )
    return batch


def _inflate(body: bytes) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)  # gzip framing
    try:
        out = inflater.decompress(body, MAX_BODY_BYTES)
    except zlib.error as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, _("The request body is not valid gzip")) from exc
    if inflater.unconsumed_tail:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, _("The request body is too large"))
    return out


PushBody = Annotated[PushBatch, Depends(push_body)]
After = Annotated[
    str | None,
    Header(
        alias=AFTER_HEADER,
        min_length=8,
        max_length=36,
        description="the batch this laptop sent just before this one, not answered yet: applied first",
    ),
]
_ERRORS: dict[int | str, dict[str, object]] = {401: {"model": ErrorBody}}
PUSH_ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorBody},
    409: {"model": ErrorBody},
    413: {"model": ErrorBody},
    425: {"model": ErrorBody, "description": "the batch named in X-Inspector-After has not arrived"},
    422: _INVALID,
}


@router.post(
    "/sync/push",
    response_model=PushResult,
    responses={**_ERRORS, **PUSH_ERRORS},
    openapi_extra=PUSH_BODY_DOC,
)
def push(p: Caller, batch: PushBody, state: Office, after: After = None) -> Response:  # token first
    return push_response(state, p, batch, after=after)


def push_response(
    state: OfficeState, p: Principal, batch: PushBatch, *, final: bool = False, after: str | None = None
) -> Response:
    deadline = time.monotonic() + PREDECESSOR_PATIENCE
    # The checks that need no database, before queueing for the push lock: the next batch is
    # checked while PostgreSQL works on this one.
    plans = push_fast.plan_batch(state.engine.dialect.name, batch, state.max_skew_ms)
    while True:
        try:
            with state.gate.push():
                result = apply_batch(
                    state.engine,
                    p,
                    batch,
                    max_skew_ms=state.max_skew_ms,
                    final=final,
                    after=after,
                    plans=plans,
                )
            break
        except BatchOwnedElsewhere as exc:
            raise HTTPException(
                status.HTTP_409_CONFLICT, _("This batch id was already used by another device")
            ) from exc
        except PredecessorPending as exc:
            left = deadline - time.monotonic()
            if left <= 0:
                raise HTTPException(
                    status.HTTP_425_TOO_EARLY,
                    _("The batch sent before this one has not arrived; it is sent again later"),
                ) from exc
            state.gate.wait_for_push(min(left, 0.05))  # its push may run in another office process
    statistics.rows_written(state.engine, {n: len(acks) for n, acks in result.acks.items()})
    # Built and checked here already: skip FastAPI's second validation of thousands of acks.
    return Response(result.model_dump_json(), media_type="application/json")


@router.get("/sync/pull", response_model=PullPage, responses=_ERRORS)
async def pull(
    p: Caller,
    state: Office,
    since: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = 1000,
    skip_own: Annotated[bool, Query(description="leave out rows this device pushed itself")] = False,
) -> Response:
    async with state.gate.pull(p.device_tag):  # after the pushes waiting now (gate.py)
        body = await run_in_threadpool(_pull_body, state, p, since, limit, skip_own)
    # Written as a PullPage already: no second pass through FastAPI's response model.
    return Response(body, media_type="application/json")


def _pull_body(state: OfficeState, p: Principal, since: int, limit: int, skip_own: bool) -> bytes:
    ensure_blocks(state.engine, p)  # a laptop running low on document numbers gets a block in this pull
    return pull_page(state.engine, p, since, limit, skip_own=skip_own)


@router.get(
    "/visits/{visit_id}/completeness",
    response_model=Completeness,
    responses={**_ERRORS, 404: {"model": ErrorBody}},
)
def completeness(visit_id: uuid.UUID, p: Caller, state: Office) -> Completeness:
    """A visit is complete at the office only once every file it references has been uploaded."""
    visit, att, blob = table("visit"), table("attachment"), sa.table("office_blob", sa.column("sha256"))
    cond = read_filter(p, "visit")
    q = sa.select(visit.c.id).where(visit.c.id == visit_id)
    with state.engine.connect() as conn:
        if conn.execute(q if cond is None else q.where(cond)).first() is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, _("Visit not found"))
        link, sig, rc = table("attachment_link"), table("signature"), table("roll_call")
        digital = table("digital_signature")
        ids = sa.union(
            sa.select(digital.c.attachment_id).where(
                digital.c.visit_id == visit_id, digital.c.deleted == sa.false()
            ),
            sa.select(link.c.attachment_id).where(link.c.visit_id == visit_id, link.c.deleted == sa.false()),
            sa.select(sig.c.attachment_id).where(
                sig.c.visit_id == visit_id, sig.c.deleted == sa.false(), sig.c.attachment_id.is_not(None)
            ),
            sa.select(rc.c.evidence_id).where(
                rc.c.visit_id == visit_id, rc.c.deleted == sa.false(), rc.c.evidence_id.is_not(None)
            ),
        )
        shas = set(conn.execute(sa.select(att.c.sha256).where(att.c.id.in_(ids))).scalars())
        # A referenced attachment row that has not arrived counts as missing too.
        known = conn.execute(sa.select(sa.func.count()).select_from(ids.subquery())).scalar_one()
        stored = set(conn.execute(sa.select(blob.c.sha256).where(blob.c.sha256.in_(sorted(shas)))).scalars())
    missing = sorted(shas - stored)
    return Completeness(visit_id=str(visit_id), complete=not missing and known == len(shas), missing=missing)
