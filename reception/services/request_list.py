"""The requests list of the console: filters, search, due-date order, working days left.

Paging is keyset on (answer_due, id), so page 2000 costs what page 1 costs with 100k
requests; the total is counted up to a cap (COUNT_CAP), which is all a person reads, and not
counted at all when the first page already holds everything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from reception.calendar import WorkingCalendar
from reception.clock import local_date
from reception.requests import ACTIVE_STATUSES, Status
from reception.services.context import Rules

COUNT_CAP = 1_000
# A name matches anywhere in the text, so counting means reading every name: a smaller cap.
NAME_COUNT_CAP = 200
PAGE_SIZE = 50
# R21: the answer (date and time) is still owed in these; a booked request has had it.
ANSWER_PENDING: frozenset[Status] = ACTIVE_STATUSES - {Status.BOOKED}
AMBER_WORKING_DAYS = 5  # R22: the reference note is due 5 working days before
_NUMBER = re.compile(r"^(\d{4})-(\d{1,6})$")
_TWELVE_DIGITS = re.compile(r"^\d{12}$")


class SearchKind(StrEnum):
    IIN = "iin"  # an IIN or a BIN, exactly (R37)
    NUMBER = "number"  # a registration number, exactly
    NAME = "name"  # a part of a name, case-insensitive


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a page starts or ends: the (answer_due, id) of its edge row."""

    due: date
    id: int

    def encode(self) -> str:
        return f"{self.due.isoformat()}.{self.id}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        if not text:
            return None
        try:
            day, _, ident = text.partition(".")
            return cls(date.fromisoformat(day), int(ident))
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class ListQuery:
    statuses: Sequence[Status] = ()
    official_id: int | None = None
    topic_id: int | None = None
    priority_only: bool = False
    channel: str | None = None
    due_within: int | None = None  # working days from today
    overdue: bool = False
    text: str = ""
    after: Cursor | None = None
    before: Cursor | None = None
    limit: int = PAGE_SIZE


@dataclass(frozen=True, slots=True)
class ListCriteria:
    """What storage filters on, with every rule already applied."""

    statuses: Sequence[Status] = ()
    official_id: int | None = None
    topic_id: int | None = None
    priority_only: bool = False
    channel: str | None = None
    due_on_or_before: date | None = None
    overdue_on: date | None = None  # answer owed (R21) and past due, as of this day
    search: str | None = None
    search_kind: SearchKind | None = None
    pending_statuses: frozenset[Status] = ANSWER_PENDING


@dataclass(slots=True)
class RequestSummary:
    id: int
    number: str
    applicant_name: str
    status: Status
    official_id: int
    topic_id: int | None
    channel: str
    priority_category: str | None
    answer_due: date
    extended_until: date | None
    registered_at: datetime | None
    from_personal_reception: bool
    days_left: int | None = None  # working days; negative when overdue
    colour: str = "none"  # green | amber | red | none


class RequestListing(Protocol):
    async def page(
        self, criteria: ListCriteria, after: Cursor | None, before: Cursor | None, limit: int
    ) -> list[RequestSummary]: ...

    async def count(self, criteria: ListCriteria, cap: int) -> int: ...


@dataclass(slots=True)
class ListPage:
    rows: list[RequestSummary]
    total: int
    capped: bool
    next: Cursor | None = None
    previous: Cursor | None = None
    criteria: ListCriteria = field(default_factory=ListCriteria)


def classify_search(text: str) -> tuple[str | None, SearchKind | None]:
    cleaned = " ".join(text.split())
    if not cleaned:
        return None, None
    compact = cleaned.replace(" ", "").replace("-", "") if cleaned[:1].isdigit() else cleaned
    if _TWELVE_DIGITS.match(compact):
        return compact, SearchKind.IIN
    number = _NUMBER.match(cleaned)
    if number:
        return f"{number.group(1)}-{int(number.group(2)):06d}", SearchKind.NUMBER
    return cleaned.casefold(), SearchKind.NAME


def criteria_for(query: ListQuery, rules: Rules, today: date, scope: int | None) -> ListCriteria:
    """The query with the calendar applied; `scope` limits an official to their own (RBAC)."""
    due_limit = None
    if query.due_within is not None and query.due_within >= 0:
        due_limit = rules.calendar.add_working_days(today, query.due_within)  # R21, R32
    search, kind = classify_search(query.text)
    return ListCriteria(
        statuses=tuple(query.statuses),
        official_id=scope if scope is not None else query.official_id,
        topic_id=query.topic_id,
        priority_only=query.priority_only,
        channel=query.channel or None,
        due_on_or_before=due_limit,
        overdue_on=today if query.overdue else None,
        search=search,
        search_kind=kind,
    )


def effective_due(row: RequestSummary) -> date:
    """R23: an extension moves the answer's term."""
    if row.extended_until is not None and row.extended_until > row.answer_due:
        return row.extended_until
    return row.answer_due


def working_days_left(calendar: WorkingCalendar, today: date, due: date) -> int:
    if due >= today:
        return calendar.working_days_between(today, due)
    return -max(1, calendar.working_days_between(due, today))


def colour_of(days_left: int) -> str:
    if days_left <= 1:
        return "red"
    if days_left <= AMBER_WORKING_DAYS:
        return "amber"
    return "green"


def mark_due(rows: Sequence[RequestSummary], calendar: WorkingCalendar, today: date) -> None:
    """Working days left to the answer (R21, R32) and the colour shown, for owed answers."""
    for row in rows:
        if row.status in ANSWER_PENDING:
            row.days_left = working_days_left(calendar, today, effective_due(row))
            row.colour = colour_of(row.days_left)


async def list_requests(
    listing: RequestListing, rules: Rules, query: ListQuery, scope: int | None
) -> ListPage:
    today = local_date(rules.clock.now())
    criteria = criteria_for(query, rules, today, scope)
    limit = max(1, min(query.limit, 200))
    rows = await listing.page(criteria, query.after, query.before, limit + 1)
    more = len(rows) > limit
    if query.before is not None:
        rows = rows[-limit:] if more else rows
        has_previous, has_next = more, True
    else:
        rows = rows[:limit]
        has_previous, has_next = query.after is not None, more
    cap = NAME_COUNT_CAP if criteria.search_kind is SearchKind.NAME else COUNT_CAP
    if query.after is None and query.before is None and not more:
        total = len(rows)
    else:
        total = await listing.count(criteria, cap + 1)
    mark_due(rows, rules.calendar, today)
    page = ListPage(rows, min(total, cap), total > cap, criteria=criteria)
    if rows and has_next:
        page.next = Cursor(rows[-1].answer_due, rows[-1].id)
    if rows and has_previous:
        page.previous = Cursor(rows[0].answer_due, rows[0].id)
    return page
