"""The schema, in SQLAlchemy Core. Enums are stored as their string values.

Changing anything here needs a new Alembic revision (storage/migrations/versions); the
integration tests compare this metadata with the migrated database.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    literal_column,
    text,
)

from reception.requests import ACTIVE_STATUSES, SLOT_HOLDING_STATUSES
from storage.types import BigId, Json, UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def _big_id() -> Column[int]:
    return Column("id", BigId, primary_key=True)


def _fk(name: str, target: str, *, nullable: bool = True, ondelete: str | None = None) -> Column:
    return Column(name, ForeignKey(target, ondelete=ondelete), nullable=nullable)


# -- citizens ------------------------------------------------------------------------------

citizens = Table(
    "citizens",
    metadata,
    _id(),
    Column("language", String(2), nullable=False),
    Column("full_name", String(300)),
    Column("iin", String(12), index=True),
    Column("phone", String(32)),
    Column("consent_at", UtcDateTime),
    Column("consent_version", String(32)),
    Column("created_at", UtcDateTime),
)

citizen_channels = Table(
    "citizen_channels",
    metadata,
    _id(),
    _fk("citizen_id", "citizens.id", nullable=False, ondelete="CASCADE"),
    Column("channel", String(32), nullable=False),
    Column("external_id", String(128), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),  # last used: notices go there
    UniqueConstraint("channel", "external_id"),
    Index(None, "citizen_id", "updated_at"),
)

consents = Table(  # R36
    "consents",
    metadata,
    _id(),
    _fk("citizen_id", "citizens.id", nullable=False, ondelete="CASCADE"),
    Column("text_version", String(32), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("given_at", UtcDateTime, nullable=False),
    Column("granted", Boolean, nullable=False),
    Index(None, "citizen_id"),
)

# -- schedule ------------------------------------------------------------------------------

officials = Table(
    "officials",
    metadata,
    _id(),
    Column("name_kk", String(300), nullable=False),
    Column("name_ru", String(300), nullable=False),
    Column("position_kk", String(500), nullable=False),
    Column("position_ru", String(500), nullable=False),
    Column("group_number", Integer, nullable=False),  # R1
    Column("language", String(2), nullable=False),
    Column("telegram_chat_id", BigInteger),
    Column("phone", String(32)),
    Column("email", String(200)),
    Column("active", Boolean, nullable=False),
)

topics = Table(
    "topics",
    metadata,
    _id(),
    Column("code", String(64), nullable=False, unique=True),
    Column("name_kk", String(300), nullable=False),
    Column("name_ru", String(300), nullable=False),
    Column("competence", String(16), nullable=False),
    _fk("official_id", "officials.id"),
    Column("redirect_kk", Text),
    Column("redirect_ru", Text),
    Column("active", Boolean, nullable=False),
)

reception_days = Table(
    "reception_days",
    metadata,
    _id(),
    _fk("official_id", "officials.id", nullable=False),
    Column("day", Date, nullable=False),
    Column("starts", Time, nullable=False),  # local Asia/Almaty wall time
    Column("ends", Time, nullable=False),
    Column("place_kk", Text, nullable=False),
    Column("place_ru", Text, nullable=False),
    Column("format", String(16), nullable=False),
    Column("slot_minutes", Integer, nullable=False),
    Column("video_link", Text),
    Column("cancelled_at", UtcDateTime),
    Column("cancel_reason", Text),
    Index(None, "official_id", "day"),
    Index(None, "day"),
)

slots = Table(
    "slots",
    metadata,
    _id(),
    _fk("reception_day_id", "reception_days.id", nullable=False, ondelete="CASCADE"),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("ends_at", UtcDateTime, nullable=False),
    Index(None, "reception_day_id", "starts_at"),
    Index(None, "starts_at"),
)

# -- requests ------------------------------------------------------------------------------

requests = Table(
    "requests",
    metadata,
    _id(),
    Column("number", String(32)),
    _fk("citizen_id", "citizens.id", nullable=False),
    _fk("official_id", "officials.id", nullable=False),
    _fk("topic_id", "topics.id"),
    Column("channel", String(32), nullable=False),
    Column("question", Text, nullable=False),
    Column("applicant_name", String(300), nullable=False),
    Column("applicant_iin", String(12), nullable=False),
    Column("applicant_phone", String(32)),
    Column("representation", String(16), nullable=False),
    Column("principal_name", String(300)),
    Column("principal_id_number", String(12)),
    # No foreign keys to documents: documents.request_id points here, and a cycle would need
    # ALTER TABLE ADD CONSTRAINT, which SQLite lacks.
    Column("poa_document_id", Integer),
    Column("id_doc_type", String(32)),
    Column("id_doc_number", String(32)),
    Column("priority_category", String(64)),
    Column("priority_document_id", Integer),
    Column("reception_format", String(16), nullable=False),
    Column("reception_language", String(2), nullable=False),
    Column("interpreter_needed", Boolean, nullable=False),
    Column("admissibility_answers", Json, nullable=False),
    Column("grounds", Json, nullable=False),
    _fk("slot_id", "slots.id"),
    Column("status", String(32), nullable=False),
    Column("created_at", UtcDateTime),
    Column("registered_at", UtcDateTime),
    Column("registration_date", Date),
    Column("answer_due", Date),
    Column("date_notice_due", Date),
    Column("fix_requirements", Json, nullable=False),
    Column("fix_due", Date),
    Column("forwarded_to", Text),
    Column("forward_due", Date),
    Column("extension_kind", String(16)),
    Column("extended_until", Date),
    Column("extension_reason", Text),
    Column("extension_notice_due", Date),
    Column("refusal_text", Text),
    Column("draft_sent_on", Date),
    Column("refusal_earliest", Date),
    Column("final_answer", Text),
    Column("closed_at", UtcDateTime),
    Column("from_personal_reception", Boolean, nullable=False),  # R27
    _fk("source_request_id", "requests.id"),
    # Executors are staff users today; left without a key so a body or person can be one later.
    Column("executor_id", Integer),
    Column("previous_executor_id", Integer),  # R28
    Column("version", Integer, nullable=False),
    # Case-folded names, IIN and number for the console's search: SQLite's LIKE and lower()
    # fold ASCII only, so Cyrillic and Kazakh names are folded in Python when saved.
    Column("search_text", Text, nullable=False),
    Index("uq_requests_number", "number", unique=True),
    # A slot holds at most one request, and a citizen at most one active request per official.
    # The status lists come from the domain; changing them needs a migration.
    # The console's list: by status and due date, by official, citizen, registration time.
    Index(None, "status", "answer_due"),
    Index(None, "official_id", "status"),
    Index(None, "citizen_id"),
    Index(None, "slot_id"),
    Index(None, "registered_at"),
)

# A slot holds at most one request, and a citizen at most one active request per official.
# The status lists come from the domain; changing them needs a migration. Storage turns a
# violation into SlotTaken / ActiveRequestExists (storage/integrity.py matches these names).
_slot_holding = requests.c.status.in_(sorted(SLOT_HOLDING_STATUSES))
_active = requests.c.status.in_(sorted(ACTIVE_STATUSES))
Index(
    "uq_requests_slot_holding",
    requests.c.slot_id,
    unique=True,
    sqlite_where=_slot_holding,
    postgresql_where=_slot_holding,
)
Index(
    "uq_requests_citizen_official_active",
    requests.c.citizen_id,
    requests.c.official_id,
    unique=True,
    sqlite_where=_active,
    postgresql_where=_active,
)

request_history = Table(  # R39
    "request_history",
    metadata,
    _big_id(),
    _fk("request_id", "requests.id", nullable=False, ondelete="CASCADE"),
    Column("from_status", String(32), nullable=False),
    Column("to_status", String(32), nullable=False),
    Column("actor_kind", String(16), nullable=False),
    Column("actor_id", Integer),
    Column("at", UtcDateTime, nullable=False),
    Column("note", Text),
    Index(None, "request_id"),
)

counters = Table(  # request and protocol numbers, per calendar year
    "counters",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("value", Integer, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    _id(),
    _fk("citizen_id", "citizens.id", nullable=False),
    _fk("request_id", "requests.id"),
    Column("kind", String(32), nullable=False),
    Column("file_name", String(300), nullable=False),
    Column("mime_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("path", String(500), nullable=False),  # relative to the data folder
    Column("channel", String(32)),
    Column("uploaded_at", UtcDateTime),
    Index(None, "request_id"),
    Index(None, "citizen_id"),
)

# -- protocols (R14, R31, R33) -------------------------------------------------------------

protocols = Table(
    "protocols",
    metadata,
    _id(),
    _fk("official_id", "officials.id", nullable=False),
    _fk("reception_day_id", "reception_days.id"),
    Column("held_on", Date, nullable=False),
    Column("year", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    Column("chair", String(300), nullable=False),
    Column("secretary", String(300), nullable=False),
    Column("place", Text, nullable=False),
    Column("created_by", Integer),
    UniqueConstraint("year", "number"),
    Index(None, "reception_day_id"),
)

protocol_items = Table(
    "protocol_items",
    metadata,
    _id(),
    _fk("protocol_id", "protocols.id", nullable=False, ondelete="CASCADE"),
    _fk("request_id", "requests.id", nullable=False),
    Column("position", Integer, nullable=False),
    Column("heard", Text, nullable=False),
    Column("spoke", Text, nullable=False),
    Column("decision", Text, nullable=False),
    Index(None, "protocol_id"),
    Index(None, "request_id"),
)

instructions = Table(
    "instructions",
    metadata,
    _id(),
    _fk("item_id", "protocol_items.id", nullable=False, ondelete="CASCADE"),
    Column("executor", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("control_category", String(32), nullable=False),
    Column("due", Date, nullable=False),
    Column("executor_user_id", Integer),
    Column("extended_once", Boolean, nullable=False),
    Column("state", String(16), nullable=False),
    Column("done_at", UtcDateTime),
    Column("result", Text),
    Index(None, "state", "due"),
    Index(None, "item_id"),
)

# -- the dialog ----------------------------------------------------------------------------

OPERATOR_ONLY = "mode = 'operator'"  # reception.services.handoff.OPERATOR
# The outbox rows staff must see (storage.repositories.outbox_failures.UNDELIVERED).
UNDELIVERED_ONLY = "status IN ('failed', 'undeliverable')"


def in_operator_mode(table: Table) -> Any:
    """`mode = 'operator'` written out, not bound: the condition of the operators' queue
    index, which SQLite uses only for a query that names the same constant."""
    return table.c.mode == literal_column("'operator'")


def is_pending(table: Any) -> Any:
    """`status = 'pending'` written out, for the same reason: the condition of
    ix_outbox_pending_by_chat, the one index of the outbox's pending rows."""
    return table.c.status == literal_column("'pending'")


# For the plain-SQL statements that read the pending rows of a channel's chats (SQLite only):
# the index named. Without it, SQLite weighs every partial index of the table for each run,
# and comparing `channel = ?` with ix_outbox_whatsapp_wamid's `channel = 'whatsapp'` marks
# the statement to be prepared again whenever its parameters are bound: every run. That
# took the per-update pending check from 2 µs to 7 µs, and the sender's claim from 85 µs to
# 135 µs (bench/dialog.py).
PENDING_BY_CHAT = "INDEXED BY ix_outbox_pending_by_chat"


def is_undelivered(table: Any) -> Any:
    """`status IN ('failed', 'undeliverable')` written out: ix_outbox_undelivered's condition."""
    return table.c.status.in_([literal_column("'failed'"), literal_column("'undeliverable'")])


conversations = Table(
    "conversations",
    metadata,
    _id(),
    Column("channel", String(32), nullable=False),
    Column("chat_id", String(128), nullable=False),
    _fk("citizen_id", "citizens.id"),
    Column("state", String(64), nullable=False),
    Column("data", Json, nullable=False),
    Column("version", Integer, nullable=False),
    Column("mode", String(16), nullable=False),  # bot | operator
    _fk("operator_id", "staff_users.id"),
    Column("failures", Integer, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("last_inbound_at", UtcDateTime),  # R38: WhatsApp's 24-hour window
    UniqueConstraint("channel", "chat_id"),
    # The operators' queue only (migration 0008): a bot-mode chat's update, every message of
    # the dialog, touches no index entry for it. Queries name the mode as a literal
    # (OPERATOR_ONLY), which SQLite needs to use a partial index.
    Index(
        "ix_conversations_operator_queue",
        "updated_at",
        "id",
        sqlite_where=text(OPERATOR_ONLY),
        postgresql_where=text(OPERATOR_ONLY),
    ),
    Index(None, "citizen_id"),
)

messages = Table(  # R39: every message in and out
    "messages",
    metadata,
    _big_id(),
    _fk("conversation_id", "conversations.id"),
    _fk("citizen_id", "citizens.id"),
    Column("channel", String(32), nullable=False),
    Column("chat_id", String(128), nullable=False),
    Column("direction", String(3), nullable=False),  # in | out
    Column("author_kind", String(16), nullable=False),
    Column("author_id", Integer),
    Column("text", Text),
    Column("payload", Json),
    _fk("document_id", "documents.id"),
    Column("at", UtcDateTime, nullable=False),
    Index(None, "conversation_id", "at"),
    # A citizen's messages are found through the conversations (migration 0009); only the
    # few without one are indexed by citizen.
    Index(
        "ix_messages_citizen_without_chat",
        "citizen_id",
        "at",
        sqlite_where=text("conversation_id IS NULL"),
        postgresql_where=text("conversation_id IS NULL"),
    ),
)

inbound = Table(  # de-duplication of channel updates
    "inbound",
    metadata,
    _big_id(),
    Column("channel", String(32), nullable=False),
    Column("external_id", String(128), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("raw", Json),
    Column("processed_at", UtcDateTime),
    UniqueConstraint("channel", "external_id"),
)

outbox = Table(
    "outbox",
    metadata,
    _big_id(),
    Column("channel", String(32), nullable=False),
    Column("chat_id", String(128), nullable=False),
    _fk("citizen_id", "citizens.id"),
    _fk("request_id", "requests.id"),
    Column("kind", String(32)),
    Column("message_id", String(100)),
    Column("args", Json, nullable=False),
    Column("payload", Json, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),
    Column("external_id", String(128)),
    Column("error", Text),
    # Pending rows are found through ix_outbox_pending_by_chat (storage.tables_outbox_delivery);
    # sent ones, the bulk, are read by id. Only the rows staff must see are indexed by status.
    Index(
        "ix_outbox_undelivered",
        "id",
        sqlite_where=text(UNDELIVERED_ONLY),
        postgresql_where=text(UNDELIVERED_ONLY),
    ),
    # Only the rows of a request (notices), not the dialog's replies (migration 0008).
    Index(
        "ix_outbox_request_id",
        "request_id",
        sqlite_where=text("request_id IS NOT NULL"),
        postgresql_where=text("request_id IS NOT NULL"),
    ),
)

jobs = Table(
    "jobs",
    metadata,
    _big_id(),
    Column("kind", String(64), nullable=False),
    Column("key", String(200), unique=True),  # a keyed job is scheduled once
    Column("payload", Json, nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("state", String(16), nullable=False),  # pending | running | done | failed | cancelled
    Column("attempts", Integer, nullable=False),
    Column("locked_by", String(100)),
    Column("locked_until", UtcDateTime),
    Column("last_error", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("done_at", UtcDateTime),
    Index(None, "state", "due_at"),
)

# -- staff ---------------------------------------------------------------------------------

staff_users = Table(
    "staff_users",
    metadata,
    _id(),
    Column("username", String(64), nullable=False, unique=True),
    Column("full_name", String(300), nullable=False),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("language", String(2), nullable=False),
    _fk("official_id", "officials.id"),
    Column("telegram_chat_id", BigInteger),
    Column("active", Boolean, nullable=False),
    Column("created_at", UtcDateTime),
)

staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # sha256 of the cookie token, never the token
    _fk("user_id", "staff_users.id", nullable=False, ondelete="CASCADE"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("ip", String(45)),
    Index(None, "user_id"),
    Index(None, "expires_at"),
)

# Append-only: the repository has no update or delete, and triggers in the migration make the
# database refuse UPDATE and DELETE on both dialects.
audit_log = Table(
    "audit_log",
    metadata,
    _big_id(),
    Column("at", UtcDateTime, nullable=False),
    Column("actor_kind", String(16), nullable=False),
    Column("actor_id", Integer),
    Column("action", String(64), nullable=False),
    Column("object_type", String(32)),
    Column("object_id", String(64)),
    Column("ip", String(45)),
    Column("details", Json),
    Index(None, "object_type", "object_id"),
    Index(None, "at"),
)

# Feature modules register their tables and indexes on `metadata` (imported last: they use
# the tables above).
from storage import tables_console_core as _console_core  # noqa: E402, F401
from storage import tables_console_ops as _console_ops  # noqa: E402, F401
from storage import tables_outbox_delivery as _outbox_delivery  # noqa: E402, F401
from storage import tables_reminders as _reminders  # noqa: E402, F401
from storage import tables_whatsapp as _whatsapp  # noqa: E402, F401
