"""The migrations build exactly the schema of storage.tables, on each dialect."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.repositories.messages import of_citizen
from storage.repositories.outbox_delivery import _due_heads
from storage.repositories.outbox_failures import _having
from storage.tables import conversations, in_operator_mode, is_undelivered, metadata, outbox
from storage.tables_whatsapp import sent_as_wamid


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_object": _on_dialect(connection)}
    )
    return compare_metadata(context, metadata)


def _on_dialect(connection: Connection) -> Any:
    """Skips what the metadata builds only on another dialect (`Index(...).ddl_if(...)`)."""

    def include(obj: Any, name: Any, type_: Any, reflected: Any, compare_to: Any) -> bool:
        condition = getattr(obj, "_ddl_if", None)
        return condition is None or condition.dialect in (None, connection.dialect.name)

    return include


async def test_the_migrated_database_matches_the_metadata(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        differences = await conn.run_sync(_differences)
    assert differences == [], "\n".join(str(d) for d in differences)


def _partial_indexes(connection: Connection) -> dict[str, bool]:
    return {
        index["name"]: bool(index["unique"])
        for index in inspect(connection).get_indexes("requests")
        if index["name"] in ("uq_requests_slot_holding", "uq_requests_citizen_official_active")
    }


async def test_the_partial_unique_indexes_exist(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        assert await conn.run_sync(_partial_indexes) == {
            "uq_requests_slot_holding": True,
            "uq_requests_citizen_official_active": True,
        }


def test_the_hot_paths_partial_indexes_serve_their_queries_on_sqlite(
    sqlite_template: Path,
) -> None:
    """0008: the dialog's rows stay out of three indexes, and the queries that need those
    indexes still find them (the operators' queue names its mode as a literal for that; 0009
    narrowed the third to WhatsApp's rows)."""
    queue = (
        select(conversations.c.id)
        .where(in_operator_mode(conversations))
        .order_by(conversations.c.updated_at, conversations.c.id)
    )
    queries = {
        "ix_conversations_operator_queue": str(queue.compile(dialect=sqlite.dialect())),
        "ix_outbox_request_id": "SELECT id FROM outbox WHERE request_id = ?",
        "ix_outbox_whatsapp_wamid": (
            "SELECT id FROM outbox WHERE channel = 'whatsapp' AND external_id = ?"
        ),
    }
    with sqlite3.connect(sqlite_template) as database:
        for index, sql in queries.items():
            parameters = (None,) * sql.count("?")
            plan = database.execute("EXPLAIN QUERY PLAN " + sql, parameters).fetchall()
            assert any(index in step[-1] for step in plan), (index, plan)


def test_the_outbox_and_message_readers_use_the_indexes_0009_left(sqlite_template: Path) -> None:
    """0009 dropped the indexes every reply and message wrote (status, citizen, age): the
    sender's claim, the undelivered list and a citizen's messages still search an index
    (partial ones, which SQLite uses only when a query names their condition), never scan."""
    claim = _due_heads.params(b_channel="telegram", b_now=datetime.now(UTC), b_skip=["1"])
    queries = {
        "claim": (claim.params(b_limit=10), {"ix_outbox_pending_by_chat"}),
        "badge": (select(func.count()).where(is_undelivered(outbox)), {"ix_outbox_undelivered"}),
        "page of failed": (
            select(outbox.c.id).where(*_having(["failed"])).order_by(outbox.c.id.desc()),
            {"ix_outbox_undelivered"},
        ),
        "status webhook": (
            select(outbox.c.id).where(*sent_as_wamid("wamid.x")),
            {"ix_outbox_whatsapp_wamid"},
        ),
        "citizen's messages": (
            of_citizen(1, 30),
            {"ix_messages_conversation_id_at", "ix_messages_citizen_without_chat"},
        ),
    }
    with sqlite3.connect(sqlite_template) as database:
        names = {row[0] for row in database.execute("SELECT name FROM sqlite_master")}
        assert not names & {
            "ix_outbox_status_next_attempt_at",
            "ix_messages_citizen_id_at",
            "ix_inbound_received_at",
            "ix_outbox_channel_external_id",
        }
        for what, (statement, indexes) in queries.items():
            compiled = statement.compile(
                dialect=sqlite.dialect(), compile_kwargs={"render_postcompile": True}
            )
            sql = str(compiled)
            plan = [
                step[-1]
                for step in database.execute("EXPLAIN QUERY PLAN " + sql, (None,) * sql.count("?"))
            ]
            used = {index for index in indexes if any(index in step for step in plan)}
            assert used == indexes, (what, plan)
            assert not any(step.startswith("SCAN outbox") and "INDEX" not in step for step in plan)
            assert not any(step.startswith("SCAN messages") for step in plan), (what, plan)
