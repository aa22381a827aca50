"""What a job handler is given and what it answers, and how it writes to the outbox.

Every message a job causes goes through the outbox (written in the job's transaction, sent
by the outbox sender): to a citizen on the channel they last wrote from, in their language;
to an official or a staff member in their linked Telegram chat (citizen_id empty). A
message nobody can receive is kept as an 'undeliverable' row, for staff to see.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.flow.events import Reply
from locales import Translator
from reception.ports import Job, OutboxItem
from reception.services.context import Rules
from reception.services.officials import Recipient
from storage.repositories.outbox import NO_CHANNEL, PENDING, UNDELIVERABLE

TELEGRAM = "telegram"
# Channels that carry a file with a message (R38: WhatsApp notices go as templates instead).
DOCUMENT_CHANNELS = frozenset({"telegram", "web"})
DONE, DROPPED = "done", "dropped"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a job: done (with a record of what it did) or dropped (with why)."""

    state: str
    reason: str | None = None
    record: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def done(cls, **record: Any) -> Outcome:
        return cls(DONE, record=record)

    @classmethod
    def dropped(cls, reason: str) -> Outcome:
        return cls(DROPPED, reason=reason)


@dataclass(frozen=True, slots=True)
class Services:
    """What handlers need besides the unit of work: words and the data folder."""

    translator: Translator
    data_dir: Path


@dataclass(slots=True)
class JobRun:
    """One job being run, inside the transaction that will mark it done."""

    uow: Any  # storage.uow.SqlUnitOfWork
    rules: Rules
    now: datetime
    job: Job

    @property
    def payload(self) -> dict[str, Any]:
        return self.job.payload

    def id_of(self, name: str) -> int:
        return int(self.job.payload[name])


Handler = Callable[[JobRun], Awaitable[Outcome]]


async def to_citizen(
    run: JobRun,
    citizen_id: int,
    request_id: int | None,
    reply: Reply,
    *,
    kind: str,
    message_id: str,
    args: dict[str, Any] | None = None,
) -> OutboxItem:
    """A message to the citizen's most recent chat. `kind`, `message_id` and `args` stay on
    the row: outside WhatsApp's 24-hour window they choose and fill its template (R38)."""
    channels = await run.uow.citizens.channels(citizen_id)
    channel, chat_id = channels[0] if channels else (NO_CHANNEL, "")
    if reply.document_path and channel not in DOCUMENT_CHANNELS:
        reply = Reply(reply.text, reply.buttons, kind=reply.kind, extra=reply.extra)
    item = OutboxItem(
        channel=channel,
        chat_id=chat_id,
        citizen_id=citizen_id,
        request_id=request_id,
        payload=reply.to_payload(),
        kind=kind,
        message_id=message_id,
        args=args or {},
        status=PENDING if channel != NO_CHANNEL else UNDELIVERABLE,
        created_at=run.now,
        next_attempt_at=run.now,
    )
    return await run.uow.outbox.add(item)


async def to_recipient(run: JobRun, recipient: Recipient, reply: Reply, kind: str) -> None:
    """A message to an official's or a staff member's linked Telegram chat."""
    await run.uow.outbox.add(
        OutboxItem(
            channel=TELEGRAM,
            chat_id=recipient.chat_id,
            citizen_id=None,
            payload=reply.written_in(recipient.language).to_payload(),
            kind=kind,
            created_at=run.now,
            next_attempt_at=run.now,
        )
    )


async def undeliverable(
    run: JobRun, reply: Reply, kind: str, request_id: int | None = None
) -> None:
    """Kept for staff: nobody has a chat this message could go to."""
    await run.uow.outbox.add(
        OutboxItem(
            channel=NO_CHANNEL,
            chat_id="",
            citizen_id=None,
            request_id=request_id,
            payload=reply.to_payload(),
            kind=kind,
            status=UNDELIVERABLE,
            created_at=run.now,
            next_attempt_at=run.now,
            error="no linked chat",
        )
    )
