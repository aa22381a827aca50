"""whatsapp: stored webhook events, delivery statuses, outbox lookup by external id

Revision ID: 0006_whatsapp
Revises: 0005_reminders
Create Date: 2026-11-22 06:00:00

- `whatsapp_events`: each signed webhook body, stored before the 200 and processed after.
- `whatsapp_statuses`: Meta's delivery status per message id (wamid), only moving forward.
- `ix_outbox_channel_external_id`: a status webhook finds the outbox row by its wamid.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_whatsapp"
down_revision: str | None = "0005_reminders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of storage.types: a migration must not change when the live code does.
TIMESTAMP = sa.DateTime(timezone=True)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UNPROCESSED = sa.text("processed_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "whatsapp_events",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("received_at", TIMESTAMP, nullable=False),
        sa.Column("next_attempt_at", TIMESTAMP, nullable=True),
        sa.Column("processed_at", TIMESTAMP, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whatsapp_events")),
        sa.UniqueConstraint("body_sha256", name=op.f("uq_whatsapp_events_body_sha256")),
    )
    op.create_index(
        "ix_whatsapp_events_unprocessed",
        "whatsapp_events",
        ["next_attempt_at", "id"],
        unique=False,
        sqlite_where=UNPROCESSED,
        postgresql_where=UNPROCESSED,
    )
    op.create_table(
        "whatsapp_statuses",
        sa.Column("wamid", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("status_at", TIMESTAMP, nullable=False),
        sa.Column("error_code", sa.Integer(), nullable=True),
        sa.Column("error_title", sa.Text(), nullable=True),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("wamid", name=op.f("pk_whatsapp_statuses")),
    )
    op.create_index(
        "ix_outbox_channel_external_id", "outbox", ["channel", "external_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_channel_external_id", table_name="outbox")
    op.drop_table("whatsapp_statuses")
    op.drop_index("ix_whatsapp_events_unprocessed", table_name="whatsapp_events")
    op.drop_table("whatsapp_events")
