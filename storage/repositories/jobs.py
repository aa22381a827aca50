"""Jobs in the database: reminders and deadline alerts that survive restarts and run once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, select, update

from reception.ports import Job
from storage.repositories._base import Repository, build
from storage.repositories._upsert import insert_for
from storage.tables import jobs

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
DROPPED = "dropped"  # its moment passed (e.g. the reception is over): not run; last_error says why


class SqlJobRepository(Repository):
    __slots__ = ()

    async def schedule(
        self, kind: str, due_at: datetime, payload: dict[str, Any], key: str | None = None
    ) -> None:
        """A job runs once; a `key` already scheduled is not scheduled again."""
        statement = (
            insert_for(self.conn, jobs)
            .values(
                kind=kind,
                key=key,
                payload=payload,
                due_at=due_at,
                state=PENDING,
                attempts=0,
                created_at=datetime.now(UTC),
            )
            .on_conflict_do_nothing(index_elements=[jobs.c.key])
        )
        await self.conn.execute(statement)

    async def claim_due(
        self, now: datetime, worker: str, limit: int, lease: timedelta
    ) -> list[Job]:
        """Due jobs, and running ones whose worker's lease ran out, claimed by this worker.

        One statement: SKIP LOCKED on PostgreSQL lets workers claim side by side; on SQLite
        BEGIN IMMEDIATE makes each claim wait for the previous one.
        """
        due = (
            select(jobs.c.id)
            .where(
                or_(
                    and_(jobs.c.state == PENDING, jobs.c.due_at <= now),
                    and_(jobs.c.state == RUNNING, jobs.c.locked_until < now),
                )
            )
            .order_by(jobs.c.due_at, jobs.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        statement = (
            update(jobs)
            .where(jobs.c.id.in_(due))
            .values(
                state=RUNNING,
                locked_by=worker,
                locked_until=now + lease,
                attempts=jobs.c.attempts + 1,
            )
            .returning(*jobs.c)
        )
        rows = (await self.conn.execute(statement)).mappings().all()
        return sorted((build(Job, row) for row in rows), key=lambda job: (job.due_at, job.id))

    async def complete(
        self, job_id: int, at: datetime, payload: dict[str, Any] | None = None
    ) -> None:
        """Done; a new `payload` keeps what the job did (e.g. to whom a day list went)."""
        values: dict[str, Any] = {
            "state": DONE,
            "done_at": at,
            "locked_by": None,
            "locked_until": None,
        }
        if payload is not None:
            values["payload"] = payload
        await self._set(job_id, **values)

    async def drop(self, job_id: int, at: datetime, reason: str) -> None:
        """Not run, on purpose: the reason is kept in last_error for staff to read."""
        await self._set(
            job_id, state=DROPPED, done_at=at, last_error=reason, locked_by=None, locked_until=None
        )

    async def by_key(self, key: str, *, for_update: bool = False) -> Job | None:
        """The job scheduled under `key`; `for_update` locks its row (PostgreSQL) so two
        workers acting on it take turns."""
        statement = select(jobs).where(jobs.c.key == key)
        if for_update:
            statement = statement.with_for_update()
        row = (await self.conn.execute(statement)).mappings().first()
        return None if row is None else build(Job, row)

    async def set_payload(self, job_id: int, payload: dict[str, Any]) -> None:
        await self._set(job_id, payload=payload)

    async def existing_keys(self, keys: list[str]) -> set[str]:
        if not keys:
            return set()
        statement = select(jobs.c.key).where(jobs.c.key.in_(keys))
        return set((await self.conn.execute(statement)).scalars())

    async def fail(self, job_id: int, error: str, retry_at: datetime | None) -> None:
        """With `retry_at` the job runs again then; without, it is given up."""
        if retry_at is None:
            await self._set(job_id, state=FAILED, last_error=error, locked_until=None)
        else:
            await self._set(
                job_id, state=PENDING, due_at=retry_at, last_error=error, locked_until=None
            )

    async def cancel(self, key: str) -> bool:
        """Drops a pending keyed job (e.g. the reminder of a withdrawn booking), freeing its
        key to be scheduled again."""
        statement = delete(jobs).where(jobs.c.key == key, jobs.c.state == PENDING)
        return (await self.conn.execute(statement)).rowcount > 0

    async def get(self, job_id: int) -> Job | None:
        row = (await self.conn.execute(select(jobs).where(jobs.c.id == job_id))).mappings().first()
        return None if row is None else build(Job, row)

    async def _set(self, job_id: int, **values: Any) -> None:
        await self.conn.execute(update(jobs).where(jobs.c.id == job_id).values(values))
