"""Webhook events: stored before Meta gets its 200, processed after, never lost.

`store` keeps the raw body in `whatsapp_events`, leased to this process; the webhook then
answers 200 (Meta wants answers within a second) and `schedule` processes the event in the
background: each message becomes an `Incoming` (media downloaded first) and goes through the
pipeline (de-duplication by wamid, per-chat lock, message log, dialog, outbox, commit); each
status updates `whatsapp_statuses` and, when failed, the outbox row. Then the event is marked
processed. An event whose processing failed, or that a crash interrupted, is taken up again
by `sweep` once its lease ends; at start-up every unprocessed event is taken up (a second
run is harmless: messages are de-duplicated by wamid and statuses only move forward).

One chat's messages are handled in arrival order: a per-chat lock is taken before a file is
downloaded, so a photo followed by a text is answered in that order.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.whatsapp.incoming import needs_download, to_incoming
from bot.whatsapp.payloads import InboundMessage, StatusUpdate, read_body
from reception.clock import Clock
from storage.repositories.whatsapp import (
    StoredEvent,
    WhatsAppChats,
    WhatsAppEvents,
    WhatsAppStatuses,
)

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=120)  # longer than an event's processing, media included
RETRY_AFTER = timedelta(seconds=30)
# A failed status may arrive before the sender recorded the wamid on its outbox row: the event
# is tried again for this long before the status is kept without a row to mark.
STATUS_MATCH_PATIENCE = timedelta(hours=1)
SWEEP_SECONDS = 5.0
SWEEP_BATCH = 20
CONCURRENT_EVENTS = 8  # events processed at once per process (one chat's stay in order)

Process = Callable[..., Awaitable[bool]]
FetchFile = Callable[[InboundMessage], Awaitable[Any]]


class StatusNotMatched(Exception):
    """A failed status names a message no outbox row carries yet."""


@dataclass(slots=True)
class Wiring:
    uow_factory: Any
    dialog: Any  # PagingDialog over bot.flow.Dialog
    process: Process  # bot.pipeline.process
    fetch_file: FetchFile
    clock: Clock
    phone_number_id: str
    on_commit: Callable[[], None] | None = None


class EventProcessor:
    def __init__(self, wiring: Wiring) -> None:
        self.w = wiring
        self._queue: asyncio.Queue[StoredEvent] = asyncio.Queue()
        self._workers: list[asyncio.Task[None]] = []
        self._chat_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    # -- the webhook side ------------------------------------------------------------------

    async def store(self, body: bytes) -> int | None:
        """Commits the raw body; its id, or None when the same body was stored before."""
        now = self.w.clock.now()
        digest = hashlib.sha256(body).hexdigest()
        async with self.w.uow_factory() as uow:
            event_id = await WhatsAppEvents(uow.connection).store(
                body.decode("utf-8"), digest, now, LEASE
            )
            await uow.commit()
        return event_id

    def schedule(self, event_id: int, body: str) -> None:
        """Processes the stored event soon, by one of a few workers: a burst of webhooks then
        waits in memory (it is stored already) rather than crowding out the webhook's own
        short transactions, which Meta waits for."""
        if not self._workers:
            self._workers = [
                asyncio.create_task(self._work(), name=f"whatsapp-events-{n}")
                for n in range(CONCURRENT_EVENTS)
            ]
        self._queue.put_nowait(StoredEvent(event_id, body, self.w.clock.now(), 1))

    async def _work(self) -> None:
        while True:
            event = await self._queue.get()
            try:
                await self.run_event(event)
            finally:
                self._queue.task_done()

    async def drain(self) -> None:
        """Waits until the scheduled events are processed (tests; a graceful stop)."""
        await self._queue.join()

    async def cancel(self) -> None:
        for task in self._workers:
            task.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers = []

    # -- recovery --------------------------------------------------------------------------

    async def sweep(self, *, at_start: bool = False) -> int:
        """Processes unprocessed events whose lease ended (at start-up: all of them)."""
        handled = 0
        while True:
            async with self.w.uow_factory() as uow:
                events = await WhatsAppEvents(uow.connection).claim(
                    self.w.clock.now(), SWEEP_BATCH, LEASE, ignore_leases=at_start
                )
                await uow.commit()
            for event in events:
                await self.run_event(event)
            handled += len(events)
            if len(events) < SWEEP_BATCH or at_start:
                return handled

    async def run_sweeper(self) -> None:
        """Until cancelled: unprocessed events at start, then every few seconds."""
        at_start = True
        while True:
            try:
                found = await self.sweep(at_start=at_start)
                if found:
                    log.info("whatsapp: %d stored event(s) taken up again", found)
                at_start = False
            except Exception:
                log.exception("whatsapp: sweeping stored events failed")
            await asyncio.sleep(SWEEP_SECONDS)

    # -- one event -------------------------------------------------------------------------

    async def run_event(self, event: StoredEvent) -> None:
        try:
            note = await self._handle(event)
        except StatusNotMatched as unmatched:
            if self.w.clock.now() - event.received_at < STATUS_MATCH_PATIENCE:
                await self._retry(event, str(unmatched), RETRY_AFTER)
                return
            note = f"kept without an outbox row: {unmatched}"
        except Exception as error:
            log.exception("whatsapp event %s failed; it will be tried again", event.id)
            backoff = RETRY_AFTER * min(2 ** max(event.attempts - 1, 0), 10)
            await self._retry(event, type(error).__name__, backoff)
            return
        async with self.w.uow_factory() as uow:
            await WhatsAppEvents(uow.connection).finish(event.id, self.w.clock.now(), note)
            await uow.commit()

    async def _retry(self, event: StoredEvent, error: str, after: timedelta) -> None:
        try:
            async with self.w.uow_factory() as uow:
                await WhatsAppEvents(uow.connection).retry_at(
                    event.id, self.w.clock.now() + after, error
                )
                await uow.commit()
        except Exception:  # the lease still ends, and the sweeper takes it up then
            log.exception("whatsapp event %s: could not schedule the retry", event.id)

    async def _handle(self, event: StoredEvent) -> str | None:
        content = read_body(json.loads(event.body), self.w.phone_number_id, event.received_at)
        for message in content.messages:
            await self._message(message)
        if content.statuses:
            await self._statuses(content.statuses)
        return None

    async def _message(self, message: InboundMessage) -> None:
        lock = self._chat_locks.get(message.chat_id)
        if lock is None:
            lock = asyncio.Lock()
            self._chat_locks[message.chat_id] = lock
        async with lock:
            if needs_download(message) and await self._seen(message.wamid):
                return  # a redelivered photo is not downloaded again
            incoming = await to_incoming(message, self.w.fetch_file)
            if incoming is None:
                return
            await self.w.process(
                self.w.uow_factory, self.w.dialog, incoming, on_commit=self.w.on_commit
            )

    async def _seen(self, wamid: str) -> bool:
        async with self.w.uow_factory(readonly=True) as uow:
            return await WhatsAppChats(uow.connection).message_seen(wamid)

    async def _statuses(self, statuses: list[StatusUpdate]) -> None:
        now = self.w.clock.now()
        unmatched = []
        async with self.w.uow_factory() as uow:
            repository = WhatsAppStatuses(uow.connection)
            for status in statuses:
                await repository.record(
                    status.wamid,
                    status.status,
                    status.at,
                    now,
                    status.error_code,
                    status.error_title,
                )
                if status.status == "failed":
                    error = f"WhatsApp {status.error_code}: {status.error_title or 'failed'}"
                    if not await repository.fail_outbox_row(status.wamid, error):
                        unmatched.append(status.wamid)
                    else:
                        log.warning("whatsapp message failed after sending: %s", error)
            await uow.commit()
        if unmatched:
            raise StatusNotMatched(f"{len(unmatched)} failed status(es) without an outbox row")
