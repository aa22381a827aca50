"""Officials, topics, reception days and their slots (R1, R5, R6, R18.1)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert, literal, select

from reception.clock import ALMATY
from reception.requests import SLOT_HOLDING_STATUSES, ReceptionFormat
from reception.schedule import Official, ReceptionDay, Slot, Topic
from storage.prepared import prepare
from storage.repositories._base import Repository, build, columns, found, values_of
from storage.repositories._statements import ID, by_id, insert_returning_id, update_by_id
from storage.tables import officials, reception_days, requests, slots, topics

_OFFICIAL = {"group_number": "group"}
_DAY_ENUMS = {"format": ReceptionFormat}
# The statuses as one bound value each, not SQLAlchemy's expanding IN list: a statement
# with an expanding list cannot be prepared (storage/prepared.py), and the query is the same.
_SLOT_HELD = (
    select(requests.c.id)
    .where(
        requests.c.slot_id == slots.c.id,
        requests.c.status.in_(
            [literal(status, requests.c.status.type) for status in sorted(SLOT_HOLDING_STATUSES)]
        ),
    )
    .exists()
)
# Built once: the dialog reads these on most booking steps (storage/repositories/_statements).
_OFFICIALS = prepare(select(officials).order_by(officials.c.group_number, officials.c.id))
_ACTIVE_OFFICIALS = prepare(_OFFICIALS.where(officials.c.active))
_TOPICS = prepare(select(topics).order_by(topics.c.id))
_ACTIVE_TOPICS = prepare(_TOPICS.where(topics.c.active))
_FREE_SLOTS = prepare(
    select(slots)
    .join(reception_days, reception_days.c.id == slots.c.reception_day_id)
    .where(
        reception_days.c.official_id == bindparam("b_official_id"),
        reception_days.c.cancelled_at.is_(None),
        slots.c.starts_at > bindparam("b_after", type_=slots.c.starts_at.type),
        ~_SLOT_HELD,
    )
    .order_by(slots.c.starts_at, slots.c.id)
    .limit(bindparam("b_limit"))
)


def _slot(row: Any) -> Slot:
    # The domain keeps slot times in Asia/Almaty.
    return Slot(
        reception_day_id=row.reception_day_id,
        starts_at=row.starts_at.astimezone(ALMATY),
        ends_at=row.ends_at.astimezone(ALMATY),
        id=row.id,
    )


class SqlScheduleRepository(Repository):
    __slots__ = ()

    async def _insert(self, table: Table, values: dict[str, Any]) -> int:
        return (await self.conn.execute(insert_returning_id(table), values)).scalar_one()

    async def _update(self, table: Table, key: int | None, values: dict[str, Any]) -> None:
        result = await self.conn.execute(update_by_id(table), {**values, ID: key})
        if result.rowcount != 1:
            found(None, table.name, key)

    async def _one(self, table: Table, key: int) -> Any:
        row = (await self.conn.execute(by_id(table), {ID: key})).mappings().first()
        return found(row, table.name, key)

    # -- officials ---------------------------------------------------------------------------

    async def add_official(self, official: Official) -> Official:
        official.id = await self._insert(
            officials, values_of(official, columns(officials), _OFFICIAL)
        )
        return official

    async def get_official(self, official_id: int) -> Official:
        return build(Official, await self._one(officials, official_id), _OFFICIAL)

    async def update_official(self, official: Official) -> None:
        values = values_of(official, columns(officials), _OFFICIAL)
        await self._update(officials, official.id, values)

    async def officials(self, *, active_only: bool = True) -> list[Official]:
        statement = _ACTIVE_OFFICIALS if active_only else _OFFICIALS
        rows = (await self.conn.execute(statement)).mappings()
        return [build(Official, row, _OFFICIAL) for row in rows]

    # -- topics ------------------------------------------------------------------------------

    async def add_topic(self, topic: Topic) -> Topic:
        topic.id = await self._insert(topics, values_of(topic, columns(topics)))
        return topic

    async def get_topic(self, topic_id: int) -> Topic:
        return build(Topic, await self._one(topics, topic_id))

    async def update_topic(self, topic: Topic) -> None:
        await self._update(topics, topic.id, values_of(topic, columns(topics)))

    async def topics(self, *, active_only: bool = True) -> list[Topic]:
        statement = _ACTIVE_TOPICS if active_only else _TOPICS
        return [build(Topic, row) for row in (await self.conn.execute(statement)).mappings()]

    # -- reception days and slots ------------------------------------------------------------

    async def add_day(self, day: ReceptionDay, slots_: Sequence[Slot]) -> ReceptionDay:
        day.id = await self._insert(reception_days, values_of(day, columns(reception_days)))
        if slots_:
            rows = [
                {"reception_day_id": day.id, "starts_at": s.starts_at, "ends_at": s.ends_at}
                for s in slots_
            ]
            statement = insert(slots).returning(slots.c.id, sort_by_parameter_order=True)
            ids = (await self.conn.execute(statement, rows)).scalars().all()
            for slot, slot_id in zip(slots_, ids, strict=True):
                slot.reception_day_id, slot.id = day.id, slot_id
        return day

    async def get_day(self, day_id: int) -> ReceptionDay:
        return build(ReceptionDay, await self._one(reception_days, day_id), convert=_DAY_ENUMS)

    async def update_day(self, day: ReceptionDay) -> None:
        await self._update(reception_days, day.id, values_of(day, columns(reception_days)))

    async def days(
        self, official_id: int | None, start: date, end: date, *, include_cancelled: bool = False
    ) -> list[ReceptionDay]:
        """Reception days from `start` to `end` inclusive, in date order."""
        c = reception_days.c
        statement = select(reception_days).where(c.day >= start, c.day <= end)
        if official_id is not None:
            statement = statement.where(c.official_id == official_id)
        if not include_cancelled:
            statement = statement.where(c.cancelled_at.is_(None))
        statement = statement.order_by(c.day, c.starts, c.id)
        rows = (await self.conn.execute(statement)).mappings()
        return [build(ReceptionDay, row, convert=_DAY_ENUMS) for row in rows]

    async def get_slot(self, slot_id: int) -> Slot:
        row = (await self.conn.execute(by_id(slots), {ID: slot_id})).first()
        return _slot(found(row, "slot", slot_id))

    async def slots_of_day(self, day_id: int) -> list[Slot]:
        statement = (
            select(slots).where(slots.c.reception_day_id == day_id).order_by(slots.c.starts_at)
        )
        return [_slot(row) for row in await self.conn.execute(statement)]

    async def free_slots(self, official_id: int, after: datetime, limit: int) -> list[Slot]:
        """Slots of the official's reception days that are not cancelled, starting after
        `after`, that no request holds; soonest first."""
        parameters = {"b_official_id": official_id, "b_after": after, "b_limit": limit}
        return [_slot(row) for row in await self.conn.execute(_FREE_SLOTS, parameters)]
