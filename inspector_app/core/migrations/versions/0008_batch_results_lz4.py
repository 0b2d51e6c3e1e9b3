"""batch results lz4: the office keeps each push's answer compressed with lz4 (PostgreSQL only)

Every push stores its answer (thousands of acks, about 400 KB for 5,000 rows) so that a replayed
batch gets the same answer. PostgreSQL's default compression, pglz, took 13 ms of the push lock
per batch; lz4 takes 3 ms for the same size on disk. Servers built without lz4 keep pglz.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 12:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HAS_LZ4 = "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"


def _compress_with(method: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql" and bind.exec_driver_sql(HAS_LZ4).scalar():
        op.execute(f"ALTER TABLE sync_batch ALTER COLUMN result SET COMPRESSION {method}")


def upgrade() -> None:
    _compress_with("lz4")


def downgrade() -> None:
    _compress_with("pglz")
