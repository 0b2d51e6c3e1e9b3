"""Attachment files at the office: content-addressed, uploaded in resumable chunks.

A partial upload is a ``.part`` file whose size is the resume offset; the file becomes visible
(and listed in ``office_blob``) only once all its bytes are there and hash to the name. Uploading
a file the office already has is a no-op, so every step can be retried.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path

import sqlalchemy as sa

from inspector_app.core.models import utcnow
from inspector_app.core.models.sync import OfficeBlob
from inspector_app.sync.protocol import BlobStatus

SHA_RE = re.compile(r"^[0-9a-f]{64}$")
MAX_BLOB = 64 * 1024 * 1024
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


class BlobError(ValueError):
    """The upload cannot continue as sent (bad offset, too large, or the bytes hash to another name)."""


def _lock(sha: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(sha, threading.Lock())


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "partial").mkdir(parents=True, exist_ok=True)

    def path(self, sha: str) -> Path:
        return self.root / sha[:2] / sha

    def _partial(self, sha: str) -> Path:
        return self.root / "partial" / f"{sha}.part"

    def status(self, engine: sa.Engine, sha: str) -> BlobStatus:
        if self.is_complete(engine, sha):
            return BlobStatus(sha256=sha, offset=self.path(sha).stat().st_size, complete=True)
        part = self._partial(sha)
        return BlobStatus(sha256=sha, offset=part.stat().st_size if part.exists() else 0, complete=False)

    def is_complete(self, engine: sa.Engine, sha: str) -> bool:
        t = OfficeBlob.__table__  # type: ignore[attr-defined]
        with engine.connect() as conn:
            listed = conn.execute(sa.select(t.c.sha256).where(t.c.sha256 == sha)).first() is not None
        return listed and self.path(sha).exists()

    def write(self, engine: sa.Engine, sha: str, offset: int, size: int, data: bytes) -> BlobStatus:
        if not 0 < size <= MAX_BLOB or offset < 0 or offset + len(data) > size:
            raise BlobError("size")
        with _lock(sha):
            current = self.status(engine, sha)
            if current.complete:
                return current
            if offset != current.offset:
                return current  # the caller resumes from current.offset
            part = self._partial(sha)
            with part.open("ab") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if offset + len(data) < size:
                return BlobStatus(sha256=sha, offset=offset + len(data), complete=False)
            return self._finish(engine, sha, part, size)

    def _finish(self, engine: sa.Engine, sha: str, part: Path, size: int) -> BlobStatus:
        digest = hashlib.sha256()
        with part.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != sha:
            part.unlink(missing_ok=True)
            raise BlobError("sha256")
        target = self.path(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(part, target)
        t = OfficeBlob.__table__  # type: ignore[attr-defined]
        with engine.begin() as conn:
            if conn.execute(sa.select(t.c.sha256).where(t.c.sha256 == sha)).first() is None:
                conn.execute(t.insert().values(sha256=sha, size=size, stored_at=utcnow()))
        return BlobStatus(sha256=sha, offset=size, complete=True)
