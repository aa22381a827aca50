"""Citizens, the channel identities they write from, and their consents (R36)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, insert, select

from reception.citizens import Citizen, Consent
from storage.prepared import prepare
from storage.repositories._base import Repository, build, columns, found, values_of
from storage.repositories._statements import ID, by_id, insert_returning_id, update_by_id
from storage.repositories._upsert import insert_for
from storage.tables import citizen_channels, citizens, consents

_COLUMNS = columns(citizens)
_CONSENT_COLUMNS = columns(consents)
_ADD_CONSENT = prepare(insert(consents))
_BY_CHANNEL = prepare(
    select(citizens)
    .join(citizen_channels, citizen_channels.c.citizen_id == citizens.c.id)
    .where(
        citizen_channels.c.channel == bindparam("b_channel"),
        citizen_channels.c.external_id == bindparam("b_external_id"),
    )
)
_LINKS: dict[str, object] = {}


def _link_channel(conn: object) -> object:
    """The upsert of an identity, built once per dialect."""
    name = conn.dialect.name  # type: ignore[attr-defined]
    statement = _LINKS.get(name)
    if statement is None:
        statement = _LINKS[name] = prepare(
            insert_for(conn, citizen_channels)  # type: ignore[arg-type]
            .values(
                citizen_id=bindparam("b_citizen_id"),
                channel=bindparam("b_channel"),
                external_id=bindparam("b_external_id"),
                updated_at=bindparam("b_at", type_=citizen_channels.c.updated_at.type),
            )
            .on_conflict_do_update(
                index_elements=[citizen_channels.c.channel, citizen_channels.c.external_id],
                set_={
                    "citizen_id": bindparam("b_citizen_id"),
                    "updated_at": bindparam("b_at", type_=citizen_channels.c.updated_at.type),
                },
            )
        )
    return statement


class SqlCitizenRepository(Repository):
    __slots__ = ()

    async def add(self, citizen: Citizen) -> Citizen:
        values = values_of(citizen, _COLUMNS)
        citizen.id = (await self.conn.execute(insert_returning_id(citizens), values)).scalar_one()
        return citizen

    async def get(self, citizen_id: int) -> Citizen:
        row = (await self.conn.execute(by_id(citizens), {ID: citizen_id})).mappings().first()
        return build(Citizen, found(row, "citizen", citizen_id))

    async def update(self, citizen: Citizen) -> None:
        values = {**values_of(citizen, _COLUMNS), ID: citizen.id}
        if (await self.conn.execute(update_by_id(citizens), values)).rowcount != 1:
            found(None, "citizen", citizen.id)

    async def by_channel(self, channel: str, external_id: str) -> Citizen | None:
        parameters = {"b_channel": channel, "b_external_id": external_id}
        row = (await self.conn.execute(_BY_CHANNEL, parameters)).mappings().first()
        return None if row is None else build(Citizen, row)

    async def link_channel(
        self, citizen_id: int, channel: str, external_id: str, at: datetime | None = None
    ) -> None:
        """Links (or moves) the identity to the citizen and marks it the most recently used,
        so notices go where the citizen last wrote from."""
        parameters = {
            "b_citizen_id": citizen_id,
            "b_channel": channel,
            "b_external_id": external_id,
            "b_at": at or datetime.now(UTC),
        }
        await self.conn.execute(_link_channel(self.conn), parameters)  # type: ignore[arg-type]

    async def channels(self, citizen_id: int) -> list[tuple[str, str]]:
        """The citizen's identities, most recently used first."""
        statement = (
            select(citizen_channels.c.channel, citizen_channels.c.external_id)
            .where(citizen_channels.c.citizen_id == citizen_id)
            .order_by(citizen_channels.c.updated_at.desc(), citizen_channels.c.id.desc())
        )
        return [(row.channel, row.external_id) for row in await self.conn.execute(statement)]

    async def add_consent(self, consent: Consent) -> None:
        await self.conn.execute(_ADD_CONSENT, values_of(consent, _CONSENT_COLUMNS))

    async def consents(self, citizen_id: int) -> list[Consent]:
        """R36: every consent given or withdrawn, oldest first."""
        statement = (
            select(*(consents.c[name] for name in columns(consents)))
            .where(consents.c.citizen_id == citizen_id)
            .order_by(consents.c.id)
        )
        return [build(Consent, row) for row in (await self.conn.execute(statement)).mappings()]
