"""The pipeline every channel uses: de-duplication, order, restarts, the message log (R39),
consent (R36)."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.flow import states
from bot.flow.events import EventKind, Incoming
from bot.pipeline import process
from reception.clock import FixedClock
from storage.engine import create_engine
from storage.tables import consents, documents, inbound, messages, outbox
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.dialog_support import *  # noqa: F403  (fixtures: chat, clock, dialog, world)
from tests.integration.dialog_support import (
    APPLICANT_IIN,
    NOW,
    PDF,
    QUESTION,
    Chat,
    World,
    all_requests,
    book,
    make_dialog,
    t,
)


async def count(uow_factory: Any, table: Any, *where: Any) -> int:
    async with uow_factory(readonly=True) as uow:
        statement = select(func.count()).select_from(table).where(*where)
        return int((await uow.connection.execute(statement)).scalar_one())


async def test_a_redelivered_update_gets_no_second_reply(
    chat: Chat, uow_factory: Any, dialog: Any
) -> None:
    event = chat.event(EventKind.COMMAND, text="/start")
    assert await process(uow_factory, dialog, event) is True
    assert await process(uow_factory, dialog, event) is False
    assert len(await chat.read()) == 1
    assert await count(uow_factory, outbox) == 1
    assert await count(uow_factory, messages, messages.c.direction == "in") == 1
    assert await count(uow_factory, inbound) == 1


async def test_on_commit_wakes_the_sender_only_for_new_updates(
    chat: Chat, uow_factory: Any, dialog: Any
) -> None:
    woken: list[int] = []
    event = chat.event(EventKind.COMMAND, text="/start")
    await process(uow_factory, dialog, event, on_commit=lambda: woken.append(1))
    await process(uow_factory, dialog, event, on_commit=lambda: woken.append(2))
    assert woken == [1]


async def test_twenty_messages_of_one_chat_at_once_are_handled_in_order(
    chat: Chat, world: World, uow_factory: Any, dialog: Any
) -> None:
    script = [
        chat.event(EventKind.COMMAND, text="/start"),
        *[
            chat.event(EventKind.BUTTON, button=b)
            for b in ("lang:ru", "consent:yes", "menu:book", "rep:self")
        ],
        chat.event(EventKind.TEXT, text="Ахметов Серик Болатович"),
        chat.event(EventKind.TEXT, text=APPLICANT_IIN),
        chat.event(EventKind.TEXT, text="87011234567"),
        chat.event(EventKind.BUTTON, button="idtype:id-card"),
        chat.event(EventKind.TEXT, text="012345678"),
        chat.event(EventKind.BUTTON, button=f"topic:{world.roads_topic_id}"),
        chat.event(EventKind.BUTTON, button=f"official:{world.akim_id}"),
        chat.event(EventKind.TEXT, text=QUESTION["ru"]),
        *[chat.event(EventKind.BUTTON, button="no") for _ in range(4)],
        *[
            chat.event(EventKind.BUTTON, button=b)
            for b in ("priority:none", "format:in_person", "rlang:ru")
        ],
        chat.event(EventKind.BUTTON, button=f"slot:{world.slot_ids[2]}"),
        chat.event(EventKind.BUTTON, button="confirm"),
    ]
    assert len(script) >= 20
    results = await asyncio.gather(*(process(uow_factory, dialog, e) for e in script))
    assert all(results)

    [request] = await all_requests(uow_factory)  # every step landed in its turn
    assert request.slot_id == world.slot_ids[2] and request.applicant_iin == APPLICANT_IIN
    async with uow_factory(readonly=True) as uow:
        logged = (
            (
                await uow.connection.execute(
                    select(messages.c.payload)
                    .where(messages.c.direction == "in")
                    .order_by(messages.c.id)
                )
            )
            .scalars()
            .all()
        )
    assert [p["external_id"] for p in logged] == [e.external_id for e in script]
    replies = await chat.read()
    assert len(replies) == len(script) + 1  # one each, and the "registered" notice
    assert t("ru", "booking-done") in replies[-1].text


async def test_after_a_restart_the_conversation_resumes_at_the_same_step(
    chat: Chat, world: World, database_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    await book(chat, world, until=states.QUESTION)
    assert t("ru", "booking-ask-question") in chat.text

    # A new process: a new engine, unit-of-work factory and dialog on the same database.
    engine = create_engine(database_url)
    try:
        restarted = Chat(
            SqlUnitOfWorkFactory(engine),
            make_dialog(tmp_path, clock),
            chat_id=chat.chat_id,
            clock=clock,
        )
        restarted._seen_outbox_id = chat._seen_outbox_id
        restarted._ids = chat._ids
        await restarted.say(QUESTION["ru"])
        assert t("ru", "admissibility-ask-administrative-decision") in restarted.text
        await restarted.tap("nav:back")
        assert t("ru", "booking-ask-question") in restarted.text  # the way back survived too
    finally:
        await engine.dispose()


async def test_r36_declined_consent_stores_no_personal_data(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await chat.command("/start")
    await chat.tap("lang:ru")
    await chat.tap("consent:no")
    assert chat.text.startswith(t("ru", "consent-declined"))
    offered = {b.id for b in chat.buttons}
    assert "menu:book" not in offered and "menu:mine" not in offered
    assert {"menu:schedule", "nav:operator", "menu:consent"} <= offered
    await chat.say(APPLICANT_IIN)  # typed anyway
    await chat.send_file(PDF, "passport.pdf")
    await chat.tap("menu:book")  # a stale button
    assert t("ru", "consent-text") in chat.text

    async with uow_factory(readonly=True) as uow:
        conversation = await uow.conversations.get_or_create("web", chat.chat_id, NOW)
        citizen = await uow.citizens.get(conversation.citizen_id)
        [consent] = await uow.citizens.consents(citizen.id)
    assert (citizen.full_name, citizen.iin, citizen.phone, citizen.consent_at) == (None,) * 4
    assert consent.granted is False and consent.channel == "web" and consent.text_version
    assert await count(uow_factory, documents) == 0
    assert await all_requests(uow_factory) == []


async def test_r36_consent_is_recorded_with_version_time_and_channel(
    chat: Chat, uow_factory: Any
) -> None:
    await chat.command("/start")
    await chat.tap("lang:kk")
    await chat.tap("consent:yes")
    assert chat.text.startswith(t("kk", "consent-thanks"))
    async with uow_factory(readonly=True) as uow:
        rows = (await uow.connection.execute(select(consents))).mappings().all()
    assert [(r["granted"], r["channel"], r["text_version"], r["given_at"]) for r in rows] == [
        (True, "web", "bot-2025-1", NOW)
    ]


async def test_r39_every_message_in_is_logged_with_what_it_carried(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world, until=states.QUESTION)
    await chat.send_file(b"GIF89a" + bytes(10), "photo.gif", "image/gif")  # refused, yet logged
    async with uow_factory(readonly=True) as uow:
        rows = (
            (
                await uow.connection.execute(
                    select(messages).where(messages.c.direction == "in").order_by(messages.c.id)
                )
            )
            .mappings()
            .all()
        )
    assert rows[0]["text"] == "/start" and rows[0]["author_kind"] == "citizen"
    assert rows[1]["payload"]["button"] == "lang:ru"
    assert any(r["text"] == APPLICANT_IIN for r in rows)
    assert rows[-1]["payload"]["file"]["name"] == "photo.gif"
    assert all(r["conversation_id"] is not None for r in rows)


async def test_a_failing_step_keeps_the_message_and_apologises(
    chat: Chat, world: World, uow_factory: Any, dialog: Any, monkeypatch: Any
) -> None:
    await book(chat, world, until=states.NAME)

    async def broken(turn: Any) -> None:
        raise RuntimeError("a bug")

    step = dialog.env.steps[states.NAME]
    monkeypatch.setitem(dialog.env.steps, states.NAME, type(step)(step.ask, broken, step.nav))
    await chat.say("Ахметов Серик")
    assert chat.text == t("ru", "bot-error-sorry")
    async with uow_factory(readonly=True) as uow:
        [row] = (
            (
                await uow.connection.execute(
                    select(messages).where(messages.c.text == "Ахметов Серик")
                )
            )
            .mappings()
            .all()
        )
    assert row["payload"]["failed"] is True


async def test_a_message_before_any_language_gets_the_language_question(
    uow_factory: Any, dialog: Any
) -> None:
    event = Incoming("telegram", "777", "u-1", NOW, EventKind.TEXT, text="Сәлеметсіз бе")
    await process(uow_factory, dialog, event)
    chat = Chat(uow_factory, dialog, chat_id="777", channel="telegram")
    [reply] = await chat.read()
    assert t("kk", "language-ask") in reply.text and t("ru", "language-ask") in reply.text


async def test_on_sqlite_a_busy_database_is_waited_for_without_blocking_the_loop(
    tmp_path: Path, clock: FixedClock
) -> None:
    """The pipeline writes on the loop's thread (storage.inloop); while another connection
    holds SQLite's write lock it waits with asyncio, so that writer can finish."""
    from storage.migrate import upgrade_to_head

    url = f"sqlite+aiosqlite:///{tmp_path}/busy.db"
    await upgrade_to_head(url)
    engine = create_engine(url)
    try:
        uow_factory = SqlUnitOfWorkFactory(engine)
        dialog = make_dialog(tmp_path, clock)
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.001)

        ticking = asyncio.create_task(ticker())
        async with uow_factory() as other:  # BEGIN IMMEDIATE: holds the write lock
            event = Incoming("web", "9", "busy-1", NOW, EventKind.COMMAND, text="/start")
            handling = asyncio.create_task(process(uow_factory, dialog, event))
            await asyncio.sleep(0.2)
            assert not handling.done() and ticks > 20  # waiting, and the loop runs
            await other.conversations.get_or_create("web", "other", NOW)
            await other.commit()
        assert await asyncio.wait_for(handling, 5) is True
        ticking.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ticking
        replies = await Chat(uow_factory, dialog, chat_id="9").read()
        assert t("ru", "language-ask") in replies[0].text
    finally:
        await engine.dispose()
