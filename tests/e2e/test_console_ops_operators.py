"""The operators' inbox and live chat through the console (issue 4 "Operators"; R39)."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import timedelta

from aiohttp import FormData

from console.live import LIVE_HUB
from console.web import CONSOLE_APP
from reception.ports import MessageRecord
from tests.e2e.console_ops_support import (
    citizen_writes,
    operator_message_sent,
    read_event,
    visible_text,
    waiting_chat,
)
from tests.e2e.console_support import *  # noqa: F403

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def row_order(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-conversation="(\d+)"', html)]


async def test_inbox_shows_waiting_chats_first_oldest_first_with_channel_and_language(
    console,
) -> None:
    claimed = await waiting_chat(console, 1)
    console.clock.set(console.clock.now() + timedelta(minutes=1))
    older = await waiting_chat(console, 2, lang="kk", channel="whatsapp")
    console.clock.set(console.clock.now() + timedelta(minutes=1))
    newer = await waiting_chat(console, 3, channel="web")
    csrf = await console.login("operator")
    await console.post(f"/console/operators/chats/{claimed}/claim", {}, csrf)

    page = await console.client.get("/console/operators")

    html = await page.text()
    assert row_order(html) == [older, newer, claimed]
    text = visible_text(html)
    assert "WhatsApp казахский Тестов Тест 2" in text
    assert "Ведёт: Operator Test" in text


async def test_a_chat_nobody_claimed_for_five_minutes_is_highlighted(console) -> None:
    stale = await waiting_chat(console, 1)
    console.clock.set(console.clock.now() + timedelta(minutes=6))
    fresh = await waiting_chat(console, 2)
    await console.login("operator")

    html = await (await console.client.get("/console/operators/rows")).text()

    assert re.search(rf'class="stale waiting" data-conversation="{stale}"', html)
    assert re.search(rf'class=" waiting" data-conversation="{fresh}"', html)
    assert "Никто не взял больше 5 мин." in visible_text(html)


async def test_claim_then_reply_sends_the_text_to_the_citizen_and_logs_it(console) -> None:
    chat = await waiting_chat(console, 1)
    csrf = await console.login("operator")

    claimed = await console.post(f"/console/operators/chats/{chat}/claim", {}, csrf)
    replied = await console.post(
        f"/console/operators/chats/{chat}/reply", {"text": "Здравствуйте, слушаю вас"}, csrf
    )

    assert claimed.status == replied.status == 303
    outbox = await console.rows(
        "select channel, chat_id, status, payload from outbox where kind = 'operator'"
    )
    assert [(r["channel"], r["chat_id"], r["status"]) for r in outbox] == [
        ("telegram", "chat-1", "pending")
    ]
    payload = outbox[0]["payload"]
    payload = payload if isinstance(payload, dict) else json.loads(payload)
    assert payload["text"] == "Здравствуйте, слушаю вас"
    # The sender logs it as the operator's message when it goes out (R39).
    assert payload["extra"]["author_id"] == str(console.users["operator"].id)
    assert await console.audit_actions("conversation", chat) == [
        "chat.operator_requested",
        "chat.claim",
        "chat.operator_reply",
    ]


async def test_a_canned_reply_goes_in_the_citizens_language(console) -> None:
    chat = await waiting_chat(console, 1, lang="kk")
    csrf = await console.login("operator")  # the operator reads Russian

    await console.post(f"/console/operators/chats/{chat}/reply", {"canned": "greeting"}, csrf)

    payload = await console.scalar("select payload from outbox where kind = 'operator'")
    text = (payload if isinstance(payload, dict) else json.loads(payload))["text"]
    assert text.startswith("Сәлеметсіз бе! Мен әкімдіктің қабылдау бөлмесінің операторымын")


async def test_an_operator_sends_a_file(console) -> None:
    chat = await waiting_chat(console, 1)
    csrf = await console.login("operator")
    form = FormData()
    form.add_field("csrf_token", csrf)
    form.add_field("text", "Образец заявления")
    form.add_field("file", PNG, filename="образец.png", content_type="image/png")

    response = await console.client.post(
        f"/console/operators/chats/{chat}/reply", data=form, allow_redirects=False
    )

    assert response.status == 303
    documents = await console.rows("select file_name, kind, mime_type from documents")
    assert [(d["file_name"], d["kind"], d["mime_type"]) for d in documents] == [
        ("образец.png", "attachment", "image/png")
    ]
    payload = await console.scalar("select payload from outbox where kind = 'operator'")
    assert "образец.png" in str(payload)


async def test_a_file_of_a_refused_type_is_explained_and_nothing_is_sent(console) -> None:
    chat = await waiting_chat(console, 1)
    csrf = await console.login("operator")
    form = FormData()
    form.add_field("csrf_token", csrf)
    form.add_field("file", b"MZ\x90\x00 not a document", filename="virus.exe")

    response = await console.client.post(
        f"/console/operators/chats/{chat}/reply", data=form, allow_redirects=False
    )

    assert response.status == 422
    assert "flash error" in await response.text()
    assert await console.scalar("select count(*) from outbox where kind = 'operator'") == 0
    assert await console.scalar("select count(*) from documents") == 0


async def test_a_second_operator_cannot_answer_a_chat_another_one_holds(console) -> None:
    chat = await waiting_chat(console, 1)
    await console.add_user("operator2", Role.OPERATOR)  # noqa: F405
    csrf = await console.login("operator")
    await console.post(f"/console/operators/chats/{chat}/claim", {}, csrf)

    csrf = await console.login("operator2")
    response = await console.post(f"/console/operators/chats/{chat}/reply", {"text": "Я"}, csrf)

    assert response.status == 409
    assert "Этот чат ведёт другой оператор" in await response.text()
    assert await console.scalar("select count(*) from outbox where kind = 'operator'") == 0


async def test_hand_back_returns_the_chat_to_the_bot_and_tells_the_citizen(console) -> None:
    chat = await waiting_chat(console, 1)
    csrf = await console.login("operator")
    await console.post(f"/console/operators/chats/{chat}/claim", {}, csrf)

    response = await console.post(f"/console/operators/chats/{chat}/handback", {}, csrf)

    assert response.status == 303
    assert await console.scalar("select mode from conversations where id = :c", c=chat) == "bot"
    assert await console.scalar("select message_id from outbox where kind = 'operator'") == (
        "handoff-returned"
    )
    assert "Сейчас никто не ждёт оператора." in visible_text(
        await (await console.client.get("/console/operators")).text()
    )


async def test_close_says_goodbye_and_returns_the_chat_to_the_bot(console) -> None:
    chat = await waiting_chat(console, 1)
    csrf = await console.login("operator")
    await console.post(f"/console/operators/chats/{chat}/claim", {}, csrf)

    await console.post(f"/console/operators/chats/{chat}/close", {}, csrf)

    sent = await console.rows("select payload, message_id from outbox order by id")
    first = (
        sent[0]["payload"]
        if isinstance(sent[0]["payload"], dict)
        else json.loads(sent[0]["payload"])
    )
    assert first["text"].startswith("Спасибо за обращение! Разговор с оператором завершён.")
    assert sent[1]["message_id"] == "handoff-returned"
    assert await console.scalar("select mode from conversations where id = :c", c=chat) == "bot"
    assert (await console.audit_actions("conversation", chat))[-1] == "chat.close"


async def test_the_chat_page_shows_the_conversation_so_far(console) -> None:
    chat = await waiting_chat(console, 1)
    await citizen_writes(console, chat, "Хочу записаться к акиму")
    await console.login("operator")

    page = await console.client.get(f"/console/operators/chats/{chat}")

    text = visible_text(await page.text())
    assert "Заявитель · 11 февраля 2026 г., 10:00 Хочу записаться к акиму" in text
    assert "Взять чат" in text


async def test_new_messages_arrive_on_the_open_stream_without_reloading(console) -> None:
    chat = await waiting_chat(console, 1)
    first = await citizen_writes(console, chat, "Здравствуйте")
    csrf = await console.login("operator")
    stream = await console.client.get(
        f"/console/operators/chats/{chat}/events?after={first}",
        headers={"Accept": "text/event-stream"},
    )
    assert stream.headers["Content-Type"].startswith("text/event-stream")

    later = await citizen_writes(console, chat, "Есть кто-нибудь?")
    console.client.app[CONSOLE_APP][LIVE_HUB].poke()
    event, fields = await read_event(stream)
    assert (event, fields["id"]) == ("message", str(later))
    assert '"text": "Есть кто-нибудь?"' in fields["data"]
    assert '"direction": "in"' in fields["data"]

    # The operator's reply shows once the outbox sender has delivered and logged it.
    await console.post(f"/console/operators/chats/{chat}/reply", {"text": "Да, слушаю"}, csrf)
    await operator_message_sent(console, chat, "Да, слушаю")
    event, fields = await read_event(stream)
    assert '"text": "Да, слушаю"' in fields["data"] and '"direction": "out"' in fields["data"]
    stream.close()


async def test_a_reconnecting_stream_resumes_after_the_last_event_id(console) -> None:
    chat = await waiting_chat(console, 1)
    first = await citizen_writes(console, chat, "Первое")
    await citizen_writes(console, chat, "Второе")
    await console.login("operator")

    stream = await console.client.get(
        f"/console/operators/chats/{chat}/events", headers={"Last-Event-ID": str(first)}
    )

    _, fields = await read_event(stream)
    assert '"text": "Второе"' in fields["data"]
    stream.close()


async def test_the_inbox_stream_announces_a_new_handoff(console) -> None:
    await console.login("operator")
    stream = await console.client.get("/console/operators/events")
    await asyncio.sleep(0.1)  # the stream is subscribed

    chat = await waiting_chat(console, 1)
    await citizen_writes(console, chat, "Нужен оператор")
    console.client.app[CONSOLE_APP][LIVE_HUB].poke()

    event, _ = await read_event(stream)
    assert event == "inbox"
    stream.close()


async def test_a_stream_from_another_site_is_refused(console) -> None:
    chat = await waiting_chat(console, 1)
    await console.login("operator")
    response = await console.client.get(
        f"/console/operators/chats/{chat}/events", headers={"Origin": "https://evil.example"}
    )
    assert response.status == 403


async def test_reception_staff_and_officials_do_not_see_the_operators_screens(console) -> None:
    chat = await waiting_chat(console, 1)
    for user in ("reception", "official"):
        await console.login(user)
        assert (await console.client.get("/console/operators")).status == 403
        assert (await console.client.get(f"/console/operators/chats/{chat}")).status == 403


async def test_a_reply_without_the_csrf_token_is_refused_and_nothing_sent(console) -> None:
    chat = await waiting_chat(console, 1)
    await console.login("operator")
    response = await console.client.post(
        f"/console/operators/chats/{chat}/reply", data={"text": "Привет"}, allow_redirects=False
    )
    assert response.status == 403
    assert await console.scalar("select count(*) from messages") == 0


async def test_a_tapped_button_is_shown_with_its_label(console) -> None:
    chat = await waiting_chat(console, 1)
    async with console.uow_factory() as uow:
        conversation = await uow.conversations.get(chat)
        for direction, author, text, payload in (
            (
                "out",
                "bot",
                "Чем могу помочь?",
                {"buttons": [[["menu:operator", "Оператор", None]]]},
            ),
            ("in", "citizen", None, {"kind": "button", "button": "menu:operator"}),
        ):
            await uow.messages.add(
                MessageRecord(
                    channel=conversation.channel,
                    chat_id=conversation.chat_id,
                    direction=direction,
                    at=console.clock.now(),
                    author_kind=author,
                    text=text,
                    payload=payload,
                    conversation_id=chat,
                )
            )
        await uow.commit()
    await console.login("operator")

    text = visible_text(await (await console.client.get(f"/console/operators/chats/{chat}")).text())

    assert "Заявитель · 11 февраля 2026 г., 10:00 ▸ Оператор" in text
