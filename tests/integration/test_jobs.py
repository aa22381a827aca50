"""The job runner: once per job with several workers, retries with backoff, restarts, and
jobs whose moment passed while nothing ran (issue 5). SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

from bot.jobs import RetryPolicy, run_due
from bot.jobs.context import JobRun, Outcome
from reception import reminder_rules as rr
from reception.ports import OutboxItem
from storage.engine import create_engine
from storage.uow import SqlUnitOfWorkFactory
from tests.integration.reminders_support import World, at, local, world

MONDAY = date(2026, 3, 2)
RECEPTION = date(2026, 3, 4)  # Wednesday


async def _booked_world(uow_factory: Any, tmp_path: Path, citizens: int = 1) -> World:
    w = world(uow_factory, tmp_path, at(MONDAY, 9))
    await w.add_official(chat_id=900_001)
    _, slots = await w.add_day(RECEPTION, ends=time(13, 0))
    for n in range(1, citizens + 1):
        await w.book(await w.add_citizen(n), n, slots[n - 1])
    return w


async def test_jobs_survive_a_restart_and_run_once_in_the_new_process(
    uow_factory: Any, database_url: str, tmp_path: Path
) -> None:
    w = await _booked_world(uow_factory, tmp_path)
    await w.run()  # the booking's details go at once
    await uow_factory.engine.dispose()  # the process stops before the reminders are due

    restarted = create_engine(database_url)
    try:
        w.uow_factory = SqlUnitOfWorkFactory(restarted)
        await w.run(at(date(2026, 3, 3), 9, 59))
        assert await w.rows(kind="reminder") == []  # not yet
        await w.run(at(date(2026, 3, 3), 10))
        await w.run(at(date(2026, 3, 3), 10, 1))  # and never twice
        reminders = await w.rows(kind="reminder")
        assert [local(r["created_at"]) for r in reminders] == [at(date(2026, 3, 3), 10)]
    finally:
        await restarted.dispose()


async def test_two_workers_at_once_never_send_a_reminder_twice(
    uow_factory: Any, database_url: str, tmp_path: Path
) -> None:
    w = await _booked_world(uow_factory, tmp_path, citizens=9)
    await w.run()
    w.clock.set(at(date(2026, 3, 3), 10))  # nine day-before reminders due at once
    due = [j for j in await w.jobs() if j.state == "pending" and j.due_at <= w.clock.now()]
    other = create_engine(database_url)  # a second worker process: its own engine
    try:
        factories = [uow_factory, SqlUnitOfWorkFactory(other), uow_factory]
        ran = await asyncio.gather(
            *(
                run_due(f, w.rules, w.handlers, w.clock.now(), worker=f"worker-{i}", plan=False)
                for i, f in enumerate(factories)
            )
        )
    finally:
        await other.dispose()
    assert sum(ran) == len(due)  # each job claimed by exactly one worker
    reminders = await w.rows(kind="reminder")
    assert sorted(r["chat_id"] for r in reminders) == sorted(w.chat_of(n) for n in range(1, 10))
    assert {j.state for j in await w.jobs(rr.DAY_BEFORE)} == {"done"}


async def test_a_failing_job_is_retried_with_backoff_and_its_effects_rolled_back(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(MONDAY, 9))
    attempts: list[int] = []

    async def flaky(run: JobRun) -> Outcome:
        attempts.append(run.job.attempts)
        await run.uow.outbox.add(OutboxItem("telegram", "42", None, {"text": "hello"}))
        if len(attempts) < 3:
            raise ConnectionError("the database hiccuped")
        return Outcome.done(sent=True)

    async with uow_factory() as uow:
        await uow.jobs.schedule("test.flaky", w.clock.now(), {}, "flaky:1")
        await uow.commit()
    handlers, policy = {"test.flaky": flaky}, RetryPolicy(first_retry_seconds=30)
    now = w.clock.now()
    assert await run_due(uow_factory, w.rules, handlers, now, plan=False, policy=policy) == 1
    (job,) = await w.jobs("test.flaky")
    assert (job.state, job.due_at, job.attempts) == ("pending", now + timedelta(seconds=30), 1)
    assert "ConnectionError" in (job.last_error or "")
    assert await w.rows() == []  # the failed attempt's message was rolled back

    assert (
        await run_due(
            uow_factory, w.rules, handlers, now + timedelta(seconds=29), plan=False, policy=policy
        )
        == 0
    )
    await run_due(
        uow_factory, w.rules, handlers, now + timedelta(seconds=30), plan=False, policy=policy
    )
    (job,) = await w.jobs("test.flaky")
    assert job.due_at == now + timedelta(seconds=90)  # doubled: 60 s after the 2nd attempt
    await run_due(
        uow_factory, w.rules, handlers, now + timedelta(seconds=90), plan=False, policy=policy
    )
    (job,) = await w.jobs("test.flaky")
    assert job.state == "done" and job.payload["outcome"] == {"sent": True}
    assert attempts == [1, 2, 3]
    assert len(await w.rows()) == 1  # only the successful attempt's message


async def test_a_job_that_keeps_failing_is_marked_failed_and_an_unknown_kind_too(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(MONDAY, 9))

    async def broken(run: JobRun) -> Outcome:
        raise ValueError("a bug")

    async with uow_factory() as uow:
        await uow.jobs.schedule("test.broken", w.clock.now(), {}, "broken:1")
        await uow.jobs.schedule("test.from-a-newer-version", w.clock.now(), {}, "newer:1")
        await uow.commit()
    policy = RetryPolicy(max_attempts=2, first_retry_seconds=1)
    moment = w.clock.now()
    for _ in range(3):
        await run_due(
            uow_factory, w.rules, {"test.broken": broken}, moment, plan=False, policy=policy
        )
        moment += timedelta(minutes=1)
    states = {job.kind: (job.state, job.attempts) for job in await w.jobs()}
    assert states == {"test.broken": ("failed", 2), "test.from-a-newer-version": ("failed", 2)}


async def test_a_reminder_missed_while_down_runs_when_back_unless_the_reception_is_over(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = await _booked_world(uow_factory, tmp_path, citizens=2)
    await w.run()
    # Down from before Tuesday 10:00 until Tuesday 15:00: the day-before reminders are late
    # but the receptions (Wednesday 10:00, 10:20) are ahead, so they still go, once.
    assert await w.run(at(date(2026, 3, 3), 15)) >= 2
    reminders = await w.rows(kind="reminder")
    assert [local(r["created_at"]) for r in reminders] == [at(date(2026, 3, 3), 15)] * 2

    # Down again until after both receptions began: the hours-before reminders are dropped,
    # with the reason kept on the job, and nothing is sent.
    await w.run(at(RECEPTION, 10, 30))
    dropped = await w.jobs(rr.HOURS_BEFORE)
    assert [(j.state, j.last_error) for j in dropped] == [("dropped", rr.RECEPTION_OVER)] * 2
    assert len(await w.rows(kind="reminder")) == 2


async def test_a_late_day_before_reminder_gives_way_to_the_hours_before_one(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = await _booked_world(uow_factory, tmp_path)
    await w.run()
    await w.run(at(RECEPTION, 8, 15))  # down since Tuesday morning; 2 h before is 08:00
    by_kind = {
        j.kind: (j.state, j.last_error)
        for j in await w.jobs()
        if j.kind in (rr.DAY_BEFORE, rr.HOURS_BEFORE)
    }
    assert by_kind == {rr.DAY_BEFORE: ("dropped", rr.SUPERSEDED), rr.HOURS_BEFORE: ("done", None)}
    assert len(await w.rows(kind="reminder")) == 1


async def test_booking_again_or_moving_the_booking_never_doubles_a_reminder(
    uow_factory: Any, tmp_path: Path
) -> None:
    w = world(uow_factory, tmp_path, at(MONDAY, 9))
    await w.add_official()
    _, slots = await w.add_day(RECEPTION)
    citizen = await w.add_citizen(1)
    request_id = await w.book(citizen, 1, slots[0])
    await w.book(citizen, 1, slots[0], request_id=request_id)  # confirmed twice
    assert len(await w.jobs(rr.DAY_BEFORE)) == 1
    await w.book(citizen, 1, slots[2], request_id=request_id)  # moved to 10:40
    await w.advance(at(RECEPTION, 12))
    reminders = await w.rows(kind="reminder")
    assert [local(r["created_at"]) for r in reminders] == [
        at(date(2026, 3, 3), 10),
        at(RECEPTION, 8, 40),
    ]
    old = [
        j
        for j in await w.jobs()
        if j.payload.get("slot_id") == slots[0] and j.kind in (rr.DAY_BEFORE, rr.HOURS_BEFORE)
    ]
    assert {(j.state, j.last_error) for j in old} == {("dropped", rr.NOT_BOOKED)}
