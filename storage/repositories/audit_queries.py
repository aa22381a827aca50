"""Reading the audit log for the console: the admins' filtered view, and the login throttle's
counts of recent failures (the log is shared by every process, so they all agree)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from reception.actors import Actor, ActorKind
from reception.ports import AuditEntry
from reception.services.staff import LOGIN_FAILED, LOGIN_SUCCEEDED
from storage.repositories._base import Repository
from storage.tables import audit_log


@dataclass(frozen=True, slots=True)
class AuditFilter:
    actor_id: int | None = None
    action: str | None = None  # exact, or a prefix ending in "." ("request.")
    object_type: str | None = None
    object_id: str | None = None
    ip: str | None = None
    since: datetime | None = None
    until: datetime | None = None


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


def _conditions(flt: AuditFilter) -> list[ColumnElement[bool]]:
    c = audit_log.c
    found: list[ColumnElement[bool]] = []
    if flt.actor_id is not None:
        found += [c.actor_kind == str(ActorKind.STAFF), c.actor_id == flt.actor_id]
    if flt.action:
        if flt.action.endswith("."):
            found.append(c.action.startswith(flt.action, autoescape=True))
        else:
            found.append(c.action == flt.action)
    for column, value in (
        (c.object_type, flt.object_type),
        (c.object_id, flt.object_id),
        (c.ip, flt.ip),
    ):
        if value:
            found.append(column == value)
    if flt.since is not None:
        found.append(c.at >= flt.since)
    if flt.until is not None:
        found.append(c.at < flt.until)
    return found


class SqlAuditQueries(Repository):
    __slots__ = ()

    async def search(
        self, flt: AuditFilter, *, before_id: int | None = None, limit: int = 100
    ) -> list[AuditEntry]:
        """Newest first; the next page starts before the last id shown (keyset paging)."""
        conditions = _conditions(flt)
        if before_id is not None:
            conditions.append(audit_log.c.id < before_id)
        statement = (
            select(audit_log).where(*conditions).order_by(audit_log.c.id.desc()).limit(limit)
        )
        return [_entry(row) for row in await self.conn.execute(statement)]

    async def failures_for_account(self, username: str, since: datetime) -> int:
        c = audit_log.c
        last_success = (
            select(func.max(c.at))
            .where(
                c.action == LOGIN_SUCCEEDED,
                c.object_type == "staff_user",
                c.object_id == username,
                c.at >= since,
            )
            .scalar_subquery()
        )
        statement = select(func.count()).where(
            c.action == LOGIN_FAILED,
            c.object_type == "staff_user",
            c.object_id == username,
            # The bound value needs the column's type, or SQLite would get local wall time.
            c.at > func.coalesce(last_success, literal(since, type_=c.at.type)),
        )
        return (await self.conn.execute(statement)).scalar_one()

    async def failures_from_ip(self, ip: str, since: datetime) -> int:
        c = audit_log.c
        statement = select(func.count()).where(c.action == LOGIN_FAILED, c.ip == ip, c.at >= since)
        return (await self.conn.execute(statement)).scalar_one()
