"""Staff users of the console and their roles."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from reception.citizens import Role, StaffUser
from storage.repositories._base import Repository, build, columns, found, values_of
from storage.tables import staff_users

_COLUMNS = columns(staff_users)
_ENUMS = {"role": Role}


class SqlStaffRepository(Repository):
    __slots__ = ()

    async def add(self, user: StaffUser) -> StaffUser:
        statement = insert(staff_users).values(values_of(user, _COLUMNS))
        user.id = (await self.conn.execute(statement.returning(staff_users.c.id))).scalar_one()
        return user

    async def get(self, user_id: int) -> StaffUser:
        statement = select(staff_users).where(staff_users.c.id == user_id)
        row = (await self.conn.execute(statement)).mappings().first()
        return build(StaffUser, found(row, "staff user", user_id), convert=_ENUMS)

    async def by_username(self, username: str) -> StaffUser | None:
        statement = select(staff_users).where(staff_users.c.username == username)
        row = (await self.conn.execute(statement)).mappings().first()
        return None if row is None else build(StaffUser, row, convert=_ENUMS)

    async def update(self, user: StaffUser) -> None:
        statement = (
            update(staff_users).where(staff_users.c.id == user.id).values(values_of(user, _COLUMNS))
        )
        if (await self.conn.execute(statement)).rowcount != 1:
            found(None, "staff user", user.id)

    async def all(self) -> list[StaffUser]:
        statement = select(staff_users).order_by(staff_users.c.username)
        rows = (await self.conn.execute(statement)).mappings()
        return [build(StaffUser, row, convert=_ENUMS) for row in rows]
