"""Handing a chat to an operator and back: the button, /operator, three failures; the bot's
silence meanwhile; working hours (R34); every message kept (R39)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.flow import states
from reception.actors import Actor
from reception.citizens import DocumentKind, Role, StaffUser
from reception.clock import ALMATY, FixedClock
from reception.errors import IllegalTransition, ValidationFailed
from reception.ports import Conversation
from reception.services import handoff
from storage.tables import audit_log, messages
from tests.integration.dialog_support import *  # noqa: F403  (fixtures: chat, clock, dialog, world)
from tests.integration.dialog_support import (
    JPEG,
    Chat,
    World,
    book,
    t,
)


async def conversation_of(uow_factory: Any, chat: Chat) -> Conversation:
    async with uow_factory(readonly=True) as uow:
        found = await uow.conversations.find(chat.channel, chat.chat_id)
    assert found is not None
    return found


async def an_operator(uow_factory: Any) -> Actor:
    async with uow_factory() as uow:
        user = await uow.staff.add(
            StaffUser("oper1", "Оператор Бірінші", Role.OPERATOR, "not-a-real-hash")
        )
        await uow.commit()
    assert user.id is not None
    return Actor.staff(user.id)


async def audit(uow_factory: Any) -> list[tuple[str, str | None]]:
    async with uow_factory(readonly=True) as uow:
        rows = await uow.connection.execute(
            select(audit_log.c.action, audit_log.c.details)
            .where(audit_log.c.object_type == "conversation")
            .order_by(audit_log.c.id)
        )
    return [(row.action, (row.details or {}).get("reason")) for row in rows]


async def test_operator_button_hands_the_chat_over_and_the_bot_goes_quiet(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world, until=states.REPRESENTATION)
    await chat.tap("nav:operator")
    assert chat.text == t("ru", "handoff-waiting")
    conversation = await conversation_of(uow_factory, chat)
    assert (conversation.mode, conversation.operator_id) == ("operator", None)
    assert await audit(uow_factory) == [("chat.operator_requested", "button")]

    assert await chat.say("Здравствуйте, мне нужна помощь с записью") == []
    assert await chat.send_file(JPEG, "фото.jpg", "image/jpeg") == []
    assert await chat.command("/start") == []  # quiet until an operator hands it back
    async with uow_factory(readonly=True) as uow:
        waiting = await uow.conversations.in_operator_mode()
        stored = (
            (
                await uow.connection.execute(
                    select(messages)
                    .where(messages.c.direction == "in")
                    .order_by(messages.c.id.desc())
                    .limit(3)
                )
            )
            .mappings()
            .all()
        )
        document = await uow.documents.get(stored[1]["document_id"])
    assert [c.chat_id for c in waiting] == [chat.chat_id]
    assert stored[2]["text"] == "Здравствуйте, мне нужна помощь с записью"
    assert document.kind is DocumentKind.ATTACHMENT and document.file_name == "фото.jpg"


async def test_slash_operator_works_from_the_middle_of_a_booking(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world, until=states.QUESTION)
    await chat.command("/operator")
    assert chat.text == t("ru", "handoff-waiting")
    assert await audit(uow_factory) == [("chat.operator_requested", "command")]


async def test_three_failed_inputs_in_a_row_call_an_operator(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world, until=states.IIN)
    await chat.say("не знаю")
    await chat.say("123")
    assert (await conversation_of(uow_factory, chat)).mode == "bot"
    await chat.say("1234567890")
    assert chat.text == t("ru", "handoff-after-failures") + "\n" + t("ru", "handoff-waiting")
    assert (await conversation_of(uow_factory, chat)).mode == "operator"
    assert await audit(uow_factory) == [("chat.operator_requested", "failures")]


async def test_a_good_answer_between_failures_starts_the_count_again(
    chat: Chat, world: World, uow_factory: Any
) -> None:
    await book(chat, world, until=states.NAME)
    await chat.say("123")
    await chat.say("Ахметов Серик")  # good
    await chat.say("1")
    await chat.say("2")
    assert (await conversation_of(uow_factory, chat)).mode == "bot"


async def test_r34_outside_working_hours_the_citizen_is_told_when_operators_answer(
    chat: Chat, world: World, clock: FixedClock
) -> None:
    await book(chat, world, until=states.MENU)
    clock.set(datetime(2026, 3, 6, 20, 0, tzinfo=ALMATY))  # Friday evening
    await chat.tap("nav:operator")
    # Monday 9 March is the day off for 8 March, a Sunday (R35).
    assert "Операторы начнут отвечать: 10 марта 2026 г., 09:00." in chat.text
    assert "09:00–19:00, перерыв 13:00–15:00" in chat.text


async def test_operator_reply_goes_to_the_citizen_and_claims_the_chat(
    chat: Chat, world: World, uow_factory: Any, dialog: Any
) -> None:
    operator = await an_operator(uow_factory)
    await book(chat, world, until=states.MENU)
    await chat.tap("nav:operator")
    conversation = await conversation_of(uow_factory, chat)
    async with uow_factory() as uow:
        item = await handoff.operator_reply(
            uow, dialog.rules, conversation.id, operator, text="Здравствуйте! Чем помочь?"
        )
        await uow.commit()
    [reply] = await chat.read()
    assert reply.text == "Здравствуйте! Чем помочь?"
    assert reply.extra["author_kind"] == "staff" and reply.extra["author_id"] == str(operator.id)
    assert item.id is not None and item.channel == "web"
    assert (await conversation_of(uow_factory, chat)).operator_id == operator.id
    assert ("chat.operator_reply", None) in await audit(uow_factory)
    async with uow_factory(readonly=True) as uow:  # R39: logged at once, the operator as author
        [logged] = (
            (
                await uow.connection.execute(
                    select(messages).where(messages.c.author_kind == "staff")
                )
            )
            .mappings()
            .all()
        )
    assert (logged["text"], logged["author_id"]) == ("Здравствуйте! Чем помочь?", operator.id)
    assert logged["conversation_id"] == conversation.id


async def test_operator_reply_may_carry_a_document(
    chat: Chat, world: World, uow_factory: Any, dialog: Any
) -> None:
    operator = await an_operator(uow_factory)
    await book(chat, world, until=states.MENU)
    await chat.tap("nav:operator")
    await chat.send_file(JPEG, "scan.jpg", "image/jpeg")
    conversation = await conversation_of(uow_factory, chat)
    async with uow_factory() as uow:
        [document] = [d async for d in _documents_of(uow, conversation.citizen_id)]
        await handoff.claim(uow, dialog.rules, conversation.id, operator)
        await handoff.operator_reply(
            uow, dialog.rules, conversation.id, operator, document=document
        )
        await uow.commit()
    [reply] = await chat.read()
    assert reply.document_path == document.path and reply.document_name == "scan.jpg"


async def _documents_of(uow: Any, citizen_id: int) -> Any:
    rows = await uow.connection.execute(
        select(messages.c.document_id).where(
            messages.c.citizen_id == citizen_id, messages.c.document_id.is_not(None)
        )
    )
    for document_id in rows.scalars():
        yield await uow.documents.get(document_id)


async def test_operator_cannot_write_into_a_chat_the_bot_has_or_send_nothing(
    chat: Chat, world: World, uow_factory: Any, dialog: Any
) -> None:
    operator = await an_operator(uow_factory)
    await book(chat, world, until=states.MENU)
    conversation = await conversation_of(uow_factory, chat)
    async with uow_factory() as uow:
        with pytest.raises(IllegalTransition):
            await handoff.operator_reply(uow, dialog.rules, conversation.id, operator, text="Hi")
        with pytest.raises(ValidationFailed):
            await handoff.operator_reply(uow, dialog.rules, conversation.id, operator, text=" ")
        with pytest.raises(ValidationFailed):
            await handoff.claim(uow, dialog.rules, conversation.id, Actor.citizen(1))


async def test_return_to_bot_tells_the_citizen_and_the_bot_answers_again(
    chat: Chat, world: World, uow_factory: Any, dialog: Any
) -> None:
    operator = await an_operator(uow_factory)
    await book(chat, world, until=states.NAME)
    await chat.command("/operator")
    assert await chat.say("Ахметов Серик") == []
    conversation = await conversation_of(uow_factory, chat)
    async with uow_factory() as uow:
        await handoff.claim(uow, dialog.rules, conversation.id, operator)
        back = await handoff.return_to_bot(uow, dialog.rules, conversation.id, operator)
        await uow.commit()
    assert (back.mode, back.operator_id, back.failures) == ("bot", None, 0)
    [notice] = await chat.read()
    assert notice.text == t("ru", "handoff-returned")

    await chat.say("Ахметов Серик Болатович")  # resumes at the step it was at
    assert t("ru", "booking-ask-iin") in chat.text
    actions = [action for action, _ in await audit(uow_factory)]
    assert actions == ["chat.operator_requested", "chat.claim", "chat.return_to_bot"]
