"""The office service's FastAPI application, built by a factory so tests hand it their engine."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from inspector_app.office import routes_auth, routes_blobs, routes_sync
from inspector_app.office.blobs import BlobStore
from inspector_app.office.deps import OfficeState
from inspector_app.office.push import MAX_SKEW_MS
from inspector_app.sync.protocol import PROTOCOL_VERSION, Health


def create_app(engine: sa.Engine, *, blob_dir: Path, max_skew_ms: int = MAX_SKEW_MS) -> FastAPI:
    """The engine must already be at the newest schema (``core.db.upgrade``)."""
    app = FastAPI(title="Kiểm tra công vụ — office sync", version=str(PROTOCOL_VERSION))
    app.state.office = OfficeState(engine=engine, blobs=BlobStore(blob_dir), max_skew_ms=max_skew_ms)
    # A 5,000-row batch is about 1.2 MB of JSON and 150 KB gzipped (TECH-NOTES §6). Level 5: a
    # tenth larger than level 9 for a third of the office's time (measured on a batch's acks).
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)

    @app.get("/health", response_model=Health, tags=["health"])
    def health() -> Health:
        return Health(status="ok")

    app.include_router(routes_auth.router)
    app.include_router(routes_sync.router)
    app.include_router(routes_blobs.router)
    return app
