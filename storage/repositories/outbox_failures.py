"""The console's view of the outbox rows nobody could deliver, and the two staff answers.

`failed`: the sender gave up (attempt limit, or an error no retry helps); `undeliverable`:
the channel may not carry the message (WhatsApp outside the 24-hour window with no template,
R38) or the citizen has no chat at all (channel "none", a request by phone or paper).

Staff either send it again (`retry`: back to pending, attempts reset, due now, so the outbox
sender claims it in its next round) or say the citizen was told another way (`dismiss`).
A dismissed row keeps the status `dismissed`, which the sender never claims (it claims only
`pending`) and this page no longer lists. Nothing here touches the sender's hot statements.

Built over a unit of work's connection: `OutboxFailures(uow.connection)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select, update

from storage.repositories._base import Repository
from storage.tables import citizens, conversations, is_undelivered, outbox, requests

PENDING, FAILED, UNDELIVERABLE, DISMISSED = "pending", "failed", "undeliverable", "dismissed"
UNDELIVERED = (FAILED, UNDELIVERABLE)
NO_CHANNEL = "none"  # storage.repositories.outbox.NO_CHANNEL: a citizen with no chat
# The outbox sender's lease (bot.outbox.worker.SenderPolicy.lease_seconds): a claim moves
# next_attempt_at this far ahead of the attempt, and a terminal result leaves it there.
SENDER_LEASE = timedelta(seconds=120)


@dataclass(frozen=True, slots=True)
class UndeliveredRow:
    id: int
    channel: str
    status: str
    kind: str | None
    message_id: str | None
    args: dict[str, Any]
    payload: dict[str, Any]
    attempts: int
    error: str | None
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None
    citizen_id: int | None
    citizen_name: str | None
    citizen_language: str | None
    request_id: int | None
    request_number: str | None
    conversation_id: int | None

    @property
    def last_attempt_at(self) -> datetime | None:
        """When the sender last tried: the claim time, i.e. the lease before next_attempt_at;
        None for a row never tried (a notice for a citizen with no chat)."""
        if self.attempts <= 0:
            return None
        return self.next_attempt_at - SENDER_LEASE

    @property
    def can_retry(self) -> bool:
        """A row with no chat has nowhere to go: no sender would ever claim it."""
        return self.channel != NO_CHANNEL


@dataclass(frozen=True, slots=True)
class UndeliveredPage:
    rows: list[UndeliveredRow]
    newer: int | None  # the id to page back from (`before`), when newer rows exist
    older: int | None  # the id to page on from (`after`), when older rows exist


@dataclass(frozen=True, slots=True)
class Handled:
    """What a retry or a dismissal changed, for the audit record."""

    id: int
    channel: str
    kind: str | None
    previous_status: str
    request_id: int | None


_SELECT = select(
    outbox.c.id,
    outbox.c.channel,
    outbox.c.status,
    outbox.c.kind,
    outbox.c.message_id,
    outbox.c.args,
    outbox.c.payload,
    outbox.c.attempts,
    outbox.c.error,
    outbox.c.created_at,
    outbox.c.next_attempt_at,
    outbox.c.sent_at,
    outbox.c.citizen_id,
    citizens.c.full_name.label("citizen_name"),
    citizens.c.language.label("citizen_language"),
    outbox.c.request_id,
    requests.c.number.label("request_number"),
    conversations.c.id.label("conversation_id"),
).select_from(
    outbox.outerjoin(citizens, citizens.c.id == outbox.c.citizen_id)
    .outerjoin(requests, requests.c.id == outbox.c.request_id)
    .outerjoin(
        conversations,
        and_(
            conversations.c.channel == outbox.c.channel,
            conversations.c.chat_id == outbox.c.chat_id,
        ),
    )
)


def _having(statuses: Sequence[str]) -> tuple[Any, ...]:
    """Rows in `statuses` (some of UNDELIVERED), through ix_outbox_undelivered: SQLite uses a
    partial index only for a query that names its condition as written."""
    if set(statuses) >= set(UNDELIVERED):
        return (is_undelivered(outbox),)
    return (is_undelivered(outbox), outbox.c.status.in_(statuses))


class OutboxFailures(Repository):
    __slots__ = ()

    async def count(self) -> int:
        """How many rows wait for staff (the menu's badge): ix_outbox_undelivered."""
        statement = select(func.count()).where(is_undelivered(outbox))
        return int((await self.conn.execute(statement)).scalar_one())

    async def page(
        self,
        statuses: Sequence[str] = UNDELIVERED,
        *,
        after: int | None = None,
        before: int | None = None,
        limit: int = 50,
    ) -> UndeliveredPage:
        """Newest first, `limit` rows: older than `after`, or the page just newer than
        `before` (keyset on id, which grows with created_at)."""
        wanted = [s for s in statuses if s in UNDELIVERED] or list(UNDELIVERED)
        statement = _SELECT.where(*_having(wanted)).limit(limit + 1)
        backwards = before is not None and after is None
        if backwards:
            statement = statement.where(outbox.c.id > before).order_by(outbox.c.id.asc())
        elif after is not None:
            statement = statement.where(outbox.c.id < after).order_by(outbox.c.id.desc())
        else:
            statement = statement.order_by(outbox.c.id.desc())
        found = [UndeliveredRow(**row) for row in (await self.conn.execute(statement)).mappings()]
        more = len(found) > limit
        found = found[:limit]
        if backwards:
            found.reverse()
        if not found:
            return UndeliveredPage([], None, None)
        newest, oldest = found[0].id, found[-1].id
        if backwards:
            newer = newest if more else None
            older = oldest if await self._exists(wanted, older_than=oldest) else None
        else:
            older = oldest if more else None
            newer = None
            if after is not None and await self._exists(wanted, newer_than=newest):
                newer = newest
        return UndeliveredPage(found, newer, older)

    async def _exists(
        self,
        statuses: Sequence[str],
        *,
        older_than: int | None = None,
        newer_than: int | None = None,
    ) -> bool:
        statement = select(outbox.c.id).where(*_having(statuses))
        if older_than is not None:
            statement = statement.where(outbox.c.id < older_than)
        if newer_than is not None:
            statement = statement.where(outbox.c.id > newer_than)
        return (await self.conn.execute(statement.limit(1))).first() is not None

    async def retry(self, item_id: int, now: datetime) -> Handled | None:
        """Back to pending, attempts reset, due now. None when the row is not (or no longer)
        undelivered, or has no chat to go to."""
        handled = await self._undelivered(item_id)
        if handled is None or handled.channel == NO_CHANNEL:
            return None
        values = {"status": PENDING, "attempts": 0, "next_attempt_at": now}
        return handled if await self._move(handled, values) else None

    async def dismiss(self, item_id: int) -> Handled | None:
        """Staff told the citizen otherwise (or it no longer matters): off the list for good."""
        handled = await self._undelivered(item_id)
        if handled is None:
            return None
        return handled if await self._move(handled, {"status": DISMISSED}) else None

    async def _undelivered(self, item_id: int) -> Handled | None:
        statement = select(
            outbox.c.id, outbox.c.channel, outbox.c.kind, outbox.c.status, outbox.c.request_id
        ).where(outbox.c.id == item_id, is_undelivered(outbox))
        row = (await self.conn.execute(statement)).first()
        if row is None:
            return None
        return Handled(row.id, row.channel, row.kind, row.status, row.request_id)

    async def _move(self, handled: Handled, values: dict[str, Any]) -> bool:
        """The change, only if nobody changed the row since it was read (two staff at once)."""
        statement = (
            update(outbox)
            .where(outbox.c.id == handled.id, outbox.c.status == handled.previous_status)
            .values(values)
        )
        return bool((await self.conn.execute(statement)).rowcount)
