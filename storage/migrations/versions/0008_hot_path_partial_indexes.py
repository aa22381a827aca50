"""hot path: partial indexes, so the bot's every update writes fewer index entries

Revision ID: 0008_hot_path_partial_indexes
Revises: 0007_console_ops_indexes
Create Date: 2026-11-22 10:15:00

Each dialog update saves its conversation (bot mode, a new updated_at) and writes a reply to
the outbox (no request, no channel id until it is sent). Three indexes held entries for all of
those rows and were never read for them (bench/dialog.py, issue 3):
- `ix_conversations_mode_updated_at` -> `ix_conversations_operator_queue`: the operators'
  queue only (`mode = 'operator'`), the one list that reads it;
- `ix_outbox_request_id`: rows of a request only (notices);
- `ix_outbox_channel_external_id`: rows that went out only (WhatsApp status webhooks).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_hot_path_partial_indexes"
down_revision: str | None = "0007_console_ops_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (old index, its columns; new index, its columns, its condition), per table
CHANGES = (
    (
        "conversations",
        ("ix_conversations_mode_updated_at", ["mode", "updated_at"]),
        ("ix_conversations_operator_queue", ["updated_at", "id"], "mode = 'operator'"),
    ),
    (
        "outbox",
        ("ix_outbox_request_id", ["request_id"]),
        ("ix_outbox_request_id", ["request_id"], "request_id IS NOT NULL"),
    ),
    (
        "outbox",
        ("ix_outbox_channel_external_id", ["channel", "external_id"]),
        ("ix_outbox_channel_external_id", ["channel", "external_id"], "external_id IS NOT NULL"),
    ),
)


def upgrade() -> None:
    for table, (old, _), (new, columns, condition) in CHANGES:
        op.drop_index(old, table_name=table)
        where = sa.text(condition)
        op.create_index(new, table, columns, sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for table, (old, old_columns), (new, _, _) in reversed(CHANGES):
        op.drop_index(new, table_name=table)
        op.create_index(old, table, old_columns)
