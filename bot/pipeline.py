"""The one path every channel's update takes: de-duplicate, lock the chat, log, answer, commit.

One short transaction per update (issue 3; PERFORMANCE.md): it records the update's id
(UNIQUE(channel, external_id), so a redelivered update gets no second reply), loads and locks
the conversation, runs the dialog (or, when an operator has the chat, only stores the
message), logs the message in (R39), writes the replies to the outbox, saves the conversation
and commits. The state change and the replies land together or not at all; the outbox sender
delivers them after `on_commit` wakes it and logs each reply as it goes out (R39), so a reply
is logged once, when the citizen gets it. When `on_commit` is the process's outbox hub or
sender (a `DirectDelivery`) and it can send the replies at once, they are written leased to
it and handed over after the commit, so no round has to claim them (bot/outbox/worker.py).

Order within a chat: an in-process lock per chat keeps arrival order; across processes the
conversation row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE
already admits one writer at a time).

On SQLite the transaction runs on the event loop's thread (storage.inloop): a statement there
costs microseconds, where aiosqlite's thread hand-offs cost most of an update. The process's
writers take that connection in turn; each update is a SAVEPOINT of its own (kept or rolled
back whole), and updates that queue behind each other share one COMMIT (group commit), which
each of them waits for before it returns.
"""

from __future__ import annotations

import contextlib
import logging
import weakref
from collections.abc import Callable, Collection, Sequence
from datetime import timedelta
from typing import Any, Protocol

from bot.flow.events import EventKind, Incoming, Reply, needs_citizen_language
from bot.turns import ChatTurns
from reception.ports import Conversation, OutboxItem
from reception.services.handoff import OPERATOR
from storage import inloop
from storage.repositories.pipeline import pipeline_store

log = logging.getLogger(__name__)

SORRY_MESSAGE_ID = "bot-error-sorry"

Leased = list[tuple[OutboxItem, Reply]]


class DirectDelivery(Protocol):
    """An outbox sender in this process (bot.outbox: the sender or the hub in front of it)."""

    def lease_for(
        self, channel: str, chat_id: str, count: int, pending: Collection[int]
    ) -> timedelta | None: ...

    def take(self, leased: Sequence[tuple[OutboxItem, Reply]]) -> None: ...


_chat_turns = ChatTurns()  # a chat's updates one at a time, in arrival order


def _hot_path(uow_factory: Any) -> Any:
    """On SQLite: the loop-thread connection's units of work (group commit); else as given.
    Remembered per factory: finding it took a few µs of every update."""
    try:
        found = _hot_paths.get(uow_factory, _UNKNOWN)
    except TypeError:  # a factory that cannot be weakly referenced (a test's function)
        found = _UNKNOWN
    if found is _UNKNOWN or (found is not None and found.closed):
        engine = getattr(uow_factory, "engine", None)
        found = None
        if engine is not None and engine.dialect.name == "sqlite":
            found = inloop.for_engine(engine)
        with contextlib.suppress(TypeError):
            _hot_paths[uow_factory] = found
    return uow_factory if found is None else found


_UNKNOWN = object()
# factory -> its LoopSqlite, or None for "the factory itself" (no reference back to the key)
_hot_paths: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def shared_writer(uow_factory: Any) -> Callable[..., Any]:
    """A unit-of-work factory for the other writers on the bot's hot path (the outbox
    sender): on SQLite, the pipeline's own loop-thread connection, taken in turn with the
    pipeline's units (and sharing their commits), so neither waits on SQLite's lock nor hops
    to a thread; on PostgreSQL, `uow_factory` itself."""
    return _hot_path(uow_factory)  # type: ignore[no-any-return]


async def process(
    uow_factory: Any,
    dialog: Any,
    event: Incoming,
    on_commit: Callable[[], None] | None = None,
) -> bool:
    """Handles one update; False when it was seen before (nothing is done, nothing sent).

    `dialog` is a bot.flow.Dialog; `on_commit` is called after the commit, e.g. to wake the
    outbox sender; when it is a `DirectDelivery`, the replies it leases are handed to it.
    """
    key = (event.channel, event.chat_id)
    direct = _direct_delivery(on_commit)
    await _chat_turns.take(key)
    try:
        leased = await _process_safely(_hot_path(uow_factory), dialog, event, direct)
        if leased:  # before the chat's next update may ask for a lease: it keeps their order
            assert direct is not None
            direct.take(leased)
    finally:
        _chat_turns.done(key)
    if leased is None:
        return False
    if on_commit is not None:
        on_commit()
    return True


def _direct_delivery(on_commit: Any) -> DirectDelivery | None:
    """`on_commit` itself when it can take the replies directly (the hub, the sender)."""
    return on_commit if hasattr(on_commit, "lease_for") else None


async def _process_safely(
    uow_factory: Any, dialog: Any, event: Incoming, direct: DirectDelivery | None
) -> Leased | None:
    """The replies leased to `direct` ([] if none); None when the update was seen before."""
    try:
        return await _process(uow_factory, dialog, event, direct)
    except Exception:
        # A bug must not lose the message (R39) nor make the channel redeliver it forever:
        # the update is recorded with an apology, in a transaction of its own.
        log.exception("the dialog failed on a %s update from %s", event.kind, event.channel)
        return await _record_failure(uow_factory, dialog, event)


async def _process(
    uow_factory: Any, dialog: Any, event: Incoming, direct: DirectDelivery | None
) -> Leased | None:
    now = dialog.rules.clock.now()
    async with uow_factory() as uow:
        store = pipeline_store(uow)
        if not await store.record_inbound(event.channel, event.external_id, now):
            return None
        conversation = await store.lock_conversation(event.channel, event.chat_id, now)
        outcome = await dialog.respond(uow, conversation, event)
        if conversation.mode != OPERATOR:  # in operator mode it keeps the time of asking
            conversation.updated_at = now
        conversation.last_inbound_at = event.at
        await store.log_messages(
            [_inbound_row(event, conversation, outcome.document_id, outcome.note)]
        )
        rows = _outbox_rows(outcome.replies, conversation, now)
        lease = await _lease(direct, store, conversation, outcome.replies)
        if lease is None:
            await store.add_outbox(rows)
            leased: Leased = []
        else:
            for row in rows:  # as a claim leaves them (bot/outbox/worker.py)
                row["attempts"], row["next_attempt_at"] = 1, now + lease
            ids = await store.add_outbox_returning_ids(rows)
            leased = [
                (_item(row, row_id), reply)
                for row, row_id, reply in zip(rows, ids, outcome.replies, strict=True)
            ]
        await store.save_conversation(conversation)
        await uow.commit()
    return leased


async def _lease(
    direct: DirectDelivery | None, store: Any, conversation: Conversation, replies: list[Reply]
) -> timedelta | None:
    """How long the replies are leased to `direct`, if they can go straight to it: each is
    written in its language (as bot.outbox.render would leave it), and `direct` can send them
    now, after whatever is still pending for the chat (the chat's order comes first)."""
    if direct is None or not replies:
        return None
    if any(needs_citizen_language(reply.extra, reply.ask_contact) for reply in replies):
        return None  # the round looks the citizen's language up
    channel, chat_id = conversation.channel, conversation.chat_id
    pending = await store.pending_ids(channel, chat_id)
    return direct.lease_for(channel, chat_id, len(replies), pending)


def _item(row: dict[str, Any], row_id: int) -> OutboxItem:
    """The outbox row as the sender's claim would have read it back."""
    return OutboxItem(id=row_id, **row)


async def _record_failure(uow_factory: Any, dialog: Any, event: Incoming) -> Leased | None:
    now = dialog.rules.clock.now()
    async with uow_factory() as uow:
        store = pipeline_store(uow)
        if not await store.record_inbound(event.channel, event.external_id, now):
            return None
        conversation = await store.lock_conversation(event.channel, event.chat_id, now)
        lang = str(conversation.data.get("lang") or "ru")
        sorry = [Reply(dialog.translator(lang, SORRY_MESSAGE_ID))]
        await store.log_messages([_inbound_row(event, conversation, None, {"failed": True})])
        await store.add_outbox(_outbox_rows(sorry, conversation, now))
        await uow.commit()
    return []


def _inbound_row(
    event: Incoming, conversation: Conversation, document_id: int | None, note: dict[str, Any]
) -> dict[str, Any]:
    """R39: the message as it came, for the messages table."""
    payload: dict[str, Any] = {"kind": str(event.kind), "external_id": event.external_id}
    if event.kind is EventKind.BUTTON:
        payload["button"] = event.button
    elif event.kind is EventKind.CONTACT:
        payload["contact_phone"] = event.contact_phone
    elif event.kind is EventKind.FILE and event.file is not None:
        payload["file"] = {
            "name": event.file.file_name,
            "mime_type": event.file.mime_type,
            "size": event.file.size,
            "refused": event.file.refused_reason,
        }
    payload.update(note)
    return {
        "conversation_id": conversation.id,
        "citizen_id": conversation.citizen_id,
        "channel": event.channel,
        "chat_id": event.chat_id,
        "direction": "in",
        "author_kind": "citizen",
        "author_id": conversation.citizen_id,
        "text": event.text if event.kind in (EventKind.TEXT, EventKind.COMMAND) else None,
        "payload": payload,
        "document_id": document_id,
        "at": event.at,
    }


def _outbox_rows(
    replies: list[Reply], conversation: Conversation, now: Any
) -> list[dict[str, Any]]:
    return [
        {
            "channel": conversation.channel,
            "chat_id": conversation.chat_id,
            "citizen_id": conversation.citizen_id,
            "kind": reply.kind,
            "args": {},
            "payload": reply.to_payload(),
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for reply in replies
    ]
