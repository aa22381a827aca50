"""console operations: satisfaction scores (R29), report index (R30), live NOTIFY

Revision ID: 0003_console_ops
Revises: outbox_chat_order
Create Date: 2026-11-22 04:00:00

- `satisfaction`: the applicants' scores, 1..5, averaged by the quarterly report.
- `protocol_attendees`: who was present at a reception, for the protocol (R25, R33).
- `ix_requests_registration_date`: the report selects a quarter's requests by this day.
- PostgreSQL only: a statement trigger on `messages` sends `NOTIFY reception_live` on commit,
  so every console instance's live tail wakes at once (console/live.py); SQLite deployments
  are one process, where the tail polls.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_console_ops"
down_revision: str | None = "outbox_chat_order"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)
NOTIFY_CHANNEL = "reception_live"


def upgrade() -> None:
    op.create_table(
        "satisfaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name=op.f("ck_satisfaction_score_range")),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["requests.id"],
            name=op.f("fk_satisfaction_request_id_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_satisfaction")),
    )
    op.create_index(op.f("ix_satisfaction_at"), "satisfaction", ["at"], unique=False)
    op.create_index(
        op.f("ix_satisfaction_request_id"), "satisfaction", ["request_id"], unique=False
    )
    op.create_table(
        "protocol_attendees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("protocol_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["protocol_id"],
            ["protocols.id"],
            name=op.f("fk_protocol_attendees_protocol_id_protocols"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocol_attendees")),
    )
    op.create_index(
        op.f("ix_protocol_attendees_protocol_id"),
        "protocol_attendees",
        ["protocol_id"],
        unique=False,
    )
    op.create_index(
        "ix_requests_registration_date", "requests", ["registration_date"], unique=False
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION messages_notify_live() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('{NOTIFY_CHANNEL}', '');
                RETURN NULL;
            END
            $$
            """
        )
        op.execute(
            "CREATE TRIGGER messages_notify_live AFTER INSERT ON messages "
            "FOR EACH STATEMENT EXECUTE FUNCTION messages_notify_live()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER messages_notify_live ON messages")
        op.execute("DROP FUNCTION messages_notify_live()")
    op.drop_index("ix_requests_registration_date", table_name="requests")
    op.drop_index(op.f("ix_protocol_attendees_protocol_id"), table_name="protocol_attendees")
    op.drop_table("protocol_attendees")
    op.drop_index(op.f("ix_satisfaction_request_id"), table_name="satisfaction")
    op.drop_index(op.f("ix_satisfaction_at"), table_name="satisfaction")
    op.drop_table("satisfaction")
