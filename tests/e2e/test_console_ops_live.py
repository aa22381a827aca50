"""The live fan-out (console/live.py): in-process topics, and messages written by another
process reaching an open stream — by PostgreSQL NOTIFY, or by the SQLite poll."""

from __future__ import annotations

import asyncio

from console.live import CLOSED, INBOX, LIVE_HUB, LiveHub, NewMessage, chat_topic
from console.web import CONSOLE_APP
from tests.e2e.console_ops_support import citizen_writes, read_event, waiting_chat
from tests.e2e.console_support import *  # noqa: F403


async def test_a_new_message_wakes_its_chat_and_the_inbox_but_not_other_chats() -> None:
    stored = [NewMessage(11, 5, with_operators=True)]
    hub = LiveHub(tail=_tail_of(stored))

    async with hub.subscribe(chat_topic(5)) as five, hub.subscribe(chat_topic(6)) as six:
        async with hub.subscribe(INBOX) as inbox:
            last = await hub.tick(10)

    assert last == 11
    assert five.get_nowait() == chat_topic(5)
    assert inbox.get_nowait() == INBOX
    assert six.empty()
    assert hub.subscribers == 0  # leaving the block unsubscribes


async def test_the_bots_own_chats_do_not_wake_the_inbox() -> None:
    hub = LiveHub(tail=_tail_of([NewMessage(12, 7, with_operators=False)]))

    async with hub.subscribe(chat_topic(7)) as seven, hub.subscribe(INBOX) as inbox:
        await hub.tick(10)

    assert seven.get_nowait() == chat_topic(7)
    assert inbox.empty()


async def test_a_slow_subscriber_does_not_block_the_others() -> None:
    hub = LiveHub()
    async with hub.subscribe(INBOX) as slow, hub.subscribe(INBOX) as fast:
        for _ in range(500):
            hub.publish(INBOX)
        assert slow.full()
        fast.get_nowait()
        hub.publish(INBOX)
        assert fast.qsize() == slow.qsize()


async def test_a_stream_opened_while_the_server_shuts_down_ends_at_once() -> None:
    hub = LiveHub()
    await hub.close()

    async with hub.subscribe(INBOX, CLOSED) as queue:
        assert await asyncio.wait_for(queue.get(), 1) == CLOSED


def _tail_of(stored: list[NewMessage]):
    async def tail(after_id: int) -> list[NewMessage]:
        return [m for m in stored if m.message_id > after_id]

    return tail


async def test_a_message_another_process_stores_reaches_the_open_stream(console) -> None:
    """No poke from this process: on PostgreSQL the trigger's NOTIFY wakes the tail (the
    poll is set to 30 s, so only NOTIFY can deliver in time); on SQLite the poll does."""
    chat = await waiting_chat(console, 1)
    await console.login("operator")
    hub = console.client.app[CONSOLE_APP][LIVE_HUB]
    postgresql = console.uow_factory.engine.dialect.name == "postgresql"
    hub.interval = 30.0 if postgresql else 0.2
    stream = await console.client.get(f"/console/operators/chats/{chat}/events")
    await asyncio.sleep(0.5)  # the tail has started and, on PostgreSQL, LISTENs

    written = await citizen_writes(console, chat, "Сообщение из другого процесса")

    event, fields = await read_event(stream)
    assert (event, fields["id"]) == ("message", str(written))
    assert "Сообщение из другого процесса" in fields["data"]
    stream.close()
