"""One-time codes that link an official's Telegram account (hashes only; R25)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update

from storage.repositories._base import Repository
from storage.tables_console_core import official_link_codes

c = official_link_codes.c


class SqlLinkCodeRepository(Repository):
    __slots__ = ()

    async def replace(
        self,
        official_id: int,
        code_hash: str,
        created_at: datetime,
        expires_at: datetime,
        created_by: int | None,
    ) -> None:
        await self.conn.execute(
            delete(official_link_codes).where(c.official_id == official_id, c.used_at.is_(None))
        )
        await self.conn.execute(
            insert(official_link_codes).values(
                official_id=official_id,
                code_hash=code_hash,
                created_at=created_at,
                expires_at=expires_at,
                created_by=created_by,
            )
        )

    async def redeem(self, code_hash: str, now: datetime) -> int | None:
        statement = select(c.id, c.official_id).where(
            c.code_hash == code_hash, c.used_at.is_(None), c.expires_at > now
        )
        row = (await self.conn.execute(statement)).first()
        if row is None:
            return None
        # Marked used only if nobody used it in between: a code works once.
        used = await self.conn.execute(
            update(official_link_codes)
            .where(c.id == row.id, c.used_at.is_(None))
            .values(used_at=now)
        )
        return row.official_id if used.rowcount == 1 else None
