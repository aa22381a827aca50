"""Officials, topics, reception days, slots and the free-slot search."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from reception.clock import ALMATY
from reception.errors import NotFound
from reception.requests import ReceptionFormat, Status
from reception.schedule import Topic
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.builders import NOW, official, reception_day, registered, seed, slots_of


async def test_officials_round_trip_and_update(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        akim = await uow.schedule.add_official(official(group=1, telegram_chat_id=10**12))
        retired = await uow.schedule.add_official(official(group=2, active=False))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.schedule.get_official(akim.id) == akim
        akim.phone = "+7 7252 00 00 00"
        await uow.schedule.update_official(akim)
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        assert (await uow.schedule.get_official(akim.id)).phone == "+7 7252 00 00 00"
        assert [o.id for o in await uow.schedule.officials()] == [akim.id]
        everyone = await uow.schedule.officials(active_only=False)
        assert [o.id for o in everyone] == [akim.id, retired.id]
        with pytest.raises(NotFound):
            await uow.schedule.get_official(999)


async def test_topics_round_trip(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        land = await uow.schedule.add_topic(Topic(code="land", name_kk="Жер", name_ru="Земля"))
        pensions = await uow.schedule.add_topic(
            Topic(
                code="pensions",
                name_kk="Зейнетақы",
                name_ru="Пенсии",
                competence="central",
                redirect_kk="ХҚКО",
                redirect_ru="ЦОН",
                active=False,
            )
        )
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        assert await uow.schedule.get_topic(pensions.id) == pensions
        assert await uow.schedule.topics() == [land]


async def test_a_day_and_its_slots_round_trip(uow_factory: SqlUnitOfWorkFactory) -> None:
    s = await seed(uow_factory, slots=3)
    async with uow_factory(readonly=True) as uow:
        day = await uow.schedule.get_day(s.day.id)
        assert day == s.day and isinstance(day.format, ReceptionFormat)
        slots = await uow.schedule.slots_of_day(s.day.id)
        assert slots == s.slots
        assert slots[0].starts_at.tzinfo == ALMATY
        assert slots[0].starts_at == datetime(2026, 3, 11, 10, 0, tzinfo=ALMATY)
        assert await uow.schedule.get_slot(s.slots[1].id) == s.slots[1]


async def test_days_lists_a_period_without_cancelled_days(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    s = await seed(uow_factory)
    async with uow_factory() as uow:
        later = await uow.schedule.add_day(reception_day(s.official_id, date(2026, 3, 18)), [])
        cancelled = await uow.schedule.add_day(reception_day(s.official_id, date(2026, 3, 25)), [])
        cancelled.cancelled_at, cancelled.cancel_reason = NOW, "командировка"
        await uow.schedule.update_day(cancelled)
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        march = await uow.schedule.days(s.official_id, date(2026, 3, 1), date(2026, 3, 31))
        assert [d.id for d in march] == [s.day.id, later.id]
        with_cancelled = await uow.schedule.days(
            None, date(2026, 3, 12), date(2026, 3, 25), include_cancelled=True
        )
        assert [d.id for d in with_cancelled] == [later.id, cancelled.id]
        assert with_cancelled[1].cancel_reason == "командировка"


async def test_free_slots_skip_held_past_and_cancelled_ones(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    s = await seed(uow_factory, slots=4)
    async with uow_factory() as uow:
        await uow.requests.add(
            registered(s.citizen_ids[0], s.official_id, "1", slot_id=s.slots[1].id)
        )
        await uow.requests.add(  # withdrawn: the slot is free again
            registered(
                s.citizen_ids[1],
                s.official_id,
                "2",
                slot_id=s.slots[2].id,
                status=Status.WITHDRAWN,
            )
        )
        cancelled = reception_day(s.official_id, date(2026, 3, 12), cancelled_at=NOW)
        await uow.schedule.add_day(cancelled, slots_of(cancelled, 2))
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        free = await uow.schedule.free_slots(s.official_id, NOW, limit=10)
        assert [x.id for x in free] == [s.slots[0].id, s.slots[2].id, s.slots[3].id]
        after_first = s.slots[0].starts_at
        free = await uow.schedule.free_slots(s.official_id, after_first, limit=1)
        assert [x.id for x in free] == [s.slots[2].id]


async def test_day_times_keep_local_wall_clock(uow_factory: SqlUnitOfWorkFactory) -> None:
    s = await seed(uow_factory)
    async with uow_factory(readonly=True) as uow:
        day = await uow.schedule.get_day(s.day.id)
    assert (day.starts, day.ends) == (time(10, 0), time(12, 0))
    assert s.slots[1].starts_at - s.slots[0].starts_at == timedelta(minutes=20)
