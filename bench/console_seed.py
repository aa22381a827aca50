"""100k requests for bench/console.py, written in bulk on a migrated database.

Each request is registered by the domain (`BookingRequest.register`: number, registration
date, answer term); its status is then set to one of the life cycle's, older requests mostly
finished, newer ones mostly open, with one history row per step taken. Requests are inserted
in id order, so their ids are 1..N.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text

from reception.actors import Actor
from reception.calendar import WorkingCalendar
from reception.citizens import Role
from reception.clock import ALMATY
from reception.deadlines import Deadlines
from reception.iin import check_digit
from reception.profile import load_profile
from reception.requests import BookingRequest, Channel, Status
from reception.schedule import Official, Topic
from storage.engine import create_engine
from storage.migrate import _upgrade, alembic_config
from storage.repositories.requests import _values
from storage.tables import citizens, request_history, requests
from storage.uow import SqlUnitOfWorkFactory
from storage.users import create_user

USERNAME = "bench-reception"
PASSWORD = "bench password 1234"
NOW = datetime(2026, 5, 20, 11, 0, tzinfo=ALMATY)
BATCH = 2_000
SURNAMES = (
    "Ахметов",
    "Серікбаев",
    "Иванова",
    "Жұмабекова",
    "Омаров",
    "Ким",
    "Нұрланұлы",
    "Петров",
    "Сағындықова",
    "Әбілқасымов",
    "Бекова",
    "Ермеков",
    "Смагулова",
    "Тен",
)
GIVEN = ("Нұрлан", "Айгүл", "Дина", "Бауыржан", "Анна", "Серік", "Әсел", "Кенжебек", "Ольга")
OPEN = (
    (Status.REGISTERED,) * 6
    + (Status.UNDER_REVIEW,) * 3
    + (Status.NEEDS_FIX, Status.EXTENDED, Status.BOOKED, Status.BOOKED, Status.REFUSAL_DRAFT)
)
DONE = (Status.CLOSED,) * 4 + (
    Status.WITHDRAWN,
    Status.REFUSED,
    Status.FORWARDED,
    Status.NO_SHOW,
    Status.LEFT_WITHOUT_CONSIDERATION,
    Status.RETURNED,
)
CHANNELS = tuple(Channel)


@dataclass
class Facts:
    official_ids: list[int]
    names: list[str] = field(default_factory=list)
    iins: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    request_ids: list[int] = field(default_factory=list)
    drop: Callable[[], Awaitable[None]] = field(default=lambda: _nothing())


async def _nothing() -> None:
    return None


def iin(n: int) -> str:
    """A valid IIN (R37), one per n: the birth date and serial vary with n."""
    for attempt in range(30):
        day = 1 + (n + attempt) % 28
        first = f"{70 + n % 30:02d}{1 + n % 12:02d}{day:02d}3{n % 10000:04d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)
    raise ValueError(f"no valid IIN for {n}")


async def seed(url: str, count: int, schema: str | None) -> Facts:
    options: dict[str, Any] = {}
    if schema is not None:
        admin = create_engine(url)
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        await admin.dispose()
        options["connect_args"] = {"server_settings": {"search_path": schema}}
    engine = create_engine(url, **options)
    try:
        async with engine.connect() as conn:
            await conn.run_sync(_upgrade, alembic_config(url))
            await conn.commit()
        facts = await _fill(engine, count)
    finally:
        await engine.dispose()
    if schema is not None:

        async def drop() -> None:
            admin = create_engine(url)
            async with admin.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            await admin.dispose()

        facts.drop = drop
    return facts


async def _fill(engine: Any, count: int) -> Facts:
    factory = SqlUnitOfWorkFactory(engine)
    profile = load_profile("typical-2023")
    deadlines = Deadlines(WorkingCalendar(profile), profile)
    async with factory() as uow:
        officials = [
            await uow.schedule.add_official(
                Official(
                    name_kk=f"Лауазым иесі {n}",
                    name_ru=f"Должностное лицо {n}",
                    position_kk="Орынбасар",
                    position_ru="Заместитель",
                    group=1 + n % 4,
                )
            )
            for n in range(8)
        ]
        official_ids = [o.id or 0 for o in officials]
        for n in range(12):
            await uow.schedule.add_topic(
                Topic(f"topic-{n}", f"Тақырып {n}", f"Тема {n}", official_id=official_ids[n % 8])
            )
        await uow.commit()
    await create_user(factory, USERNAME, PASSWORD, Role.RECEPTION, "Bench Reception")
    facts = Facts(official_ids)
    maker = RowMaker(official_ids, deadlines, profile.priority_categories[0].id)
    async with engine.begin() as conn:
        for start in range(0, count, BATCH):
            people, rows, history = [], [], []
            for n in range(start, min(count, start + BATCH)):
                citizen, request, steps = maker.rows(n)
                people.append(citizen)
                rows.append(request)
                history.extend(steps)
                if n % 997 == 0:  # a sample of what staff search for
                    facts.names.append(citizen["full_name"].split()[0][:5])
                    facts.iins.append(request["applicant_iin"])
                    facts.numbers.append(request["number"])
            await conn.execute(insert(citizens), people)
            await conn.execute(insert(requests), rows)
            await conn.execute(insert(request_history), history)
        top = (await conn.execute(select(func.max(requests.c.id)))).scalar_one()
        assert top == count, f"expected ids 1..{count}, got max {top}"
        await conn.execute(text("ANALYZE"))
    facts.request_ids = list(range(1, count + 1))
    return facts


class RowMaker:
    """The rows of request n: its citizen, the request (registered by the domain, then moved
    to a status of its age), and its history."""

    def __init__(self, official_ids: list[int], deadlines: Deadlines, priority: str) -> None:
        self.official_ids = official_ids
        self.deadlines = deadlines
        self.priority = priority
        self.rng = random.Random(1)
        self.numbers: dict[int, int] = {}

    def rows(self, n: int) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
        rng = self.rng
        name = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)} {n}"
        at = NOW - timedelta(minutes=rng.randrange(700 * 24 * 60))
        citizen = {
            "language": "kk" if n % 2 else "ru",
            "full_name": name,
            "iin": iin(n),
            "phone": f"+7701{n:07d}",
            "consent_at": at,
            "consent_version": "1",
            "created_at": at,
        }
        request = BookingRequest(
            citizen_id=n + 1,
            official_id=self.official_ids[n % len(self.official_ids)],
            channel=CHANNELS[n % len(CHANNELS)],
            question=f"Вопрос номер {n}",
            applicant_name=name,
            applicant_iin=citizen["iin"],
            applicant_phone=citizen["phone"],
            topic_id=1 + n % 12,
            priority_category=self.priority if n % 33 == 0 else None,
        )
        year = at.astimezone(ALMATY).year
        self.numbers[year] = self.numbers.get(year, 0) + 1
        number = f"{year}-{self.numbers[year]:06d}"
        request.register(number, Actor.citizen(n + 1), at, self.deadlines)
        request.status = rng.choice(DONE if at < NOW - timedelta(days=60) else OPEN)
        steps = [_step(n + 1, Status.DRAFT, Status.REGISTERED, "citizen", n + 1, at)]
        if request.status is not Status.REGISTERED:
            later = at + timedelta(days=3)
            steps.append(_step(n + 1, Status.REGISTERED, request.status, "staff", 1, later))
        return citizen, _values(request) | {"version": 1}, steps


def _step(
    request_id: int, before: Status, after: Status, kind: str, actor: int, at: datetime
) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "from_status": str(before),
        "to_status": str(after),
        "actor_kind": kind,
        "actor_id": actor,
        "at": at,
    }
