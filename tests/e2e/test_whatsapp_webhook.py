"""The WhatsApp webhook: Meta's verification, signatures, storing before the 200, duplicates,
and events taken up again after a crash. Through aiohttp's test client on the one server,
with a fake Graph API; SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json

from bot.whatsapp.processor import LEASE
from bot.whatsapp.signature import sign
from reception.clock import FixedClock
from storage.engine import create_engine
from storage.repositories.whatsapp import WhatsAppEvents
from storage.uow import SqlUnitOfWorkFactory
from tests.e2e.fake_graph import FakeGraph
from tests.e2e.whatsapp_support import *  # noqa: F403
from tests.e2e.whatsapp_support import (
    APP_SECRET,
    VERIFY_TOKEN,
    WhatsApp,
    start_server,
    webhook_body,
)
from tests.integration.dialog_support import NOW, t

LANGUAGE_QUESTION_RU = t("ru", "language-ask")


async def test_meta_verification_with_the_verify_token_echoes_the_challenge(wa: WhatsApp):
    response = await wa.client.get(
        "/webhooks/whatsapp",
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
    )
    assert response.status == 200
    assert await response.text() == "1158201444"


async def test_verification_with_a_wrong_token_or_mode_is_forbidden(wa: WhatsApp):
    wrong_token = {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}
    wrong_mode = {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"}
    for params in (wrong_token, wrong_mode, {"hub.challenge": "1"}):
        response = await wa.client.get("/webhooks/whatsapp", params=params)
        assert response.status == 403
        assert "1" not in await response.text()


async def test_a_first_message_is_answered_with_the_language_question(wa: WhatsApp):
    citizen = wa.citizen()

    sent = await citizen.say("Сәлеметсіз бе! 👋")

    [question] = sent
    assert question.to == "77011234567"
    assert question.interactive_type == "button"
    assert question.choices == [("lang:kk", "Қазақша"), ("lang:ru", "Русский")]
    # R39: the message in is logged with the citizen's text; the reply out too.
    logged = await wa.rows("select direction, text from messages order by id")
    assert (logged[0]["direction"], logged[0]["text"]) == ("in", "Сәлеметсіз бе! 👋")
    assert ("out", question.text) in [(r["direction"], r["text"]) for r in logged]


async def test_a_bad_signature_is_refused_with_401_and_nothing_is_stored(wa: WhatsApp):
    citizen = wa.citizen()
    body = citizen.body("text", {"body": "Сәлем"})
    raw = json.dumps(body, ensure_ascii=False).encode()

    wrong_secret = await wa.post(raw, signature=sign("another-secret", raw))
    no_prefix = await wa.post(raw, signature=sign(APP_SECRET, raw).removeprefix("sha256="))
    tampered = await wa.post(
        raw.replace("Сәлем".encode(), "Салем".encode()), signature=sign(APP_SECRET, raw)
    )
    missing = await wa.client.post("/webhooks/whatsapp", data=raw)

    assert [r.status for r in (wrong_secret, no_prefix, tampered, missing)] == [401] * 4
    await wa.settle()
    assert await wa.scalar("select count(*) from whatsapp_events") == 0
    assert await wa.scalar("select count(*) from inbound") == 0
    assert await wa.scalar("select count(*) from messages") == 0
    assert wa.graph.sent == []


async def test_bodies_with_kazakh_letters_and_emoji_verify_as_sent_and_escaped(wa: WhatsApp):
    citizen = wa.citizen()
    words = "Әкімге жазылғым келеді: ғ қ ң ө ұ ү һ і 🙏🏽"
    for ensure_ascii in (False, True):  # Meta escapes non-ASCII as \\uXXXX; others may not
        body = citizen.body("text", {"body": words})
        raw = json.dumps(body, ensure_ascii=ensure_ascii).encode()
        response = await wa.post(raw)
        assert response.status == 200
    await wa.settle()
    texts = await wa.rows("select text from messages where direction = 'in' order by id")
    assert [r["text"] for r in texts] == [words, words]


async def test_the_event_is_stored_before_the_200_and_marked_processed_after(wa: WhatsApp):
    citizen = wa.citizen()
    body = citizen.body("text", {"body": "Здравствуйте"})
    raw = json.dumps(body, ensure_ascii=False).encode()

    response = await wa.post(raw)

    assert response.status == 200
    stored = await wa.rows("select body, body_sha256 from whatsapp_events")
    assert stored[0]["body"].encode() == raw  # the exact body, as signed
    assert stored[0]["body_sha256"] == hashlib.sha256(raw).hexdigest()
    await wa.settle()
    assert await wa.scalar("select count(*) from whatsapp_events where processed_at is null") == 0


async def test_a_redelivered_body_and_a_repeated_wamid_get_no_second_reply(wa: WhatsApp):
    citizen = wa.citizen()
    first = citizen.body("text", {"body": "Здравствуйте"}, wamid="wamid.SAME-MESSAGE-1")
    again_in_another_body = citizen.body(
        "text", {"body": "Здравствуйте"}, wamid="wamid.SAME-MESSAGE-1"
    )
    again_in_another_body["entry"][0]["id"] = "another-entry"

    assert len(await citizen.send(first)) == 1
    assert await citizen.send(first) == []  # Meta retried the same body
    assert await citizen.send(again_in_another_body) == []  # the same wamid, another body

    assert await wa.scalar("select count(*) from whatsapp_events") == 2
    assert await wa.scalar("select count(*) from inbound where channel = 'whatsapp'") == 1
    assert await wa.scalar("select count(*) from messages where direction = 'in'") == 1


async def test_a_change_for_another_phone_number_is_not_answered(wa: WhatsApp):
    citizen = wa.citizen()
    body = citizen.body("text", {"body": "Здравствуйте"})
    body["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"

    assert await citizen.send(body) == []
    assert (
        await wa.scalar("select count(*) from whatsapp_events where processed_at is not null") == 1
    )


async def test_an_event_stored_before_a_crash_is_processed_at_the_next_start(
    aiohttp_client, migrated_url, tmp_path, graph: FakeGraph
):
    # A process stored the event, answered 200 and died before processing it: its row is
    # there, unprocessed and still leased to the dead process.
    body = webhook_body(
        {
            "contacts": [{"profile": {"name": "Серик"}, "wa_id": "77017654321"}],
            "messages": [
                {
                    "from": "77017654321",
                    "id": "wamid.BEFORE-THE-CRASH",
                    "timestamp": str(int(NOW.timestamp())),
                    "type": "text",
                    "text": {"body": "Сәлем"},
                }
            ],
        }
    )
    raw = json.dumps(body, ensure_ascii=False).encode()
    engine = create_engine(migrated_url)
    try:
        async with SqlUnitOfWorkFactory(engine)() as uow:
            stored = await WhatsAppEvents(uow.connection).store(
                raw.decode(), hashlib.sha256(raw).hexdigest(), NOW, LEASE
            )
            await uow.commit()
    finally:
        await engine.dispose()
    assert stored is not None

    clock = FixedClock(NOW)
    client = await start_server(aiohttp_client, migrated_url, tmp_path / "data", graph, clock)
    await graph.wait_for(1)
    await WhatsApp(client, graph, clock, world=None).settle()  # type: ignore[arg-type]

    [question] = graph.to("77017654321")
    assert question.choices == [("lang:kk", "Қазақша"), ("lang:ru", "Русский")]
    check = WhatsApp(client, graph, clock, world=None)  # type: ignore[arg-type]
    assert (
        await check.scalar("select count(*) from whatsapp_events where processed_at is null") == 0
    )
    assert await check.scalar("select text from messages where direction = 'in'") == "Сәлем"
