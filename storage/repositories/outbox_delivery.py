"""What the outbox sender needs beyond SqlOutboxRepository: in-order claims and batched results.

Used over a unit of work's connection: `OutboxDelivery(uow.connection)`. Every method is one
statement (or one executemany), so a sender's round costs two short transactions: the claim,
and the results of the whole batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, exists, insert, select, update

from reception.ports import MessageRecord, OutboxItem
from storage.repositories._base import Repository, build
from storage.tables import citizens, conversations, is_pending, messages, outbox

PENDING, SENT, FAILED, UNDELIVERABLE = "pending", "sent", "failed", "undeliverable"

_earlier = outbox.alias("earlier")
# An older message of the same chat still waits (or is in flight): this one must wait too.
_older_pending = exists().where(
    _earlier.c.channel == outbox.c.channel,
    _earlier.c.chat_id == outbox.c.chat_id,
    is_pending(_earlier),
    _earlier.c.id < outbox.c.id,
)

# Built once: the claim runs every round, and building a statement costs more than running it.
_due_heads = (
    select(outbox.c.id)
    .where(
        outbox.c.channel == bindparam("b_channel"),
        is_pending(outbox),  # a literal, for ix_outbox_pending_by_chat
        outbox.c.next_attempt_at <= bindparam("b_now", type_=outbox.c.next_attempt_at.type),
        ~_older_pending,
        outbox.c.chat_id.not_in(bindparam("b_skip", expanding=True)),
    )
    .order_by(outbox.c.id)
    .limit(bindparam("b_limit"))
    .with_for_update(skip_locked=True)
)
_claim = (
    update(outbox)
    .where(outbox.c.id.in_(_due_heads))
    .values(
        next_attempt_at=bindparam("b_until", type_=outbox.c.next_attempt_at.type),
        attempts=outbox.c.attempts + 1,
    )
    .returning(*outbox.c)
)

_mark_sent = (
    update(outbox)
    .where(outbox.c.id == bindparam("b_item_id"), outbox.c.status == PENDING)
    .values(
        status=SENT,
        sent_at=bindparam("b_at", type_=outbox.c.sent_at.type),
        external_id=bindparam("b_external"),
        error=None,
    )
)

_conversation_of_chat = (
    select(conversations.c.id)
    .where(
        conversations.c.channel == bindparam("b_channel"),
        conversations.c.chat_id == bindparam("b_chat_id"),
    )
    .scalar_subquery()
)
# Bind names differ from column names: SQLAlchemy reserves those for its own VALUES binds.
_log_outgoing = insert(messages).values(
    conversation_id=_conversation_of_chat,
    citizen_id=bindparam("b_citizen_id"),
    channel=bindparam("b_channel"),
    chat_id=bindparam("b_chat_id"),
    direction="out",
    author_kind=bindparam("b_author_kind"),
    author_id=bindparam("b_author_id"),
    text=bindparam("b_text"),
    payload=bindparam("b_payload", type_=messages.c.payload.type),
    at=bindparam("b_at", type_=messages.c.at.type),
)


class OutboxDelivery(Repository):
    __slots__ = ()

    async def claim_chat_heads(
        self,
        channel: str,
        now: datetime,
        limit: int,
        lease: timedelta,
        skip_chats: Sequence[str] = (),
    ) -> list[OutboxItem]:
        """Due rows of `channel` that are the oldest pending row of their chat, oldest first.

        A claimed row stays pending but is hidden for `lease` (next_attempt_at moves on): if
        this process dies, another sender takes it up when the lease ends. SKIP LOCKED keeps
        PostgreSQL workers off each other's rows; on SQLite, BEGIN IMMEDIATE serialises claims.
        """
        if limit <= 0:
            return []
        parameters = {
            "b_channel": channel,
            "b_now": now,
            "b_skip": list(skip_chats),
            "b_limit": limit,
            "b_until": now + lease,
        }
        rows = (await self.conn.execute(_claim, parameters)).mappings().all()
        return sorted((build(OutboxItem, row) for row in rows), key=lambda item: item.id or 0)

    async def languages(self, citizen_ids: Iterable[int]) -> dict[int, str]:
        wanted = sorted(set(citizen_ids))
        if not wanted:
            return {}
        statement = select(citizens.c.id, citizens.c.language).where(citizens.c.id.in_(wanted))
        return {row.id: row.language for row in await self.conn.execute(statement)}

    async def mark_sent(self, sent: Sequence[tuple[int, datetime, str | None]]) -> None:
        """(item id, sent at, channel's message id) for each delivered row."""
        if sent:
            rows = [{"b_item_id": i, "b_at": at, "b_external": ext} for i, at, ext in sent]
            await self.conn.execute(_mark_sent, rows)

    async def log_outgoing(self, records: Sequence[MessageRecord]) -> None:
        """R39: the sent messages, each linked to its chat's conversation when there is one."""
        if not records:
            return
        rows = [
            {
                "b_citizen_id": r.citizen_id,
                "b_channel": r.channel,
                "b_chat_id": r.chat_id,
                "b_author_kind": r.author_kind,
                "b_author_id": r.author_id,
                "b_text": r.text,
                "b_payload": r.payload,
                "b_at": r.at,
            }
            for r in records
        ]
        await self.conn.execute(_log_outgoing, rows)

    async def defer(
        self,
        item_id: int,
        retry_at: datetime,
        error: str,
        *,
        count_attempt: bool = True,
        payload: dict[str, Any] | None = None,
    ) -> None:
        """Try again at `retry_at`. `count_attempt=False` gives the attempt back (a 429 or a
        shutdown is no fault of the message)."""
        values: dict[str, Any] = {"next_attempt_at": retry_at, "error": error}
        if not count_attempt:
            values["attempts"] = outbox.c.attempts - 1
        if payload is not None:
            values["payload"] = payload
        await self.conn.execute(update(outbox).where(outbox.c.id == item_id).values(values))

    async def release(self, item_ids: Sequence[int]) -> None:
        """Gives back the leases of rows this process took and did not send (a shutdown): due
        at once for any sender, the attempt not counted."""
        if item_ids:
            await self.conn.execute(
                update(outbox)
                .where(outbox.c.id.in_(item_ids), outbox.c.status == PENDING)
                .values(next_attempt_at=outbox.c.created_at, attempts=outbox.c.attempts - 1)
            )

    async def fail(self, item_id: int, error: str, *, undeliverable: bool = False) -> None:
        """Terminal: kept with its error for staff to see; `undeliverable` when the channel
        may not carry it (R38), so staff tell the citizen another way."""
        status = UNDELIVERABLE if undeliverable else FAILED
        statement = update(outbox).where(outbox.c.id == item_id).values(status=status, error=error)
        await self.conn.execute(statement)
