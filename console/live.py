"""Live fan-out for the operators' screens: "something new in chat N" without reloading.

Why the messages table is the source: every message in and out is stored there (R39), by
whichever process handled it — a Telegram or WhatsApp webhook, the web chat, an operator on
another console instance. Tailing it by id (`id > last seen`, the primary key) sees all of
them without each writer having to call us, costs one indexed query per tick and only while
someone watches, and cannot miss a message that a broker dropped.

What makes it prompt:
- in this process, `poke()` after an operator's reply or a claim wakes the tail at once;
- on PostgreSQL, a statement trigger on `messages` (migration `console_ops`) sends
  `NOTIFY reception_live` on commit, and every console instance LISTENs, so instances agree
  within milliseconds — no extra service to run;
- otherwise (SQLite: one process serves a district) the tail polls every `interval` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "reception_live"
INBOX = "inbox"
CLOSED = "closed"  # published once at shutdown, so open streams end at once
POLL_SECONDS = 1.0
QUEUE_SIZE = 100
CLOSE_SECONDS = 5.0  # longest wait for the tail and the LISTEN connection at shutdown


def chat_topic(conversation_id: int) -> str:
    return f"chat:{conversation_id}"


@dataclass(frozen=True, slots=True)
class NewMessage:
    message_id: int
    conversation_id: int | None
    with_operators: bool = False  # the chat is handed to operators: the inbox may change


# Messages with id greater than the argument, oldest first (a bounded batch).
TailSource = Callable[[int], Awaitable[list[NewMessage]]]
LatestId = Callable[[], Awaitable[int]]


class LiveHub:
    """In-process pub/sub: topics of asyncio queues, fed by one tail of the messages table."""

    def __init__(
        self,
        interval: float = POLL_SECONDS,
        tail: TailSource | None = None,
        latest_id: LatestId | None = None,
    ) -> None:
        self.interval = interval
        self._tail = tail
        self._latest_id = latest_id
        self._topics: dict[str, set[asyncio.Queue[str]]] = {}
        self._wake = asyncio.Event()
        self._watchers = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self._closed = False

    # -- subscribers -------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[asyncio.Queue[str]]:
        """A queue that receives the topic name each time something new happens in it."""
        queue: asyncio.Queue[str] = asyncio.Queue(QUEUE_SIZE)
        for topic in topics:
            self._topics.setdefault(topic, set()).add(queue)
        self._watchers.set()
        if self._closed and CLOSED in topics:  # subscribed while the server shuts down
            queue.put_nowait(CLOSED)
        try:
            yield queue
        finally:
            for topic in topics:
                members = self._topics.get(topic)
                if members is not None:
                    members.discard(queue)
                    if not members:
                        del self._topics[topic]
            if not self._topics:
                self._watchers.clear()

    def publish(self, topic: str) -> None:
        for queue in self._topics.get(topic, ()):
            if queue.full():  # a slow reader re-reads from its last id anyway
                continue
            queue.put_nowait(topic)

    def _wake_all(self) -> None:
        """The tail just chose where it starts; a message written while it chose would be
        behind that point and never published, so every subscriber re-reads from its own id."""
        for topic in list(self._topics):
            if topic != CLOSED:  # CLOSED ends the streams: only close() may send it
                self.publish(topic)

    def poke(self) -> None:
        """Something was written here: look at the table now rather than at the next tick."""
        self._wake.set()

    @property
    def subscribers(self) -> int:
        return len({id(q) for members in self._topics.values() for q in members})

    # -- the tail ------------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self._task is not None

    def start(self, tail: TailSource, latest_id: LatestId, listen_dsn: str | None = None) -> None:
        """Begins tailing (once); `listen_dsn` names a PostgreSQL server to LISTEN on."""
        self._tail, self._latest_id = tail, latest_id
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="console-live-tail")
        if listen_dsn is not None and self._listener is None:
            self._listener = asyncio.create_task(self._listen(listen_dsn), name="console-live-pg")

    async def close(self) -> None:
        self._closed = True
        self.publish(CLOSED)
        for task in (self._task, self._listener):
            if task is not None:
                task.cancel()
                # Bounded: a server that no longer answers must not hold up the shutdown.
                with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                    await asyncio.wait_for(task, CLOSE_SECONDS)
        self._task = self._listener = None

    async def _run(self) -> None:
        assert self._latest_id is not None
        last = await self._latest_id()
        self._wake_all()
        while True:
            if not self._watchers.is_set():
                await self._watchers.wait()
                # Nobody watched meanwhile: what came in between is read by each subscriber
                # from its own last id, so the tail starts from now rather than replaying it.
                last = await self._latest_id()
                self._wake_all()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
            self._wake.clear()
            try:
                last = await self.tick(last)
            except Exception:  # the database may be briefly away; the next tick retries
                log.warning("live tail failed; retrying", exc_info=True)
                await asyncio.sleep(self.interval)

    async def tick(self, last: int) -> int:
        """Publishes what arrived after `last`; returns the new last id."""
        assert self._tail is not None
        while True:
            batch = await self._tail(last)
            if not batch:
                return last
            for message in batch:
                if message.conversation_id is not None:
                    self.publish(chat_topic(message.conversation_id))
                last = max(last, message.message_id)
            # The bot's own chats do not concern the operators' inbox.
            if any(message.with_operators for message in batch):
                self.publish(INBOX)

    async def _listen(self, dsn: str) -> None:
        """PostgreSQL LISTEN: each NOTIFY (sent on commit by the trigger) wakes the tail."""
        import asyncpg

        delay = 1.0
        while True:
            connection = None
            try:
                connection = await asyncpg.connect(dsn)
                lost = asyncio.Event()
                connection.add_termination_listener(lambda *_, lost=lost: lost.set())
                await connection.add_listener(NOTIFY_CHANNEL, lambda *_: self.poke())
                delay = 1.0
                await lost.wait()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("live LISTEN connection failed; polling meanwhile", exc_info=True)
            finally:
                if connection is not None and not connection.is_closed():
                    await connection.close(timeout=CLOSE_SECONDS)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)


# -- wiring into the console (aiohttp) -----------------------------------------------------

LIVE_HUB: web.AppKey[LiveHub] = web.AppKey("console_live_hub", LiveHub)


def install(console: web.Application) -> None:
    """Called from a view module's `setup`: the hub exists before the app freezes; it starts
    tailing on the first subscriber (the engine exists only once the server has started)."""
    console[LIVE_HUB] = LiveHub()

    async def close(_: web.Application) -> None:
        await console[LIVE_HUB].close()

    # on_shutdown runs before the server's cleanup closes the engine.
    console.on_shutdown.append(close)


def live_hub(request: web.Request) -> LiveHub:
    """The console's hub, started on first use: tails the messages table over the server's
    unit of work, LISTENs on PostgreSQL, and wakes whenever this process's channel pipelines
    commit (the outbox hub's `wake` is every pipeline's on_commit)."""
    hub = request.config_dict[LIVE_HUB]
    if hub.started:
        return hub
    from app.keys import ENGINE, UOW_FACTORY
    from storage.repositories.console_ops import ConsoleOpsQueries

    factory = request.config_dict[UOW_FACTORY]

    async def tail(after_id: int) -> list[NewMessage]:
        async with factory(readonly=True) as uow:
            rows = await ConsoleOpsQueries(uow.connection).messages_after(after_id)
        return [NewMessage(*row) for row in rows]

    async def latest() -> int:
        async with factory(readonly=True) as uow:
            return await ConsoleOpsQueries(uow.connection).latest_message_id()

    url = request.config_dict[ENGINE].url
    dsn = None
    if url.get_backend_name() == "postgresql":
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    hub.start(tail, latest, dsn)
    _follow_pipelines(request, hub)
    return hub


def _follow_pipelines(request: web.Request, hub: LiveHub) -> None:
    try:
        from bot.outbox.hub import OUTBOX_HUB
    except ImportError:  # a console-only deployment: the tail polls
        return
    outbox = request.config_dict.get(OUTBOX_HUB)
    if outbox is not None:
        outbox.subscribe(hub.poke)
