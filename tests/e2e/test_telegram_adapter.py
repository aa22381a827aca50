"""The Telegram adapter on its own: real aiogram Dispatcher, fake Bot API, a recording pipeline.

What the pipeline receives for each kind of update (texts, commands, buttons, contacts,
photos, documents, unsupported media), the file checks before and after download, the order
of one chat's updates, and the polling loop against a fake Bot API server on
TELEGRAM_API_BASE. The dialog itself is exercised in test_telegram_dialog.py.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from aiogram import Bot

from app.config import load_settings
from bot.files import REFUSED_TOO_LARGE, REFUSED_WRONG_TYPE
from bot.flow.events import EventKind, Incoming
from bot.telegram import polling
from bot.telegram.polling import poll
from bot.telegram.runtime import build_bot, build_dispatcher
from reception.clock import FixedClock
from reception.profile import Documents
from tests.e2e.telegram_fakes import (
    TOKEN,
    FakeTelegram,
    TelegramUser,
    as_update,
    fake_bot,
    fake_bot_api_app,
)

NOW = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
DOCUMENTS = Documents(max_file_mb=10, allowed_types=("image/jpeg", "image/png", "application/pdf"))
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 2000
PDF = b"%PDF-1.7\n" + b"x" * 3000


class RecordingPipeline:
    """Stands in for bot.pipeline.process: records the events, in the order it gets them."""

    def __init__(self, pause=None) -> None:
        self.events: list[Incoming] = []
        self.pause = pause  # event -> seconds of waiting, like a transaction's I/O

    async def __call__(self, uow_factory, dialog, event, on_commit=None) -> bool:
        if self.pause is not None:
            await asyncio.sleep(self.pause(event))
        self.events.append(event)
        if on_commit is not None:
            on_commit()
        return True


@pytest.fixture
def telegram() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
def pipeline() -> RecordingPipeline:
    return RecordingPipeline()


@pytest.fixture
def wiring(telegram, pipeline):
    bot = fake_bot(telegram)
    commits = []
    dispatcher = build_dispatcher(
        uow_factory=None,
        dialog=None,
        documents=DOCUMENTS,
        clock=FixedClock(NOW),
        on_commit=lambda: commits.append(1),
        process=pipeline,
    )
    return bot, dispatcher, commits


async def feed(wiring, raw: dict) -> None:
    bot, dispatcher, _ = wiring
    await dispatcher.feed_update(bot, as_update(bot, raw))


async def test_text_becomes_a_text_event_keyed_by_update_id(telegram, pipeline, wiring):
    user = TelegramUser(telegram, 5001, lang="kk")
    raw = user.text("Сәлем")

    await feed(wiring, raw)

    [event] = pipeline.events
    assert event.kind is EventKind.TEXT and event.text == "Сәлем"
    assert (event.channel, event.chat_id) == ("telegram", "5001")
    assert event.external_id == str(raw["update_id"])
    assert event.language_hint == "kk" and event.at.tzinfo is not None
    assert wiring[2] == [1]  # the pipeline got the commit callback
    assert telegram.calls == []  # handlers never answer directly: the outbox does


async def test_a_command_carries_its_name_and_arguments(telegram, pipeline, wiring):
    user = TelegramUser(telegram, 5001)
    await feed(wiring, user.text("/start@reception_bot deep-link"))
    [event] = pipeline.events
    assert (event.kind, event.text, event.args) == (EventKind.COMMAND, "/start", "deep-link")


async def test_a_button_tap_carries_the_button_id_and_is_answered(telegram, pipeline, wiring):
    user = TelegramUser(telegram, 5001)
    await feed(wiring, user.tap("rep:self"))
    [event] = pipeline.events
    assert (event.kind, event.button, event.chat_id) == (EventKind.BUTTON, "rep:self", "5001")
    assert event.at == NOW
    assert [c.method for c in telegram.calls] == ["answerCallbackQuery"]  # spinner stopped


async def test_the_citizens_own_contact_is_a_contact_and_anothers_is_typed_text(
    telegram, pipeline, wiring
):
    user = TelegramUser(telegram, 5001)
    await feed(wiring, user.contact("+77011234567"))
    await feed(wiring, user.contact("+77019876543", own=False))
    own, other = pipeline.events
    assert (own.kind, own.contact_phone) == (EventKind.CONTACT, "+77011234567")
    assert (other.kind, other.text) == (EventKind.TEXT, "+77019876543")


async def test_a_photo_is_downloaded_and_handed_on_with_its_bytes(telegram, pipeline, wiring):
    user = TelegramUser(telegram, 5001)
    await feed(wiring, user.photo(JPEG))
    [event] = pipeline.events
    assert event.kind is EventKind.FILE
    assert event.file.content == JPEG and event.file.mime_type == "image/jpeg"
    assert event.file.refused_reason is None
    assert [c.method for c in telegram.calls] == ["getFile"]


async def test_a_pdf_document_is_taken(telegram, pipeline, wiring):
    user = TelegramUser(telegram, 5001)
    await feed(wiring, user.document(PDF, "сенімхат.pdf", "application/pdf"))
    [event] = pipeline.events
    assert (event.file.file_name, event.file.size) == ("сенімхат.pdf", len(PDF))
    assert event.file.content == PDF


async def test_a_file_over_the_profiles_limit_is_refused_without_downloading(
    telegram, pipeline, wiring
):
    user = TelegramUser(telegram, 5001)
    await feed(wiring, user.document(PDF, "big.pdf", "application/pdf", size=11 * 1024 * 1024))
    [event] = pipeline.events
    assert event.file.refused_reason == REFUSED_TOO_LARGE and event.file.content is None
    assert telegram.calls == []  # never fetched


async def test_a_file_over_telegrams_20_mb_is_refused_even_if_the_profile_allows_more(
    telegram, pipeline, telegram_wiring_50mb
):
    user = TelegramUser(telegram, 5001)
    await feed(telegram_wiring_50mb, user.photo(JPEG, size=25 * 1024 * 1024))
    [event] = pipeline.events
    assert event.file.refused_reason == REFUSED_TOO_LARGE
    assert telegram.calls == []


@pytest.fixture
def telegram_wiring_50mb(telegram, pipeline):
    documents = Documents(max_file_mb=50, allowed_types=DOCUMENTS.allowed_types)
    bot = fake_bot(telegram)
    dispatcher = build_dispatcher(
        uow_factory=None, dialog=None, documents=documents, clock=FixedClock(NOW), process=pipeline
    )
    return bot, dispatcher, []


async def test_a_declared_type_outside_the_profile_is_refused(telegram, pipeline, wiring):
    user = TelegramUser(telegram, 5001)
    await feed(wiring, user.document(b"PK\x03\x04 zip", "a.docx", "application/msword"))
    [event] = pipeline.events
    assert event.file.refused_reason == REFUSED_WRONG_TYPE and telegram.calls == []


async def test_a_file_whose_bytes_are_not_what_it_claims_is_refused(telegram, pipeline, wiring):
    user = TelegramUser(telegram, 5001)
    await feed(wiring, user.document(b"MZ\x90\x00 an executable", "scan.pdf", "application/pdf"))
    [event] = pipeline.events
    assert event.file.refused_reason == REFUSED_WRONG_TYPE and event.file.content is None


async def test_a_voice_message_comes_as_a_refused_file(telegram, pipeline, wiring):
    user = TelegramUser(telegram, 5001)
    await feed(wiring, user.voice())
    [event] = pipeline.events
    assert event.kind is EventKind.FILE and event.file.refused_reason == REFUSED_WRONG_TYPE


async def test_group_chats_are_ignored(telegram, pipeline, wiring):
    user = TelegramUser(telegram, 5001)
    raw = user.text("hello")
    raw["message"]["chat"] = {"id": -100200, "type": "supergroup", "title": "Group"}
    await feed(wiring, raw)
    assert pipeline.events == []


async def test_a_tap_on_a_button_in_a_group_chat_is_ignored(telegram, pipeline, wiring):
    user = TelegramUser(telegram, 5001)
    raw = user.tap("menu:book")
    raw["callback_query"]["message"]["chat"] = {"id": -100200, "type": "group", "title": "G"}
    await feed(wiring, raw)
    assert pipeline.events == []
    assert not telegram.sent("answerCallbackQuery")


async def test_twenty_messages_of_one_chat_at_once_reach_the_pipeline_in_order(telegram):
    # The earlier the message, the longer its handling takes: unordered, they would overtake.
    def pause(event: Incoming) -> float:
        number = int(event.text.split()[-1]) if event.text[-1].isdigit() else 0
        return 0.001 * (20 - number)

    slow = RecordingPipeline(pause)
    bot = fake_bot(telegram)
    dispatcher = build_dispatcher(
        uow_factory=None, dialog=None, documents=DOCUMENTS, clock=FixedClock(NOW), process=slow
    )
    user, other = TelegramUser(telegram, 5001), TelegramUser(telegram, 5002)
    raws = [user.text(f"message {n}") for n in range(20)] + [other.text("other chat")]

    await asyncio.gather(*(dispatcher.feed_update(bot, as_update(bot, raw)) for raw in raws))

    mine = [e.text for e in slow.events if e.chat_id == "5001"]
    assert mine == [f"message {n}" for n in range(20)]
    assert len(slow.events) == 21


async def test_polling_through_a_bot_api_server_at_telegram_api_base(
    telegram, pipeline, aiohttp_server, tmp_path
):
    server = await aiohttp_server(fake_bot_api_app(telegram))
    settings = load_settings(
        data_dir=tmp_path,
        telegram_token=TOKEN,
        telegram_api_base=str(server.make_url("")),
        _env_file=None,
    )
    bot: Bot = build_bot(settings)
    dispatcher = build_dispatcher(
        uow_factory=None, dialog=None, documents=DOCUMENTS, clock=FixedClock(NOW), process=pipeline
    )
    user = TelegramUser(telegram, 5001)
    telegram.queue_update(user.text("one"))
    telegram.queue_update(user.photo(JPEG))
    polling = asyncio.create_task(poll(bot, dispatcher, wait_seconds=1))
    try:
        async with asyncio.timeout(10):
            while len(pipeline.events) < 2:  # noqa: ASYNC110 (polling the fake's record)
                await asyncio.sleep(0.01)
    finally:
        polling.cancel()
        await asyncio.gather(polling, return_exceptions=True)
        await bot.session.close()

    one, photo = pipeline.events
    assert one.text == "one" and photo.file.content == JPEG  # downloaded from /file/bot...
    assert telegram.sent("deleteWebhook")  # polling and a webhook exclude each other


async def test_polling_retries_an_update_whose_handling_failed_before_moving_on(
    telegram, monkeypatch
):
    failures = [RuntimeError("database is locked")]
    handled = []

    async def flaky(uow_factory, dialog, event, on_commit=None):
        if failures:
            raise failures.pop()
        handled.append(event.text)
        return True

    bot = fake_bot(telegram)
    dispatcher = build_dispatcher(
        uow_factory=None, dialog=None, documents=DOCUMENTS, clock=FixedClock(NOW), process=flaky
    )
    monkeypatch.setattr(polling, "PAUSES", (0.0,))
    user = TelegramUser(telegram, 5001)

    await polling.handle_batch(bot, dispatcher, [as_update(bot, user.text("kept"))])

    assert handled == ["kept"]
