"""What a process's parts share with its outbox sender: channel senders and the wake-up.

Parts call `outbox_hub(app)` in their synchronous `setup` (before the application freezes):
the web chat adds its `ChannelSender` there, and every channel passes the hub as the
pipeline's `on_commit`, so a reply goes out right after its transaction commits: the hub
hands the pipeline's leased replies to the process's sender (direct delivery, see
bot/outbox/worker.py) and wakes it. Without a sender in the process (a split deployment), the
hub leases nothing, and the sender of the worker process finds the rows at its next poll.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from aiohttp import web

from bot.flow.events import Reply
from bot.outbox.base import ChannelSender
from reception.ports import OutboxItem

if TYPE_CHECKING:
    from bot.outbox.worker import OutboxSender


class OutboxHub:
    def __init__(self) -> None:
        self.senders: list[ChannelSender] = []
        self._listeners: list[Callable[[], None]] = []
        self._sender: OutboxSender | None = None  # this process's, while it runs

    def attach(self, sender: OutboxSender | None) -> None:
        """The running sender, which takes the pipeline's replies directly (None: stopped)."""
        self._sender = sender

    def lease_for(
        self, channel: str, chat_id: str, count: int, pending: Collection[int]
    ) -> timedelta | None:
        sender = self._sender
        return None if sender is None else sender.lease_for(channel, chat_id, count, pending)

    def take(self, leased: Sequence[tuple[OutboxItem, Reply]]) -> None:
        """A sender that stopped between lease and commit leaves the rows to their lease's
        end; any sender's round sends them then."""
        if self._sender is not None:
            self._sender.take(leased)

    def add_sender(self, sender: ChannelSender) -> None:
        self.senders.append(sender)

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def wake(self, *_: object) -> None:
        """The pipeline's on_commit: new rows are in the outbox."""
        for listener in self._listeners:
            listener()

    __call__ = wake


OUTBOX_HUB: web.AppKey[OutboxHub] = web.AppKey("outbox_hub", OutboxHub)


def outbox_hub(app: web.Application) -> OutboxHub:
    """The application's hub, created on first use. Call it from a part's `setup`."""
    if OUTBOX_HUB not in app:
        app[OUTBOX_HUB] = OutboxHub()
    return app[OUTBOX_HUB]
