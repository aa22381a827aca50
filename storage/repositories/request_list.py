"""The console's requests list: one narrow SELECT per page, keyset paging on (answer_due, id).

Only registered requests are stored, each with an answer_due (R20, R21), so the order needs
no NULL handling (and no "IS NOT NULL" term, which the planner would take for a range).

Which index serves a page matters more than anything else with 100k requests, and SQLite's
planner (after ANALYZE especially) would rather walk the whole due-date index than sort, so
each scope is written for its index:

- live requests (the default, due and overdue filters): the partial ix_requests_active_due,
  matched by the literal status term it was created with;
- priority (R9): the partial ix_requests_priority_answer_due_id (tables_console_ops);
- IIN/BIN (R37) and number: their own indexes, a handful of rows sorted here;
- a name over every status: on SQLite a walk of the narrow ix_requests_due_search (due order
  and text, no table rows); on PostgreSQL the trigram index or the walk, as it finds cheaper.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from reception.requests import ACTIVE_STATUSES, Status
from reception.services.request_list import Cursor, ListCriteria, RequestSummary, SearchKind
from storage.repositories._base import Repository
from storage.tables import requests
from storage.tables_console_core import LIST_ACTIVE_STATUSES

c = requests.c
_SUMMARY = (
    c.id,
    c.number,
    c.applicant_name,
    c.status,
    c.official_id,
    c.topic_id,
    c.channel,
    c.priority_category,
    c.answer_due,
    c.extended_until,
    c.registered_at,
    c.from_personal_reception,
)
EXACT_MATCHES_LIMIT = 500  # one IIN or number never has more requests than this


def _active_term() -> ColumnElement[bool]:
    """Written out literally, as in the partial index, so the planner may use the index."""
    values = bindparam("list_active", LIST_ACTIVE_STATUSES, expanding=True, literal_execute=True)
    return c.status.in_(values)


def _within_active(criteria: ListCriteria) -> bool:
    return bool(criteria.statuses) and set(criteria.statuses) <= ACTIVE_STATUSES


def _conditions(criteria: ListCriteria, *, with_search: bool = True) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    pending = criteria.due_on_or_before is not None or criteria.overdue_on is not None
    if set(criteria.statuses) == ACTIVE_STATUSES or pending:
        found.append(_active_term())  # owed answers are live requests: the partial index
    if criteria.statuses and set(criteria.statuses) != ACTIVE_STATUSES:
        found.append(c.status.in_(sorted(str(s) for s in criteria.statuses)))
    for column, value in (
        (c.official_id, criteria.official_id),
        (c.topic_id, criteria.topic_id),
        (c.channel, criteria.channel),
    ):
        if value is not None:
            found.append(column == value)
    if criteria.priority_only:
        found.append(c.priority_category.is_not(None))
    waiting = sorted(str(s) for s in criteria.pending_statuses)
    if criteria.due_on_or_before is not None:
        limit = criteria.due_on_or_before
        found.append(c.status.in_(waiting))
        found.append(c.answer_due <= limit)
        found.append(or_(c.extended_until.is_(None), c.extended_until <= limit))
    if criteria.overdue_on is not None:
        today = criteria.overdue_on
        found.append(c.status.in_(waiting))
        found.append(c.answer_due < today)
        found.append(or_(c.extended_until.is_(None), c.extended_until < today))
    if criteria.search and with_search:
        found.append(_search(criteria))
    return found


def _search(criteria: ListCriteria) -> ColumnElement[bool]:
    text = criteria.search or ""
    if criteria.search_kind is SearchKind.IIN:
        return or_(c.applicant_iin == text, c.principal_id_number == text)
    if criteria.search_kind is SearchKind.NUMBER:
        return c.number == text
    return c.search_text.contains(text, autoescape=True)


def _after(cursor: Cursor) -> ColumnElement[bool]:
    return or_(c.answer_due > cursor.due, and_(c.answer_due == cursor.due, c.id > cursor.id))


def _before(cursor: Cursor) -> ColumnElement[bool]:
    return or_(c.answer_due < cursor.due, and_(c.answer_due == cursor.due, c.id < cursor.id))


def _summary(row: Any) -> RequestSummary:
    return RequestSummary(
        id=row.id,
        number=row.number or "",
        applicant_name=row.applicant_name,
        status=Status(row.status),
        official_id=row.official_id,
        topic_id=row.topic_id,
        channel=row.channel,
        priority_category=row.priority_category,
        answer_due=row.answer_due,
        extended_until=row.extended_until,
        registered_at=row.registered_at,
        from_personal_reception=row.from_personal_reception,
    )


class SqlRequestListing(Repository):
    __slots__ = ()

    async def page(
        self, criteria: ListCriteria, after: Cursor | None, before: Cursor | None, limit: int
    ) -> list[RequestSummary]:
        if criteria.search_kind in (SearchKind.IIN, SearchKind.NUMBER):
            return await self._exact_page(criteria, after, before, limit)
        base = _conditions(criteria, with_search=False)
        if before is not None:
            base.append(_before(before))
        elif after is not None:
            base.append(_after(after))
        order = (c.answer_due.desc(), c.id.desc()) if before is not None else (c.answer_due, c.id)
        search = [_search(criteria)] if criteria.search else []
        wide_name = criteria.search_kind is SearchKind.NAME and not _within_active(criteria)
        if wide_name and self.dialect == "sqlite":
            rows = await self._name_page(base, search, order, limit)
        else:
            statement = select(*_SUMMARY).where(*base, *search).order_by(*order).limit(limit)
            rows = [_summary(row) for row in await self.conn.execute(statement)]
        return rows[::-1] if before is not None else rows

    async def _name_page(
        self,
        base: list[ColumnElement[bool]],
        search: list[ColumnElement[bool]],
        order: Any,
        limit: int,
    ) -> list[RequestSummary]:
        """SQLite, a name over every status: the ids come from ix_requests_due_search alone
        (due order and the text in one narrow index), then only the page's rows are read."""
        ids = select(c.id).where(*base, *search).order_by(*order).limit(limit)
        statement = select(*_SUMMARY).where(c.id.in_(ids.scalar_subquery())).order_by(*order)
        return [_summary(row) for row in await self.conn.execute(statement)]

    async def _exact_page(
        self, criteria: ListCriteria, after: Cursor | None, before: Cursor | None, limit: int
    ) -> list[RequestSummary]:
        """Few rows: fetched by their own index without ORDER BY, then ordered and cut here."""
        statement = select(*_SUMMARY).where(*_conditions(criteria)).limit(EXACT_MATCHES_LIMIT)
        rows = sorted(
            (_summary(r) for r in await self.conn.execute(statement)),
            key=lambda r: (r.answer_due, r.id),
        )
        if before is not None:
            return [r for r in rows if (r.answer_due, r.id) < (before.due, before.id)][-limit:]
        if after is not None:
            rows = [r for r in rows if (r.answer_due, r.id) > (after.due, after.id)]
        return rows[:limit]

    async def count(self, criteria: ListCriteria, cap: int) -> int:
        """Matching rows, counted up to `cap` (no one reads "52 317"; "over 1 000" will do)."""
        inner = select(c.id).where(*_conditions(criteria)).limit(cap).subquery()
        statement = select(func.count()).select_from(inner)
        return (await self.conn.execute(statement)).scalar_one()
