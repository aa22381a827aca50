"""The quarterly report's counts (R30), grouped in SQL on both dialects.

Every query filters on `requests.registration_date` (index from migration 0003) and returns
one row per group, so the report costs a handful of index range scans even with 100k requests.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, func, literal_column, select
from sqlalchemy.sql.elements import ColumnElement

from reception.clock import ALMATY
from reception.requests import Status
from reception.services.reports import AnswerGroup, Period, SatisfactionStats
from storage.repositories._base import Repository
from storage.tables import request_history, requests
from storage.tables_console_ops import satisfaction

_DIMENSIONS = {
    "channel": requests.c.channel,
    "topic_id": requests.c.topic_id,
    "official_id": requests.c.official_id,
    "status": requests.c.status,
}


def _in_period(period: Period) -> ColumnElement[bool]:
    return requests.c.registration_date.between(period.start, period.end)


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value  # type: ignore[return-value]
    return date.fromisoformat(str(value)[:10])  # SQLite's date() gives text


class SqlReportQueries(Repository):
    __slots__ = ()

    async def count_by(self, dimension: str, period: Period) -> list[tuple[str | None, int]]:
        column = _DIMENSIONS[dimension]
        statement = (
            select(column, func.count())
            .where(_in_period(period))
            .group_by(column)
            .order_by(func.count().desc(), column)
        )
        rows = await self.conn.execute(statement)
        return [(None if key is None else str(key), count) for key, count in rows]

    async def answer_groups(
        self, period: Period, answer_statuses: Sequence[str]
    ) -> list[AnswerGroup]:
        """Per request: its first answer (the earliest move into an answer status), grouped
        by registration day, answer day (Almaty), term and whether it was withdrawn."""
        first_answer = (
            select(
                request_history.c.request_id,
                func.min(request_history.c.at).label("first_at"),
            )
            .join(requests, requests.c.id == request_history.c.request_id)
            .where(_in_period(period), request_history.c.to_status.in_(list(answer_statuses)))
            .group_by(request_history.c.request_id)
            .subquery()
        )
        answered_on = self._local_date(first_answer.c.first_at).label("answered_on")
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
        statement = (
            select(requests.c.registration_date, answered_on, due, withdrawn, func.count())
            .select_from(
                requests.outerjoin(first_answer, first_answer.c.request_id == requests.c.id)
            )
            .where(_in_period(period))
            .group_by(requests.c.registration_date, answered_on, due, withdrawn)
        )
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
