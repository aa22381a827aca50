"""The outbox sender shared by every channel; `run_sender` is the server's worker hook."""

from __future__ import annotations

import logging

from aiohttp import web

from app.components import optional
from app.keys import CLOCK, TRANSLATOR, UOW_FACTORY
from bot.outbox.base import ChannelLimits, ChannelSender, SendResult
from bot.outbox.hub import OUTBOX_HUB, OutboxHub, outbox_hub
from bot.outbox.worker import OutboxSender, SenderPolicy
from bot.pipeline import shared_writer

__all__ = [
    "OUTBOX_HUB",
    "ChannelLimits",
    "ChannelSender",
    "OutboxHub",
    "OutboxSender",
    "SendResult",
    "SenderPolicy",
    "outbox_hub",
    "run_sender",
]

log = logging.getLogger(__name__)

# Channels whose sender a worker process builds from the settings alone (no web part needed):
# "module:function", function(app) -> ChannelSender | None (None: not configured).
CHANNEL_FACTORIES = (
    "bot.telegram.sender:sender_for_app",
    "bot.whatsapp.sender:sender_for_app",
)


async def run_sender(app: web.Application) -> None:
    """Delivers the outbox of every channel this process can reach, until cancelled."""
    hub = app.get(OUTBOX_HUB) or OutboxHub()
    built = [sender for sender in _configured_senders(app) if sender is not None]
    senders = [*hub.senders, *built]
    if not senders:
        log.info("outbox: no channel to deliver to in this process")
        return
    # On SQLite the sender writes through the pipeline's loop-thread connection, in turn with
    # the pipeline's writers: no thread hops, no waiting in SQLite's busy handler.
    uow_factory = shared_writer(app[UOW_FACTORY])
    sender = OutboxSender(uow_factory, senders, app[TRANSLATOR], app[CLOCK])
    hub.subscribe(sender.wake)
    hub.attach(sender)
    log.info("outbox: delivering %s", ", ".join(sender.channels))
    try:
        await sender.run()
    finally:
        hub.attach(None)
        hub.unsubscribe(sender.wake)
        for channel_sender in built:
            close = getattr(channel_sender, "aclose", None)
            if close is not None:
                await close()


def _configured_senders(app: web.Application) -> list[ChannelSender | None]:
    found = []
    for target in CHANNEL_FACTORIES:
        try:
            factory = optional(target)
        except AttributeError:
            log.warning("outbox: %s is missing; that channel is not delivered", target)
            continue
        if factory is not None:
            found.append(factory(app))
    return found
