"""The dialog's storage: conversation state, the message log (R39), inbound de-duplication."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from reception.errors import ConcurrentUpdate
from reception.ports import MessageRecord
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.builders import NOW, citizen


async def test_conversation_is_created_once_and_saved_with_version_check(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        conversation = await uow.conversations.get_or_create("telegram", "1001", NOW)
        await uow.commit()
    assert conversation.id is not None and conversation.state == "start"
    async with uow_factory() as uow:
        again = await uow.conversations.get_or_create("telegram", "1001", NOW)
        assert again == conversation
        again.state, again.data = "booking-ask-iin", {"lang": "kk", "step": 2, "name": "Әли"}
        again.last_inbound_at = again.updated_at = NOW + timedelta(minutes=1)
        await uow.conversations.save(again)
        await uow.commit()
    assert again.version == 1
    async with uow_factory() as uow:
        stored = await uow.conversations.get(conversation.id)
        assert stored == again
        conversation.state = "stale"
        with pytest.raises(ConcurrentUpdate):
            await uow.conversations.save(conversation)


async def test_concurrent_first_messages_create_one_conversation(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    async def first_message() -> int:
        async with uow_factory() as uow:
            conversation = await uow.conversations.get_or_create("whatsapp", "7701", NOW)
            await uow.commit()
            return conversation.id

    ids = await asyncio.gather(*(first_message() for _ in range(10)))
    assert len(set(ids)) == 1


async def test_chats_handed_to_operators_are_listed_oldest_first(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        for n, chat in enumerate(["a", "b", "c"]):
            conversation = await uow.conversations.get_or_create("web", chat, NOW)
            conversation.mode = "operator" if chat != "b" else "bot"
            conversation.updated_at = NOW - timedelta(minutes=n)
            await uow.conversations.save(conversation)
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        waiting = await uow.conversations.in_operator_mode()
    assert [c.chat_id for c in waiting] == ["c", "a"]


async def test_r39_messages_in_and_out_are_logged(uow_factory: SqlUnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        person = await uow.citizens.add(citizen())
        conversation = await uow.conversations.get_or_create("telegram", "1001", NOW)
        conversation.citizen_id = person.id
        await uow.conversations.save(conversation)
        records = [
            MessageRecord(
                channel="telegram",
                chat_id="1001",
                direction="in" if n % 2 == 0 else "out",
                at=NOW + timedelta(seconds=n),
                author_kind="citizen" if n % 2 == 0 else "bot",
                text=f"хабар {n}",
                payload={"buttons": ["menu-book"]} if n % 2 else None,
                conversation_id=conversation.id,
                citizen_id=person.id,
            )
            for n in range(5)
        ]
        for record in records:
            await uow.messages.add(record)
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        assert await uow.messages.for_conversation(conversation.id) == records
        assert await uow.messages.for_conversation(conversation.id, limit=2) == records[3:]
        older = await uow.messages.for_conversation(conversation.id, 2, before_id=records[3].id)
        assert older == records[1:3]
        assert await uow.messages.for_citizen(person.id, limit=1) == records[4:]


async def test_a_citizens_messages_are_those_of_the_citizens_chats_and_those_outside_a_chat(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    """R39 on the request card: found through the conversations (migration 0009), so what the
    chat said before the citizen was identified is there too, and a message logged for the
    citizen outside any chat is not lost."""

    def message(chat_id: str, n: int, **kw: Any) -> MessageRecord:
        return MessageRecord(
            channel="telegram", chat_id=chat_id, direction="in", author_kind="citizen",
            text=f"хабар {n}", at=NOW + timedelta(seconds=n), **kw,
        )  # fmt: skip

    async with uow_factory() as uow:
        person, other = await uow.citizens.add(citizen()), await uow.citizens.add(citizen())
        mine = await uow.conversations.get_or_create("telegram", "2001", NOW)
        theirs = await uow.conversations.get_or_create("telegram", "2002", NOW)
        before = await uow.messages.add(message("2001", 0, conversation_id=mine.id))
        mine.citizen_id, theirs.citizen_id = person.id, other.id
        await uow.conversations.save(mine)
        await uow.conversations.save(theirs)
        after = await uow.messages.add(
            message("2001", 1, conversation_id=mine.id, citizen_id=person.id)
        )
        await uow.messages.add(message("2002", 2, conversation_id=theirs.id, citizen_id=other.id))
        outside = await uow.messages.add(message("none", 3, citizen_id=person.id))
        await uow.messages.add(message("none", 4, citizen_id=other.id))
        await uow.commit()
    async with uow_factory(readonly=True) as uow:
        assert await uow.messages.for_citizen(person.id) == [before, after, outside]
        assert await uow.messages.for_citizen(person.id, limit=2) == [after, outside]


async def test_a_repeated_inbound_update_is_recorded_once(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        assert await uow.inbound.record("telegram", "555", NOW, raw={"update_id": 555})
        assert not await uow.inbound.record("telegram", "555", NOW)
        assert await uow.inbound.record("whatsapp", "555", NOW)
        await uow.inbound.mark_processed("telegram", "555", NOW)
        await uow.commit()
    async with uow_factory() as uow:
        assert not await uow.inbound.record("telegram", "555", NOW + timedelta(hours=1))
        assert await uow.inbound.purge(NOW + timedelta(days=2)) == 2
        assert await uow.inbound.record("telegram", "555", NOW + timedelta(days=2))
        await uow.commit()


async def test_concurrent_deliveries_of_one_update_are_recorded_once(
    uow_factory: SqlUnitOfWorkFactory,
) -> None:
    async def deliver() -> bool:
        async with uow_factory() as uow:
            fresh = await uow.inbound.record("whatsapp", "wamid.X", NOW)
            await uow.commit()
            return fresh

    assert sorted(await asyncio.gather(*(deliver() for _ in range(10)))) == [False] * 9 + [True]
