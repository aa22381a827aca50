"""Reminders, day lists and deadline alerts: jobs in the database, run once (issue 5).

`run_jobs` is the server's worker hook (app/parts.py); it runs `run_due` every few seconds
with the application's clock. Tests call `run_due` directly with a clock they move.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import socket
import time
from pathlib import Path

from aiohttp import web

from app.keys import CLOCK, PROFILE, SETTINGS, TRANSLATOR, UOW_FACTORY
from bot.jobs import citizens, officials, staff
from bot.jobs.context import Handler, Services
from bot.jobs.runner import RetryPolicy, run_due
from locales import Translator
from reception import reminder_rules as rr
from reception.services.context import Rules

__all__ = ["RetryPolicy", "build_handlers", "run_due", "run_jobs"]

log = logging.getLogger(__name__)

POLL_SECONDS = 5.0  # a booking's details and a slot offer wait at most this long
PLAN_EVERY_SECONDS = 60.0
ERROR_PAUSE_SECONDS = 15.0
ROUND_LIMIT = 500  # jobs per round; a fuller backlog starts the next round at once


def build_handlers(translator: Translator, data_dir: Path) -> dict[str, Handler]:
    services = Services(translator, data_dir)
    handlers = {
        rr.BOOKING_CONFIRMED: citizens.booking_confirmed,
        rr.DAY_BEFORE: citizens.reminder,
        rr.HOURS_BEFORE: citizens.reminder,
        rr.SLOT_OFFER: citizens.slot_offer,
        rr.FIX_RETURN: citizens.fix_return,
        rr.SATISFACTION: citizens.satisfaction,
        rr.DAY_LIST: officials.day_list_job,
        rr.DAY_LIST_UPDATE: officials.day_list_update_job,
        rr.MORNING: officials.morning_job,
        rr.DIGEST: staff.digest_job,
    }
    return {kind: functools.partial(handler, services) for kind, handler in handlers.items()}


async def run_jobs(app: web.Application) -> None:
    """Runs due jobs until cancelled; wakes this process's outbox sender after each batch."""
    from bot.outbox.hub import OUTBOX_HUB

    clock, uow_factory = app[CLOCK], app[UOW_FACTORY]
    rules = Rules.build(app[PROFILE], clock)
    handlers = build_handlers(app[TRANSLATOR], app[SETTINGS].data_dir)
    worker = f"{socket.gethostname()}:{os.getpid()}"
    planned_at = float("-inf")
    while True:
        plan = time.monotonic() - planned_at >= PLAN_EVERY_SECONDS
        try:
            ran = await run_due(
                uow_factory,
                rules,
                handlers,
                clock.now(),
                worker=worker,
                limit=ROUND_LIMIT,
                plan=plan,
            )
        except Exception:
            log.exception("jobs: a round failed; pausing")
            await asyncio.sleep(ERROR_PAUSE_SECONDS)
            continue
        if plan:
            planned_at = time.monotonic()
        if ran:
            hub = app.get(OUTBOX_HUB)
            if hub is not None:
                hub.wake()
        await asyncio.sleep(0 if ran >= ROUND_LIMIT else POLL_SECONDS)
