"""Booking requests and their status history (R39), with optimistic concurrency."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.elements import ColumnElement

from reception.actors import Actor, ActorKind
from reception.errors import ConcurrentUpdate
from reception.ports import Page, RequestFilter
from reception.requests import (
    ACTIVE_STATUSES,
    BookingRequest,
    Channel,
    ExtensionKind,
    ReceptionFormat,
    Representation,
    Status,
    StatusChange,
)
from storage.integrity import domain_errors
from storage.prepared import prepare
from storage.repositories._base import Repository, build, columns, found, values_of
from storage.repositories._statements import ID, insert_returning_id, plain_insert
from storage.repositories.counters import REQUEST_NUMBERS, next_value
from storage.tables import request_history, requests

_COLUMNS = columns(requests, exclude=("id", "search_text"))
_ENUMS = {
    "channel": Channel,
    "representation": Representation,
    "reception_format": ReceptionFormat,
    "status": Status,
    "extension_kind": ExtensionKind,
}
_SELECT = select(requests.c.id, *(requests.c[name] for name in _COLUMNS))
_GET = prepare(_SELECT.where(requests.c.id == bindparam(ID)))
_SAVE = prepare(
    update(requests).where(
        requests.c.id == bindparam(ID), requests.c.version == bindparam("b_version")
    )
)


def _values(request: BookingRequest) -> dict[str, Any]:
    values = values_of(request, _COLUMNS)
    parts = (request.applicant_name, request.principal_name, request.applicant_iin, request.number)
    values["search_text"] = " ".join(p for p in parts if p).casefold()
    return values


class SqlRequestRepository(Repository):
    __slots__ = ("_saved_history",)

    def __init__(self, conn: AsyncConnection) -> None:
        super().__init__(conn)
        # request id -> how many of its history entries are in the database
        self._saved_history: dict[int, int] = {}

    async def add(self, request: BookingRequest) -> BookingRequest:
        statement = insert_returning_id(requests)
        with domain_errors():
            request.id = (await self.conn.execute(statement, _values(request))).scalar_one()
        await self._write_history(request, 0)
        return request

    async def get(self, request_id: int, *, for_update: bool = False) -> BookingRequest:
        statement = _GET.with_for_update() if for_update else _GET  # SQLite: BEGIN IMMEDIATE
        result = await self.conn.execute(statement, {ID: request_id})  # already locks
        row = found(result.mappings().first(), "request", request_id)
        return (await self._with_history([row]))[0]

    async def save(self, request: BookingRequest) -> None:
        if request.id is None:
            raise ValueError("save() needs a request that was added")
        values = {
            **_values(request),
            "version": request.version + 1,
            ID: request.id,
            "b_version": request.version,
        }
        with domain_errors():
            result = await self.conn.execute(_SAVE, values)
        if result.rowcount != 1:
            raise ConcurrentUpdate(what="request", id=request.id)
        request.version += 1
        saved = self._saved_history.get(request.id)
        if saved is None:
            saved = await self._count_history(request.id)
        await self._write_history(request, saved)

    async def next_number(self, year: int) -> str:
        return f"{year}-{await next_value(self.conn, REQUEST_NUMBERS, year):06d}"

    async def for_citizen(self, citizen_id: int) -> list[BookingRequest]:
        statement = _SELECT.where(requests.c.citizen_id == citizen_id).order_by(
            requests.c.id.desc()
        )
        return await self._load(statement)

    async def for_slot_ids(self, slot_ids: Sequence[int]) -> list[BookingRequest]:
        if not slot_ids:
            return []
        statement = _SELECT.where(requests.c.slot_id.in_(slot_ids)).order_by(requests.c.id)
        return await self._load(statement)

    async def search(self, flt: RequestFilter, page: Page) -> tuple[list[BookingRequest], int]:
        """The console's list, soonest answer due first; drafts (no due date) last."""
        conditions = _conditions(flt)
        total = (
            await self.conn.execute(select(func.count()).select_from(requests).where(*conditions))
        ).scalar_one()
        statement = (
            _SELECT.where(*conditions)
            .order_by(requests.c.answer_due.asc().nulls_last(), requests.c.id)
            .offset(page.offset)
            .limit(page.limit)
        )
        return await self._load(statement), total

    # -- history ---------------------------------------------------------------------------

    async def _load(self, statement: Select[Any]) -> list[BookingRequest]:
        rows = (await self.conn.execute(statement)).mappings().all()
        return await self._with_history(rows)

    async def _with_history(self, rows: Sequence[Any]) -> list[BookingRequest]:
        """Requests with their whole history: one query for all of them."""
        loaded = {row["id"]: build(BookingRequest, row, convert=_ENUMS) for row in rows}
        if loaded:
            statement = (
                select(request_history)
                .where(request_history.c.request_id.in_(list(loaded)))
                .order_by(request_history.c.id)
            )
            for entry in (await self.conn.execute(statement)).mappings():
                loaded[entry["request_id"]].history.append(_change(entry))
        for request_id, request in loaded.items():
            self._saved_history[request_id] = len(request.history)
        return list(loaded.values())

    async def _count_history(self, request_id: int) -> int:
        statement = select(func.count()).where(request_history.c.request_id == request_id)
        return (await self.conn.execute(statement)).scalar_one()

    async def _write_history(self, request: BookingRequest, saved: int) -> None:
        assert request.id is not None
        new = request.history[saved:]
        if new:
            rows = [
                {
                    "request_id": request.id,
                    "from_status": change.from_status,
                    "to_status": change.to_status,
                    "actor_kind": change.actor.kind,
                    "actor_id": change.actor.id,
                    "at": change.at,
                    "note": change.note,
                }
                for change in new
            ]
            await self.conn.execute(plain_insert(request_history), rows)
        self._saved_history[request.id] = len(request.history)


def _change(row: Any) -> StatusChange:
    return StatusChange(
        from_status=Status(row["from_status"]),
        to_status=Status(row["to_status"]),
        actor=Actor(ActorKind(row["actor_kind"]), row["actor_id"]),
        at=row["at"],
        note=row["note"],
    )


def _conditions(flt: RequestFilter) -> list[ColumnElement[bool]]:
    c = requests.c
    conditions: list[ColumnElement[bool]] = []
    if flt.statuses:
        conditions.append(c.status.in_([str(s) for s in flt.statuses]))
    for column, value in (
        (c.official_id, flt.official_id),
        (c.topic_id, flt.topic_id),
        (c.channel, flt.channel),
        (c.citizen_id, flt.citizen_id),
    ):
        if value is not None:
            conditions.append(column == value)
    if flt.priority_only:
        conditions.append(c.priority_category.is_not(None))
    if flt.due_before is not None:
        conditions.append(c.answer_due <= flt.due_before)
    if flt.overdue_on is not None:
        conditions.append(c.answer_due < flt.overdue_on)
        conditions.append(c.status.in_(sorted(ACTIVE_STATUSES)))
    if flt.text and flt.text.strip():
        text = flt.text.strip()
        conditions.append(
            or_(c.number == text, c.search_text.contains(text.casefold(), autoescape=True))
        )
    return conditions
