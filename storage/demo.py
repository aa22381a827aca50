"""Demo data: a fictional akimat to try the product with. Loaded only on request (`reception
demo-data`, `reception run --demo`) or into a brand-new database, never over real data.

No demo citizen is linked to a chat and nothing is written to the outbox: demo data never
messages anyone.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from reception.actors import Actor
from reception.calendar import WorkingCalendar
from reception.citizens import Citizen, Role, StaffUser
from reception.clock import Clock, local_date
from reception.deadlines import Deadlines
from reception.iin import check_digit, validate_iin
from reception.ports import UnitOfWork, UnitOfWorkFactory
from reception.profile import Profile
from reception.requests import ReceptionFormat
from reception.schedule import ReceptionDay
from reception.slots import generate_slots
from storage import demo_data
from storage.demo_requests import DemoContext, add_demo_requests
from storage.users import hash_password

# DEMO ONLY. These passwords are printed by the CLI for trying the product on a laptop;
# never use them, or the demo users, on a server anyone else can reach.
DEMO_PASSWORDS: dict[str, str] = {
    "admin": "demo-admin-2026",
    "operator": "demo-operator-2026",
    "reception": "demo-reception-2026",
    "official": "demo-official-2026",
}
DEMO_USERS: tuple[tuple[str, Role, str, str], ...] = (  # username, role, full name, language
    ("admin", Role.ADMIN, "Данияр Әкімшіұлы (демо)", "kk"),
    ("operator", Role.OPERATOR, "Анна Операторова (демо)", "ru"),
    ("reception", Role.RECEPTION, "Мөлдір Қабылдаушықызы (демо)", "kk"),
    ("official", Role.OFFICIAL, "Ерлан Жақсыбеков (демо)", "kk"),
)

# Official -> (weekday, every n weeks): everyone receives at least monthly (R5).
RECEPTION_WEEKDAYS = {
    "apparatus_head": (0, 1),
    "deputy_social": (1, 1),
    "deputy_economy": (2, 1),
    "deputy_infrastructure": (3, 1),
    "akim": (4, 2),
}
WEEKS_AHEAD = 6
DAY_STARTS, DAY_ENDS = time(10, 0), time(18, 0)  # slots 10:00-13:00 and 15:00-18:00 (lunch)
SLOT_MINUTES = 20


def demo_iin(birth: date, male: bool, serial: int) -> str:
    """A fictional IIN with a valid check digit (R37): birth date, century-and-sex digit,
    serial number, check digit."""
    century = {18: 1, 19: 3, 20: 5}[birth.year // 100] + (0 if male else 1)
    while True:
        first_eleven = f"{birth:%y%m%d}{century}{serial:04d}"
        check = check_digit(first_eleven)
        if check is not None:
            return validate_iin(f"{first_eleven}{check}")
        serial += 1


async def load_demo_data(uow_factory: UnitOfWorkFactory, profile: Profile, clock: Clock) -> None:
    """Loads the demo akimat in one transaction; does nothing if any official exists."""
    async with uow_factory(readonly=True) as uow:
        if await uow.schedule.officials(active_only=False):
            return
    hashes = {
        name: await asyncio.to_thread(hash_password, password)
        for name, password in DEMO_PASSWORDS.items()
    }
    now = clock.now()
    calendar = WorkingCalendar(profile)
    async with uow_factory() as uow:
        official_ids = await _add_officials_and_topics(uow)
        users = await _add_users(uow, hashes, official_ids["akim"], now)
        day_format = (
            ReceptionFormat.VIDEO if profile.restrictive_mode else ReceptionFormat.IN_PERSON
        )
        for key, official_id in official_ids.items():
            for day in _reception_dates(calendar, local_date(now), *RECEPTION_WEEKDAYS[key]):
                await _add_day(uow, profile, calendar, official_id, day, day_format)
        past_day = calendar.previous_working_day(local_date(now) - timedelta(days=7))
        past = await _add_day(uow, profile, calendar, official_ids["akim"], past_day, day_format)
        citizens = await _add_citizens(uow, now)
        context = DemoContext(
            uow=uow,
            deadlines=Deadlines(calendar, profile),
            profile=profile,
            now=now,
            staff=Actor.staff(users["reception"]),
            official_ids=official_ids,
            citizens=citizens,
            past_day=past,
        )
        await add_demo_requests(context)
        await uow.commit()


async def _add_officials_and_topics(uow: UnitOfWork) -> dict[str, int]:
    official_ids: dict[str, int] = {}
    for key, template in demo_data.OFFICIALS.items():
        official = await uow.schedule.add_official(replace(template))
        assert official.id is not None
        official_ids[key] = official.id
    for topic in demo_data.topics(official_ids):
        await uow.schedule.add_topic(topic)
    return official_ids


async def _add_users(
    uow: UnitOfWork, hashes: dict[str, str], akim_id: int, now: datetime
) -> dict[str, int]:
    ids: dict[str, int] = {}
    for username, role, full_name, language in DEMO_USERS:
        user = await uow.staff.add(
            StaffUser(
                username=username,
                full_name=full_name,
                role=role,
                password_hash=hashes[username],
                language=language,
                official_id=akim_id if role is Role.OFFICIAL else None,
                created_at=now,
            )
        )
        assert user.id is not None
        ids[username] = user.id
    return ids


def _reception_dates(
    calendar: WorkingCalendar, today: date, weekday: int, every_weeks: int
) -> list[date]:
    """The official's reception dates over the coming weeks; a holiday moves the reception to
    the next working day (R34, R35)."""
    first = today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    dates = []
    for week in range(0, WEEKS_AHEAD, every_weeks):
        day = calendar.next_working_day(first + timedelta(weeks=week))
        if day not in dates:
            dates.append(day)
    return dates


async def _add_day(
    uow: UnitOfWork,
    profile: Profile,
    calendar: WorkingCalendar,
    official_id: int,
    day: date,
    day_format: ReceptionFormat,
) -> ReceptionDay:
    reception_day = ReceptionDay(
        official_id=official_id,
        day=day,
        starts=DAY_STARTS,
        ends=DAY_ENDS,
        place_kk=demo_data.PLACE_KK,
        place_ru=demo_data.PLACE_RU,
        format=day_format,
        slot_minutes=SLOT_MINUTES,
    )
    return await uow.schedule.add_day(
        reception_day, generate_slots(reception_day, profile, calendar)
    )


async def _add_citizens(uow: UnitOfWork, now: datetime) -> list[Citizen]:
    citizens = []
    for serial, (name, language, sex, year) in enumerate(demo_data.CITIZENS, start=1):
        birth = date(year, 1 + serial % 12, 1 + serial % 28)
        citizen = await uow.citizens.add(
            Citizen(
                language=language,
                full_name=name,
                iin=demo_iin(birth, sex == "m", 9000 + serial),
                phone=f"+7 700 555 {serial:02d} {serial * 7 % 100:02d}",
                consent_at=now - timedelta(days=20),
                consent_version="demo",
                created_at=now - timedelta(days=20),
            )
        )
        citizens.append(citizen)
    return citizens
