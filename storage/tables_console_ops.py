"""Tables the console's operations screens add (migration 0003_console_ops).

`satisfaction` holds the applicants' scores (R29), which the quarterly report averages (R30);
`protocol_attendees` the persons present at a reception, in the protocol's introduction
(R25: at the akim's reception the head of the apparatus, district akims, department heads;
004 appendix 8: "список присутствовавших").
Registered on the one MetaData so the migration check and `alembic --autogenerate` see it.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, Text

from storage.tables import metadata, request_history, requests
from storage.types import UtcDateTime

satisfaction = Table(  # R29
    "satisfaction",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("request_id", ForeignKey("requests.id", ondelete="CASCADE"), nullable=False),
    Column("score", Integer, nullable=False),
    Column("comment", Text),
    Column("at", UtcDateTime, nullable=False),
    CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    Index(None, "request_id"),
    Index(None, "at"),
)

protocol_attendees = Table(  # R25, R33
    "protocol_attendees",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("protocol_id", ForeignKey("protocols.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", String(500), nullable=False),
    Index(None, "protocol_id"),
)

# The quarterly report (R30) reads a quarter's requests from this covering index (migration
# 0007; it replaced 0003's ix_requests_registration_date): its breakdown and its terms come
# from the index alone, and each request's first answer from the history's own index.
Index(
    "ix_requests_registration_report",
    requests.c.registration_date,
    requests.c.channel,
    requests.c.topic_id,
    requests.c.official_id,
    requests.c.status,
    requests.c.answer_due,
    requests.c.extended_until,
    requests.c.id,
)
Index(
    "ix_request_history_request_id_at_to_status",
    request_history.c.request_id,
    request_history.c.at,
    request_history.c.to_status,
)

# The requests list (console core's query) on 100k requests, measured by bench/console.py:
# - an IIN search is `applicant_iin = :x OR principal_id_number = :x`; almost every
#   principal_id_number is NULL, so a full index on it looks useless to SQLite's planner
#   (100k rows per value) and the OR became a full scan. Indexing only the values present
#   gives it a multi-index OR: one lookup in each index.
# - "out of turn only" (R9) filters `priority_category IS NOT NULL`: a partial index walked
#   in the list's order serves the page and the count.
_principal_present = requests.c.principal_id_number.is_not(None)
Index(
    "ix_requests_principal_id_number_present",
    requests.c.principal_id_number,
    sqlite_where=_principal_present,
    postgresql_where=_principal_present,
)
_priority = requests.c.priority_category.is_not(None)
Index(
    "ix_requests_priority_answer_due_id",
    requests.c.answer_due,
    requests.c.id,
    sqlite_where=_priority,
    postgresql_where=_priority,
)
