"""What a process's parts share with its outbox sender: channel senders and the wake-up.

Parts call `outbox_hub(app)` in their synchronous `setup` (before the application freezes):
the web chat adds its `ChannelSender` there, and every channel passes `hub.wake` as the
pipeline's `on_commit`, so a reply goes out right after its transaction commits. Without a
sender in the process (a split deployment), `wake` does nothing and the sender of the worker
process finds the rows at its next poll.
"""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from bot.outbox.base import ChannelSender


class OutboxHub:
    def __init__(self) -> None:
        self.senders: list[ChannelSender] = []
        self._listeners: list[Callable[[], None]] = []

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


OUTBOX_HUB: web.AppKey[OutboxHub] = web.AppKey("outbox_hub", OutboxHub)


def outbox_hub(app: web.Application) -> OutboxHub:
    """The application's hub, created on first use. Call it from a part's `setup`."""
    if OUTBOX_HUB not in app:
        app[OUTBOX_HUB] = OutboxHub()
    return app[OUTBOX_HUB]
