"""What reminders, alerts and the digest read and write besides jobs and the outbox.

- `SqlStaffLinkCodes`: one-time codes linking a staff member's Telegram (hashes only).
- `SqlFeedback`: the applicants' satisfaction scores (R29), one per request, on the
  `satisfaction` table of the console's operations feature.
- `SqlDeadlineQueries`: the digest's terms (R17, R21, R23, R24).
Built over a unit of work's connection: `SqlFeedback(uow.connection)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Column, delete, insert, or_, select, update

from reception.requests import Status
from reception.services.digest import DeadlineItem
from storage.repositories._base import Repository
from storage.tables import requests
from storage.tables_console_ops import satisfaction
from storage.tables_reminders import staff_link_codes

r = requests.c
codes = staff_link_codes.c


class SqlStaffLinkCodes(Repository):
    __slots__ = ()

    async def replace(
        self,
        staff_user_id: int,
        code_hash: str,
        created_at: datetime,
        expires_at: datetime,
        created_by: int | None = None,
    ) -> None:
        """Stores the code, dropping any earlier unused code of this staff member."""
        await self.conn.execute(
            delete(staff_link_codes).where(
                codes.staff_user_id == staff_user_id, codes.used_at.is_(None)
            )
        )
        await self.conn.execute(
            insert(staff_link_codes).values(
                staff_user_id=staff_user_id,
                code_hash=code_hash,
                created_at=created_at,
                expires_at=expires_at,
            )
        )

    async def redeem(self, code_hash: str, now: datetime) -> int | None:
        """The staff member of a live, unused code, marking it used; None otherwise."""
        statement = select(codes.id, codes.staff_user_id).where(
            codes.code_hash == code_hash, codes.used_at.is_(None), codes.expires_at > now
        )
        row = (await self.conn.execute(statement)).first()
        if row is None:
            return None
        used = await self.conn.execute(
            update(staff_link_codes)
            .where(codes.id == row.id, codes.used_at.is_(None))
            .values(used_at=now)
        )
        return row.staff_user_id if used.rowcount == 1 else None


class SqlFeedback(Repository):
    """R29: one score per request; a second tap changes it, a comment is added to it."""

    __slots__ = ()

    async def record_score(self, request_id: int, score: int, at: datetime) -> None:
        changed = await self.conn.execute(
            update(satisfaction)
            .where(satisfaction.c.request_id == request_id)
            .values(score=score, at=at)
        )
        if changed.rowcount == 0:
            await self.conn.execute(
                insert(satisfaction).values(request_id=request_id, score=score, at=at)
            )

    async def add_comment(self, request_id: int, comment: str) -> bool:
        changed = await self.conn.execute(
            update(satisfaction)
            .where(satisfaction.c.request_id == request_id)
            .values(comment=comment)
        )
        return changed.rowcount > 0

    async def for_request(self, request_id: int) -> tuple[int, str | None] | None:
        statement = select(satisfaction.c.score, satisfaction.c.comment).where(
            satisfaction.c.request_id == request_id
        )
        row = (await self.conn.execute(statement)).first()
        return None if row is None else (row.score, row.comment)


class SqlDeadlineQueries(Repository):
    __slots__ = ()

    async def answers_due(self, statuses: Sequence[Status], until: date) -> list[DeadlineItem]:
        statement = select(r.id, r.number, r.applicant_name, r.answer_due, r.extended_until).where(
            r.status.in_([str(s) for s in statuses]),
            or_(r.answer_due <= until, r.extended_until <= until),
        )
        items = []
        for row in await self.conn.execute(statement):
            due = row.answer_due
            if row.extended_until is not None and (due is None or row.extended_until > due):
                due = row.extended_until  # R23: the extension moves the term
            if due is not None and due <= until:
                items.append(DeadlineItem(row.id, row.number or "", row.applicant_name, due))
        return sorted(items, key=lambda item: (item.due, item.request_id))

    async def fixes_due(self, until: date) -> list[DeadlineItem]:
        return await self._ending(Status.NEEDS_FIX, r.fix_due, until)

    async def hearings_due(self, until: date) -> list[DeadlineItem]:
        return await self._ending(Status.REFUSAL_DRAFT, r.refusal_earliest, until)

    async def _ending(self, status: Status, term: Column[date], until: date) -> list[DeadlineItem]:
        statement = (
            select(r.id, r.number, r.applicant_name, term.label("due"))
            .where(r.status == str(status), term <= until)
            .order_by(term, r.id)
        )
        return [
            DeadlineItem(row.id, row.number or "", row.applicant_name, row.due)
            for row in await self.conn.execute(statement)
        ]
