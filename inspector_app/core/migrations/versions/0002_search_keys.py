"""search keys: diacritic-free names for units and officials ("nguyen van an" finds "Nguyễn Văn An")

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 06:20:28.900007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from inspector_app.core.text import fold

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SOURCES = {"unit": "name", "official": "full_name"}


def upgrade() -> None:
    conn = op.get_bind()
    for table, source in _SOURCES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("search_key", sa.String(), nullable=False, server_default=""))
            batch_op.create_index(batch_op.f(f"ix_{table}_search_key"), ["search_key"], unique=False)
        # Backfill in Python: SQL has no portable way to strip Vietnamese diacritics.
        rows = conn.execute(sa.text(f"SELECT id, {source} FROM {table}")).fetchall()
        if rows:
            conn.execute(
                sa.text(f"UPDATE {table} SET search_key = :key WHERE id = :id"),
                [{"id": row[0], "key": fold(row[1])} for row in rows],
            )


def downgrade() -> None:
    for table in _SOURCES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_search_key"))
            batch_op.drop_column("search_key")
