"""documents: digital signatures beside locked visits, the register of document numbers, number blocks

Revision ID: 0003_documents
Revises: 0002
Create Date: 2026-12-01 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import inspector_app.core.models.base

revision: str = "0003_documents"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sync_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("dirty", sa.Boolean(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "document_number",
        *_sync_columns(),
        sa.Column("issuer", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("symbol", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("entity", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("entity_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("device_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer", "year", "number"),
    )
    with op.batch_alter_table("document_number", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_number_seq"), ["seq"], unique=False)

    op.create_table(
        "number_block",
        *_sync_columns(),
        sa.Column("issuer", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("device_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("first", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column("allocated_at", inspector_app.core.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issuer", "year", "first"),
    )
    with op.batch_alter_table("number_block", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_number_block_device_id"), ["device_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_number_block_seq"), ["seq"], unique=False)

    op.create_table(
        "digital_signature",
        *_sync_columns(),
        sa.Column("visit_id", sa.Uuid(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("field_name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("signer_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("signer_subject", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("cert_serial", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("cert_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("signed_at", inspector_app.core.models.base.UTCDateTime(), nullable=False),
        sa.Column("attachment_id", sa.Uuid(), nullable=False),
        sa.Column("pdf_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("device_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["attachment_id"], ["attachment.id"]),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("visit_id", "role"),
    )
    with op.batch_alter_table("digital_signature", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_digital_signature_seq"), ["seq"], unique=False)
        batch_op.create_index(batch_op.f("ix_digital_signature_visit_id"), ["visit_id"], unique=False)


def downgrade() -> None:
    for table, indexes in (
        ("digital_signature", ("ix_digital_signature_visit_id", "ix_digital_signature_seq")),
        ("number_block", ("ix_number_block_seq", "ix_number_block_device_id")),
        ("document_number", ("ix_document_number_seq",)),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(batch_op.f(index))
        op.drop_table(table)
