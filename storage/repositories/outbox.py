"""The outbox: written in the transaction of the change, delivered later by the sender."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from reception.notifications import Notification
from reception.ports import OutboxItem
from storage.prepared import prepare
from storage.repositories._base import Repository, build, columns, values_of
from storage.tables import citizen_channels, is_pending, outbox

_COLUMNS = columns(outbox)
PENDING, SENT, FAILED, UNDELIVERABLE = "pending", "sent", "failed", "undeliverable"
# A notice for a citizen with no chat (a request by phone or paper): kept, for staff to see.
NO_CHANNEL = "none"
_ADD = prepare(insert(outbox))
_CHATS = select(
    citizen_channels.c.citizen_id,
    citizen_channels.c.channel,
    citizen_channels.c.external_id,
).order_by(citizen_channels.c.updated_at, citizen_channels.c.id)
_LATEST_CHATS = _CHATS.where(citizen_channels.c.citizen_id.in_(bindparam("b_ids", expanding=True)))
# Nearly every use case notifies one citizen: an expanding IN list cannot be prepared
# (storage/prepared.py), this one can.
_CHATS_OF_ONE = prepare(_CHATS.where(citizen_channels.c.citizen_id == bindparam("b_id")))


class SqlOutboxRepository(Repository):
    __slots__ = ()

    async def add(self, item: OutboxItem) -> OutboxItem:
        item.created_at = item.created_at or datetime.now(UTC)
        item.next_attempt_at = item.next_attempt_at or item.created_at
        statement = insert(outbox).values(values_of(item, _COLUMNS)).returning(outbox.c.id)
        item.id = (await self.conn.execute(statement)).scalar_one()
        return item

    async def add_notices(self, notices: Sequence[Notification], at: datetime) -> None:
        """One pending row per notice, to the chat the citizen most recently wrote from."""
        if not notices:
            return
        chats = await self._latest_chats({n.citizen_id for n in notices})
        rows = []
        for notice in notices:
            channel, chat_id = chats.get(notice.citizen_id, (NO_CHANNEL, ""))
            rows.append(
                {
                    "channel": channel,
                    "chat_id": chat_id,
                    "citizen_id": notice.citizen_id,
                    "request_id": notice.request_id,
                    "kind": notice.kind,
                    "message_id": notice.message_id,
                    "args": notice.args,
                    "payload": {},
                    "status": PENDING if channel != NO_CHANNEL else UNDELIVERABLE,
                    "attempts": 0,
                    "next_attempt_at": at,
                    "created_at": at,
                }
            )
        await self.conn.execute(_ADD, rows)

    async def _latest_chats(self, citizen_ids: set[int]) -> dict[int, tuple[str, str]]:
        # Ascending order: the last row seen per citizen is the most recently used one.
        if len(citizen_ids) == 1:
            (citizen_id,) = citizen_ids
            rows = await self.conn.execute(_CHATS_OF_ONE, {"b_id": citizen_id})
        else:
            rows = await self.conn.execute(_LATEST_CHATS, {"b_ids": sorted(citizen_ids)})
        return {row.citizen_id: (row.channel, row.external_id) for row in rows}

    # -- the sender ------------------------------------------------------------------------

    async def claim_due(self, now: datetime, limit: int, lease: timedelta) -> list[OutboxItem]:
        """Pending items due now, oldest first; each hidden from other senders for `lease`.

        One statement: SKIP LOCKED on PostgreSQL; on SQLite BEGIN IMMEDIATE serialises it.
        """
        due = (
            select(outbox.c.id)
            .where(is_pending(outbox), outbox.c.next_attempt_at <= now)
            .order_by(outbox.c.next_attempt_at, outbox.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        statement = (
            update(outbox)
            .where(outbox.c.id.in_(due))
            .values(next_attempt_at=now + lease, attempts=outbox.c.attempts + 1)
            .returning(*outbox.c)
        )
        rows = (await self.conn.execute(statement)).mappings().all()
        return sorted((_item(row) for row in rows), key=lambda item: item.id or 0)

    async def mark_sent(self, item_id: int, at: datetime, external_id: str | None) -> None:
        await self._set(item_id, status=SENT, sent_at=at, external_id=external_id, error=None)

    async def mark_failed(self, item_id: int, error: str, retry_at: datetime | None) -> None:
        if retry_at is None:
            await self._set(item_id, status=FAILED, error=error)
        else:
            await self._set(item_id, next_attempt_at=retry_at, error=error)

    async def get(self, item_id: int) -> OutboxItem | None:
        row = (await self.conn.execute(select(outbox).where(outbox.c.id == item_id))).first()
        return None if row is None else _item(row._mapping)

    async def for_request(self, request_id: int) -> list[OutboxItem]:
        statement = select(outbox).where(outbox.c.request_id == request_id).order_by(outbox.c.id)
        return [_item(row) for row in (await self.conn.execute(statement)).mappings()]

    async def _set(self, item_id: int, **values: Any) -> None:
        await self.conn.execute(update(outbox).where(outbox.c.id == item_id).values(values))


def _item(row: Any) -> OutboxItem:
    return build(OutboxItem, row)
