"""The quarterly report's counts (R30), grouped in SQL on both dialects.

Both queries read the period's requests from a covering index on registration_date
(ix_requests_registration_report, migration 0007) and return one row per group, so the report
costs two index range scans with 100k requests, not one scan per breakdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, func, literal_column, select
from sqlalchemy.sql.elements import ColumnElement

from reception.clock import ALMATY
from reception.requests import Status
from reception.services.reports import AnswerGroup, BreakdownRow, Period, SatisfactionStats
from storage.repositories._base import Repository
from storage.tables import request_history, requests
from storage.tables_console_ops import satisfaction

_DIMENSIONS = (requests.c.channel, requests.c.topic_id, requests.c.official_id, requests.c.status)


def _in_period(period: Period) -> ColumnElement[bool]:
    return requests.c.registration_date.between(period.start, period.end)


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value  # type: ignore[return-value]
    return date.fromisoformat(str(value)[:10])  # SQLite's date() gives text


class SqlReportQueries(Repository):
    __slots__ = ()

    async def breakdown(self, period: Period) -> list[BreakdownRow]:
        """One pass over the period's rows of ix_requests_registration_report (covering)."""
        statement = (
            select(*_DIMENSIONS, func.count()).where(_in_period(period)).group_by(*_DIMENSIONS)
        )
        return [BreakdownRow(*row) for row in await self.conn.execute(statement)]

    async def answer_groups(
        self, period: Period, answer_statuses: Sequence[str]
    ) -> list[AnswerGroup]:
        """Per request: its first answer (the earliest move into an answer status), grouped
        by registration day, answer day (Almaty), term and whether it was withdrawn.

        The first answer is a correlated lookup per request in the history's
        (request_id, at, to_status) index, driven by the period's requests; joining the whole
        history first would read every request's history of every year."""
        first_at = (
            select(func.min(request_history.c.at))
            .where(
                request_history.c.request_id == requests.c.id,
                request_history.c.to_status.in_(list(answer_statuses)),
            )
            .scalar_subquery()
        )
        answered_on = self._local_date(first_at).label("answered_on")
        due = case(
            (
                and_(
                    requests.c.extended_until.is_not(None),
                    requests.c.extended_until > requests.c.answer_due,
                ),
                requests.c.extended_until,
            ),
            else_=requests.c.answer_due,
        ).label("due")
        withdrawn = (requests.c.status == str(Status.WITHDRAWN)).label("withdrawn")
        # MATERIALIZED: otherwise both dialects may inline it and run the correlated lookup
        # twice per request (once for the GROUP BY key, once for the output).
        per_request = (
            select(requests.c.registration_date, answered_on, due, withdrawn)
            .where(_in_period(period))
            .cte("per_request")
            .prefix_with("MATERIALIZED")
        )
        keys = (
            per_request.c.registration_date,
            per_request.c.answered_on,
            per_request.c.due,
            per_request.c.withdrawn,
        )
        statement = select(*keys, func.count()).group_by(*keys)
        groups = []
        for registered, answered, term, is_withdrawn, count in await self.conn.execute(statement):
            answered_date = _as_date(answered)
            groups.append(
                AnswerGroup(
                    registration_date=_as_date(registered),  # type: ignore[arg-type]
                    answered_on=answered_date,
                    due=_as_date(term),
                    withdrawn_unanswered=bool(is_withdrawn) and answered_date is None,
                    count=count,
                )
            )
        return groups

    def _local_date(self, moment: ColumnElement[datetime]) -> ColumnElement[date]:
        """The calendar day in Almaty of a stored UTC moment."""
        if self.dialect == "postgresql":
            return func.date(func.timezone(literal_column("'Asia/Almaty'"), moment))
        # SQLite keeps UTC wall time as text; Kazakhstan is UTC+5 all year since 1 March 2024
        # (R35), and the report covers requests registered since then.
        return func.date(moment, "+5 hours")

    async def satisfaction(self, period: Period) -> SatisfactionStats:
        """R29: the scores given within the period (Almaty days)."""
        start = datetime.combine(period.start, time(0), tzinfo=ALMATY)
        end = datetime.combine(period.end + timedelta(days=1), time(0), tzinfo=ALMATY)
        statement = (
            select(satisfaction.c.score, func.count())
            .where(satisfaction.c.at >= start, satisfaction.c.at < end)
            .group_by(satisfaction.c.score)
        )
        by_score = {score: count for score, count in await self.conn.execute(statement)}
        responses = sum(by_score.values())
        average = (
            round(sum(s * n for s, n in by_score.items()) / responses, 2) if responses else None
        )
        return SatisfactionStats(responses, average, dict(sorted(by_score.items())))
