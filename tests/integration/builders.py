"""Small builders of domain objects for storage tests (fictional people only)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert

from reception.citizens import Citizen
from reception.clock import ALMATY
from reception.requests import BookingRequest, Channel, Status
from reception.schedule import Official, ReceptionDay, Slot
from storage.tables import citizens as citizens_table
from storage.uow import SqlUnitOfWorkFactory

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ALMATY)  # a Monday
RECEPTION_DAY = date(2026, 3, 11)


def citizen(n: int = 1, **kw: Any) -> Citizen:
    values: dict[str, Any] = {
        "language": "kk",
        "full_name": f"Азамат Тестұлы {n}",
        "iin": f"{900101300000 + n:012d}",
        "phone": "+77010000000",
        "created_at": NOW,
    }
    values.update(kw)
    return Citizen(**values)


def official(**kw: Any) -> Official:
    values: dict[str, Any] = {
        "name_kk": "Серік Әлиұлы Бекқожа",
        "name_ru": "Серик Алиевич Беккожа",
        "position_kk": "Облыс әкімі",
        "position_ru": "Аким области",
    }
    values.update(kw)
    return Official(**values)


def reception_day(official_id: int, day: date = RECEPTION_DAY, **kw: Any) -> ReceptionDay:
    values: dict[str, Any] = {
        "official_id": official_id,
        "day": day,
        "starts": time(10, 0),
        "ends": time(12, 0),
        "place_kk": "Әкімдік, 305 кабинет",
        "place_ru": "Акимат, кабинет 305",
    }
    values.update(kw)
    return ReceptionDay(**values)


def slots_of(day: ReceptionDay, count: int = 6) -> list[Slot]:
    start = datetime.combine(day.day, day.starts, ALMATY)
    step = timedelta(minutes=day.slot_minutes)
    return [
        Slot(reception_day_id=0, starts_at=start + i * step, ends_at=start + (i + 1) * step)
        for i in range(count)
    ]


def booking_request(citizen_id: int, official_id: int, **kw: Any) -> BookingRequest:
    values: dict[str, Any] = {
        "citizen_id": citizen_id,
        "official_id": official_id,
        "channel": Channel.TELEGRAM,
        "question": "Жер учаскесін беру мәселесі",
        "applicant_name": "Азамат Тестұлы",
        "applicant_iin": "900101300001",
        "created_at": NOW,
    }
    values.update(kw)
    return BookingRequest(**values)


def registered(citizen_id: int, official_id: int, number: str, **kw: Any) -> BookingRequest:
    """A request as registration leaves it (without needing the calendar)."""
    values: dict[str, Any] = {
        "status": Status.REGISTERED,
        "number": number,
        "registered_at": NOW,
        "registration_date": NOW.date(),
        "answer_due": date(2026, 3, 24),
    }
    values.update(kw)
    return booking_request(citizen_id, official_id, **values)


@dataclass
class Seed:
    official_id: int
    day: ReceptionDay
    slots: list[Slot]
    citizen_ids: list[int]


async def seed(uow_factory: SqlUnitOfWorkFactory, citizens: int = 2, slots: int = 6) -> Seed:
    async with uow_factory() as uow:
        official_id = (await uow.schedule.add_official(official())).id
        assert official_id is not None
        day = reception_day(official_id)
        day_slots = slots_of(day, slots)
        await uow.schedule.add_day(day, day_slots)
        # One multi-row INSERT: the concurrency tests seed hundreds of citizens.
        statement = insert(citizens_table).returning(
            citizens_table.c.id, sort_by_parameter_order=True
        )
        rows = [
            {k: v for k, v in dataclasses.asdict(citizen(n)).items() if k != "id"}
            for n in range(citizens)
        ]
        citizen_ids = list((await uow.connection.execute(statement, rows)).scalars())
        await uow.commit()
    return Seed(official_id, day, day_slots, citizen_ids)
