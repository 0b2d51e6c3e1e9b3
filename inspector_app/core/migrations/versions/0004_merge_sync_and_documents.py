"""merge the sync and documents branches (both grew from 0002 in parallel)

Revision ID: 0004
Revises: 0003_documents, 0003_sync
Create Date: 2026-12-01 07:02:25.341088
"""

from collections.abc import Sequence

revision: str = "0004"
down_revision: str | tuple[str, ...] | None = ("0003_documents", "0003_sync")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
