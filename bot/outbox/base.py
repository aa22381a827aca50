"""The interface every channel's sender implements. Imports nothing concrete.

The outbox worker (bot/outbox/worker.py) claims due rows, renders them into a `Reply`, hands
each to the `ChannelSender` of its channel and records the `SendResult`. A channel adapter
only knows how to put one reply on its wire and how to classify what went wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.flow.events import Reply
from reception.ports import OutboxItem

# Key in an outbox row's payload: how many parts of a multi-part reply (a long text split
# in pieces, a document after its text) already reached the citizen, so a retry resumes
# after them instead of sending them twice.
DELIVERED_PARTS = "_delivered_parts"


@dataclass(frozen=True, slots=True)
class ChannelLimits:
    """How fast a channel may send. `None` means no limit of that kind."""

    per_chat_rate: float | None = None  # messages per second to one chat
    per_chat_burst: int = 1
    global_rate: float | None = None  # messages per second overall, per sender process
    global_burst: int = 1


@dataclass(frozen=True, slots=True)
class SendResult:
    """What became of one attempt: build it with `sent`, `retry` or `failed`."""

    outcome: str  # sent | retry | failed | undeliverable
    external_id: str | None = None  # the channel's id of what was sent (sent)
    retry_after: float | None = None  # seconds the channel asked us to wait (retry), e.g. 429
    error: str | None = None  # short, no personal data (retry, failed)
    delivered_parts: int = 0  # parts of the reply that did go out before a retry
    parts: int = 1  # messages it took (a long text is split): each counts for rate limits

    @classmethod
    def sent(cls, external_id: str | None, *, parts: int = 1) -> SendResult:
        return cls("sent", external_id=external_id, parts=parts)

    @classmethod
    def retry(
        cls, error: str, *, after: float | None = None, delivered_parts: int = 0
    ) -> SendResult:
        return cls("retry", retry_after=after, error=error, delivered_parts=delivered_parts)

    @classmethod
    def failed(cls, error: str) -> SendResult:
        """Terminal: retrying cannot help (the citizen blocked the bot, the chat is gone)."""
        return cls("failed", error=error)

    @classmethod
    def undeliverable(cls, reason: str) -> SendResult:
        """Terminal, and no fault of the message: the channel may not carry it now (WhatsApp
        outside the 24-hour window with no template, R38); staff tell the citizen otherwise."""
        return cls("undeliverable", error=reason)

    @property
    def is_sent(self) -> bool:
        return self.outcome == "sent"

    @property
    def is_retry(self) -> bool:
        return self.outcome == "retry"

    @property
    def is_undeliverable(self) -> bool:
        return self.outcome == "undeliverable"


class ChannelSender(Protocol):
    """Delivers rendered replies on one channel (telegram, web, whatsapp).

    A sender may also have a `limits: ChannelLimits` attribute; without one it is unlimited.
    """

    channel: str

    async def send(self, item: OutboxItem, reply: Reply) -> SendResult:
        """One attempt. Never raises for a delivery problem; classifies it instead."""
        ...
