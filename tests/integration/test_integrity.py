"""Integrity lives in the database: partial unique indexes become domain errors."""

from __future__ import annotations

import pytest

from reception.actors import Actor
from reception.errors import ActiveRequestExists, SlotTaken
from reception.requests import Status
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.builders import NOW, official, registered, seed

STAFF = Actor.staff(1)


async def test_a_second_request_on_a_held_slot_raises_slot_taken(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    s = await seed(uow_factory)
    slot = s.slots[0].id
    async with uow_factory() as uow:
        await uow.requests.add(registered(s.citizen_ids[0], s.official_id, "1", slot_id=slot))
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(SlotTaken):
            await uow.requests.add(registered(s.citizen_ids[1], s.official_id, "2", slot_id=slot))


async def test_booking_a_held_slot_on_save_raises_slot_taken(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    s = await seed(uow_factory)
    slot = s.slots[0]
    async with uow_factory() as uow:
        await uow.requests.add(registered(s.citizen_ids[0], s.official_id, "1", slot_id=slot.id))
        other = await uow.requests.add(registered(s.citizen_ids[1], s.official_id, "2"))
        await uow.commit()
    async with uow_factory() as uow:
        other.book(slot.id, slot.starts_at, "305", STAFF, NOW)
        with pytest.raises(SlotTaken):
            await uow.requests.save(other)


async def test_a_withdrawn_request_frees_its_slot(uow_factory: SqlUnitOfWorkFactory) -> None:
    s = await seed(uow_factory)
    slot = s.slots[0]
    async with uow_factory() as uow:
        first = await uow.requests.add(
            registered(s.citizen_ids[0], s.official_id, "1", slot_id=slot.id)
        )
        first.withdraw(Actor.citizen(s.citizen_ids[0]), NOW)
        await uow.requests.save(first)
        await uow.requests.add(registered(s.citizen_ids[1], s.official_id, "2", slot_id=slot.id))
        await uow.commit()


async def test_an_attended_request_no_longer_holds_its_slot(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    s = await seed(uow_factory)
    slot = s.slots[0].id
    async with uow_factory() as uow:
        await uow.requests.add(
            registered(s.citizen_ids[0], s.official_id, "1", slot_id=slot, status=Status.ATTENDED)
        )
        await uow.requests.add(registered(s.citizen_ids[1], s.official_id, "2", slot_id=slot))
        await uow.commit()


async def test_a_citizen_has_one_active_request_per_official(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    s = await seed(uow_factory)
    citizen = s.citizen_ids[0]
    async with uow_factory() as uow:
        await uow.requests.add(registered(citizen, s.official_id, "1"))
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(ActiveRequestExists):
            await uow.requests.add(registered(citizen, s.official_id, "2"))
    async with uow_factory() as uow:
        deputy = await uow.schedule.add_official(official(name_ru="Заместитель"))
        await uow.requests.add(registered(citizen, deputy.id, "3"))
        await uow.requests.add(registered(citizen, s.official_id, "4", status=Status.CLOSED))
        await uow.requests.add(registered(citizen, s.official_id, None, status=Status.DRAFT))
        await uow.commit()


async def test_reactivating_a_second_request_raises_active_request_exists(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    s = await seed(uow_factory)
    citizen = s.citizen_ids[0]
    async with uow_factory() as uow:
        await uow.requests.add(registered(citizen, s.official_id, "1"))
        draft = await uow.requests.add(
            registered(citizen, s.official_id, None, status=Status.DRAFT)
        )
        await uow.commit()
    async with uow_factory() as uow:
        draft.status = Status.REGISTERED
        with pytest.raises(ActiveRequestExists):
            await uow.requests.save(draft)
