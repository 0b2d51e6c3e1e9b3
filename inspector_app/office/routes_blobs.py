"""Attachment files by SHA-256: status (HEAD or GET …/status), resumable PUT, download."""

from __future__ import annotations

from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Path, Query, Request, Response, status
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from inspector_app.i18n import _
from inspector_app.office.blobs import MAX_BLOB, BlobError
from inspector_app.office.deps import Caller, Office
from inspector_app.office.scope import read_filter
from inspector_app.sync.protocol import CHUNK_BYTES, BlobStatus, ErrorBody
from inspector_app.sync.tables import table

router = APIRouter(prefix="/blobs", tags=["attachments"])
Sha = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]
_ERRORS: dict[int | str, dict[str, object]] = {401: {"model": ErrorBody}, 404: {"model": ErrorBody}}


def _headers(st: BlobStatus) -> dict[str, str]:
    return {"Upload-Offset": str(st.offset), "Upload-Complete": "1" if st.complete else "0"}


@router.head("/{sha}", responses=_ERRORS)
def head(sha: Sha, p: Caller, state: Office) -> Response:
    return Response(headers=_headers(state.blobs.status(state.engine, sha)))


@router.get("/{sha}/status", response_model=BlobStatus, responses=_ERRORS)
def blob_status(sha: Sha, p: Caller, state: Office) -> BlobStatus:
    return state.blobs.status(state.engine, sha)


@router.put(
    "/{sha}",
    response_model=BlobStatus,
    responses={**_ERRORS, 409: {"model": BlobStatus}, 413: {"model": ErrorBody}, 422: {"model": ErrorBody}},
    openapi_extra={
        "requestBody": {
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
        }
    },
)
async def upload(
    sha: Sha,
    request: Request,
    p: Caller,
    state: Office,
    offset: Annotated[int, Query(ge=0, le=MAX_BLOB)],
    size: Annotated[int, Query(ge=1, le=MAX_BLOB)],
) -> Response:
    """Append the bytes at ``offset``. A wrong offset answers 409 with the offset to resume from."""
    data = await request.body()
    if len(data) > 2 * CHUNK_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, _("Upload chunk too large"))
    try:
        st = await run_in_threadpool(state.blobs.write, state.engine, sha, offset, size, data)
    except BlobError as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT, _("The uploaded file does not match its size or SHA-256")
        ) from exc
    code = status.HTTP_200_OK if st.complete or st.offset == offset + len(data) else status.HTTP_409_CONFLICT
    return Response(
        st.model_dump_json(), status_code=code, media_type="application/json", headers=_headers(st)
    )


@router.get("/{sha}", response_class=FileResponse, responses=_ERRORS)
def download(sha: Sha, p: Caller, state: Office) -> FileResponse:
    att = table("attachment")
    q = sa.select(att.c.id).where(att.c.sha256 == sha)
    cond = read_filter(p, "attachment")
    with state.engine.connect() as conn:
        visible = conn.execute(q if cond is None else q.where(cond)).first() is not None
    if not visible or not state.blobs.is_complete(state.engine, sha):
        raise HTTPException(status.HTTP_404_NOT_FOUND, _("File not found"))
    return FileResponse(state.blobs.path(sha), media_type="application/octet-stream")
