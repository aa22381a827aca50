"""The outbox sender on SQLite and PostgreSQL: delivery, order, retries, limits, restarts.

A scripted channel stands in for Telegram here (tests/integration/test_outbox_telegram.py
drives the real Telegram sender). Time is a FixedClock moved by hand; nothing sleeps.
"""

from __future__ import annotations

import asyncio
from collections import deque
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.flow.events import Button, Reply
from bot.outbox import ChannelLimits, OutboxSender, SenderPolicy, SendResult
from bot.pipeline import shared_writer
from locales import Translator
from reception.citizens import Citizen
from reception.clock import FixedClock
from reception.notifications import NoticeKind, Notification
from reception.ports import OutboxItem
from storage.tables import messages, outbox

START = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)  # 10:00 in Almaty, a Monday


class ScriptedChannel:
    """Records what it is asked to send; answers from a script (default: sent)."""

    channel = "telegram"

    def __init__(self, limits: ChannelLimits | None = None) -> None:
        self.limits = limits or ChannelLimits()
        self.delivered: list[tuple[str, str]] = []  # (chat_id, text) in delivery order
        self.script: deque[SendResult] = deque()
        self.gate: asyncio.Event | None = None  # when set up, each send waits for it

    async def send(self, item: OutboxItem, reply: Reply) -> SendResult:
        if self.gate is not None:
            await self.gate.wait()
        result = self.script.popleft() if self.script else SendResult.sent(f"m{item.id}")
        if result.is_sent:
            self.delivered.append((item.chat_id, reply.text))
        return result


def make_sender(uow_factory, channel, clock, **policy) -> OutboxSender:
    """As bot.outbox.run_sender wires it: on SQLite the sender writes through the pipeline's
    loop-thread connection (plain SQL); on PostgreSQL through SQLAlchemy Core."""
    return OutboxSender(
        shared_writer(uow_factory),
        [channel],
        Translator(),
        clock,
        policy=SenderPolicy(**policy),
        monotonic=lambda: clock.now().timestamp(),
    )


async def enqueue(uow_factory, chat_id: str, *texts: str, at: datetime = START) -> list[int]:
    ids = []
    async with uow_factory() as uow:
        for text in texts:
            item = OutboxItem(
                channel="telegram",
                chat_id=chat_id,
                citizen_id=None,
                payload=Reply(text, ((Button("menu:book", "Book"),),)).to_payload(),
                created_at=at,
                next_attempt_at=at,
            )
            ids.append((await uow.outbox.add(item)).id)
        await uow.commit()
    return ids


async def rows(uow_factory) -> list[dict]:
    async with uow_factory(readonly=True) as uow:
        result = await uow.connection.execute(select(outbox).order_by(outbox.c.id))
        return [dict(row) for row in result.mappings()]


async def logged(uow_factory) -> list[dict]:
    async with uow_factory(readonly=True) as uow:
        result = await uow.connection.execute(select(messages).order_by(messages.c.id))
        return [dict(row) for row in result.mappings()]


async def drain(sender: OutboxSender) -> None:
    """Rounds until nothing more is due now."""
    while await sender.run_once() == 0:
        pass


async def test_a_reply_goes_out_once_is_marked_sent_and_logged(uow_factory):
    clock = FixedClock(START)
    async with uow_factory() as uow:
        conversation = await uow.conversations.get_or_create("telegram", "501", START)
        await uow.commit()
    [item_id] = await enqueue(uow_factory, "501", "Сәлеметсіз бе!")
    channel = ScriptedChannel()
    sender = make_sender(uow_factory, channel, clock)

    await drain(sender)
    await drain(sender)

    assert channel.delivered == [("501", "Сәлеметсіз бе!")]
    [row] = await rows(uow_factory)
    assert (row["status"], row["external_id"], row["sent_at"]) == ("sent", f"m{item_id}", START)
    [entry] = await logged(uow_factory)  # R39: every message out is in the log, once
    assert entry["direction"] == "out" and entry["author_kind"] == "bot"
    assert entry["text"] == "Сәлеметсіз бе!" and entry["conversation_id"] == conversation.id
    assert entry["payload"]["buttons"] == [[["menu:book", "Book", None]]]


async def test_a_notice_is_written_in_the_citizens_language_with_its_dates_and_logged(
    uow_factory,
):
    clock = FixedClock(START)
    async with uow_factory() as uow:
        citizen = await uow.citizens.add(Citizen(language="kk", created_at=START))
        await uow.citizens.link_channel(citizen.id, "telegram", "777", START)
        conversation = await uow.conversations.get_or_create("telegram", "777", START)
        notice = Notification(
            NoticeKind.BOOKED,
            citizen.id,
            None,
            "notice-booked",
            {"number": "ЖҚ-7", "when": datetime(2026, 12, 1, 5, 40, tzinfo=UTC), "place": "101"},
        )
        await uow.outbox.add_notices([notice], START)
        await uow.commit()
    channel = ScriptedChannel()

    await drain(make_sender(uow_factory, channel, clock))

    [(chat, text)] = channel.delivered
    assert chat == "777"
    assert text == (
        "ЖҚ-7 өтініші бойынша жеке қабылдауға жазылдыңыз: 1 желтоқсан 2026 ж., 10:40, 101."
    )
    [entry] = await logged(uow_factory)  # R39: the notice as the citizen read it
    assert (entry["direction"], entry["author_kind"], entry["text"]) == ("out", "bot", text)
    assert entry["conversation_id"] == conversation.id and entry["citizen_id"] == citizen.id
    assert entry["at"] == START and entry["payload"]["kind"] == "booked"


async def test_a_failed_send_is_retried_with_growing_pauses(uow_factory):
    clock = FixedClock(START)
    await enqueue(uow_factory, "501", "hello")
    channel = ScriptedChannel()
    channel.script.extend([SendResult.retry("502 bad gateway")] * 2)
    sender = make_sender(uow_factory, channel, clock, first_retry_seconds=5)

    await drain(sender)
    [row] = await rows(uow_factory)
    assert row["status"] == "pending" and row["attempts"] == 1
    assert row["next_attempt_at"] == START + timedelta(seconds=5)
    assert row["error"] == "502 bad gateway"

    clock.set(START + timedelta(seconds=4.9))
    await drain(sender)
    assert channel.script and not channel.delivered  # not yet due

    clock.set(START + timedelta(seconds=5))
    await drain(sender)  # second failure: the pause doubles
    [row] = await rows(uow_factory)
    assert row["attempts"] == 2 and row["next_attempt_at"] == clock.now() + timedelta(seconds=10)

    clock.set(clock.now() + timedelta(seconds=10))
    await drain(sender)
    assert channel.delivered == [("501", "hello")]
    assert (await rows(uow_factory))[0]["status"] == "sent"


async def test_a_429_waits_exactly_retry_after_and_does_not_use_up_an_attempt(uow_factory):
    clock = FixedClock(START)
    await enqueue(uow_factory, "501", "hello")
    channel = ScriptedChannel()
    channel.script.append(SendResult.retry("429", after=37))
    sender = make_sender(uow_factory, channel, clock)

    await drain(sender)
    [row] = await rows(uow_factory)
    assert row["next_attempt_at"] == START + timedelta(seconds=37) and row["attempts"] == 0

    clock.set(START + timedelta(seconds=36))
    await drain(sender)
    assert channel.delivered == []
    clock.set(START + timedelta(seconds=37))
    await drain(sender)
    assert channel.delivered == [("501", "hello")]


async def test_after_the_attempt_limit_the_message_is_failed_and_keeps_its_error(uow_factory):
    clock = FixedClock(START)
    await enqueue(uow_factory, "501", "hello")
    channel = ScriptedChannel()
    channel.script.extend([SendResult.retry("TelegramNetworkError: timeout")] * 5)
    sender = make_sender(uow_factory, channel, clock, max_attempts=3, first_retry_seconds=1)

    for _ in range(5):
        await drain(sender)
        clock.set(clock.now() + timedelta(minutes=10))

    [row] = await rows(uow_factory)
    assert row["status"] == "failed" and row["attempts"] == 3
    assert row["error"] == "gave up after 3 attempts: TelegramNetworkError: timeout"
    assert len(channel.script) == 2  # no fourth attempt
    assert await logged(uow_factory) == []  # nothing reached the citizen, nothing logged as sent


async def test_a_terminal_failure_is_not_retried(uow_factory):
    clock = FixedClock(START)
    await enqueue(uow_factory, "501", "hello", "second")
    channel = ScriptedChannel()
    channel.script.append(SendResult.failed("TelegramForbiddenError: bot was blocked by the user"))
    sender = make_sender(uow_factory, channel, clock)

    await drain(sender)

    first, second = await rows(uow_factory)
    assert first["status"] == "failed" and "blocked" in first["error"]
    assert second["status"] == "sent"  # the chat's queue moves on


async def test_one_chats_messages_go_in_order_even_when_the_first_is_retried(uow_factory):
    clock = FixedClock(START)
    await enqueue(uow_factory, "501", "one", "two", "three")
    await enqueue(uow_factory, "502", "other chat")
    channel = ScriptedChannel()
    channel.script.append(SendResult.retry("502 bad gateway"))
    sender = make_sender(uow_factory, channel, clock, first_retry_seconds=5)

    await drain(sender)
    assert channel.delivered == [("502", "other chat")]  # "two" waits behind "one"

    clock.set(START + timedelta(seconds=5))
    await drain(sender)
    assert channel.delivered == [
        ("502", "other chat"),
        ("501", "one"),
        ("501", "two"),
        ("501", "three"),
    ]


async def test_at_most_one_message_a_second_reaches_one_chat(uow_factory):
    clock = FixedClock(START)
    await enqueue(uow_factory, "501", "one", "two", "three")
    await enqueue(uow_factory, "502", "other")
    channel = ScriptedChannel(ChannelLimits(per_chat_rate=1.0))
    sender = make_sender(uow_factory, channel, clock)

    delay = 0.0
    while delay == 0:
        delay = await sender.run_once()
    assert channel.delivered == [("501", "one"), ("502", "other")]
    assert delay == 1.0  # the next round is when chat 501 may get a message again

    clock.set(START + timedelta(seconds=0.5))
    await drain(sender)
    assert len(channel.delivered) == 2
    clock.set(START + timedelta(seconds=1))
    await drain(sender)
    clock.set(START + timedelta(seconds=2))
    await drain(sender)
    assert [text for _, text in channel.delivered] == ["one", "other", "two", "three"]


async def test_at_most_the_global_rate_goes_out_overall(uow_factory):
    clock = FixedClock(START)
    for chat in range(10):
        await enqueue(uow_factory, str(600 + chat), f"notice {chat}")
    channel = ScriptedChannel(ChannelLimits(global_rate=4.0))
    sender = make_sender(uow_factory, channel, clock)

    sent_by_time = []
    for step in range(5):
        clock.set(START + timedelta(seconds=step * 0.25))
        await drain(sender)
        sent_by_time.append(len(channel.delivered))

    assert sent_by_time == [1, 2, 3, 4, 5]  # 4 a second, evenly spaced


async def test_a_restart_sends_what_is_pending_and_nothing_sent_again(uow_factory):
    clock = FixedClock(START)
    await enqueue(uow_factory, "501", "before the restart")
    first = ScriptedChannel()
    await drain(make_sender(uow_factory, first, clock))
    await enqueue(uow_factory, "501", "while it was down")

    second = ScriptedChannel()
    await drain(make_sender(uow_factory, second, clock))  # a new process, the same database

    assert first.delivered == [("501", "before the restart")]
    assert second.delivered == [("501", "while it was down")]


async def test_a_row_claimed_by_a_crashed_sender_is_sent_when_its_lease_ends(uow_factory):
    clock = FixedClock(START)
    await enqueue(uow_factory, "501", "in flight at the crash")
    crashed = make_sender(uow_factory, ScriptedChannel(), clock, lease_seconds=120)
    await crashed._claim()  # claimed, then the process died before sending (or recording)

    survivor_channel = ScriptedChannel()
    survivor = make_sender(uow_factory, survivor_channel, clock, lease_seconds=120)
    await drain(survivor)
    assert survivor_channel.delivered == []  # still leased to the dead process

    clock.set(START + timedelta(seconds=120))
    await drain(survivor)
    assert survivor_channel.delivered == [("501", "in flight at the crash")]


async def test_a_shutdown_during_a_send_finishes_and_records_it(uow_factory):
    clock = FixedClock(START)
    await enqueue(uow_factory, "501", "mid-flight")
    channel = ScriptedChannel()
    channel.gate = asyncio.Event()
    sender = make_sender(uow_factory, channel, clock)
    running = asyncio.create_task(sender.run())
    for _ in range(100):  # until the send is under way
        await asyncio.sleep(0)
        if (await rows(uow_factory))[0]["attempts"] == 1:
            break

    running.cancel()
    channel.gate.set()
    await asyncio.gather(running, return_exceptions=True)

    assert (await rows(uow_factory))[0]["status"] == "sent"
    again = ScriptedChannel()
    await drain(make_sender(uow_factory, again, clock))
    assert channel.delivered == [("501", "mid-flight")] and again.delivered == []


async def test_the_commit_callback_wakes_the_sender_at_once(uow_factory):
    clock = FixedClock(START)
    channel = ScriptedChannel()
    sender = make_sender(uow_factory, channel, clock, poll_seconds=3600)
    running = asyncio.create_task(sender.run())
    try:
        await asyncio.sleep(0.05)  # the first round found nothing; it now waits an hour
        await enqueue(uow_factory, "501", "right after commit")
        sender.wake()
        async with asyncio.timeout(5):
            while not channel.delivered:  # noqa: ASYNC110 (polling the fake's record)
                await asyncio.sleep(0.01)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    assert channel.delivered == [("501", "right after commit")]


async def test_rows_of_channels_without_a_sender_here_are_left_for_another_process(uow_factory):
    clock = FixedClock(START)
    async with uow_factory() as uow:
        web = OutboxItem("web", "visitor-1", None, payload=Reply("hi").to_payload())
        await uow.outbox.add(web)
        await uow.commit()
    await drain(make_sender(uow_factory, ScriptedChannel(), clock))
    [row] = await rows(uow_factory)
    assert row["status"] == "pending" and row["attempts"] == 0


async def test_an_operators_message_is_not_logged_twice(uow_factory):
    """The handoff use case logs it when queued, with the operator as its author."""
    clock = FixedClock(START)
    async with uow_factory() as uow:
        item = OutboxItem("telegram", "501", None, payload=Reply("Слушаю вас").to_payload())
        item.kind, item.created_at = "operator", START  # due at the test's clock, not today's
        await uow.outbox.add(item)
        await uow.commit()
    channel = ScriptedChannel()

    await drain(make_sender(uow_factory, channel, clock))

    assert channel.delivered == [("501", "Слушаю вас")]
    assert await logged(uow_factory) == []


async def test_a_crash_between_sending_and_recording_sends_again_after_the_lease(uow_factory):
    """The documented crash window: at least once, never lost."""
    clock = FixedClock(START)
    await enqueue(uow_factory, "501", "sent just before the crash")
    crashed_channel = ScriptedChannel()
    crashed = make_sender(uow_factory, crashed_channel, clock, lease_seconds=120)
    await crashed.run_once()  # delivered; the next round would have recorded it

    survivor_channel = ScriptedChannel()
    survivor = make_sender(uow_factory, survivor_channel, clock, lease_seconds=120)
    clock.set(START + timedelta(seconds=120))
    await drain(survivor)

    assert (
        crashed_channel.delivered
        == survivor_channel.delivered
        == [("501", "sent just before the crash")]
    )
    assert (await rows(uow_factory))[0]["status"] == "sent"
