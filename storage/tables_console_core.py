"""Tables and indexes the console core adds (migration 0004_console_core).

`official_link_codes`: one-time codes an official types into the Telegram bot to link their
account (R25: the day list and reminders go to that chat). Only a SHA-256 of the code is
kept, with its expiry; a code works once.
The indexes serve the requests list (console/views/requests.py): keyset paging in due-date
order, and exact search by IIN/BIN (R37) with 100k requests.
`request_invitations`: representatives of other bodies invited to a reception (R13).
Registered on the one MetaData so the migration check and `alembic --autogenerate` see it.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table, Text

from reception.requests import ACTIVE_STATUSES
from storage.tables import metadata, requests
from storage.types import UtcDateTime

official_link_codes = Table(
    "official_link_codes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("official_id", ForeignKey("officials.id", ondelete="CASCADE"), nullable=False),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("created_by", Integer),
    Column("used_at", UtcDateTime),
    Index(None, "official_id"),
)

request_invitations = Table(  # R13, R25: invited bodies, shown on the day list too
    "request_invitations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("request_id", ForeignKey("requests.id", ondelete="CASCADE"), nullable=False),
    Column("body", Text, nullable=False),
    Column("invited_at", UtcDateTime, nullable=False),
    Column("invited_by", Integer),
    Column("notice_due", Date, nullable=False),  # R13: the applicant told within 2 wd
    Column("declined_at", UtcDateTime),  # R13 (001 §20): the body refused to take part
    Column("decline_reason", Text),
    Index(None, "request_id"),
)

# The list's order, with the searchable text: a name search walks this narrow index in due
# order, reading no table row until it has its page.
Index("ix_requests_due_search", requests.c.answer_due, requests.c.id, requests.c.search_text)
Index("ix_requests_applicant_iin", requests.c.applicant_iin)
# The list's default scope, live requests, in due-date order (a partial index). A query uses it
# only if its WHERE holds the very same term, so the list writes the term literally
# (storage/repositories/request_list.py). The status list is the domain's as of migration
# 0004; changing it needs a migration, as for uq_requests_citizen_official_active.
# (IIN of the represented and priority have partial indexes in tables_console_ops.)
LIST_ACTIVE_STATUSES = sorted(str(status) for status in ACTIVE_STATUSES)
active_term = requests.c.status.in_(LIST_ACTIVE_STATUSES)
Index(
    "ix_requests_active_due",
    requests.c.answer_due,
    requests.c.id,
    sqlite_where=active_term,
    postgresql_where=active_term,
)
# PostgreSQL answers LIKE '%name%' from a trigram index (pg_trgm) when a name is rare.
Index(
    "ix_requests_search_text_trgm",
    requests.c.search_text,
    postgresql_using="gin",
    postgresql_ops={"search_text": "gin_trgm_ops"},
).ddl_if(dialect="postgresql")
