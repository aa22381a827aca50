"""The console's requests list: one narrow SELECT per page, keyset paging on (answer_due, id).

Only registered requests are stored with an answer_due (R20, R21), so the order needs no
NULL handling and walks ix_requests_answer_due_id; exact IIN/BIN and number searches use
their own indexes; a name search scans search_text (case-folded in Python when saved).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from reception.requests import Status
from reception.services.request_list import (
    Cursor,
    ListCriteria,
    RequestSummary,
    SearchKind,
)
from storage.repositories._base import Repository
from storage.tables import requests

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


def _conditions(criteria: ListCriteria) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = [c.answer_due.is_not(None)]
    if criteria.statuses:
        found.append(c.status.in_([str(s) for s in criteria.statuses]))
    for column, value in (
        (c.official_id, criteria.official_id),
        (c.topic_id, criteria.topic_id),
        (c.channel, criteria.channel),
    ):
        if value is not None:
            found.append(column == value)
    if criteria.priority_only:
        found.append(c.priority_category.is_not(None))
    pending = sorted(str(s) for s in criteria.pending_statuses)
    if criteria.due_on_or_before is not None:
        limit = criteria.due_on_or_before
        found.append(c.status.in_(pending))
        found.append(c.answer_due <= limit)
        found.append(or_(c.extended_until.is_(None), c.extended_until <= limit))
    if criteria.overdue_on is not None:
        today = criteria.overdue_on
        found.append(c.status.in_(pending))
        found.append(c.answer_due < today)
        found.append(or_(c.extended_until.is_(None), c.extended_until < today))
    if criteria.search:
        found.append(_search(criteria))
    return found


def _search(criteria: ListCriteria) -> ColumnElement[bool]:
    text = criteria.search or ""
    if criteria.search_kind is SearchKind.IIN:
        return or_(c.applicant_iin == text, c.principal_id_number == text)
    if criteria.search_kind is SearchKind.NUMBER:
        return c.number == text
    return c.search_text.contains(text, autoescape=True)


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
        conditions = _conditions(criteria)
        if before is not None:
            conditions.append(
                or_(c.answer_due < before.due, and_(c.answer_due == before.due, c.id < before.id))
            )
            order = (c.answer_due.desc(), c.id.desc())
        else:
            if after is not None:
                conditions.append(
                    or_(c.answer_due > after.due, and_(c.answer_due == after.due, c.id > after.id))
                )
            order = (c.answer_due, c.id)
        statement = select(*_SUMMARY).where(*conditions).order_by(*order).limit(limit)
        rows = [_summary(row) for row in await self.conn.execute(statement)]
        return rows[::-1] if before is not None else rows

    async def count(self, criteria: ListCriteria, cap: int) -> int:
        """Matching rows, counted up to `cap` (no one reads "52 317"; "over 10 000" will do)."""
        inner = select(c.id).where(*_conditions(criteria)).limit(cap).subquery()
        statement = select(func.count()).select_from(inner)
        return (await self.conn.execute(statement)).scalar_one()
