"""Long polling (TELEGRAM_MODE=polling), the server's worker hook for the "bot" role.

Our own loop rather than Dispatcher.start_polling, for one reason: aiogram confirms an
update (moves the getUpdates offset past it) even when handling it failed, and the update
is gone. Here a batch is confirmed only once every update of it is stored or given up
after several tries; the pipeline's de-duplication makes the repeats harmless. The updates
of a batch are handled concurrently; ChatOrder keeps each chat's in order.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter
from aiogram.methods import GetUpdates
from aiogram.types import Update
from aiohttp import web

from app.keys import SETTINGS

log = logging.getLogger(__name__)

POLL_TIMEOUT_SECONDS = 25
ATTEMPTS_PER_UPDATE = 5
PAUSES = (1.0, 2.0, 5.0, 10.0, 30.0)


async def run_polling(app: web.Application) -> None:
    from bot.telegram.webhook import TELEGRAM

    settings = app[SETTINGS]
    if not settings.telegram_enabled or settings.telegram_mode != "polling":
        return
    runtime = app[TELEGRAM]
    await poll(runtime.bot, runtime.dispatcher)


async def poll(
    bot: Bot, dispatcher: Dispatcher, *, wait_seconds: int = POLL_TIMEOUT_SECONDS
) -> None:
    """Until cancelled."""
    await bot.delete_webhook(drop_pending_updates=False)
    allowed = dispatcher.resolve_used_update_types()
    offset: int | None = None
    failures = 0
    while True:
        request = GetUpdates(offset=offset, timeout=wait_seconds, allowed_updates=allowed)
        try:
            updates = await bot(request, request_timeout=wait_seconds + 10)
        except TelegramRetryAfter as error:
            await asyncio.sleep(error.retry_after)
            continue
        except TelegramAPIError as error:
            pause = PAUSES[min(failures, len(PAUSES) - 1)]
            failures += 1
            log.warning("getUpdates failed (%s); again in %.0f s", error.message, pause)
            await asyncio.sleep(pause)
            continue
        failures = 0
        if updates:
            await handle_batch(bot, dispatcher, updates)
            offset = updates[-1].update_id + 1


async def handle_batch(bot: Bot, dispatcher: Dispatcher, updates: list[Update]) -> None:
    # Tasks start in update order, so ChatOrder queues each chat's updates in that order.
    pending = list(updates)
    for attempt in range(ATTEMPTS_PER_UPDATE):
        tasks = [asyncio.create_task(dispatcher.feed_update(bot, update)) for update in pending]
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        failed = [u for u, o in zip(pending, outcomes, strict=True) if isinstance(o, Exception)]
        for update, outcome in zip(pending, outcomes, strict=True):
            if isinstance(outcome, Exception):
                log.error("telegram update %s failed: %s", update.update_id, type(outcome).__name__)
        if not failed:
            return
        pending = failed
        if attempt + 1 < ATTEMPTS_PER_UPDATE:
            await asyncio.sleep(PAUSES[min(attempt, len(PAUSES) - 1)])
    for update in pending:
        log.error("telegram update %s given up after %d attempts", update.update_id, attempt + 1)
