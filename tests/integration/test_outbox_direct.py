"""Direct delivery: a reply the pipeline can hand to this process's sender is written leased
to it and sent without a claim, yet in order, within the limits, and never lost (issue 3).

A minimal dialog answers every text with one reply, so what is tested is the pipeline and the
sender; tests/e2e/test_telegram_dialog.py runs whole dialogs through the same path. SQLite
and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from bot.flow.events import EventKind, Incoming, Reply
from bot.outbox import ChannelLimits, OutboxHub, SendResult
from bot.pipeline import process
from locales import Translator
from reception.clock import FixedClock
from tests.integration.test_outbox import (
    START,
    ScriptedChannel,
    drain,
    enqueue,
    logged,
    make_sender,
    rows,
)

LEASE = timedelta(seconds=120)


class EchoDialog:
    """Answers a text with "echo <text>", written in Russian."""

    def __init__(self, clock: FixedClock) -> None:
        self.rules = SimpleNamespace(clock=clock)
        self.translator = Translator()

    async def respond(self, uow: Any, conversation: Any, event: Incoming) -> Any:
        return SimpleNamespace(
            replies=[Reply(f"echo {event.text}").written_in("ru")], document_id=None, note={}
        )


_serial = iter(range(1, 1_000_000))


async def say(uow_factory: Any, clock: FixedClock, on_commit: Any, text: str, chat: str = "501"):
    event = Incoming("telegram", chat, str(next(_serial)), clock.now(), EventKind.TEXT, text)
    assert await process(uow_factory, EchoDialog(clock), event, on_commit=on_commit)


async def test_a_reply_is_written_leased_and_sent_without_a_claim(uow_factory):
    clock = FixedClock(START)
    channel = ScriptedChannel()
    sender = make_sender(uow_factory, channel, clock)

    await say(uow_factory, clock, sender, "салам")

    [row] = await rows(uow_factory)  # leased to this sender, as a claim leaves a row
    assert (row["status"], row["attempts"], row["next_attempt_at"]) == ("pending", 1, START + LEASE)
    other_process = ScriptedChannel()
    await drain(make_sender(uow_factory, other_process, clock))
    assert other_process.delivered == []  # nobody else claims it

    await drain(sender)

    assert channel.delivered == [("501", "echo салам")]
    [row] = await rows(uow_factory)
    assert (row["status"], row["attempts"], row["sent_at"]) == ("sent", 1, START)
    entries = await logged(uow_factory)
    assert [(e["direction"], e["text"]) for e in entries] == [
        ("in", "салам"),
        ("out", "echo салам"),
    ]
    assert entries[1]["payload"] == Reply("echo салам").written_in("ru").to_payload()  # R39


async def test_a_chats_later_reply_waits_when_the_earlier_did_not_go(uow_factory):
    clock = FixedClock(START)
    channel = ScriptedChannel()
    channel.script.append(SendResult.retry("502 Bad Gateway"))
    sender = make_sender(uow_factory, channel, clock)

    await say(uow_factory, clock, sender, "1")  # both leased before either is sent
    await say(uow_factory, clock, sender, "2")
    await drain(sender)
    assert channel.delivered == []  # the first failed; the second is held behind it
    await say(uow_factory, clock, sender, "3")  # the chat is stalled: no lease
    assert [(r["attempts"], r["status"]) for r in await rows(uow_factory)] == [
        (1, "pending"),  # retried after its backoff
        (0, "pending"),  # held back, its attempt given back
        (0, "pending"),  # written for the rounds
    ]

    clock.set(START + timedelta(seconds=5))  # the first retry's pause
    for _ in range(3):
        await drain(sender)

    assert channel.delivered == [("501", "echo 1"), ("501", "echo 2"), ("501", "echo 3")]


async def test_a_reply_leased_before_the_failure_was_recorded_is_held_too(uow_factory):
    clock = FixedClock(START)
    channel = ScriptedChannel()
    channel.script.append(SendResult.retry("network: ClientConnectorError"))
    sender = make_sender(uow_factory, channel, clock)

    await say(uow_factory, clock, sender, "1")
    await sender.run_once()  # sent and failed; the next round records it
    await say(uow_factory, clock, sender, "2")  # still leased as its chat looked clear
    await drain(sender)
    assert channel.delivered == []

    clock.set(START + timedelta(seconds=5))
    for _ in range(2):
        await drain(sender)
    assert channel.delivered == [("501", "echo 1"), ("501", "echo 2")]


async def test_a_reply_goes_after_what_is_already_pending_for_the_chat(uow_factory):
    clock = FixedClock(START)
    channel = ScriptedChannel()
    sender = make_sender(uow_factory, channel, clock)
    await enqueue(uow_factory, "501", "a notice written by a job")

    await say(uow_factory, clock, sender, "салам")

    assert [r["attempts"] for r in await rows(uow_factory)] == [0, 0]  # not leased
    for _ in range(2):
        await drain(sender)
    assert channel.delivered == [("501", "a notice written by a job"), ("501", "echo салам")]


async def test_a_chats_replies_keep_to_one_a_second(uow_factory):
    clock = FixedClock(START)
    channel = ScriptedChannel(ChannelLimits(per_chat_rate=1.0))
    sender = make_sender(uow_factory, channel, clock)

    await say(uow_factory, clock, sender, "1")
    await say(uow_factory, clock, sender, "2")  # the chat's second within the second
    await drain(sender)
    assert channel.delivered == [("501", "echo 1")]
    assert [r["attempts"] for r in await rows(uow_factory)] == [1, 0]

    clock.set(START + timedelta(seconds=1))
    await drain(sender)
    assert channel.delivered == [("501", "echo 1"), ("501", "echo 2")]


async def test_a_shutdown_gives_back_the_leases_of_replies_not_sent(uow_factory):
    clock = FixedClock(START)
    channel = ScriptedChannel()
    sender = make_sender(uow_factory, channel, clock, poll_seconds=3600)
    running = asyncio.create_task(sender.run())
    await asyncio.sleep(0.05)  # its first round found nothing; it waits

    await say(uow_factory, clock, sender, "салам")
    running.cancel()  # before its next round could start
    await asyncio.gather(running, return_exceptions=True)

    assert channel.delivered == []
    [row] = await rows(uow_factory)
    assert (row["attempts"], row["next_attempt_at"]) == (0, START)  # due again, at once
    await say(uow_factory, clock, sender, "ещё")  # a stopped sender leases nothing
    assert [r["attempts"] for r in await rows(uow_factory)] == [0, 0]
    after_restart = ScriptedChannel()
    for _ in range(2):
        await drain(make_sender(uow_factory, after_restart, clock))
    assert after_restart.delivered == [("501", "echo салам"), ("501", "echo ещё")]


async def test_a_reply_leased_by_a_process_that_died_goes_when_the_lease_ends(uow_factory):
    clock = FixedClock(START)
    dead = make_sender(uow_factory, ScriptedChannel(), clock)
    await say(uow_factory, clock, dead, "салам")  # taken, never sent: the process died

    survivor = ScriptedChannel()
    sender = make_sender(uow_factory, survivor, clock)
    await drain(sender)
    assert survivor.delivered == []
    clock.set(START + LEASE)
    await drain(sender)
    await drain(sender)
    assert survivor.delivered == [("501", "echo салам")]
    assert [r["status"] for r in await rows(uow_factory)] == ["sent"]


async def test_the_hub_leases_only_while_a_sender_is_attached(uow_factory):
    clock = FixedClock(START)
    channel = ScriptedChannel()
    sender = make_sender(uow_factory, channel, clock)
    hub = OutboxHub()
    woken: list[int] = []
    hub.subscribe(lambda: woken.append(1))

    await say(uow_factory, clock, hub, "без отправителя", chat="501")  # a web-only process
    hub.attach(sender)
    await say(uow_factory, clock, hub, "с отправителем", chat="502")

    assert [r["attempts"] for r in await rows(uow_factory)] == [0, 1]
    assert woken == [1, 1]  # the other listeners (the console's live tail) still hear it
    await drain(sender)
    assert sorted(channel.delivered) == [
        ("501", "echo без отправителя"),
        ("502", "echo с отправителем"),
    ]
