"""reminders: one-time codes that link a staff member's Telegram

Revision ID: 0005_reminders
Revises: 0004_console_core
Create Date: 2026-11-22 06:00:00

- `staff_link_codes`: hashed one-time codes, with expiry, for the digest (R31) and the day
  lists of unlinked officials (R25) to reach a staff member's Telegram.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_reminders"
down_revision: str | None = "0004_console_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "staff_link_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.Column("used_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_user_id"],
            ["staff_users.id"],
            name=op.f("fk_staff_link_codes_staff_user_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_link_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_staff_link_codes_code_hash")),
    )
    op.create_index(
        op.f("ix_staff_link_codes_staff_user_id"),
        "staff_link_codes",
        ["staff_user_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_staff_link_codes_staff_user_id"), table_name="staff_link_codes")
    op.drop_table("staff_link_codes")
