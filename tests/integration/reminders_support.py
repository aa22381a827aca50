"""What the reminder and job tests share: an akimat with an official, reception days,
citizens with a Telegram chat booked through the real use cases, a clock the test moves (no
sleeping), and `World.advance`, which runs the job runner at each moment a job falls due,
and one second before it, to show that nothing fires early or twice.
Fictional people only; IINs are valid by their check digit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.flow.events import Reply
from bot.jobs import build_handlers, run_due
from locales import Translator
from reception.actors import Actor
from reception.citizens import Citizen, Role, StaffUser
from reception.clock import ALMATY, FixedClock
from reception.iin import check_digit
from reception.ports import Job
from reception.profile import Profile, load_profile
from reception.requests import BookingRequest, Channel, ReceptionFormat, Representation
from reception.schedule import Official
from reception.services.context import Rules
from reception.services.requests import book_request, register_request
from reception.services.schedules import DayForm, add_reception_day
from storage.repositories._base import build
from storage.tables import jobs, outbox

STAFF = Actor.staff(1)
_TRANSLATOR = Translator()


def valid_iin(n: int) -> str:
    first = f"850315{n:05d}"
    digit = check_digit(first)
    if digit is None:
        return valid_iin(n + 1000)
    return first + str(digit)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ALMATY)


def local(moment: datetime) -> datetime:
    return moment.astimezone(ALMATY)


def text_of(row: Any) -> str:
    return str(Reply.from_payload(row["payload"]).text)


@dataclass
class World:
    uow_factory: Any
    clock: FixedClock
    data_dir: Path
    profile: Profile
    official_id: int = 0
    fired: list[tuple[datetime, Job]] = field(default_factory=list)

    @property
    def rules(self) -> Rules:
        return Rules.build(self.profile, self.clock)

    @property
    def handlers(self) -> dict[str, Any]:
        return build_handlers(_TRANSLATOR, self.data_dir)

    # -- building ---------------------------------------------------------------------------

    async def add_official(self, chat_id: int | None = None, language: str = "ru") -> int:
        async with self.uow_factory() as uow:
            official = await uow.schedule.add_official(
                Official(
                    "Серік Бекқожа",
                    "Серик Беккожа",
                    "Облыс әкімі",
                    "Аким области",
                    language=language,
                    telegram_chat_id=chat_id,
                )
            )
            await uow.commit()
        self.official_id = official.id
        return int(official.id)

    async def add_staff(
        self,
        username: str,
        role: Role = Role.RECEPTION,
        chat_id: int | None = None,
        language: str = "ru",
    ) -> int:
        async with self.uow_factory() as uow:
            user = await uow.staff.add(
                StaffUser(
                    username,
                    f"Қызметкер {username}",
                    role,
                    "not-a-hash",
                    language=language,
                    telegram_chat_id=chat_id,
                    created_at=self.clock.now(),
                )
            )
            await uow.commit()
        return int(user.id)

    async def add_day(
        self,
        day: date,
        starts: time = time(10, 0),
        ends: time = time(12, 0),
        official_id: int | None = None,
        video_link: str = "",
    ) -> tuple[int, list[int]]:
        form = DayForm(
            official_id or self.official_id,
            day,
            starts,
            ends,
            "Әкімдік, 305 кабинет",
            "Акимат, кабинет 305",
            ReceptionFormat.VIDEO if video_link else ReceptionFormat.IN_PERSON,
            video_link=video_link,
        )
        async with self.uow_factory() as uow:
            stored = await add_reception_day(uow, self.rules, STAFF, form)
            slots = [s.id for s in await uow.schedule.slots_of_day(stored.id)]
            await uow.commit()
        return int(stored.id), slots

    async def add_citizen(self, n: int, lang: str = "ru", channel: str = "telegram") -> int:
        async with self.uow_factory() as uow:
            citizen = await uow.citizens.add(
                Citizen(
                    language=lang,
                    full_name=f"Азамат Тестұлы {n}",
                    iin=valid_iin(n),
                    consent_at=self.clock.now(),
                    consent_version="test",
                    created_at=self.clock.now(),
                )
            )
            await uow.citizens.link_channel(citizen.id, channel, self.chat_of(n), self.clock.now())
            await uow.commit()
        return int(citizen.id)

    @staticmethod
    def chat_of(n: int) -> str:
        return str(700_000 + n)

    async def register(self, citizen_id: int, n: int, **kw: Any) -> int:
        draft = BookingRequest(
            citizen_id=citizen_id,
            official_id=kw.pop("official_id", self.official_id),
            channel=Channel.TELEGRAM,
            question=f"Жол жөндеу туралы мәселе {n}",
            applicant_name=f"Азамат Тестұлы {n}",
            applicant_iin=valid_iin(n),
            **kw,
        )
        async with self.uow_factory() as uow:
            stored, _ = await register_request(uow, self.rules, draft, STAFF)
            await uow.commit()
        return int(stored.id)

    async def book(self, citizen_id: int, n: int, slot_id: int, **kw: Any) -> int:
        request_id = kw.pop("request_id", None) or await self.register(citizen_id, n, **kw)
        async with self.uow_factory() as uow:
            await book_request(uow, self.rules, request_id, slot_id, STAFF)
            await uow.commit()
        return int(request_id)

    async def representative(self, citizen_id: int, n: int, slot_id: int) -> int:
        return await self.book(
            citizen_id,
            n,
            slot_id,
            representation=Representation.PERSON,
            principal_name="Гүлнар Тестқызы",
            principal_id_number=valid_iin(n + 1),
        )

    # -- running ----------------------------------------------------------------------------

    async def run(self, moment: datetime | None = None, **kw: Any) -> int:
        if moment is not None:
            self.clock.set(moment)
        return await run_due(self.uow_factory, self.rules, self.handlers, self.clock.now(), **kw)

    async def next_due(self) -> datetime | None:
        async with self.uow_factory(readonly=True) as uow:
            statement = select(func.min(jobs.c.due_at)).where(jobs.c.state == "pending")
            return (await uow.connection.execute(statement)).scalar_one_or_none()

    async def advance(self, until: datetime) -> None:
        """Runs every job falling due up to `until`, at its exact moment; one second before
        each such moment nothing may run. What ran is appended to `fired`."""
        await self.run(self.clock.now())
        while True:
            due = await self.next_due()
            if due is None or due > until:
                break
            if due > self.clock.now():
                before = await self.run(due - timedelta(seconds=1), plan=False)
                assert before == 0, f"{before} job(s) ran before {local(due)}"
            done_before = {job.id for _, job in self.fired}
            await self.run(due)
            for job in await self.jobs():
                if job.done_at is not None and job.id not in done_before and job.state != "pending":
                    self.fired.append((local(due), job))
        self.clock.set(until)
        await self.run(until)

    # -- reading ----------------------------------------------------------------------------

    async def jobs(self, kind: str | None = None) -> list[Job]:
        statement = select(jobs).order_by(jobs.c.id)
        if kind is not None:
            statement = statement.where(jobs.c.kind == kind)
        async with self.uow_factory(readonly=True) as uow:
            rows = (await uow.connection.execute(statement)).mappings().all()
        return [build(Job, row) for row in rows]

    async def rows(self, kind: str | None = None, chat_id: str | None = None) -> list[Any]:
        statement = select(outbox).order_by(outbox.c.id)
        if kind is not None:
            statement = statement.where(outbox.c.kind == kind)
        if chat_id is not None:
            statement = statement.where(outbox.c.chat_id == chat_id)
        async with self.uow_factory(readonly=True) as uow:
            return list((await uow.connection.execute(statement)).mappings().all())


def translator() -> Translator:
    return _TRANSLATOR


def world(uow_factory: Any, tmp_path: Path, now: datetime, profile: Profile | None = None) -> World:
    return World(
        uow_factory, FixedClock(now), tmp_path / "data", profile or load_profile("typical-2023")
    )
