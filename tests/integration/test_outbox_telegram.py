"""The outbox delivering to Telegram through aiogram and the fake Bot API (no network).

The fake answers as Telegram does (429 with parameters.retry_after, 403, 502) and the
production `result_of` reads the answers, so the classification is tested as it runs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.flow.events import Button, Reply
from bot.outbox import ChannelLimits, OutboxSender, SenderPolicy
from bot.pipeline import shared_writer
from bot.telegram.sender import TELEGRAM_LIMITS, TelegramSender
from locales import Translator
from reception.citizens import Citizen
from reception.clock import FixedClock
from reception.ports import OutboxItem
from storage.tables import outbox
from tests.e2e.telegram_fakes import FakeBotApi, FakeTelegram

START = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)


def telegram_sender(uow_factory, telegram, clock, data_dir: Path, limits=None):
    channel = TelegramSender(
        FakeBotApi(telegram), Translator(), data_dir, limits or ChannelLimits()
    )
    return OutboxSender(
        shared_writer(uow_factory),
        [channel],
        Translator(),
        clock,
        policy=SenderPolicy(),
        monotonic=lambda: clock.now().timestamp(),
    )


async def enqueue(uow_factory, chat_id: str, reply: Reply, citizen_id: int | None = None) -> int:
    async with uow_factory() as uow:
        item = OutboxItem(
            "telegram", chat_id, citizen_id, payload=reply.to_payload(), next_attempt_at=START
        )
        item_id = (await uow.outbox.add(item)).id
        await uow.commit()
    return item_id


async def row(uow_factory, item_id: int) -> dict:
    async with uow_factory(readonly=True) as uow:
        result = await uow.connection.execute(select(outbox).where(outbox.c.id == item_id))
        return dict(result.mappings().one())


async def drain(sender: OutboxSender) -> None:
    while await sender.run_once() == 0:
        pass


async def test_buttons_arrive_as_an_inline_keyboard_with_the_button_ids(uow_factory, tmp_path):
    telegram, clock = FakeTelegram(), FixedClock(START)
    reply = Reply(
        "Кімнің атынан?",
        (
            (Button("rep:self", "Өзім үшін"),),
            (Button("nav:back", "Артқа"), Button("nav:cancel", "Бас тарту")),
        ),
    )
    item_id = await enqueue(uow_factory, "9001", reply)

    await drain(telegram_sender(uow_factory, telegram, clock, tmp_path))

    [seen] = telegram.seen_by(9001)
    assert seen.text == "Кімнің атынан?"
    assert seen.buttons == [
        [("Өзім үшін", "rep:self")],
        [("Артқа", "nav:back"), ("Бас тарту", "nav:cancel")],
    ]
    stored = await row(uow_factory, item_id)
    assert stored["status"] == "sent" and stored["external_id"] == "1"  # Telegram's message_id


async def test_asking_for_the_phone_shows_a_contact_button_in_the_citizens_language(
    uow_factory, tmp_path
):
    telegram, clock = FakeTelegram(), FixedClock(START)
    async with uow_factory() as uow:
        citizen = await uow.citizens.add(Citizen(language="kk"))
        await uow.commit()
    reply = Reply(
        "Телефон нөміріңізді жіберіңіз", ((Button("nav:back", "Артқа"),),), ask_contact=True
    )
    await enqueue(uow_factory, "9001", reply, citizen_id=citizen.id)

    await drain(telegram_sender(uow_factory, telegram, clock, tmp_path))

    first, second = telegram.seen_by(9001)  # one keyboard per message
    assert first.text == "Телефон нөміріңізді жіберіңіз"
    assert first.contact_button == "📱 Телефон нөмірімді жіберу"
    assert second.text == "Немесе төмендегі батырманы басыңыз:"
    assert second.button_ids == ["nav:back"]


async def test_a_long_text_is_split_within_telegrams_limit(uow_factory, tmp_path):
    telegram, clock = FakeTelegram(), FixedClock(START)
    paragraph = "Жеке қабылдау кестесі. " * 100  # ~2300 characters
    reply = Reply("\n\n".join([paragraph] * 3), ((Button("nav:menu", "Мәзір"),),))
    await enqueue(uow_factory, "9001", reply)

    await drain(telegram_sender(uow_factory, telegram, clock, tmp_path))

    shown = telegram.seen_by(9001)
    assert len(shown) == 3 and all(len(s.text) <= 4096 for s in shown)
    assert [s.button_ids for s in shown] == [[], [], ["nav:menu"]]  # buttons under the last
    assert "".join(s.text for s in shown).replace(" ", "") == reply.text.replace("\n", "").replace(
        " ", ""
    )


async def test_a_document_is_uploaded_from_the_data_folder(uow_factory, tmp_path):
    telegram, clock = FakeTelegram(), FixedClock(START)
    (tmp_path / "calendar").mkdir()
    (tmp_path / "calendar" / "r1.ics").write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n")
    reply = Reply(
        "Күнтізбеге қосыңыз", document_path="calendar/r1.ics", document_name="reception.ics"
    )
    await enqueue(uow_factory, "9001", reply)

    await drain(telegram_sender(uow_factory, telegram, clock, tmp_path))

    text, document = telegram.seen_by(9001)
    assert text.text == "Күнтізбеге қосыңыз" and document.document == "reception.ics"
    assert telegram.sent("sendDocument")[0].params["_size"] == 30


async def test_a_429_from_telegram_is_honoured_to_the_second(uow_factory, tmp_path):
    telegram, clock = FakeTelegram(), FixedClock(START)
    telegram.fail_next("sendMessage", status=429, retry_after=21)
    item_id = await enqueue(uow_factory, "9001", Reply("hello"))
    sender = telegram_sender(uow_factory, telegram, clock, tmp_path, TELEGRAM_LIMITS)

    await drain(sender)
    stored = await row(uow_factory, item_id)
    assert stored["status"] == "pending" and stored["error"] == "429 too many requests"
    assert stored["next_attempt_at"] == START + timedelta(seconds=21)

    clock.set(START + timedelta(seconds=20))
    await drain(sender)
    assert len(telegram.sent("sendMessage")) == 1  # only the refused call
    clock.set(START + timedelta(seconds=21))
    await drain(sender)
    assert [s.text for s in telegram.seen_by(9001)] == ["hello", "hello"]  # refused, then sent
    assert (await row(uow_factory, item_id))["status"] == "sent"


async def test_a_retry_does_not_repeat_the_parts_already_delivered(uow_factory, tmp_path):
    telegram, clock = FakeTelegram(), FixedClock(START)
    first_part = "А" * 4000
    second_part = "Б" * 100
    await enqueue(uow_factory, "9001", Reply(f"{first_part}\n\n{second_part}"))
    sender = telegram_sender(uow_factory, telegram, clock, tmp_path)
    # The first part goes through; the second is refused with a 502.
    original = telegram._sendMessage
    calls = 0

    def flaky(params):
        nonlocal calls
        calls += 1
        if calls == 2:
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        return original(params)

    telegram._sendMessage = flaky
    await drain(sender)
    clock.set(START + timedelta(minutes=1))
    await drain(sender)

    texts = [c.params["text"] for c in telegram.sent("sendMessage")]
    assert texts == [first_part, second_part, second_part]  # the 502, then the retry


async def test_a_citizen_who_blocked_the_bot_gets_a_failed_row_not_endless_retries(
    uow_factory, tmp_path
):
    telegram, clock = FakeTelegram(), FixedClock(START)
    telegram.fail_next("sendMessage", status=403)
    item_id = await enqueue(uow_factory, "9001", Reply("hello"))

    await drain(telegram_sender(uow_factory, telegram, clock, tmp_path))

    stored = await row(uow_factory, item_id)
    assert stored["status"] == "failed"
    assert stored["error"] == "403: Forbidden: bot was blocked by the user"


async def test_telegram_being_down_is_retried(uow_factory, tmp_path):
    telegram, clock = FakeTelegram(), FixedClock(START)
    telegram.fail_next("sendMessage", status=502)
    item_id = await enqueue(uow_factory, "9001", Reply("hello"))
    sender = telegram_sender(uow_factory, telegram, clock, tmp_path)

    await drain(sender)
    assert (await row(uow_factory, item_id))["status"] == "pending"
    clock.set(START + timedelta(seconds=5))
    await drain(sender)
    assert (await row(uow_factory, item_id))["status"] == "sent"


async def test_the_http_client_speaks_the_bot_api_over_http(aiohttp_server, tmp_path):
    """bot.telegram.botapi against a Bot API server (TELEGRAM_API_BASE): JSON calls, a
    multipart upload, Telegram's errors, and an unreachable server."""
    from bot.telegram.botapi import ApiCall, BotApiError, HttpBotApi, Upload
    from tests.e2e.telegram_fakes import TOKEN, fake_bot_api_app

    telegram = FakeTelegram()
    server = await aiohttp_server(fake_bot_api_app(telegram))
    api = HttpBotApi(str(server.make_url("")), TOKEN)
    document = tmp_path / "r1.ics"
    document.write_text("BEGIN:VCALENDAR\nEND:VCALENDAR\n")
    try:
        markup = {"inline_keyboard": [[{"text": "Мәзір", "callback_data": "nav:menu"}]]}
        sent = await api.call(
            ApiCall("sendMessage", {"chat_id": 9001, "text": "Сәлем", "reply_markup": markup})
        )
        upload = Upload("document", document, "reception.ics")
        await api.call(ApiCall("sendDocument", {"chat_id": 9001}, upload))
        telegram.fail_next("sendMessage", status=429, retry_after=3)
        try:
            await api.call(ApiCall("sendMessage", {"chat_id": 9001, "text": "again"}))
        except BotApiError as error:
            refused = error
    finally:
        await api.close()
    unreachable = HttpBotApi("http://127.0.0.1:9", TOKEN, timeout=5)
    try:
        await unreachable.call(ApiCall("sendMessage", {"chat_id": 1, "text": "x"}))
    except BotApiError as error:
        down = error
    finally:
        await unreachable.close()

    assert sent["message_id"] == 1
    message, file, _refused_call = telegram.seen_by(9001)
    assert (message.text, message.button_ids) == ("Сәлем", ["nav:menu"])
    assert (
        file.document == "reception.ics" and telegram.sent("sendDocument")[0].params["_size"] == 30
    )
    assert (refused.status, refused.retry_after) == (429, 3)
    assert down.status == 0 and down.description.startswith("network")
