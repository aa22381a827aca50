"""Tables the reminders feature adds (migration 0005_reminders).

`staff_link_codes`: one-time codes a staff member (reception, admin) sends to the Telegram bot
to receive the daily digest (R31) and, for reception staff, the day lists of officials who
have not linked an account (R25). Only a SHA-256 of the code is kept, with its expiry; a code
works once. Officials have their own codes (tables_console_core.official_link_codes).
Registered on the one MetaData so the migration check and `alembic --autogenerate` see it.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from storage.tables import metadata
from storage.types import UtcDateTime

staff_link_codes = Table(
    "staff_link_codes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("staff_user_id", ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime),
    Index(None, "staff_user_id"),
)
