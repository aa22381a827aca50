"""Tables the WhatsApp channel adds (migration 0005_whatsapp).

`whatsapp_events`: every signed webhook body, stored before Meta gets its 200 and processed
after; a crash in between leaves the row unprocessed, and it is processed at the next start
(bot/whatsapp/processor.py). The body is kept exactly as signed.
`whatsapp_statuses`: the delivery status Meta reports per message id (wamid), which only moves
forward (sent < delivered < read; failed is terminal) — the outbox row keeps its own status.
`ix_outbox_whatsapp_wamid`: a status webhook finds its outbox row by the wamid.
Registered on the one MetaData so the migration check sees them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Index, Integer, String, Table, Text, literal_column, text

from storage.tables import metadata, outbox
from storage.types import BigId, UtcDateTime

whatsapp_events = Table(
    "whatsapp_events",
    metadata,
    Column("id", BigId, primary_key=True),
    # Meta redelivers a body it got no 200 for: the same bytes are stored once.
    Column("body_sha256", String(64), nullable=False, unique=True),
    Column("body", Text, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("next_attempt_at", UtcDateTime),  # leased until then; NULL once processed
    Column("processed_at", UtcDateTime),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
)

_UNPROCESSED = whatsapp_events.c.processed_at.is_(None)
Index(
    "ix_whatsapp_events_unprocessed",
    whatsapp_events.c.next_attempt_at,
    whatsapp_events.c.id,
    sqlite_where=_UNPROCESSED,
    postgresql_where=_UNPROCESSED,
)

whatsapp_statuses = Table(
    "whatsapp_statuses",
    metadata,
    Column("wamid", String(128), primary_key=True),
    Column("status", String(16), nullable=False),  # sent | delivered | read | failed
    Column("status_at", UtcDateTime, nullable=False),  # Meta's time of that status
    Column("error_code", Integer),
    Column("error_title", Text),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Only WhatsApp rows that went out (migration 0009): the status webhook is the one reader,
# and the other channels' sent replies need no entry. Queries name the channel as a literal
# (sent_as_wamid), which SQLite needs to use a partial index.
WAMID_ONLY = "channel = 'whatsapp' AND external_id IS NOT NULL"
Index(
    "ix_outbox_whatsapp_wamid",
    outbox.c.external_id,
    sqlite_where=text(WAMID_ONLY),
    postgresql_where=text(WAMID_ONLY),
)


def sent_as_wamid(wamid: str) -> tuple[Any, ...]:
    """The outbox row sent to WhatsApp as `wamid`, through ix_outbox_whatsapp_wamid."""
    return (outbox.c.channel == literal_column("'whatsapp'"), outbox.c.external_id == wamid)
