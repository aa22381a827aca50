"""Builders for the console's operations tests (operators, protocols, day list, reports).

Everything goes through the real use cases on the `console` fixture's database, so what the
tests then see in the console is what staff would see.
"""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from typing import Any

from reception.actors import Actor
from reception.ports import MessageRecord
from reception.requests import BookingRequest
from reception.schedule import Slot
from reception.services import handoff
from reception.services.requests import book_request, mark_reception_outcome
from tests.e2e.console_support import Console

EVENT_WAIT = 5.0
RECEPTION_AT = datetime.fromisoformat("2026-02-18T15:30:00+05:00")  # the seeded day, after


async def book(console: Console, booking: BookingRequest, slot: Slot) -> BookingRequest:
    assert booking.id is not None and slot.id is not None
    async with console.uow_factory() as uow:
        booked = await book_request(
            uow, console.rules, booking.id, slot.id, Actor.staff(console.users["reception"].id)
        )
        await uow.commit()
    return booked


async def mark(console: Console, booking: BookingRequest, attended: bool = True) -> None:
    """On or after the reception day: the applicant came (or not)."""
    assert booking.id is not None
    async with console.uow_factory() as uow:
        await mark_reception_outcome(
            uow, console.rules, booking.id, attended, Actor.staff(console.users["reception"].id)
        )
        await uow.commit()


async def waiting_chat(
    console: Console, n: int, *, lang: str = "ru", channel: str = "telegram", name: bool = True
) -> int:
    """A chat whose citizen asked for a person, at the console clock's current time."""
    citizen = await console.seed_citizen(n, lang, channel)
    async with console.uow_factory() as uow:
        conversation = await uow.conversations.get_or_create(
            channel, f"chat-{n}", console.clock.now()
        )
        conversation.citizen_id = citizen.id
        conversation.data = {"lang": lang}
        conversation.state = "menu"
        await uow.conversations.save(conversation)
        await handoff.request_operator(uow, console.rules, conversation, handoff.REASON_BUTTON)
        await uow.commit()
    assert conversation.id is not None
    if not name:
        async with console.uow_factory() as uow:
            await uow.connection.exec_driver_sql(
                f"update citizens set full_name = null where id = {int(citizen.id or 0)}"
            )
            await uow.commit()
    return conversation.id


async def citizen_writes(console: Console, conversation_id: int, text: str) -> int:
    """The bot pipeline's record of a citizen's message (R39)."""
    return await _log(console, conversation_id, "in", "citizen", text)


async def operator_message_sent(console: Console, conversation_id: int, text: str) -> int:
    """The outbox sender's record of an operator's message it delivered (R39)."""
    return await _log(console, conversation_id, "out", "staff", text)


async def _log(
    console: Console, conversation_id: int, direction: str, author: str, text: str
) -> int:
    async with console.uow_factory() as uow:
        conversation = await uow.conversations.get(conversation_id)
        stored = await uow.messages.add(
            MessageRecord(
                channel=conversation.channel,
                chat_id=conversation.chat_id,
                direction=direction,
                at=console.clock.now(),
                author_kind=author,
                author_id=None,
                text=text,
                conversation_id=conversation_id,
                citizen_id=conversation.citizen_id,
            )
        )
        await uow.commit()
    assert stored.id is not None
    return stored.id


async def read_event(response: Any) -> tuple[str, dict[str, str]]:
    """The next server-sent event: (event name, {"id": ..., "data": ...}); skips comments.
    Waits up to EVENT_WAIT seconds: the stream must deliver without anyone reloading."""
    fields: dict[str, str] = {}
    async with asyncio.timeout(EVENT_WAIT):
        while True:
            raw = await response.content.readline()
            if not raw:  # EOF: readline no longer waits, so the timeout could never fire
                raise AssertionError("the event stream ended before the next event")
            line = raw.decode().rstrip("\n")
            if line == "":
                if "event" in fields or "data" in fields:
                    return fields.get("event", "message"), fields
                continue
            if line.startswith(":"):
                continue
            key, _, value = line.partition(":")
            fields[key] = value.lstrip(" ")


def visible_text(html: str) -> str:
    """The page's text without tags, spaces collapsed, for "the user sees ..." assertions."""
    without_tags = re.sub(r"<[^>]+>", " ", html)
    return " ".join(without_tags.replace("&#34;", '"').replace("&#39;", "'").split())
