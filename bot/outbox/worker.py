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
from collections.abc import Callable, Iterable, Sequence
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

    @property
    def channels(self) -> list[str]:
        return list(self._senders)

    def wake(self, *_: object) -> None:
        """Something was committed to the outbox: run a round now rather than at the poll."""
        self._wakeup.set()

    async def run(self) -> None:
        """Rounds until cancelled. A cancelled round is finished and recorded first."""
        while True:
            self._wakeup.clear()
            round_task = asyncio.ensure_future(self.run_once())
            try:
                delay = await asyncio.shield(round_task)
            except asyncio.CancelledError:
                with contextlib.suppress(Exception):
                    await round_task
                    await self.flush()
                raise
            except Exception:
                log.exception("outbox round failed; pausing")
                delay = self._policy.error_pause_seconds
            if delay > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wakeup.wait(), delay)

    async def run_once(self) -> float:
        """One round; returns how long to wait before the next (0: go on at once)."""
        claimed = await self._claim()
        if claimed:
            deliveries = (self._deliver(item, reply) for item, reply in claimed)
            self._unrecorded = list(await asyncio.gather(*deliveries))
        return self._next_delay(bool(claimed))

    async def flush(self) -> None:
        """Records the last round's results without claiming more (at shutdown)."""
        if self._unrecorded:
            async with self._uow_factory() as uow:
                await self._record(outbox_delivery(uow.connection), self._unrecorded)
                await uow.commit()
            self._unrecorded = []

    # -- the round -------------------------------------------------------------------------

    async def _claim(self) -> list[tuple[OutboxItem, Reply | None]]:
        """Records the previous round and claims the next batch, in one transaction."""
        async with self._uow_factory() as uow:
            delivery = outbox_delivery(uow.connection)
            await self._record(delivery, self._unrecorded)
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
                    logged.append(_log_record(item, attempt.reply, now))
            elif result.is_retry and item.attempts < self._policy.max_attempts:
                if result.retry_after is not None:
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


def _log_record(item: OutboxItem, reply: Reply | None, at: Any) -> MessageRecord:
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
        payload=reply.to_payload() if reply is not None else item.payload,
        citizen_id=item.citizen_id,
    )
