"""What the dialog tests share: a small akimat (officials, topics, reception days), a fixed
clock, and `Chat`, which talks to the bot through the pipeline as a channel would and reads
back what the citizen would see (the outbox rows of that chat, rendered as the sender does).
Fictional people only; the IINs are made valid by their check digit.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.files import DocumentStore
from bot.flow.dialog import Dialog
from bot.flow.events import Button, EventKind, Incoming, IncomingFile, Reply
from bot.outbox.render import render
from bot.pipeline import process
from locales import Translator
from reception.clock import ALMATY, FixedClock
from reception.iin import check_digit
from reception.ports import OutboxItem, Page, RequestFilter
from reception.profile import Profile, load_profile
from reception.requests import BookingRequest
from reception.schedule import Official, ReceptionDay, Topic
from reception.services.context import Rules
from reception.slots import generate_slots
from storage.tables import outbox

# Monday 2 March 2026, 10:00 in Almaty: a working day, within working hours (R34).
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ALMATY)
RECEPTION_DAYS = (date(2026, 3, 11), date(2026, 3, 18))  # Wednesdays
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)
_TRANSLATOR: Translator | None = None


def valid_iin(first_eleven: str) -> str:
    digit = check_digit(first_eleven)
    assert digit is not None
    return first_eleven + str(digit)


APPLICANT_IIN = valid_iin("85031530004")  # born 15 Mar 1985, 1900s, male
PRINCIPAL_IIN = valid_iin("52061240112")
ORGANISATION_BIN = valid_iin("08044000123")  # registered Apr 2008, resident, head office


def translator() -> Translator:
    global _TRANSLATOR
    if _TRANSLATOR is None:
        _TRANSLATOR = Translator()
    return _TRANSLATOR


def make_dialog(data_dir: Path, clock: FixedClock, profile: Profile | None = None) -> Dialog:
    profile = profile or load_profile("typical-2023")
    rules = Rules.build(profile, clock)
    return Dialog(rules, translator(), DocumentStore(data_dir, profile.documents))


@dataclass
class World:
    akim_id: int
    deputy_id: int
    roads_topic_id: int  # local, the deputy's
    pensions_topic_id: int  # central bodies: reception centres (R2)
    slot_ids: list[int]  # the akim's, soonest first


async def build_world(uow_factory: Any, profile: Profile | None = None) -> World:
    profile = profile or load_profile("typical-2023")
    async with uow_factory() as uow:
        akim = await uow.schedule.add_official(
            Official(
                "Серік Бекқожа",
                "Серик Беккожа",
                "Облыс әкімі",
                "Аким области",
                group=1,
                phone="+7 7172 00 00 00",
            )
        )
        deputy = await uow.schedule.add_official(
            Official(
                "Айгүл Сәрсенова",
                "Айгуль Сарсенова",
                "Облыс әкімінің орынбасары",
                "Заместитель акима области",
                group=1,
            )
        )
        roads = await uow.schedule.add_topic(
            Topic("roads", "Жолдар", "Дороги", official_id=deputy.id)
        )
        pensions = await uow.schedule.add_topic(
            Topic(
                "pensions",
                "Зейнетақы",
                "Пенсии",
                competence="central",
                redirect_kk="Зейнетақы мәселелері бойынша — азаматтарды қабылдау орталығына.",
                redirect_ru="По пенсиям — в центр приема граждан.",
            )
        )
        slot_ids: list[int] = []
        for day in RECEPTION_DAYS:
            reception = ReceptionDay(
                akim.id,
                day,
                time(10, 0),
                time(11, 0),
                "Әкімдік, 305 кабинет",
                "Акимат, кабинет 305",
            )
            stored = await uow.schedule.add_day(reception, generate_slots(reception, profile))
            slot_ids += [s.id for s in await uow.schedule.slots_of_day(stored.id)]
        await uow.commit()
    return World(akim.id, deputy.id, roads.id, pensions.id, slot_ids)


@dataclass
class Chat:
    """One citizen's chat, driven through `bot.pipeline.process` like a channel adapter."""

    uow_factory: Any
    dialog: Dialog
    chat_id: str = "5001"
    channel: str = "web"
    clock: FixedClock | None = None
    lang: str = "ru"  # the language notices are rendered in, as the sender would
    last: list[Reply] = field(default_factory=list)
    _seen_outbox_id: int = 0
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def event(self, kind: EventKind, **kw: Any) -> Incoming:
        at = self.clock.now() if self.clock else NOW
        return Incoming(
            self.channel, self.chat_id, f"{self.chat_id}-{next(self._ids)}", at, kind, **kw
        )

    async def feed(self, event: Incoming) -> list[Reply]:
        await process(self.uow_factory, self.dialog, event)
        self.last = await self.read()
        return self.last

    async def say(self, text: str) -> list[Reply]:
        return await self.feed(self.event(EventKind.TEXT, text=text))

    async def tap(self, button_id: str) -> list[Reply]:
        return await self.feed(self.event(EventKind.BUTTON, button=button_id))

    async def command(self, name: str) -> list[Reply]:
        return await self.feed(self.event(EventKind.COMMAND, text=name))

    async def share_contact(self, phone: str) -> list[Reply]:
        return await self.feed(self.event(EventKind.CONTACT, contact_phone=phone))

    async def send_file(
        self,
        content: bytes | None,
        name: str = "doc.pdf",
        mime: str = "application/pdf",
        refused: str | None = None,
    ) -> list[Reply]:
        size = len(content) if content is not None else 30 * 1024 * 1024
        file = IncomingFile(name, mime, size, content, refused)
        return await self.feed(self.event(EventKind.FILE, file=file))

    async def read(self) -> list[Reply]:
        """The replies written for this chat since the last read, as the citizen sees them."""
        async with self.uow_factory(readonly=True) as uow:
            rows = (
                (
                    await uow.connection.execute(
                        select(outbox)
                        .where(outbox.c.chat_id == self.chat_id, outbox.c.id > self._seen_outbox_id)
                        .order_by(outbox.c.id)
                    )
                )
                .mappings()
                .all()
            )
        replies = []
        for row in rows:
            self._seen_outbox_id = row["id"]
            replies.append(rendered(row, self.lang))
        return replies

    # -- looking at the last replies ------------------------------------------------------

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.last)

    @property
    def buttons(self) -> list[Button]:
        return [button for reply in self.last for row in reply.buttons for button in row]

    def button(self, prefix: str, index: int = 0) -> str:
        ids = [b.id for b in self.buttons if b.id.startswith(prefix)]
        assert ids, f"no button {prefix!r} in {[b.id for b in self.buttons]}"
        return ids[index]


def t(lang: str, message_id: str, **args: Any) -> str:
    return translator()(lang, message_id, **args)


def later(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)


async def book(
    chat: Chat,
    world: World,
    *,
    lang: str = "ru",
    slot: bool = True,
    until: str | None = None,
    again: bool = False,
) -> None:
    """A citizen's whole booking for themself with the akim, from /start to confirm; `until`
    stops before tapping that state's answer (a state name from bot.flow.states); `again`
    for a citizen who already chose the language and agreed."""
    from bot.flow import states

    chat.lang = lang
    script: list[tuple[str, Any]] = [
        (states.LANGUAGE, ("tap", "lang:" + lang)),
        (states.CONSENT, ("tap", "consent:yes")),
        (states.MENU, ("tap", "menu:book")),
        (states.REPRESENTATION, ("tap", "rep:self")),
        (states.NAME, ("say", "Ахметов Серик Болатович")),
        (states.IIN, ("say", APPLICANT_IIN)),
        (states.PHONE, ("say", "8 701 123 45 67")),
        (states.ID_TYPE, ("tap", "idtype:id-card")),
        (states.ID_NUMBER, ("say", "012345678")),
        (states.TOPIC, ("tap", f"topic:{world.roads_topic_id}")),
        (states.OFFICIAL, ("tap", f"official:{world.akim_id}")),
        (states.QUESTION, ("say", QUESTION[lang])),
        *[(states.ADMISSIBILITY, ("tap", "no"))] * 4,
        (states.PRIORITY, ("tap", "priority:none")),
        (states.FORMAT, ("tap", "format:in_person")),
        (states.RECEPTION_LANGUAGE, ("tap", "rlang:" + lang)),
        (states.SLOT, ("tap", f"slot:{world.slot_ids[0]}" if slot else "slot:queue")),
        (states.SUMMARY, ("tap", "confirm")),
    ]
    await chat.command("/start")
    if again:
        script = script[2:]
    for state, (how, value) in script:
        if state == until:
            return
        await (chat.tap(value) if how == "tap" else chat.say(value))


QUESTION = {
    "ru": "Во дворе дома по улице Абая, 10 второй месяц не работает уличное освещение",
    "kk": "Абай көшесі, 10 үйдің ауласында екінші ай бойы көше жарығы жанбайды",
}


async def all_requests(uow_factory: Any) -> list[BookingRequest]:
    async with uow_factory(readonly=True) as uow:
        found, _ = await uow.requests.search(RequestFilter(), Page(limit=100))
    return sorted(found, key=lambda r: r.id or 0)


# -- fixtures: `from tests.integration.dialog_support import *` brings exactly these ------
__all__ = ["chat", "clock", "dialog", "world"]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def world(uow_factory: Any) -> World:
    return await build_world(uow_factory)


@pytest.fixture
def dialog(tmp_path: Path, clock: FixedClock) -> Dialog:
    return make_dialog(tmp_path, clock)


@pytest.fixture
def chat(uow_factory: Any, dialog: Dialog, clock: FixedClock, world: World) -> Chat:
    return Chat(uow_factory, dialog, clock=clock)


def rendered(row: Any, lang: str) -> Reply:
    """An outbox row as the outbox sender renders it: notices in the citizen's language."""
    item = OutboxItem(
        channel=row["channel"],
        chat_id=row["chat_id"],
        citizen_id=row["citizen_id"],
        payload=row["payload"],
        kind=row["kind"],
        message_id=row["message_id"],
        args=row["args"],
        id=row["id"],
    )
    return render(item, translator(), lang)
