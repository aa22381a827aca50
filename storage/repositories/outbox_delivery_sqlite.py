"""The outbox sender's hot statements as plain SQL on the loop's SQLite connection.

Like storage/repositories/pipeline_sqlite.py for the pipeline: with storage.inloop the
statements cost SQLite microseconds, and SQLAlchemy's execution machinery (binding each row's
parameters through it, building result rows) several times that. Measured on 3,000 rows:
marking them sent took 35 µs a row raw against ~170 µs through executemany. Values pass
through the columns' own SQLAlchemy type processors, so what is written here reads back the
same everywhere else. The claim, the marking and the log keep the semantics of OutboxDelivery
(whose rarer statements, defer and fail, this class inherits).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from reception.ports import MessageRecord, OutboxItem
from storage.inloop import LoopConnection
from storage.repositories.outbox_delivery import OutboxDelivery
from storage.tables import messages, outbox

_OUTBOX = tuple(column.name for column in outbox.columns)
_CLAIM = (
    "UPDATE outbox SET next_attempt_at = ?, attempts = attempts + 1 WHERE id IN ("
    " SELECT o.id FROM outbox AS o WHERE o.channel = ? AND o.status = 'pending'"
    " AND o.next_attempt_at <= ? AND o.chat_id NOT IN ({skip}) AND NOT EXISTS ("
    "  SELECT 1 FROM outbox AS e WHERE e.channel = o.channel AND e.chat_id = o.chat_id"
    "  AND e.status = 'pending' AND e.id < o.id)"
    " ORDER BY o.id LIMIT ?)"
    f" RETURNING {', '.join(_OUTBOX)}"
)
_MARK_SENT = (
    "UPDATE outbox SET status = 'sent', sent_at = ?, external_id = ?, error = NULL"
    " WHERE id = ? AND status = 'pending'"
)
_LOG_OUTGOING = (
    "INSERT INTO messages (conversation_id, citizen_id, channel, chat_id, direction,"
    " author_kind, author_id, text, payload, at) VALUES ("
    " (SELECT id FROM conversations WHERE channel = ? AND chat_id = ?),"
    " ?, ?, ?, 'out', ?, ?, ?, ?, ?)"
)
Processor = Callable[[Any], Any]


class SqliteOutboxDelivery(OutboxDelivery):
    __slots__ = ("_from_db", "_raw", "_to_db")

    def __init__(self, conn: LoopConnection) -> None:
        super().__init__(conn)  # type: ignore[arg-type]
        self._raw = conn.sync.connection.driver_connection
        dialect = conn.sync.dialect
        self._to_db: dict[str, Processor] = {}
        self._from_db: dict[str, Processor] = {}
        for column in (*outbox.columns, messages.c.payload, messages.c.at):
            impl = column.type.dialect_impl(dialect)
            key = f"{column.table.name}.{column.name}"
            if (bind := impl.bind_processor(dialect)) is not None:
                self._to_db[key] = bind
            if (result := impl.result_processor(dialect, None)) is not None:
                self._from_db[key] = result

    def _db(self, key: str, value: Any) -> Any:
        bind = self._to_db.get(key)
        return value if bind is None or value is None else bind(value)

    async def claim_chat_heads(
        self,
        channel: str,
        now: datetime,
        limit: int,
        lease: timedelta,
        skip_chats: Sequence[str] = (),
    ) -> list[OutboxItem]:
        if limit <= 0:
            return []
        skip = list(skip_chats) or [""]  # "" is no chat id: NOT IN () is not SQL
        sql = _CLAIM.format(skip=", ".join("?" * len(skip)))
        until = self._db("outbox.next_attempt_at", now + lease)
        parameters = (until, channel, self._db("outbox.next_attempt_at", now), *skip, limit)
        items = [self._item(row) for row in self._raw.execute(sql, parameters).fetchall()]
        return sorted(items, key=lambda item: item.id or 0)

    def _item(self, row: Sequence[Any]) -> OutboxItem:
        values = {}
        for name, value in zip(_OUTBOX, row, strict=True):
            result = self._from_db.get(f"outbox.{name}")
            values[name] = value if result is None or value is None else result(value)
        return OutboxItem(**values)

    async def mark_sent(self, sent: Sequence[tuple[int, datetime, str | None]]) -> None:
        if sent:
            rows = [(self._db("outbox.sent_at", at), ext, i) for i, at, ext in sent]
            self._raw.executemany(_MARK_SENT, rows)

    async def log_outgoing(self, records: Sequence[MessageRecord]) -> None:
        if not records:
            return
        rows = [
            (
                r.channel,
                r.chat_id,
                r.citizen_id,
                r.channel,
                r.chat_id,
                r.author_kind,
                r.author_id,
                r.text,
                self._db("messages.payload", r.payload),
                self._db("messages.at", r.at),
            )
            for r in records
        ]
        self._raw.executemany(_LOG_OUTGOING, rows)


def outbox_delivery(conn: Any) -> OutboxDelivery:
    """The plain-SQL variant on the loop's SQLite connection, SQLAlchemy Core elsewhere."""
    if isinstance(conn, LoopConnection):
        return SqliteOutboxDelivery(conn)
    return OutboxDelivery(conn)
