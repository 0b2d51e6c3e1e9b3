"""dirty indexes in rowid order: the partial index of unsent rows keyed by ``dirty`` (so by rowid)

A push sends a table's dirty rows in rowid order and marks them clean when the office answers.
Keyed by id (hashes), the index lost entries all over its pages for every batch; keyed by the
constant ``dirty`` its entries sit in rowid order, next to each other like the rows themselves.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 11:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "addendum",
    "answer",
    "attachment",
    "attachment_link",
    "audit_entry",
    "finding",
    "remedy",
    "remedy_follow_up",
    "roll_call",
    "signature",
    "visit",
    "visit_lock",
    "visit_member",
)
DIRTY = {"sqlite_where": sa.text("dirty"), "postgresql_where": sa.text("dirty")}


def _rebuild(column: str) -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_dirty", table_name=table, **DIRTY)
        op.create_index(f"ix_{table}_dirty", table, [column], unique=False, **DIRTY)


def upgrade() -> None:
    _rebuild("dirty")


def downgrade() -> None:
    _rebuild("id")
