"""What the WhatsApp channel stores beyond the common tables: raw webhook events, delivery
statuses, and the lookups its sender needs (R38: when the citizen last wrote).

Used over a unit of work's connection, e.g. `WhatsAppEvents(uow.connection)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, exists, select, update

from storage.repositories._base import Repository
from storage.repositories._upsert import insert_for
from storage.tables import conversations, inbound, outbox
from storage.tables_whatsapp import sent_as_wamid, whatsapp_events, whatsapp_statuses

CHANNEL = "whatsapp"
# A status only replaces one of lower rank: sent < delivered < read; failed is terminal.
STATUS_RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}


@dataclass(frozen=True, slots=True)
class StoredEvent:
    id: int
    body: str
    received_at: datetime
    attempts: int


class WhatsAppEvents(Repository):
    __slots__ = ()

    async def store(self, body: str, sha256: str, at: datetime, lease: timedelta) -> int | None:
        """Keeps a webhook body, leased to this process for `lease`; None when the same body
        was stored before (Meta redelivers what got no 200)."""
        statement = (
            insert_for(self.conn, whatsapp_events)
            .values(
                body_sha256=sha256,
                body=body,
                received_at=at,
                next_attempt_at=at + lease,
                attempts=1,
            )
            .on_conflict_do_nothing(index_elements=[whatsapp_events.c.body_sha256])
            .returning(whatsapp_events.c.id)
        )
        return (await self.conn.execute(statement)).scalar_one_or_none()

    async def claim(
        self, now: datetime, limit: int, lease: timedelta, *, ignore_leases: bool = False
    ) -> list[StoredEvent]:
        """Unprocessed events whose lease ended (or all of them, at start-up), oldest first,
        leased again for `lease`. SKIP LOCKED keeps PostgreSQL processes apart."""
        due = (
            select(whatsapp_events.c.id)
            .where(whatsapp_events.c.processed_at.is_(None))
            .order_by(whatsapp_events.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if not ignore_leases:
            due = due.where(whatsapp_events.c.next_attempt_at <= now)
        statement = (
            update(whatsapp_events)
            .where(whatsapp_events.c.id.in_(due))
            .values(next_attempt_at=now + lease, attempts=whatsapp_events.c.attempts + 1)
            .returning(
                whatsapp_events.c.id,
                whatsapp_events.c.body,
                whatsapp_events.c.received_at,
                whatsapp_events.c.attempts,
            )
        )
        rows = (await self.conn.execute(statement)).all()
        return sorted((StoredEvent(*row) for row in rows), key=lambda event: event.id)

    async def finish(self, event_id: int, at: datetime, note: str | None = None) -> None:
        statement = (
            update(whatsapp_events)
            .where(whatsapp_events.c.id == event_id)
            .values(processed_at=at, next_attempt_at=None, last_error=note)
        )
        await self.conn.execute(statement)

    async def retry_at(self, event_id: int, when: datetime, error: str) -> None:
        statement = (
            update(whatsapp_events)
            .where(whatsapp_events.c.id == event_id, whatsapp_events.c.processed_at.is_(None))
            .values(next_attempt_at=when, last_error=error)
        )
        await self.conn.execute(statement)


def _rank(column: object) -> object:
    return case(STATUS_RANK, value=column, else_=0)


class WhatsAppStatuses(Repository):
    __slots__ = ()

    async def record(
        self,
        wamid: str,
        status: str,
        status_at: datetime,
        now: datetime,
        error_code: int | None = None,
        error_title: str | None = None,
    ) -> None:
        """Upserts the status of one message; an older or lower status never replaces a
        newer one (webhooks arrive out of order and are retried)."""
        insert = insert_for(self.conn, whatsapp_statuses).values(
            wamid=wamid,
            status=status,
            status_at=status_at,
            error_code=error_code,
            error_title=error_title,
            updated_at=now,
        )
        statement = insert.on_conflict_do_update(
            index_elements=[whatsapp_statuses.c.wamid],
            set_={
                "status": insert.excluded.status,
                "status_at": insert.excluded.status_at,
                "error_code": insert.excluded.error_code,
                "error_title": insert.excluded.error_title,
                "updated_at": insert.excluded.updated_at,
            },
            where=_rank(whatsapp_statuses.c.status) < _rank(insert.excluded.status),
        )
        await self.conn.execute(statement)

    async def get(self, wamid: str) -> tuple[str, int | None, str | None] | None:
        """(status, error code, error title) of a message, or None when none was reported."""
        statement = select(
            whatsapp_statuses.c.status,
            whatsapp_statuses.c.error_code,
            whatsapp_statuses.c.error_title,
        ).where(whatsapp_statuses.c.wamid == wamid)
        row = (await self.conn.execute(statement)).first()
        return None if row is None else (row[0], row[1], row[2])

    async def fail_outbox_row(self, wamid: str, error: str) -> bool:
        """Marks the outbox row that was sent as `wamid` failed, for staff to see. False when
        no such row exists (yet: the sender may not have recorded it). Only a row still marked
        sent changes: one staff have since retried or dismissed stays as they left it."""
        matches = sent_as_wamid(wamid)
        statement = (
            update(outbox)
            .where(*matches, outbox.c.status == "sent")
            .values(status="failed", error=error)
        )
        if (await self.conn.execute(statement)).rowcount:
            return True
        return bool((await self.conn.execute(select(exists().where(*matches)))).scalar())


class WhatsAppChats(Repository):
    __slots__ = ()

    async def last_inbound_at(self, chat_id: str) -> datetime | None:
        """R38: when the citizen last wrote in this chat (the 24-hour window opens then)."""
        statement = select(conversations.c.last_inbound_at).where(
            conversations.c.channel == CHANNEL, conversations.c.chat_id == chat_id
        )
        return (await self.conn.execute(statement)).scalar_one_or_none()

    async def message_seen(self, wamid: str) -> bool:
        """Whether the pipeline already recorded this message (before downloading it again)."""
        found = exists().where(inbound.c.channel == CHANNEL, inbound.c.external_id == wamid)
        return bool((await self.conn.execute(select(found))).scalar())
