"""visit tally: per-visit figures of the office's results, kept locally (never synced)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What a visit's figures are computed from; a change to any of these drops them (SQLite only: the
# figures are read from the tables only there, see core/desk/tally.py).
WATCHED = {
    "answer": ("visit_id", "item_code", "value", "deleted"),
    "roll_call": ("visit_id", "status", "badge", "name_plate", "dress", "deleted"),
}
FORGET = "DELETE FROM visit_tally WHERE visit_id = {v}; DELETE FROM visit_tally_item WHERE visit_id = {v};"


def _triggers() -> list[tuple[str, str]]:
    out = []
    for table, columns in WATCHED.items():
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
        out += [
            (
                f"visit_tally_{table}_insert",
                f"AFTER INSERT ON {table} BEGIN {FORGET.format(v='NEW.visit_id')} END",
            ),
            (
                f"visit_tally_{table}_delete",
                f"AFTER DELETE ON {table} BEGIN {FORGET.format(v='OLD.visit_id')} END",
            ),
            (
                f"visit_tally_{table}_update",
                f"AFTER UPDATE OF {', '.join(columns)} ON {table} WHEN {changed} "
                f"BEGIN {FORGET.format(v='OLD.visit_id')} {FORGET.format(v='NEW.visit_id')} END",
            ),
        ]
    out.append(
        (
            "visit_tally_visit_form",
            "AFTER UPDATE OF form_id ON visit WHEN OLD.form_id IS NOT NEW.form_id "
            f"BEGIN {FORGET.format(v='OLD.id')} END",
        )
    )
    return out


def upgrade() -> None:
    op.create_table(
        "visit_tally",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("late", sa.Integer(), nullable=False),
        sa.Column("absent_without_reason", sa.Integer(), nullable=False),
        sa.Column("absent_with_reason", sa.Integer(), nullable=False),
        sa.Column("no_badge", sa.Integer(), nullable=False),
        sa.Column("no_name_plate", sa.Integer(), nullable=False),
        sa.Column("dress_not_ok", sa.Integer(), nullable=False),
        sa.Column("applicable_weight", sa.Float(), nullable=False),
        sa.Column("failed_items", sa.Integer(), nullable=False),
        sa.Column("failed_weight", sa.Float(), nullable=False),
        sa.Column("topic_failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("visit_id"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "visit_tally_item",
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("item_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("visit_id", "item_code"),
        sqlite_with_rowid=False,
    )
    if op.get_bind().dialect.name == "sqlite":
        for name, body in _triggers():
            op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name, _body in _triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("visit_tally_item")
    op.drop_table("visit_tally")
