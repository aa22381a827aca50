"""De-duplication of channel updates: Telegram and WhatsApp retry webhooks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, update

from storage.repositories._base import Repository
from storage.repositories._upsert import insert_for
from storage.tables import inbound


class SqlInboundRepository(Repository):
    __slots__ = ()

    async def record(
        self, channel: str, external_id: str, at: datetime, raw: dict[str, Any] | None = None
    ) -> bool:
        """False when this update was seen before: drop it."""
        statement = (
            insert_for(self.conn, inbound)
            .values(channel=channel, external_id=external_id, received_at=at, raw=raw)
            .on_conflict_do_nothing(index_elements=[inbound.c.channel, inbound.c.external_id])
            .returning(inbound.c.id)
        )
        return (await self.conn.execute(statement)).scalar_one_or_none() is not None

    async def mark_processed(self, channel: str, external_id: str, at: datetime) -> None:
        statement = (
            update(inbound)
            .where(inbound.c.channel == channel, inbound.c.external_id == external_id)
            .values(processed_at=at)
        )
        await self.conn.execute(statement)

    async def purge(self, before: datetime) -> int:
        """Forgets updates older than any channel retries them (Telegram keeps 24 h). A rare
        maintenance statement, so it may scan: an index on received_at would cost every update
        an entry (dropped in migration 0009)."""
        statement = delete(inbound).where(inbound.c.received_at < before)
        return (await self.conn.execute(statement)).rowcount
