"""An index for the outbox sender: each chat's oldest pending message, found without a scan.

The sender delivers a chat's messages strictly in order, so it only claims a row when no older
row of the same chat is still pending (bot/outbox/worker.py). Partial: sent rows, the bulk of
the table, are not in it. Registered on storage.tables.metadata; migration outbox_chat_order.
"""

from __future__ import annotations

from sqlalchemy import Index

from storage.tables import is_pending, outbox

PENDING_ONLY = is_pending(outbox)  # the queries name the same literal

outbox_pending_by_chat = Index(
    "ix_outbox_pending_by_chat",
    outbox.c.channel,
    outbox.c.chat_id,
    outbox.c.id,
    sqlite_where=PENDING_ONLY,
    postgresql_where=PENDING_ONLY,
)
