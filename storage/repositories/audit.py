"""The audit log: append-only (no update or delete here; database triggers refuse them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from reception.actors import Actor, ActorKind
from reception.ports import AuditEntry
from storage.prepared import prepare
from storage.repositories._base import Repository
from storage.tables import audit_log

_RECORD = prepare(insert(audit_log))


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        at=row.at,
        actor=Actor(ActorKind(row.actor_kind), row.actor_id),
        action=row.action,
        object_type=row.object_type,
        object_id=row.object_id,
        ip=row.ip,
        details=row.details,
        id=row.id,
    )


class SqlAuditRepository(Repository):
    __slots__ = ()

    async def record(
        self,
        actor: Actor,
        action: str,
        at: datetime,
        object_type: str | None = None,
        object_id: str | None = None,
        ip: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        values = {
            "at": at,
            "actor_kind": actor.kind,
            "actor_id": actor.id,
            "action": action,
            "object_type": object_type,
            "object_id": None if object_id is None else str(object_id),
            "ip": ip,
            "details": details,
        }
        await self.conn.execute(_RECORD, values)

    async def for_object(self, object_type: str, object_id: str) -> list[AuditEntry]:
        statement = (
            select(audit_log)
            .where(audit_log.c.object_type == object_type, audit_log.c.object_id == object_id)
            .order_by(audit_log.c.id)
        )
        return [_entry(row) for row in await self.conn.execute(statement)]

    async def recent(self, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
        statement = select(audit_log).order_by(audit_log.c.id.desc()).offset(offset).limit(limit)
        return [_entry(row) for row in await self.conn.execute(statement)]
