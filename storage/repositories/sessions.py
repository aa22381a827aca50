"""Console sessions, keyed by a hash of the cookie's token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update

from reception.ports import StaffSession
from storage.repositories._base import Repository, build, values_of
from storage.tables import staff_sessions

_COLUMNS = tuple(c.name for c in staff_sessions.columns)


class SqlSessionRepository(Repository):
    __slots__ = ()

    async def add(self, session: StaffSession) -> None:
        await self.conn.execute(insert(staff_sessions).values(values_of(session, _COLUMNS)))

    async def get(self, session_id: str) -> StaffSession | None:
        statement = select(staff_sessions).where(staff_sessions.c.id == session_id)
        row = (await self.conn.execute(statement)).mappings().first()
        return None if row is None else build(StaffSession, row)

    async def touch(self, session_id: str, last_seen_at: datetime, expires_at: datetime) -> None:
        statement = (
            update(staff_sessions)
            .where(staff_sessions.c.id == session_id)
            .values(last_seen_at=last_seen_at, expires_at=expires_at)
        )
        await self.conn.execute(statement)

    async def delete(self, session_id: str) -> None:
        await self.conn.execute(delete(staff_sessions).where(staff_sessions.c.id == session_id))

    async def delete_for_user(self, user_id: int) -> None:
        await self.conn.execute(delete(staff_sessions).where(staff_sessions.c.user_id == user_id))

    async def purge_expired(self, now: datetime) -> int:
        statement = delete(staff_sessions).where(staff_sessions.c.expires_at <= now)
        return (await self.conn.execute(statement)).rowcount
