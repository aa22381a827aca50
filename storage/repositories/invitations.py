"""Invitations of other bodies to a reception (R13), for the request card and the day list."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select, update

from reception.services.invitations import Invitation
from storage.repositories._base import Repository, build, columns, found, values_of
from storage.tables_console_core import request_invitations

_COLUMNS = columns(request_invitations)


class SqlInvitationRepository(Repository):
    __slots__ = ()

    async def add(self, invitation: Invitation) -> Invitation:
        statement = (
            insert(request_invitations)
            .values(values_of(invitation, _COLUMNS))
            .returning(request_invitations.c.id)
        )
        invitation.id = (await self.conn.execute(statement)).scalar_one()
        return invitation

    async def get(self, invitation_id: int) -> Invitation:
        statement = select(request_invitations).where(request_invitations.c.id == invitation_id)
        row = (await self.conn.execute(statement)).mappings().first()
        return build(Invitation, found(row, "invitation", invitation_id))

    async def update(self, invitation: Invitation) -> None:
        statement = (
            update(request_invitations)
            .where(request_invitations.c.id == invitation.id)
            .values(values_of(invitation, _COLUMNS))
        )
        await self.conn.execute(statement)

    async def for_requests(self, request_ids: Sequence[int]) -> list[Invitation]:
        """The invitations of these requests, in the order they were made."""
        if not request_ids:
            return []
        statement = (
            select(request_invitations)
            .where(request_invitations.c.request_id.in_(list(request_ids)))
            .order_by(request_invitations.c.id)
        )
        rows = (await self.conn.execute(statement)).mappings()
        return [build(Invitation, row) for row in rows]
