"""The outbox sender: claims due rows, delivers them within each channel's limits, records.

A round is one short transaction, then the network calls:
  1. record the results of the previous round: sent rows marked sent with the channel's
     message id and logged in the message log (R39); retries re-scheduled with exponential
     backoff (a 429 not before its retry_after); rows past the attempt limit, and rows no
     retry can help, marked failed with the error, for staff to see;
  2. claim, per channel, the due rows that are the oldest pending row of their chat, minus
     chats whose rate limit is spent; each claimed row is leased (hidden) for `lease` s;
  3. commit, then deliver the claimed rows concurrently (one per chat: each stays in order).
A round that delivered something is followed at once by the next, which records it; so
recording costs no transaction of its own.

Direct delivery: a reply the pipeline writes while this sender could send it at once (the
channel's limits allow it, nothing older is pending for the chat) is written already leased
(`lease_for`), and handed over after the commit (`take`): the next round sends it without
claiming it, reading it back and rendering it again (about 30 µs a reply in
bench/dialog.py). Should this process die first, the lease ends and any sender's round sends
it, as for a claimed row; a shutdown gives the leases of what it did not send back at once.

Crash window: a process killed after a channel accepted a message and before the next
round's commit leaves the row pending; when its lease ends another round sends it again.
We chose a possible duplicate (one round trip wide) over a possible loss. A normal
shutdown (task cancelled) is not such a crash: the round in flight is finished and its
results recorded first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.flow.events import Reply
from bot.outbox.base import DELIVERED_PARTS, ChannelLimits, ChannelSender, SendResult
from bot.outbox.limits import ChannelThrottle
from bot.outbox.render import RenderError, Translate, needs_language, render
from reception.clock import Clock
from reception.ports import MessageRecord, OutboxItem
from reception.services.handoff import OUTBOX_KIND as OPERATOR_KIND
from storage.repositories.outbox_delivery import OutboxDelivery
from storage.repositories.outbox_delivery_sqlite import outbox_delivery

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SenderPolicy:
    batch_size: int = 50  # rows per channel per round
    max_attempts: int = 10  # then the row is marked failed
    first_retry_seconds: float = 5.0  # doubled each attempt: 5 s, 10 s, 20 s ... ~40 min total
    max_retry_seconds: float = 600.0
    lease_seconds: float = 120.0  # longer than any one send may take (uploads included)
    poll_seconds: float = 1.0  # other processes' commits are seen at least this often
    error_pause_seconds: float = 5.0  # after the database itself failed

    def backoff(self, attempts: int) -> float:
        return min(self.first_retry_seconds * 2 ** max(attempts - 1, 0), self.max_retry_seconds)


@dataclass(slots=True)
class _Attempt:
    item: OutboxItem
    reply: Reply | None
    result: SendResult


class OutboxSender:
    """One per process. `wake()` is the pipeline's on_commit callback."""

    def __init__(
        self,
        uow_factory: Any,
        senders: Iterable[ChannelSender],
        translate: Translate,
        clock: Clock,
        *,
        policy: SenderPolicy = SenderPolicy(),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._uow_factory = uow_factory
        self._senders = {sender.channel: sender for sender in senders}
        self._throttles = {
            channel: ChannelThrottle(getattr(sender, "limits", ChannelLimits()))
            for channel, sender in self._senders.items()
        }
        self._translate = translate
        self._clock = clock
        self._policy = policy
        self._monotonic = monotonic
        self._wakeup = asyncio.Event()
        self._unrecorded: list[_Attempt] = []  # delivered; recorded by the next round
        self._direct: list[tuple[OutboxItem, Reply]] = []  # taken from the pipeline, to send
        self._leased: set[int] = set()  # ids of the rows taken and not yet recorded
        # Chats whose direct reply did not go, until when (monotonic): their later replies
        # wait for the rounds, which keep the chat's order from the database.
        self._stalled: dict[tuple[str, str], float] = {}
        self._closed = False  # shutting down: no more leases

    @property
    def channels(self) -> list[str]:
        return list(self._senders)

    def wake(self, *_: object) -> None:
        """Something was committed to the outbox: run a round now rather than at the poll."""
        self._wakeup.set()

    __call__ = wake  # the sender itself may be the pipeline's on_commit

    # -- direct delivery (bot.pipeline) ----------------------------------------------------

    def lease_for(
        self, channel: str, chat_id: str, count: int, pending: Collection[int]
    ) -> timedelta | None:
        """The lease to write `count` new replies to this chat with, when this sender will
        send them right after the commit; None when they must wait for a round. `pending`:
        the ids of the chat's rows still pending; the replies may go first only if all of
        those are this sender's own, on their way (it sends a chat's replies in order, and
        holds back those after one that did not go). Also None with no sender of the channel
        here, at shutdown, or when the channel's limits are spent."""
        throttle = self._throttles.get(channel)
        if throttle is None or self._closed or not self._leased.issuperset(pending):
            return None
        tick = self._monotonic()
        if throttle.chat_available(chat_id, tick) < count:
            return None
        if throttle.global_available(tick, count) < count:
            return None
        return timedelta(seconds=self._policy.lease_seconds)

    def take(self, leased: Sequence[tuple[OutboxItem, Reply]]) -> None:
        """The committed, leased rows of `lease_for`, with their replies: sent next round."""
        tick = self._monotonic()
        for item, _ in leased:
            assert item.id is not None
            self._throttles[item.channel].take(item.chat_id, tick)
            self._leased.add(item.id)
        self._direct.extend(leased)
        self._wakeup.set()

    async def run(self) -> None:
        """Rounds until cancelled. A cancelled round is finished and recorded first, and the
        leases of direct replies not sent yet are given back."""
        try:
            while True:
                self._wakeup.clear()
                round_task = asyncio.ensure_future(self.run_once())
                try:
                    delay = await asyncio.shield(round_task)
                except asyncio.CancelledError:
                    with contextlib.suppress(Exception):
                        await round_task
                    raise
                except Exception:
                    log.exception("outbox round failed; pausing")
                    delay = self._policy.error_pause_seconds
                if delay > 0:
                    # Not wait_for: on Python 3.11 it loses a cancellation that comes as the
                    # event is set, and the sender would not stop.
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(delay):
                            await self._wakeup.wait()
        except asyncio.CancelledError:
            self._closed = True
            with contextlib.suppress(Exception):
                await self.flush()
            raise

    async def run_once(self) -> float:
        """One round; returns how long to wait before the next (0: go on at once)."""
        claimed = await self._claim()
        direct, self._direct = self._direct, []
        if claimed or direct:
            claimed_attempts, direct_attempts = await asyncio.gather(
                asyncio.gather(*(self._deliver(item, reply) for item, reply in claimed)),
                asyncio.gather(*(self._deliver_chat(chat) for chat in _by_chat(direct))),
            )
            self._unrecorded = [*claimed_attempts, *(a for chat in direct_attempts for a in chat)]
            self._stall_failed(direct)
        return self._next_delay(bool(claimed or direct))

    def _stall_failed(self, direct: list[tuple[OutboxItem, Reply]]) -> None:
        """A direct reply that did not go stalls its chat's direct delivery for a lease's
        time: replies leased meanwhile are held back, and the rounds send them in order."""
        tick = self._monotonic()
        for chat, until in list(self._stalled.items()):
            if until <= tick:
                del self._stalled[chat]
        if direct:
            for attempt in self._unrecorded:
                if attempt.item.id in self._leased and not attempt.result.is_sent:
                    chat = (attempt.item.channel, attempt.item.chat_id)
                    self._stalled[chat] = tick + self._policy.lease_seconds

    async def flush(self) -> None:
        """Records the last round's results without claiming more, and gives back the leases
        of direct replies not sent (at shutdown)."""
        unsent, self._direct = self._direct, []
        if self._unrecorded or unsent:
            async with self._uow_factory() as uow:
                delivery = outbox_delivery(uow.connection)
                await self._record(delivery, self._unrecorded)
                await delivery.release([item.id for item, _ in unsent if item.id is not None])
                await uow.commit()
            self._unrecorded = []
            self._leased.clear()

    # -- the round -------------------------------------------------------------------------

    async def _claim(self) -> list[tuple[OutboxItem, Reply | None]]:
        """Records the previous round and claims the next batch, in one transaction."""
        async with self._uow_factory() as uow:
            delivery = outbox_delivery(uow.connection)
            await self._record(delivery, self._unrecorded)
            # Their results are written: from now on the database keeps those chats' order.
            self._leased.difference_update(attempt.item.id for attempt in self._unrecorded)
            now, tick = self._clock.now(), self._monotonic()
            lease = timedelta(seconds=self._policy.lease_seconds)
            items: list[OutboxItem] = []
            for channel, throttle in self._throttles.items():
                budget = throttle.global_available(tick, self._policy.batch_size)
                if budget == 0:
                    continue
                found = await delivery.claim_chat_heads(
                    channel, now, budget, lease, throttle.busy_chats(tick)
                )
                for item in found:
                    throttle.take(item.chat_id, tick)
                items.extend(found)
            languages = await delivery.languages(
                item.citizen_id for item in items if item.citizen_id and needs_language(item)
            )
            await uow.commit()
        self._unrecorded = []
        return [(item, self._render(item, languages)) for item in items]

    def _render(self, item: OutboxItem, languages: dict[int, str]) -> Reply | None:
        try:
            return render(item, self._translate, languages.get(item.citizen_id or 0))
        except RenderError:
            return None

    async def _deliver_chat(self, replies: list[tuple[OutboxItem, Reply]]) -> list[_Attempt]:
        """One chat's direct replies, one after another; after one that did not go, the rest
        wait, with their attempt given back, for the rounds to send them in order."""
        attempts: list[_Attempt] = []
        stalled = self._stalled.get((replies[0][0].channel, replies[0][0].chat_id), 0.0)
        for item, reply in replies:
            if stalled > self._monotonic() or (attempts and not attempts[-1].result.is_sent):
                attempts.append(_Attempt(item, reply, SendResult.retry(_HELD, after=0.0)))
            else:
                attempts.append(await self._deliver(item, reply))
        return attempts

    async def _deliver(self, item: OutboxItem, reply: Reply | None) -> _Attempt:
        if reply is None:
            return _Attempt(item, None, SendResult.failed("cannot render: no payload, no text"))
        try:
            result = await self._senders[item.channel].send(item, reply)
        except Exception as error:  # a sender's bug must not stop the other chats' messages
            log.exception("outbox %s sender raised on item %s", item.channel, item.id)
            result = SendResult.retry(f"sender raised {type(error).__name__}")
        return _Attempt(item, reply, result)

    async def _record(self, delivery: OutboxDelivery, attempts: Sequence[_Attempt]) -> None:
        if not attempts:
            return
        now, tick = self._clock.now(), self._monotonic()
        sent, logged = [], []
        for attempt in attempts:
            item, result = attempt.item, attempt.result
            assert item.id is not None
            throttle = self._throttles[item.channel]
            if result.is_sent:
                for _ in range(max(result.parts - 1, 0)):  # each part counts for the limits
                    throttle.take(item.chat_id, tick)
                sent.append((item.id, now, result.external_id))
                if logged_when_sent(item):
                    # A direct reply's row holds the reply as it went (written from it).
                    stored = item.payload if item.id in self._leased else None
                    logged.append(_log_record(item, attempt.reply, now, stored))
            elif result.is_retry and item.attempts < self._policy.max_attempts:
                if result.retry_after:  # a 429; 0 is a held direct reply (_HELD)
                    throttle.hold(item.chat_id, tick + result.retry_after)
                await delivery.defer(
                    item.id,
                    now + timedelta(seconds=self._retry_delay(item, result)),
                    result.error or "retry",
                    count_attempt=result.retry_after is None,  # a 429 is not a failure
                    payload=_progress(item, result),
                )
            else:
                error = result.error or "failed"
                if result.is_retry:
                    error = f"gave up after {item.attempts} attempts: {error}"
                log.warning("outbox item %s failed: %s", item.id, error)
                await delivery.fail(item.id, error, undeliverable=result.is_undeliverable)
        await delivery.mark_sent(sent)
        await delivery.log_outgoing(logged)

    def _retry_delay(self, item: OutboxItem, result: SendResult) -> float:
        if result.retry_after is not None:
            return result.retry_after  # Telegram 429: not before retry_after
        return self._policy.backoff(item.attempts)

    def _next_delay(self, claimed_any: bool) -> float:
        if claimed_any:
            return 0.0
        tick = self._monotonic()
        delay = self._policy.poll_seconds
        for throttle in self._throttles.values():
            free = throttle.next_free(tick)
            if free is not None:
                delay = min(delay, max(free - tick, 0.0))
        return delay


_HELD = "held: an earlier message of the chat did not go"


def _by_chat(direct: list[tuple[OutboxItem, Reply]]) -> list[list[tuple[OutboxItem, Reply]]]:
    chats: dict[tuple[str, str], list[tuple[OutboxItem, Reply]]] = {}
    for item, reply in direct:
        chats.setdefault((item.channel, item.chat_id), []).append((item, reply))
    return list(chats.values())


def logged_when_sent(item: OutboxItem) -> bool:
    """R39: a message is logged once, when the citizen gets it, as the citizen read it (a
    notice is only a message id until it is written here in the citizen's language). The
    operator's messages are the exception: the handoff use cases log them when they are
    queued, with the operator as author, so the console's chat shows them at once."""
    return item.kind != OPERATOR_KIND


def _progress(item: OutboxItem, result: SendResult) -> dict[str, Any] | None:
    """The payload with the count of parts already delivered, when some were."""
    if result.delivered_parts <= 0 or not item.payload:
        return None
    return {**item.payload, DELIVERED_PARTS: result.delivered_parts}


def _log_record(
    item: OutboxItem, reply: Reply | None, at: Any, payload: dict[str, Any] | None = None
) -> MessageRecord:
    """`payload`: the reply's own, when already at hand (Reply.to_payload())."""
    extra = reply.extra if reply is not None else {}
    author_id = extra.get("author_id")
    return MessageRecord(
        channel=item.channel,
        chat_id=item.chat_id,
        direction="out",
        at=at,
        author_kind=extra.get("author_kind", "bot"),
        author_id=int(author_id) if author_id else None,
        text=reply.text if reply is not None else None,
        payload=payload or (reply.to_payload() if reply is not None else item.payload),
        citizen_id=item.citizen_id,
    )
