"""bot.telegram.ordering.ChatOrder: a chat's updates one at a time, in arrival order, even
when one of them is cancelled while it waits or just as its turn comes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from aiogram.types import Update

from bot.telegram.ordering import ChatOrder


def update(update_id: int, chat_id: int) -> Update:
    return Update.model_validate(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": int(datetime(2026, 11, 23, tzinfo=UTC).timestamp()),
                "chat": {"id": chat_id, "type": "private"},
                "text": f"message {update_id}",
            },
        }
    )


class Handler:
    """Records the order updates start and end in; each holds its turn until released."""

    def __init__(self) -> None:
        self.log: list[str] = []
        self.release: dict[int, asyncio.Event] = {}

    async def __call__(self, event: Any, data: dict[str, Any]) -> None:
        number = event.update_id
        self.log.append(f"start {number}")
        await self.release.setdefault(number, asyncio.Event()).wait()
        self.log.append(f"end {number}")


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_one_chats_updates_take_turns_while_other_chats_go_on() -> None:
    order, handler = ChatOrder(), Handler()
    tasks = [asyncio.create_task(order(handler, update(n, 7), {})) for n in (1, 2)]
    other = asyncio.create_task(order(handler, update(3, 8), {}))
    await settle()
    assert handler.log == ["start 1", "start 3"]  # 2 waits for 1; chat 8 is not held up

    for number in (1, 2, 3):
        handler.release.setdefault(number, asyncio.Event()).set()
    await asyncio.gather(*tasks, other)
    assert handler.log.index("end 1") < handler.log.index("start 2")


async def test_an_update_cancelled_while_waiting_does_not_block_the_next() -> None:
    order, handler = ChatOrder(), Handler()
    first, second, third = (
        asyncio.create_task(order(handler, update(n, 7), {})) for n in (1, 2, 3)
    )
    await settle()
    second.cancel()
    await settle()
    handler.release.setdefault(1, asyncio.Event()).set()
    handler.release.setdefault(3, asyncio.Event()).set()
    await asyncio.wait_for(asyncio.gather(first, third), 1)
    assert second.cancelled()
    assert handler.log == ["start 1", "end 1", "start 3", "end 3"]


async def test_an_update_cancelled_as_its_turn_comes_passes_the_turn_on() -> None:
    order, handler = ChatOrder(), Handler()
    tasks: dict[int, asyncio.Task[None]] = {}

    async def first_then_cancel_the_second() -> None:
        await order(handler, update(1, 7), {})
        tasks[2].cancel()  # the turn was just given to 2, which has not run yet

    first = asyncio.create_task(first_then_cancel_the_second())
    await settle()
    tasks[2] = asyncio.create_task(order(handler, update(2, 7), {}))
    tasks[3] = asyncio.create_task(order(handler, update(3, 7), {}))
    await settle()
    handler.release.setdefault(1, asyncio.Event()).set()
    handler.release.setdefault(3, asyncio.Event()).set()
    await asyncio.wait_for(asyncio.gather(first, tasks[3]), 1)
    assert tasks[2].cancelled()
    assert handler.log == ["start 1", "end 1", "start 3", "end 3"]
    assert order.turns.busy == 0  # the chat is idle again
