"""Rate limits as token buckets (GCRA form: one timestamp per bucket, no timers).

Telegram: about 1 message per second to one chat, about 30 per second overall, and a 429
with `retry_after` beyond (PERFORMANCE.md). The limits hold per sender process; several
workers on one bot token should be configured with a share each.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.outbox.base import ChannelLimits

_EPSILON = 1e-9
# Chats idle for this long have full buckets again and are forgotten, so memory stays small.
_FORGET_AFTER_SECONDS = 60.0
_UNLIMITED = 1 << 30


@dataclass(slots=True)
class TokenBucket:
    """`rate` tokens per second, at most `burst` at once. Times are monotonic seconds."""

    rate: float
    burst: int = 1
    _ready_at: float = float("-inf")  # GCRA's "theoretical arrival time"

    @property
    def interval(self) -> float:
        return 1.0 / self.rate

    @property
    def _tolerance(self) -> float:
        return (self.burst - 1) * self.interval

    def available(self, now: float) -> int:
        """How many sends may go right now."""
        base = max(self._ready_at, now)
        room = now + self._tolerance - base
        if room < -_EPSILON:
            return 0
        return int((room + _EPSILON) // self.interval) + 1

    def next_free(self, now: float) -> float:
        """The earliest moment a send may go (now, if one may go now)."""
        return max(now, self._ready_at - self._tolerance)

    def take(self, now: float) -> None:
        self._ready_at = max(self._ready_at, now) + self.interval

    def hold_until(self, moment: float) -> None:
        """The channel said 'not before `moment`' (429 retry_after): no token before then."""
        self._ready_at = max(self._ready_at, moment + self._tolerance)

    def idle_since(self, now: float) -> float:
        return now - self._ready_at


class ChannelThrottle:
    """A global bucket and one bucket per chat, for one channel."""

    def __init__(self, limits: ChannelLimits) -> None:
        self.limits = limits
        self._global = (
            TokenBucket(limits.global_rate, limits.global_burst) if limits.global_rate else None
        )
        self._chats: dict[str, TokenBucket] = {}

    def global_available(self, now: float, wanted: int) -> int:
        if self._global is None:
            return wanted
        return min(wanted, self._global.available(now))

    def busy_chats(self, now: float) -> list[str]:
        """Chats that may not get a message right now; the claim leaves them alone."""
        self._forget_idle(now)
        return [chat for chat, bucket in self._chats.items() if bucket.available(now) == 0]

    def chat_available(self, chat_id: str, now: float) -> int:
        """How many messages may go to this chat right now (a large number: no limit)."""
        bucket = self._chats.get(chat_id)
        if bucket is not None:
            return bucket.available(now)
        return self.limits.per_chat_burst if self.limits.per_chat_rate else _UNLIMITED

    def take(self, chat_id: str, now: float) -> None:
        if self._global is not None:
            self._global.take(now)
        if self.limits.per_chat_rate:
            self._chat(chat_id).take(now)

    def hold(self, chat_id: str, until: float) -> None:
        """After a 429 for this chat: nothing goes to it before `until`. (The row's
        next_attempt_at says the same in the database, so a restart honours it too.)"""
        self._chat(chat_id, rate=self.limits.per_chat_rate or 1.0).hold_until(until)

    def next_free(self, now: float) -> float | None:
        """When a currently throttled send may go, or None if nothing is throttled."""
        moments = [b.next_free(now) for b in self._chats.values() if b.available(now) == 0]
        if self._global is not None and self._global.available(now) == 0:
            moments.append(self._global.next_free(now))
        return min(moments) if moments else None

    def _chat(self, chat_id: str, rate: float | None = None) -> TokenBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            rate = rate or self.limits.per_chat_rate
            assert rate is not None
            bucket = TokenBucket(rate, self.limits.per_chat_burst)
            self._chats[chat_id] = bucket
        return bucket

    def _forget_idle(self, now: float) -> None:
        idle = [c for c, b in self._chats.items() if b.idle_since(now) > _FORGET_AFTER_SECONDS]
        for chat in idle:
            del self._chats[chat]
