"""The whole dialog on Telegram: real aiogram Dispatcher (`feed_update`), real pipeline and
dialog, the outbox sender, and a fake Bot API session (no network), on SQLite and PostgreSQL.

Every assertion is on what the citizen's Telegram shows (texts, buttons, the contact
button) after the outbox sender ran, or on what staff would find (the request, its status).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.outbox import ChannelLimits, OutboxSender, SenderPolicy
from bot.pipeline import shared_writer
from bot.telegram.runtime import build_dispatcher
from bot.telegram.sender import TelegramSender
from locales import format_date
from reception.actors import Actor
from reception.citizens import Role, StaffUser
from reception.clock import FixedClock
from reception.profile import load_profile
from reception.services import handoff
from storage.engine import create_engine
from storage.migrate import upgrade_to_head
from storage.tables import messages
from storage.uow import SqlUnitOfWorkFactory
from tests.e2e.telegram_fakes import (
    FakeBotApi,
    FakeTelegram,
    Seen,
    TelegramUser,
    as_update,
    fake_bot,
)
from tests.integration.dialog_support import (
    APPLICANT_IIN,
    JPEG,
    NOW,
    PDF,
    PRINCIPAL_IIN,
    QUESTION,
    World,
    all_requests,
    build_world,
    make_dialog,
    t,
    translator,
)

PROFILE = load_profile("typical-2023")


@pytest.fixture
async def uow_factory(database_url: str) -> AsyncIterator[SqlUnitOfWorkFactory]:
    await upgrade_to_head(database_url)
    engine = create_engine(database_url)
    try:
        yield SqlUnitOfWorkFactory(engine)
    finally:
        await engine.dispose()


class TelegramBot:
    """The bot process: Dispatcher, pipeline, dialog and outbox sender on one database.
    `restart()` builds all of them anew (a new process), on the same database and Telegram."""

    def __init__(self, uow_factory: Any, clock: FixedClock, data_dir: Path) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.data_dir = data_dir
        self.telegram = FakeTelegram()
        self.restart()

    def restart(self) -> None:
        self.bot = fake_bot(self.telegram)
        api = FakeBotApi(self.telegram)
        channel = TelegramSender(api, translator(), self.data_dir, ChannelLimits())
        self.sender = OutboxSender(
            shared_writer(self.uow_factory),  # as bot.outbox.run_sender wires it
            [channel],
            translator(),
            self.clock,
            policy=SenderPolicy(),
            monotonic=lambda: self.clock.now().timestamp(),
        )
        self.dispatcher = build_dispatcher(
            uow_factory=self.uow_factory,
            dialog=make_dialog(self.data_dir, self.clock),
            documents=PROFILE.documents,
            clock=self.clock,
            on_commit=self.sender,  # as the hub: it wakes the sender and hands replies over
            bot_api=api,  # as bot.telegram.webhook.telegram_runtime wires it
        )

    async def feed(self, *raws: dict[str, Any]) -> None:
        """The updates, concurrently as polling hands them over; then the outbox is sent."""
        updates = [as_update(self.bot, raw) for raw in raws]
        await asyncio.gather(*(self.dispatcher.feed_update(self.bot, u) for u in updates))
        while await self.sender.run_once() == 0:
            pass


class Citizen:
    """A citizen's Telegram: acts, and reads what appeared in the chat since the last act."""

    def __init__(self, bot: TelegramBot, user_id: int, lang: str) -> None:
        self.bot = bot
        self.lang = lang
        self.user = TelegramUser(bot.telegram, user_id, lang=lang)
        self.user.now = bot.clock.now()
        self.shown = 0
        self.last: list[Seen] = []

    async def act(self, raw: dict[str, Any]) -> list[Seen]:
        await self.bot.feed(raw)
        everything = self.bot.telegram.seen_by(self.user.id)
        self.last, self.shown = everything[self.shown :], len(everything)
        return self.last

    async def say(self, text: str) -> list[Seen]:
        return await self.act(self.user.text(text))

    async def tap(self, button_id: str) -> list[Seen]:
        """Taps a button the chat shows; a citizen cannot tap what is not there."""
        assert button_id in self.buttons, f"{button_id} not among {self.buttons}"
        return await self.act(self.user.tap(button_id))

    @property
    def text(self) -> str:
        return "\n".join(seen.text or "" for seen in self.last)

    @property
    def buttons(self) -> list[str]:
        return [button for seen in self.last for button in seen.button_ids]

    def button(self, prefix: str) -> str:
        found = [b for b in self.buttons if b.startswith(prefix)]
        assert found, f"no {prefix} button among {self.buttons}"
        return found[0]

    def sees(self, message_id: str, **args: Any) -> bool:
        return t(self.lang, message_id, **args) in self.text


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def world(uow_factory) -> World:
    return await build_world(uow_factory)


@pytest.fixture
def telegram_bot(uow_factory, clock, tmp_path, world) -> TelegramBot:
    return TelegramBot(uow_factory, clock, tmp_path)


async def start(citizen: Citizen) -> None:
    """From /start to the main menu: language, then consent (R36)."""
    await citizen.say("/start")
    assert t("kk", "language-ask") in citizen.text and t("ru", "language-ask") in citizen.text
    await citizen.tap("lang:" + citizen.lang)
    assert citizen.sees("consent-text")
    await citizen.tap("consent:yes")
    assert citizen.sees("consent-thanks") and citizen.sees("menu-ask")


async def applicant(citizen: Citizen, representation: str = "self") -> None:
    """Menu -> who applies -> name, IIN (R37), phone by the contact button."""
    await citizen.tap("menu:book")
    assert citizen.sees("booking-ask-representation")
    await citizen.tap("rep:" + representation)
    assert citizen.sees("booking-ask-name")
    await citizen.say("Ахметов Серік Болатұлы")
    assert citizen.sees("booking-ask-iin")
    await citizen.say(APPLICANT_IIN)
    assert citizen.sees("booking-ask-phone-or-share")
    contact_message = citizen.last[0]
    assert contact_message.contact_button == t(citizen.lang, "telegram-share-contact")
    assert citizen.buttons == ["nav:back", "nav:cancel"]  # in a second message
    await citizen.act(citizen.user.contact("+77011234567"))


async def identity_and_topic(citizen: Citizen, world: World) -> None:
    assert citizen.sees("booking-ask-id-type")
    await citizen.tap("idtype:id-card")
    await citizen.say("012345678")
    assert citizen.sees("booking-ask-topic")
    await citizen.tap(f"topic:{world.roads_topic_id}")
    assert citizen.sees("booking-ask-official")
    await citizen.tap(f"official:{world.akim_id}")
    assert citizen.sees("booking-ask-question")


async def question_and_admissibility(citizen: Citizen, *, first_answer: str = "no") -> None:
    await citizen.say(QUESTION[citizen.lang])
    await citizen.tap(first_answer)
    for _ in range(3):
        await citizen.tap("no")


async def preferences_and_slot(citizen: Citizen, world: World, priority: str = "none") -> None:
    assert citizen.sees("booking-ask-priority")
    await citizen.tap("priority:" + priority)
    if priority != "none":
        assert "PDF" in citizen.text  # booking-ask-priority-proof names the types
        await citizen.act(citizen.user.document(PDF, "мүгедектік.pdf", "application/pdf"))
    assert citizen.sees("booking-ask-format")
    await citizen.tap("format:in_person")
    await citizen.tap("rlang:" + citizen.lang)
    assert citizen.sees("booking-ask-slot")
    await citizen.tap(f"slot:{world.slot_ids[0]}")
    assert citizen.sees("summary-title")


async def confirm(citizen: Citizen, uow_factory) -> Any:
    await citizen.tap("confirm")
    [request] = await all_requests(uow_factory)
    lang = citizen.lang
    # R20, R21: number, registration date and answer-due date, in the citizen's language.
    notice = t(
        lang,
        "notice-registered",
        number=request.number,
        registration_date=request.registration_date,
        answer_due=request.answer_due,
    )
    assert citizen.last[0].text == notice
    assert format_date(request.registration_date, lang) in notice
    assert citizen.sees("booking-done")
    return request


async def test_a_full_booking_in_kazakh(telegram_bot, world, uow_factory):
    citizen = Citizen(telegram_bot, 7001, "kk")
    await start(citizen)
    await applicant(citizen)
    await identity_and_topic(citizen, world)
    await question_and_admissibility(citizen)
    await preferences_and_slot(citizen, world)
    assert "Ахметов Серік Болатұлы" in citizen.text and APPLICANT_IIN in citizen.text

    request = await confirm(citizen, uow_factory)

    assert "2 наурыз 2026 ж." in citizen.text  # R20: registered the day it arrived
    assert request.status == "registered" and request.channel == "telegram"
    assert request.applicant_phone == "+77011234567"  # from the contact button
    assert request.slot_id == world.slot_ids[0] and request.reception_language == "kk"


async def test_a_full_booking_in_russian(telegram_bot, world, uow_factory):
    citizen = Citizen(telegram_bot, 7002, "ru")
    await start(citizen)
    await applicant(citizen)
    await identity_and_topic(citizen, world)
    await question_and_admissibility(citizen)
    await preferences_and_slot(citizen, world)

    request = await confirm(citizen, uow_factory)

    assert "2 марта 2026 г." in citizen.text
    assert request.question == QUESTION["ru"] and request.reception_language == "ru"


async def test_a_representative_books_with_a_power_of_attorney_photo(
    telegram_bot, world, uow_factory
):
    citizen = Citizen(telegram_bot, 7003, "ru")
    await start(citizen)
    await applicant(citizen, representation="person")
    assert citizen.sees("booking-ask-principal-name")
    await citizen.say("Ахметова Айгүл Серікқызы")
    assert citizen.sees("booking-ask-principal-iin")
    await citizen.say(PRINCIPAL_IIN)
    assert citizen.sees("booking-ask-poa", types="JPG, PNG, PDF", max_mb=10)
    await citizen.act(citizen.user.photo(JPEG))  # R7
    await identity_and_topic(citizen, world)
    await question_and_admissibility(citizen)
    await preferences_and_slot(citizen, world)
    assert citizen.sees(
        "summary-principal-person", name="Ахметова Айгүл Серікқызы", number=PRINCIPAL_IIN
    )

    request = await confirm(citizen, uow_factory)

    assert request.representation == "person" and request.principal_id_number == PRINCIPAL_IIN
    async with uow_factory(readonly=True) as uow:
        [document] = await uow.documents.for_request(request.id)
    assert document.id == request.poa_document_id and document.kind == "power_of_attorney"
    assert document.mime_type == "image/jpeg" and document.size == len(JPEG)
    assert (telegram_bot.data_dir / document.path).read_bytes() == JPEG


async def test_a_booking_with_a_priority_category_and_its_proof(telegram_bot, world, uow_factory):
    citizen = Citizen(telegram_bot, 7004, "kk")
    await start(citizen)
    await applicant(citizen)
    await identity_and_topic(citizen, world)
    await question_and_admissibility(citizen)
    await preferences_and_slot(citizen, world, priority="disability")  # R9

    request = await confirm(citizen, uow_factory)

    assert request.priority_category == "disability"
    async with uow_factory(readonly=True) as uow:
        proof = await uow.documents.get(request.priority_document_id)
    assert proof.mime_type == "application/pdf" and proof.file_name == "мүгедектік.pdf"


async def test_an_inadmissible_answer_names_the_ground_and_still_registers(
    telegram_bot, world, uow_factory
):
    citizen = Citizen(telegram_bot, 7005, "ru")
    await start(citizen)
    await applicant(citizen)
    await identity_and_topic(citizen, world)
    await citizen.say(QUESTION["ru"])
    first_question = citizen.text
    await question_and_admissibility_with_yes(citizen)

    # R18: the ground is named with where to turn; R17: registering stays possible.
    assert "По вашим ответам запись на прием может быть не проведена" in citizen.text
    assert first_question  # the first admissibility question was asked
    await citizen.tap("continue")
    await preferences_and_slot(citizen, world)

    request = await confirm(citizen, uow_factory)

    assert request.grounds  # staff see the ground and decide through the hearing (R24)
    assert request.status == "registered"


async def question_and_admissibility_with_yes(citizen: Citizen) -> None:
    await citizen.tap("yes")
    for _ in range(3):
        await citizen.tap("no")


async def test_bad_input_is_reasked_with_a_specific_message(telegram_bot, world, uow_factory):
    citizen = Citizen(telegram_bot, 7006, "ru")
    await start(citizen)
    await citizen.tap("menu:book")
    await citizen.tap("rep:person")
    await citizen.say("Ахметов Серик")
    mistyped = APPLICANT_IIN[:-1] + str((int(APPLICANT_IIN[-1]) + 1) % 10)
    await citizen.say(mistyped)  # R37: a wrong check digit
    assert citizen.sees("error-iin-check-digit") and citizen.sees("booking-ask-iin")
    await citizen.say(APPLICANT_IIN)
    await citizen.say("+7 701 123 45 67")  # typed instead of shared
    await citizen.say("Ахметова Айгүл")
    await citizen.say(PRINCIPAL_IIN)
    huge = citizen.user.document(PDF, "сенімхат.pdf", "application/pdf", size=15 * 1024 * 1024)
    await citizen.act(huge)
    assert citizen.sees("file-too-large", max_mb=10) and "сенімхат" not in citizen.text
    assert not [c for c in telegram_bot.telegram.calls if c.method == "getFile"]  # not fetched
    await citizen.act(citizen.user.photo(JPEG))
    await citizen.tap("idtype:passport")
    await citizen.say("N1234567")
    await citizen.tap(f"topic:{world.roads_topic_id}")
    await citizen.tap(f"official:{world.akim_id}")
    location = citizen.user.text("")  # a shared location: no text at all
    location["message"].pop("text")
    location["message"]["location"] = {"latitude": 51.13, "longitude": 71.43}
    await citizen.act(location)
    assert citizen.sees("booking-error-question-empty")  # R16
    await citizen.say("Помогите")
    assert citizen.sees("booking-error-question-short")  # R16
    await citizen.say(QUESTION["ru"])
    assert citizen.buttons[:2] == ["yes", "no"]  # moved on to admissibility
    assert await all_requests(uow_factory) == []  # nothing booked without the substance


async def test_a_citizen_withdraws_their_request(telegram_bot, world, uow_factory):
    citizen = Citizen(telegram_bot, 7007, "kk")
    await start(citizen)
    await applicant(citizen)
    await identity_and_topic(citizen, world)
    await question_and_admissibility(citizen)
    await preferences_and_slot(citizen, world)
    request = await confirm(citizen, uow_factory)

    await citizen.tap("menu:mine")
    await citizen.tap(f"req:{request.id}")
    assert citizen.sees("my-request-number", number=request.number)
    await citizen.tap("act:withdraw")
    assert citizen.sees("my-withdraw-confirm", number=request.number)
    await citizen.tap("yes")  # R40

    assert citizen.sees("notice-withdrawn", number=request.number)
    [withdrawn] = await all_requests(uow_factory)
    assert withdrawn.status == "withdrawn"
    assert "act:withdraw" not in citizen.buttons


async def test_handoff_to_an_operator_and_back(telegram_bot, world, uow_factory, clock):
    citizen = Citizen(telegram_bot, 7008, "ru")
    await start(citizen)
    await citizen.tap("nav:operator")
    assert citizen.sees("handoff-waiting")  # Monday 10:00: within working hours (R34)

    await citizen.say("Здравствуйте, у меня вопрос по освещению")
    assert citizen.last == []  # the bot is quiet; the message waits for the operator

    dialog = make_dialog(telegram_bot.data_dir, clock)
    async with uow_factory() as uow:
        operator = await uow.staff.add(
            StaffUser("op1", "Анна Операторова", Role.OPERATOR, "x", language="ru")
        )
        conversation = await uow.conversations.get_or_create("telegram", "7008", clock.now())
        await handoff.operator_reply(
            uow, dialog.rules, conversation, Actor.staff(operator.id), "Добрый день! Слушаю вас."
        )
        await handoff.return_to_bot(uow, dialog.rules, conversation.id, Actor.staff(operator.id))
        await uow.commit()
    await telegram_bot.feed()  # the sender delivers what the operator's commit queued
    await citizen.act(citizen.user.text("/start"))

    shown = [seen.text for seen in telegram_bot.telegram.seen_by(7008)]
    assert "Добрый день! Слушаю вас." in shown
    assert t("ru", "handoff-returned") in shown
    assert citizen.sees("menu-ask")  # the bot answers again
    async with uow_factory(readonly=True) as uow:
        logged = await uow.connection.execute(
            select(messages.c.text).where(messages.c.direction == "in")
        )
        assert "Здравствуйте, у меня вопрос по освещению" in logged.scalars().all()  # R39


async def test_a_restart_in_the_middle_continues_where_the_citizen_was(
    telegram_bot, world, uow_factory
):
    citizen = Citizen(telegram_bot, 7009, "kk")
    await start(citizen)
    await applicant(citizen)
    await identity_and_topic(citizen, world)

    telegram_bot.restart()  # new Dispatcher, dialog and sender; the same database

    await question_and_admissibility(citizen)
    await preferences_and_slot(citizen, world)
    request = await confirm(citizen, uow_factory)
    assert request.applicant_name == "Ахметов Серік Болатұлы"  # collected before the restart


async def test_a_duplicate_update_gets_no_second_reply(telegram_bot, world):
    citizen = Citizen(telegram_bot, 7010, "ru")
    await start(citizen)
    tap = citizen.user.tap("menu:book")

    first = await citizen.act(tap)
    again = await citizen.act(tap)  # Telegram delivers the same update_id once more

    assert len(first) == 1 and t("ru", "booking-ask-representation") in first[0].text
    assert again == []


async def test_twenty_messages_of_one_chat_at_once_are_handled_in_order(
    telegram_bot, world, uow_factory
):
    citizen = Citizen(telegram_bot, 7011, "ru")
    await start(citizen)
    raws = [citizen.user.text(f"сообщение {n}") for n in range(20)]

    await telegram_bot.feed(*raws)

    async with uow_factory(readonly=True) as uow:
        logged = await uow.connection.execute(
            select(messages.c.text)
            .where(messages.c.chat_id == "7011", messages.c.direction == "in")
            .order_by(messages.c.id)
        )
        texts = [text for text in logged.scalars() if text and text.startswith("сообщение")]
    assert texts == [f"сообщение {n}" for n in range(20)]  # stored in the order sent
    shown = [seen.text for seen in telegram_bot.telegram.seen_by(7011)][-3:]
    # Three unplaced messages in a row hand the chat to an operator; the rest wait for them.
    assert t("ru", "handoff-after-failures") in shown and t("ru", "handoff-waiting") in shown
