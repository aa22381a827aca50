"""The job runner: runs each due job once, even with several workers (issue 5).

A batch of due jobs is claimed and run in one transaction with all their effects: the claim
(an UPDATE of the oldest due rows, with FOR UPDATE SKIP LOCKED on PostgreSQL, so another
worker skips them; SQLite admits one writer at a time, BEGIN IMMEDIATE), each handler's
outbox rows and changes, and each job marked done or dropped commit together or not at all.
A crash rolls all of it back and the jobs are still pending, for the next worker. A handler
that raises is rolled back to its own savepoint and its job retried with exponential
backoff, then marked failed; the rest of the batch goes on. Jobs missed while no worker ran
are simply due, and run when one is back (or are dropped, when their moment is gone).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.logging import redact
from bot.jobs.context import DROPPED, Handler, JobRun, Outcome
from reception.ports import Job
from reception.services.context import Rules
from reception.services.reminders import plan_days

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH = 50  # jobs per transaction: each in its own savepoint, one commit for all
MAX_ERROR_LENGTH = 500


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 8
    first_retry_seconds: float = 30.0  # doubled each attempt: 30 s, 1 min, 2 min ... 1 h
    max_retry_seconds: float = 3600.0

    def retry_at(self, now: datetime, attempts: int) -> datetime | None:
        """When to try again after `attempts` failed attempts; None: give up."""
        if attempts >= self.max_attempts:
            return None
        delay = min(self.first_retry_seconds * 2 ** max(attempts - 1, 0), self.max_retry_seconds)
        return now + timedelta(seconds=delay)


class UnknownJob(LookupError):
    """No handler for the job's kind (a newer version scheduled it): retried, then failed."""


async def run_due(
    uow_factory: Any,
    rules: Rules,
    handlers: Mapping[str, Handler],
    now: datetime,
    *,
    worker: str = "jobs",
    limit: int = 500,
    batch: int = BATCH,
    policy: RetryPolicy = RetryPolicy(),
    plan: bool = True,
) -> int:
    """Runs the jobs due at `now`; returns how many it ran (done, dropped or failed). `plan`
    first adds the day lists and digests the calendar calls for. Safe to call from several
    workers at once: each job is claimed by one of them."""
    if plan:
        async with uow_factory() as uow:
            if await plan_days(uow, rules, now):
                await uow.commit()
    token = f"{worker}:{uuid.uuid4().hex[:12]}"
    ran = 0
    while ran < limit:
        done = await _run_batch(
            uow_factory, rules, handlers, now, token, policy, min(batch, limit - ran)
        )
        if not done:
            break
        ran += done
    return ran


async def _run_batch(
    uow_factory: Any,
    rules: Rules,
    handlers: Mapping[str, Handler],
    now: datetime,
    token: str,
    policy: RetryPolicy,
    size: int,
) -> int:
    """Claims up to `size` due jobs and runs each in a savepoint; one commit for all."""
    async with uow_factory() as uow:
        claimed = await uow.jobs.claim_due(now, token, size, LEASE)
        for job in claimed:
            await _run_one(uow, rules, handlers, now, job, policy)
        if claimed:
            await uow.commit()
        return len(claimed)


async def _run_one(
    uow: Any,
    rules: Rules,
    handlers: Mapping[str, Handler],
    now: datetime,
    job: Job,
    policy: RetryPolicy,
) -> None:
    assert job.id is not None
    try:
        async with uow.connection.begin_nested():
            handler = handlers.get(job.kind)
            if handler is None:
                raise UnknownJob(job.kind)
            outcome = await handler(JobRun(uow, rules, now, job))
            await _finish(uow, job, outcome, now)
    except Exception as error:
        # Job ids and kinds only: payloads may name people.
        log.exception("job %s (%s) failed, attempt %s", job.id, job.kind, job.attempts)
        retry_at = policy.retry_at(now, job.attempts)
        message = redact(f"{type(error).__name__}: {error}")[:MAX_ERROR_LENGTH]
        await uow.jobs.fail(job.id, message, retry_at)


async def _finish(uow: Any, job: Job, outcome: Outcome, now: datetime) -> None:
    assert job.id is not None
    if outcome.state == DROPPED:
        await uow.jobs.drop(job.id, now, outcome.reason or "dropped")
        log.info("job %s (%s) dropped: %s", job.id, job.kind, outcome.reason)
        return
    payload = {**job.payload, "outcome": outcome.record} if outcome.record else None
    await uow.jobs.complete(job.id, now, payload)
