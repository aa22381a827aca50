"""Citizens, the channel identities they write from, and their consents (R36)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, update

from reception.citizens import Citizen, Consent
from storage.repositories._base import Repository, build, columns, found, values_of
from storage.repositories._upsert import insert_for
from storage.tables import citizen_channels, citizens, consents

_COLUMNS = columns(citizens)


class SqlCitizenRepository(Repository):
    __slots__ = ()

    async def add(self, citizen: Citizen) -> Citizen:
        statement = insert(citizens).values(values_of(citizen, _COLUMNS)).returning(citizens.c.id)
        citizen.id = (await self.conn.execute(statement)).scalar_one()
        return citizen

    async def get(self, citizen_id: int) -> Citizen:
        statement = select(citizens).where(citizens.c.id == citizen_id)
        row = (await self.conn.execute(statement)).mappings().first()
        return build(Citizen, found(row, "citizen", citizen_id))

    async def update(self, citizen: Citizen) -> None:
        statement = (
            update(citizens).where(citizens.c.id == citizen.id).values(values_of(citizen, _COLUMNS))
        )
        if (await self.conn.execute(statement)).rowcount != 1:
            found(None, "citizen", citizen.id)

    async def by_channel(self, channel: str, external_id: str) -> Citizen | None:
        statement = (
            select(citizens)
            .join(citizen_channels, citizen_channels.c.citizen_id == citizens.c.id)
            .where(
                citizen_channels.c.channel == channel,
                citizen_channels.c.external_id == external_id,
            )
        )
        row = (await self.conn.execute(statement)).mappings().first()
        return None if row is None else build(Citizen, row)

    async def link_channel(
        self, citizen_id: int, channel: str, external_id: str, at: datetime | None = None
    ) -> None:
        """Links (or moves) the identity to the citizen and marks it the most recently used,
        so notices go where the citizen last wrote from."""
        at = at or datetime.now(UTC)
        statement = (
            insert_for(self.conn, citizen_channels)
            .values(citizen_id=citizen_id, channel=channel, external_id=external_id, updated_at=at)
            .on_conflict_do_update(
                index_elements=[citizen_channels.c.channel, citizen_channels.c.external_id],
                set_={"citizen_id": citizen_id, "updated_at": at},
            )
        )
        await self.conn.execute(statement)

    async def channels(self, citizen_id: int) -> list[tuple[str, str]]:
        """The citizen's identities, most recently used first."""
        statement = (
            select(citizen_channels.c.channel, citizen_channels.c.external_id)
            .where(citizen_channels.c.citizen_id == citizen_id)
            .order_by(citizen_channels.c.updated_at.desc(), citizen_channels.c.id.desc())
        )
        return [(row.channel, row.external_id) for row in await self.conn.execute(statement)]

    async def add_consent(self, consent: Consent) -> None:
        values = values_of(consent, columns(consents))
        await self.conn.execute(insert(consents).values(values))

    async def consents(self, citizen_id: int) -> list[Consent]:
        """R36: every consent given or withdrawn, oldest first."""
        statement = (
            select(*(consents.c[name] for name in columns(consents)))
            .where(consents.c.citizen_id == citizen_id)
            .order_by(consents.c.id)
        )
        return [build(Consent, row) for row in (await self.conn.execute(statement)).mappings()]
