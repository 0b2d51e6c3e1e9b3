"""The sync protocol: the JSON documents laptop and office exchange (DESIGN §5).

Shared by the client (``sync.client``) and the office service (``office``): one definition, so
the two can never drift apart. Rows travel as plain JSON objects per table (``sync.rows``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, field_validator

# 2: the office keeps a laptop's batches in the order it sent them (``AFTER_HEADER``), so a laptop
# may send the next batch before the answer to this one arrives.
PROTOCOL_VERSION = 2
MAX_BATCH_ROWS = 5_000
MAX_PULL_LIMIT = 5_000
CHUNK_BYTES = 1024 * 1024  # attachment upload chunk
# A revoked device's last contact (``/auth/final/*``) must carry this header with the value "wipe":
# the laptop declares it deletes its local data once its pushes are in. Without it: 401 as before.
FINAL_CONTACT_HEADER = "X-Inspector-Final-Contact"
# A push sent while the laptop's previous batch is still unanswered names that batch here: the
# office applies this one only after it (parents before children, the lock after its data), and
# answers 425 if it has not arrived within a few seconds (the laptop sends this one again later).
AFTER_HEADER = "X-Inspector-After"

JsonRow = dict[str, Any]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL character")  # PostgreSQL text cannot hold it: a 422, not a 500
    return value


class LoginRequest(BaseModel):
    user: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    device_tag: str = Field(min_length=1, max_length=40, description="the laptop's own device id")
    device_name: str = Field(default="", max_length=200)

    _text = field_validator("user", "password", "device_tag", "device_name")(_no_nul)


class LoginResult(BaseModel):
    token: str
    device_id: str
    user: str
    role: str
    teams: list[str]


class Me(BaseModel):
    user: str
    role: str
    device_id: str
    teams: list[str]


class PushBatch(BaseModel):
    """Rows changed on a laptop; ``batch_id`` is the idempotency key (a replay changes nothing)."""

    protocol: int = PROTOCOL_VERSION
    device_id: str = Field(min_length=1, max_length=40, description="the laptop's device tag")
    batch_id: str = Field(min_length=8, max_length=36)
    rows: dict[str, list[JsonRow]] = Field(default_factory=dict, description="table name → rows")

    _text = field_validator("device_id", "batch_id")(_no_nul)


class Reason(StrEnum):
    """Why a row was not taken. ``retry`` reasons leave the row waiting on the laptop."""

    STALE = "stale"  # the office has a newer version (kept as a conflict record)
    LOCKED = "locked"  # the visit is signed
    FORBIDDEN = "forbidden"  # outside the device's teams, or reference data from a non-admin
    CLOCK = "clock"  # stamped too far in the future
    INVALID = "invalid"  # malformed row
    DUPLICATE = "duplicate"  # another row already holds one of its unique values
    MISSING_PARENT = "missing_parent"  # a row it points to has not arrived (yet)


RETRY_REASONS = frozenset({Reason.MISSING_PARENT})


class Rejected(BaseModel):
    table: str
    id: str
    hlc: str = ""
    code: Reason
    reason: str  # for the user, in the office's language


class PushResult(BaseModel):
    batch_id: str
    replayed: bool = False
    protocol: int = Field(
        default=1, description="the office's protocol version (2: it honours the X-Inspector-After header)"
    )
    # Table by table, as [id, hlc, seq]: a 5,000-row batch answers with 5,000 acks, and objects
    # with repeated keys cost the office and the laptop more than the rows' own checks.
    acks: dict[str, list[tuple[str, str, int]]] = Field(
        default_factory=dict, description="table name → [id, hlc, seq] of every row taken"
    )
    rejected: list[Rejected] = Field(default_factory=list)
    server_rows: dict[str, list[JsonRow]] = Field(
        default_factory=dict, description="the office's version of rejected rows it holds"
    )
    conflicts: int = 0
    wipe: bool = Field(
        default=False, description="this device was revoked: delete the local data now (final contact)"
    )

    def ack_ids(self) -> list[str]:
        return [a[0] for rows in self.acks.values() for a in rows]


class FinalContact(BaseModel):
    """What a revoked device learns on its last contact."""

    state: str = Field(description="revoked_pending_wipe")
    revoked_at: str
    wipe: bool = True


class Change(BaseModel):
    table: str
    row: JsonRow


class PullPage(BaseModel):
    """Changes after ``since`` in seq order. ``parents`` carry rows the changes point to whose
    newest version has a later seq (the laptop would otherwise fail a foreign key)."""

    changes: list[Change]
    parents: list[Change] = Field(default_factory=list)
    cursor: int
    has_more: bool
    scope: str = Field(description="fingerprint of what the device may read; a change resets the cursor")


class BlobStatus(BaseModel):
    sha256: str
    offset: int = Field(description="bytes already received")
    complete: bool


class Completeness(BaseModel):
    visit_id: str
    complete: bool
    missing: list[str] = Field(description="SHA-256 of referenced files not uploaded yet")


class Health(BaseModel):
    status: str
    protocol: int = PROTOCOL_VERSION


class ErrorBody(BaseModel):
    detail: str
