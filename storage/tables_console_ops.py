"""Tables the console's operations screens add (migration 0003_console_ops).

`satisfaction` holds the applicants' scores (R29), which the quarterly report averages (R30);
`protocol_attendees` the persons present at a reception, in the protocol's introduction
(R25: at the akim's reception the head of the apparatus, district akims, department heads;
004 appendix 8: "список присутствовавших").
Registered on the one MetaData so the migration check and `alembic --autogenerate` see it.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Table, Text

from storage.tables import metadata, requests
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

# The quarterly report (R30) selects requests by registration day.
Index("ix_requests_registration_date", requests.c.registration_date)
