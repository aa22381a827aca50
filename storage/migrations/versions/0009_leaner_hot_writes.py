"""hot path: three indexes that every update wrote and almost nothing read

Revision ID: 0009_leaner_hot_writes
Revises: 0008_hot_path_partial_indexes
Create Date: 2026-11-22 13:40:00

Counted in the WAL of bench/dialog.py (issue 3): of the ~36 pages each group commit wrote,
these three indexes were ~10, and each took index entries on every update:
- `ix_outbox_status_next_attempt_at` held every reply twice (pending, then sent). Pending rows
  are found through `ix_outbox_pending_by_chat`; now only undelivered rows, which staff list
  newest first, have an index of their own: `ix_outbox_undelivered` (id, partial).
- `ix_messages_citizen_id_at`: a citizen's messages are now found through the citizen's
  conversations (`ix_messages_conversation_id_at`); only messages without a conversation stay
  indexed by citizen: `ix_messages_citizen_without_chat` (partial).
- `ix_inbound_received_at`: only the purge of old update ids reads by age, a rare maintenance
  statement that may scan.
- `ix_outbox_channel_external_id` -> `ix_outbox_whatsapp_wamid`: only WhatsApp's status webhook
  looks a sent row up by the channel's id, so the other channels' replies stay out of it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_leaner_hot_writes"
down_revision: str | None = "0008_hot_path_partial_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, old index and its columns, new index with its columns and condition or None)
CHANGES = (
    (
        "outbox",
        ("ix_outbox_status_next_attempt_at", ["status", "next_attempt_at"]),
        ("ix_outbox_undelivered", ["id"], "status IN ('failed', 'undeliverable')"),
    ),
    (
        "messages",
        ("ix_messages_citizen_id_at", ["citizen_id", "at"]),
        ("ix_messages_citizen_without_chat", ["citizen_id", "at"], "conversation_id IS NULL"),
    ),
    ("inbound", ("ix_inbound_received_at", ["received_at"]), None),
    (
        "outbox",
        ("ix_outbox_channel_external_id", ["channel", "external_id"]),
        (
            "ix_outbox_whatsapp_wamid",
            ["external_id"],
            "channel = 'whatsapp' AND external_id IS NOT NULL",
        ),
    ),
)


def upgrade() -> None:
    for table, (old, _), new in CHANGES:
        op.drop_index(old, table_name=table)
        if new is not None:
            name, columns, condition = new
            where = sa.text(condition)
            op.create_index(name, table, columns, sqlite_where=where, postgresql_where=where)


def downgrade() -> None:
    for table, (old, old_columns), new in reversed(CHANGES):
        if new is not None:
            op.drop_index(new[0], table_name=table)
        where = sa.text("external_id IS NOT NULL") if old.endswith("external_id") else None
        op.create_index(old, table, old_columns, sqlite_where=where, postgresql_where=where)
