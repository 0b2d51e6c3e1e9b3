"""office desk: planned visits, conclusion notices, plan and decision texts

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:17:45.669834
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import inspector_app.core.models.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conclusion_notice",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("dirty", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("plan_id", sa.Uuid(), nullable=True),
        sa.Column("visit_ids", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("findings", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("requirements", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("report_by", sa.Date(), nullable=True),
        sa.Column("signer", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("signer_position", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recipients", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("pdf_attachment_id", sa.Uuid(), nullable=True),
        sa.Column("pdf_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("signed_at", inspector_app.core.models.base.UTCDateTime(), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pdf_attachment_id"],
            ["attachment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("conclusion_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conclusion_notice_seq"), ["seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_conclusion_notice_team_id"), ["team_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_conclusion_notice_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "planned_visit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("dirty", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("planned_on", sa.Date(), nullable=True),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("form_code", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("planned_visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_planned_visit_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_planned_visit_seq"), ["seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_planned_visit_team_id"), ["team_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_planned_visit_unit_id"), ["unit_id"], unique=False)

    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("content", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("signer", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column(
                "signer_position", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""
            )
        )

    with op.batch_alter_table("team_decision", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "signer_position", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""
            )
        )
        batch_op.add_column(sa.Column("plan_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column("legal_bases", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="")
        )
        batch_op.create_foreign_key("fk_team_decision_plan_id", "plan", ["plan_id"], ["id"])

    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("planned_visit_id", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_visit_planned_visit_id"), ["planned_visit_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_visit_planned_visit_id", "planned_visit", ["planned_visit_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_constraint("fk_visit_planned_visit_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_visit_planned_visit_id"))
        batch_op.drop_column("planned_visit_id")

    with op.batch_alter_table("team_decision", schema=None) as batch_op:
        batch_op.drop_constraint("fk_team_decision_plan_id", type_="foreignkey")
        batch_op.drop_column("legal_bases")
        batch_op.drop_column("plan_id")
        batch_op.drop_column("signer_position")

    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("signer_position")
        batch_op.drop_column("signer")
        batch_op.drop_column("content")
        batch_op.drop_column("purpose")

    with op.batch_alter_table("planned_visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planned_visit_unit_id"))
        batch_op.drop_index(batch_op.f("ix_planned_visit_team_id"))
        batch_op.drop_index(batch_op.f("ix_planned_visit_seq"))
        batch_op.drop_index(batch_op.f("ix_planned_visit_plan_id"))

    op.drop_table("planned_visit")
    with op.batch_alter_table("conclusion_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conclusion_notice_unit_id"))
        batch_op.drop_index(batch_op.f("ix_conclusion_notice_team_id"))
        batch_op.drop_index(batch_op.f("ix_conclusion_notice_seq"))

    op.drop_table("conclusion_notice")
