"""The quarterly report of the reception office (R30), from counts the database computes.

Storage answers the `ReportQueries` port with grouped counts (one SQL query each, fast on
100k requests); this module turns them into the report: deadlines met and missed (R21, R23)
and the average working days to the answer, which needs the working calendar (R35), so the
database groups by (registration date, answer date) and the calendar runs once per pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from reception.calendar import WorkingCalendar
from reception.requests import Status

# What counts as the answer of R21 (or the final word that replaces it): the applicant got the
# date and time, a motivated refusal, a forwarding (R19), or was told the request is left
# without consideration (R16) or returned (R17). A withdrawn request needs no answer.
ANSWER_STATUSES: frozenset[Status] = frozenset(
    {
        Status.BOOKED,
        Status.REFUSED,
        Status.FORWARDED,
        Status.LEFT_WITHOUT_CONSIDERATION,
        Status.RETURNED,
    }
)


@dataclass(frozen=True, slots=True)
class Period:
    start: date  # inclusive
    end: date  # inclusive
    year: int
    quarter: int

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        return cls.quarter_number(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def quarter_number(cls, year: int, quarter: int) -> Period:
        if quarter not in (1, 2, 3, 4):
            raise ValueError(f"quarter must be 1..4, not {quarter}")
        start = date(year, 3 * quarter - 2, 1)
        following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return cls(start, following - timedelta(days=1), year, quarter)


@dataclass(frozen=True, slots=True)
class AnswerGroup:
    """Requests registered on one day, answered on one day (None: not yet), due on one day."""

    registration_date: date
    answered_on: date | None
    due: date | None  # the answer term, or the extended term (R23) when later
    withdrawn_unanswered: bool
    count: int


@dataclass(frozen=True, slots=True)
class SatisfactionStats:
    responses: int
    average: float | None  # 1..5
    by_score: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BreakdownRow:
    """Requests registered in the period with one channel, topic, official and status."""

    channel: str
    topic_id: int | None
    official_id: int
    status: str
    count: int


class ReportQueries(Protocol):
    """Grouped counts over requests registered within the period."""

    async def breakdown(self, period: Period) -> list[BreakdownRow]:
        """One row per (channel, topic, official, status): a single pass over the period."""
        ...

    async def answer_groups(
        self, period: Period, answer_statuses: Sequence[str]
    ) -> list[AnswerGroup]: ...

    async def satisfaction(self, period: Period) -> SatisfactionStats: ...


@dataclass(frozen=True, slots=True)
class DeadlineStats:
    met: int  # answered on or before the term
    missed: int  # answered after the term
    overdue_open: int  # not answered and the term has passed
    pending: int  # not answered, the term still running
    no_answer_needed: int  # withdrawn before an answer (R40)


@dataclass(frozen=True, slots=True)
class QuarterlyReport:
    period: Period
    total: int
    by_channel: list[tuple[str | None, int]]
    by_topic: list[tuple[str | None, int]]
    by_official: list[tuple[str | None, int]]
    by_outcome: list[tuple[str | None, int]]
    deadlines: DeadlineStats
    average_working_days: float | None  # registration to answer, answered requests only
    satisfaction: SatisfactionStats


DIMENSIONS = ("channel", "topic_id", "official_id", "status")


def totals_by(rows: Sequence[BreakdownRow], dimension: str) -> list[tuple[str | None, int]]:
    """Counts per value of one dimension, largest first; keys as strings (None: not given)."""
    totals: dict[str | None, int] = {}
    for row in rows:
        value = getattr(row, dimension)
        key = None if value is None else str(value)
        totals[key] = totals.get(key, 0) + row.count
    return sorted(totals.items(), key=lambda item: (-item[1], item[0] or ""))


async def quarterly_report(
    queries: ReportQueries, calendar: WorkingCalendar, period: Period, today: date
) -> QuarterlyReport:
    """R30: the results of the reception office for one quarter."""
    rows = await queries.breakdown(period)
    counts = {d: totals_by(rows, d) for d in DIMENSIONS}
    groups = await queries.answer_groups(period, sorted(str(s) for s in ANSWER_STATUSES))
    return QuarterlyReport(
        period=period,
        total=sum(row.count for row in rows),
        by_channel=counts["channel"],
        by_topic=counts["topic_id"],
        by_official=counts["official_id"],
        by_outcome=counts["status"],
        deadlines=deadline_stats(groups, today),
        average_working_days=average_working_days(groups, calendar),
        satisfaction=await queries.satisfaction(period),
    )


def deadline_stats(groups: Sequence[AnswerGroup], today: date) -> DeadlineStats:
    """R21/R23: answered by the (possibly extended) term, or not."""
    met = missed = overdue_open = pending = no_answer = 0
    for group in groups:
        if group.answered_on is None:
            if group.withdrawn_unanswered:
                no_answer += group.count
            elif group.due is not None and group.due < today:
                overdue_open += group.count
            else:
                pending += group.count
        elif group.due is None or group.answered_on <= group.due:
            met += group.count
        else:
            missed += group.count
    return DeadlineStats(met, missed, overdue_open, pending, no_answer)


def average_working_days(groups: Sequence[AnswerGroup], calendar: WorkingCalendar) -> float | None:
    """Working days from registration to the answer (R35 calendar), over answered requests."""
    spans: dict[tuple[date, date], int] = {}
    for group in groups:
        if group.answered_on is not None:
            key = (group.registration_date, group.answered_on)
            spans[key] = spans.get(key, 0) + group.count
    answered = sum(spans.values())
    if not answered:
        return None
    total = sum(calendar.working_days_between(s, e) * n for (s, e), n in spans.items())
    return round(total / answered, 1)
