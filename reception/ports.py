"""Interfaces the use cases need. `storage` implements them; tests may fake them.

This module imports nothing concrete.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol, Self

from reception.actors import Actor
from reception.citizens import Citizen, Consent, Document, StaffUser
from reception.notifications import Notification
from reception.protocols import Instruction
from reception.protocols import Protocol as ReceptionProtocol
from reception.requests import BookingRequest, Status
from reception.schedule import Official, ReceptionDay, Slot, Topic


@dataclass(frozen=True, slots=True)
class RequestFilter:
    """What the console's requests list filters on."""

    statuses: Sequence[Status] = ()
    official_id: int | None = None
    topic_id: int | None = None
    priority_only: bool = False
    channel: str | None = None
    due_before: date | None = None  # answer due on or before
    overdue_on: date | None = None  # answer_due < this date and still active
    text: str | None = None  # name, IIN or number
    citizen_id: int | None = None


@dataclass(frozen=True, slots=True)
class Page:
    offset: int = 0
    limit: int = 50


@dataclass(slots=True)
class OutboxItem:
    """A message waiting to go out. `payload` is a rendered reply; a notice has kind/message_id."""

    channel: str
    chat_id: str
    citizen_id: int | None
    payload: dict[str, Any] = field(default_factory=dict)
    kind: str | None = None
    message_id: str | None = None
    args: dict[str, Any] = field(default_factory=dict)
    request_id: int | None = None
    id: int | None = None
    status: str = "pending"  # pending | sent | failed | undeliverable
    attempts: int = 0
    next_attempt_at: datetime | None = None
    created_at: datetime | None = None
    sent_at: datetime | None = None
    external_id: str | None = None
    error: str | None = None


class CitizenRepository(Protocol):
    async def add(self, citizen: Citizen) -> Citizen: ...
    async def get(self, citizen_id: int) -> Citizen: ...
    async def update(self, citizen: Citizen) -> None: ...
    async def by_channel(self, channel: str, external_id: str) -> Citizen | None: ...
    async def link_channel(self, citizen_id: int, channel: str, external_id: str) -> None: ...
    async def channels(self, citizen_id: int) -> list[tuple[str, str]]: ...
    async def add_consent(self, consent: Consent) -> None: ...


class RequestRepository(Protocol):
    async def add(self, request: BookingRequest) -> BookingRequest: ...
    async def get(self, request_id: int, *, for_update: bool = False) -> BookingRequest: ...
    async def save(self, request: BookingRequest) -> None:
        """Writes changed fields and new history rows; raises on a stale version."""
        ...

    async def next_number(self, year: int) -> str: ...
    async def for_citizen(self, citizen_id: int) -> list[BookingRequest]: ...
    async def for_slot_ids(self, slot_ids: Sequence[int]) -> list[BookingRequest]: ...
    async def search(self, flt: RequestFilter, page: Page) -> tuple[list[BookingRequest], int]: ...


class ScheduleRepository(Protocol):
    async def add_official(self, official: Official) -> Official: ...
    async def get_official(self, official_id: int) -> Official: ...
    async def update_official(self, official: Official) -> None: ...
    async def officials(self, *, active_only: bool = True) -> list[Official]: ...
    async def add_topic(self, topic: Topic) -> Topic: ...
    async def get_topic(self, topic_id: int) -> Topic: ...
    async def topics(self, *, active_only: bool = True) -> list[Topic]: ...
    async def add_day(self, day: ReceptionDay, slots: Sequence[Slot]) -> ReceptionDay: ...
    async def get_day(self, day_id: int) -> ReceptionDay: ...
    async def update_day(self, day: ReceptionDay) -> None: ...
    async def days(
        self, official_id: int | None, start: date, end: date, *, include_cancelled: bool = False
    ) -> list[ReceptionDay]: ...
    async def get_slot(self, slot_id: int) -> Slot: ...
    async def slots_of_day(self, day_id: int) -> list[Slot]: ...
    async def free_slots(self, official_id: int, after: datetime, limit: int) -> list[Slot]: ...


class DocumentRepository(Protocol):
    async def add(self, document: Document) -> Document: ...
    async def get(self, document_id: int) -> Document: ...
    async def for_request(self, request_id: int) -> list[Document]: ...
    async def attach(self, document_id: int, request_id: int) -> None: ...


class ProtocolRepository(Protocol):
    async def next_number(self, year: int) -> int: ...
    async def add(self, protocol: ReceptionProtocol) -> ReceptionProtocol: ...
    async def get(self, protocol_id: int) -> ReceptionProtocol: ...
    async def for_day(self, reception_day_id: int) -> ReceptionProtocol | None: ...
    async def instructions_due(self, until: date) -> list[Instruction]: ...
    async def save_instruction(self, instruction: Instruction) -> None: ...


class OutboxRepository(Protocol):
    async def add(self, item: OutboxItem) -> OutboxItem: ...
    async def add_notices(self, notices: Sequence[Notification], at: datetime) -> None:
        """Writes each notice for the citizen's channel; the sender renders it in their language."""
        ...


class AuditRepository(Protocol):
    async def record(
        self,
        actor: Actor,
        action: str,
        at: datetime,
        object_type: str | None = None,
        object_id: str | None = None,
        ip: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None: ...


class StaffRepository(Protocol):
    async def add(self, user: StaffUser) -> StaffUser: ...
    async def get(self, user_id: int) -> StaffUser: ...
    async def by_username(self, username: str) -> StaffUser | None: ...
    async def update(self, user: StaffUser) -> None: ...
    async def all(self) -> list[StaffUser]: ...


class JobRepository(Protocol):
    async def schedule(
        self, kind: str, due_at: datetime, payload: dict[str, Any], key: str | None = None
    ) -> None:
        """A job runs once; a `key` already scheduled is not scheduled again."""
        ...


class UnitOfWork(Protocol):
    citizens: CitizenRepository
    requests: RequestRepository
    schedule: ScheduleRepository
    documents: DocumentRepository
    protocols: ProtocolRepository
    outbox: OutboxRepository
    audit: AuditRepository
    staff: StaffRepository
    jobs: JobQueue
    conversations: ConversationRepository
    messages: MessageRepository
    inbound: InboundRepository
    sessions: SessionRepository

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None:
        """Rolls back unless committed."""
        ...

    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, readonly: bool = False) -> UnitOfWork: ...


# ==========================================================================================
# Added by storage (issue 2): the dialog's and the workers' repositories. `storage`'s
# SqlUnitOfWork has them as attributes `conversations`, `messages`, `inbound`, `sessions`;
# the lead folds those four into UnitOfWork above. JobQueue and OutboxQueue are what the
# workers use of `uow.jobs` and `uow.outbox` besides scheduling and writing.
# ==========================================================================================


@dataclass(slots=True)
class Conversation:
    """A chat's dialog state; it survives restarts. `version` guards concurrent updates."""

    channel: str
    chat_id: str
    state: str = "start"
    data: dict[str, Any] = field(default_factory=dict)
    citizen_id: int | None = None
    mode: str = "bot"  # bot | operator (the bot is quiet until handed back)
    operator_id: int | None = None
    failures: int = 0  # unplaced free text in a row; three hand the chat to an operator
    updated_at: datetime | None = None
    last_inbound_at: datetime | None = None  # R38: WhatsApp's 24-hour window
    version: int = 0
    id: int | None = None


@dataclass(slots=True)
class MessageRecord:
    """R39: one message in or out, as the console's chat history shows it."""

    channel: str
    chat_id: str
    direction: str  # in | out
    at: datetime
    author_kind: str  # citizen | bot | staff
    author_id: int | None = None
    text: str | None = None
    payload: dict[str, Any] | None = None
    conversation_id: int | None = None
    citizen_id: int | None = None
    document_id: int | None = None
    id: int | None = None


@dataclass(slots=True)
class Job:
    kind: str
    due_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    key: str | None = None
    state: str = "pending"  # pending | running | done | failed | cancelled
    attempts: int = 0
    locked_by: str | None = None
    locked_until: datetime | None = None
    last_error: str | None = None
    created_at: datetime | None = None
    done_at: datetime | None = None
    id: int | None = None


@dataclass(slots=True)
class StaffSession:
    id: str  # a hash of the cookie's token; the token itself is never stored
    user_id: int
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    csrf_token: str
    ip: str | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor: Actor
    action: str
    object_type: str | None = None
    object_id: str | None = None
    ip: str | None = None
    details: dict[str, Any] | None = None
    id: int | None = None


class ConversationRepository(Protocol):
    async def get_or_create(self, channel: str, chat_id: str, at: datetime) -> Conversation: ...
    async def get(self, conversation_id: int) -> Conversation: ...
    async def save(self, conversation: Conversation) -> None:
        """Raises ConcurrentUpdate on a stale version."""
        ...

    async def in_operator_mode(self, limit: int = 100) -> list[Conversation]:
        """Chats handed to operators (claimed or not), longest waiting first."""
        ...


class MessageRepository(Protocol):
    async def add(self, message: MessageRecord) -> MessageRecord: ...
    async def for_conversation(
        self, conversation_id: int, limit: int = 50, before_id: int | None = None
    ) -> list[MessageRecord]: ...
    async def for_citizen(self, citizen_id: int, limit: int = 50) -> list[MessageRecord]: ...


class InboundRepository(Protocol):
    async def record(
        self, channel: str, external_id: str, at: datetime, raw: dict[str, Any] | None = None
    ) -> bool:
        """False when this update was seen before: drop it."""
        ...

    async def mark_processed(self, channel: str, external_id: str, at: datetime) -> None: ...
    async def purge(self, before: datetime) -> int: ...


class SessionRepository(Protocol):
    async def add(self, session: StaffSession) -> None: ...
    async def get(self, session_id: str) -> StaffSession | None: ...
    async def touch(
        self, session_id: str, last_seen_at: datetime, expires_at: datetime
    ) -> None: ...
    async def delete(self, session_id: str) -> None: ...
    async def delete_for_user(self, user_id: int) -> None: ...
    async def purge_expired(self, now: datetime) -> int: ...


class JobQueue(JobRepository, Protocol):
    async def claim_due(
        self, now: datetime, worker: str, limit: int, lease: timedelta
    ) -> list[Job]:
        """Due jobs (and running ones whose lease ran out), each claimed by one worker only."""
        ...

    async def complete(self, job_id: int, at: datetime) -> None: ...
    async def fail(self, job_id: int, error: str, retry_at: datetime | None) -> None: ...
    async def cancel(self, key: str) -> bool: ...


class OutboxQueue(OutboxRepository, Protocol):
    async def claim_due(self, now: datetime, limit: int, lease: timedelta) -> list[OutboxItem]:
        """Pending items due now, oldest first, hidden from other senders for `lease`."""
        ...

    async def mark_sent(self, item_id: int, at: datetime, external_id: str | None) -> None: ...
    async def mark_failed(self, item_id: int, error: str, retry_at: datetime | None) -> None:
        """With `retry_at` the item is retried then; without, it is given up (failed)."""
        ...
