"""Many writers at once: exactly one booking per slot, unique sequential numbers, and never a
database error ("database is locked", IntegrityError, pool timeout) on either dialect."""

from __future__ import annotations

import asyncio
import time

from reception.actors import Actor
from reception.errors import SlotTaken
from reception.requests import Status
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.builders import NOW, registered, seed

ATTEMPTS = 200


async def test_200_concurrent_bookings_of_one_slot_give_exactly_one(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    s = await seed(uow_factory, citizens=ATTEMPTS, slots=1)
    slot = s.slots[0]
    waiting_ids: dict[int, int] = {}
    async with uow_factory() as uow:  # half the contenders already hold a registered request
        for citizen_id in s.citizen_ids[::2]:
            request = registered(citizen_id, s.official_id, f"P-{citizen_id}")
            waiting_ids[citizen_id] = (await uow.requests.add(request)).id
        await uow.commit()

    async def attempt(citizen_id: int) -> str:
        async with uow_factory() as uow:
            if citizen_id in waiting_ids:  # book an existing request into the slot
                request = await uow.requests.get(waiting_ids[citizen_id], for_update=True)
                request.book(slot.id, slot.starts_at, "305", Actor.citizen(citizen_id), NOW)
                await uow.requests.save(request)
            else:  # create a request that holds the slot
                number = await uow.requests.next_number(2026)
                await uow.requests.add(
                    registered(citizen_id, s.official_id, number, slot_id=slot.id)
                )
            await uow.commit()
        return "booked"

    started = time.perf_counter()
    outcomes = await asyncio.gather(*(attempt(c) for c in s.citizen_ids), return_exceptions=True)
    elapsed = time.perf_counter() - started

    unexpected = [o for o in outcomes if o != "booked" and not isinstance(o, SlotTaken)]
    assert unexpected == []
    assert outcomes.count("booked") == 1
    assert sum(isinstance(o, SlotTaken) for o in outcomes) == ATTEMPTS - 1
    async with uow_factory(readonly=True) as uow:
        holders = [r for r in await uow.requests.for_slot_ids([slot.id])]
    assert [r.status for r in holders if r.slot_id == slot.id] in (
        [Status.BOOKED],
        [Status.REGISTERED],
    )
    print(f"\n{ATTEMPTS} bookings of one slot: {elapsed:.2f} s")


async def test_request_numbers_are_unique_and_gapless_under_concurrency(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    async def take_number() -> str:
        async with uow_factory() as uow:
            number = await uow.requests.next_number(2026)
            await uow.commit()
            return number

    numbers = await asyncio.gather(*(take_number() for _ in range(50)))
    assert sorted(numbers) == [f"2026-{n:06d}" for n in range(1, 51)]
