"""Reminders, lists and follow-up notices as jobs in the database (R12, R17, R25, R29, R31).

`schedule_for_notices` is called by the use cases right after they write a request's notices
(one call in reception.services.requests._emit, one in cancel_reception_day), in the same
transaction: the jobs exist exactly when the change does. Each job has a key, so doing the
same thing twice (a booking confirmed again) schedules nothing new. `plan_days` adds what
depends on the calendar alone: each reception day's list and morning summary (R25) and each
working day's staff digest (R31). The runner (bot/jobs) runs them when due.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Protocol, cast

from reception.actors import Actor
from reception.clock import local_date
from reception.errors import IllegalTransition, NotFound, ValidationFailed
from reception.notifications import NoticeKind, Notification
from reception.ports import Job, UnitOfWork
from reception.reminder_rules import (
    BOOKING_CONFIRMED,
    DAY_BEFORE,
    DAY_LIST,
    DAY_LIST_UPDATE,
    DIGEST,
    FIX_RETURN,
    MORNING,
    SATISFACTION,
    SLOT_OFFER,
    ReminderTimes,
    booking_key,
    day_before_key,
    day_list_key,
    day_list_update_key,
    digest_key,
    fix_return_key,
    hours_before_key,
    morning_key,
    satisfaction_key,
    slot_offer_key,
)
from reception.requests import BookingRequest, Status
from reception.services.context import Rules

PLAN_DAYS_AHEAD = 14  # covers the longest run of days off (New Year, Nauryz) before a list
SATISFACTION_SCORES = range(1, 6)  # R29
MAX_COMMENT_LENGTH = 2000
# Notices after which an official's day list that already went out may have changed.
_LIST_CHANGES = frozenset({NoticeKind.BOOKED, NoticeKind.RESCHEDULED, NoticeKind.WITHDRAWN})
_FOLLOWED = _LIST_CHANGES | {NoticeKind.FIX_REQUEST, NoticeKind.ATTENDED}


class JobLookup(Protocol):
    async def schedule(
        self, kind: str, due_at: datetime, payload: dict[str, Any], key: str | None = None
    ) -> None: ...

    async def by_key(self, key: str, *, for_update: bool = False) -> Job | None: ...

    async def existing_keys(self, keys: list[str]) -> set[str]: ...


def _jobs(uow: UnitOfWork) -> JobLookup:
    return cast(JobLookup, uow.jobs)


def reminder_times(rules: Rules) -> ReminderTimes:
    return ReminderTimes(rules.profile, rules.calendar, rules.deadlines)


async def schedule_for_notices(
    uow: UnitOfWork, rules: Rules, notices: list[Notification] | tuple[Notification, ...]
) -> None:
    """Jobs that follow from the notices a change of a request caused."""
    now = rules.clock.now()
    for notice in notices:
        if notice.request_id is None or notice.kind not in _FOLLOWED:
            continue  # most notices need nothing more: no extra read on the dialog's path
        request = await uow.requests.get(notice.request_id)
        assert request.id is not None
        if notice.kind is NoticeKind.BOOKED and request.slot_id is not None:
            await _after_booking(uow, rules, request, request.slot_id, now)
        elif notice.kind is NoticeKind.RESCHEDULED:  # R12: new slots, one tap each
            await uow.jobs.schedule(
                SLOT_OFFER, now, {"request_id": request.id}, slot_offer_key(request.id, now)
            )
        elif notice.kind is NoticeKind.FIX_REQUEST and request.fix_due is not None:  # R17
            due = reminder_times(rules).fix_return(request.fix_due)
            await uow.jobs.schedule(
                FIX_RETURN,
                due,
                {"request_id": request.id, "fix_due": request.fix_due},
                fix_return_key(request.id, request.fix_due),
            )
        elif notice.kind is NoticeKind.ATTENDED:  # R29
            await uow.jobs.schedule(
                SATISFACTION, now, {"request_id": request.id}, satisfaction_key(request.id)
            )
        if notice.kind in _LIST_CHANGES:
            await _list_may_have_changed(uow, rules, request, now)


async def _after_booking(
    uow: UnitOfWork, rules: Rules, request: BookingRequest, slot_id: int, now: datetime
) -> None:
    assert request.id is not None
    slot = await uow.schedule.get_slot(slot_id)
    payload = {"request_id": request.id, "slot_id": slot_id}
    await uow.jobs.schedule(BOOKING_CONFIRMED, now, payload, booking_key(request.id, slot_id))
    times = reminder_times(rules)
    for kind, due in times.citizen_reminders(slot.starts_at, now):
        key = (day_before_key if kind == DAY_BEFORE else hours_before_key)(request.id, slot_id)
        await uow.jobs.schedule(kind, due, payload, key)
    day = await uow.schedule.get_day(slot.reception_day_id)
    await _schedule_day(uow, times, day.id, day.day)


async def _list_may_have_changed(
    uow: UnitOfWork, rules: Rules, request: BookingRequest, now: datetime
) -> None:
    """After the day list went out (R25), a booking added or cancelled is sent as an update.

    The request's old slot may be gone already (a withdrawal frees it), so every list of the
    official that went out and whose day is still ahead is checked; the update job compares
    the list with what was sent and says only what changed.
    """
    assert request.id is not None
    today = local_date(now)
    ahead = today + timedelta(days=PLAN_DAYS_AHEAD)
    days = await uow.schedule.days(request.official_id, today, ahead)
    for day in days:
        assert day.id is not None
        sent = await _jobs(uow).by_key(day_list_key(day.id))
        if sent is None or sent.state != "done":
            continue
        await uow.jobs.schedule(
            DAY_LIST_UPDATE,
            now,
            {"day_id": day.id, "request_id": request.id},
            day_list_update_key(day.id, request.id, request.version),
        )


async def _schedule_day(
    uow: UnitOfWork, times: ReminderTimes, day_id: int | None, day: date
) -> None:
    assert day_id is not None
    payload = {"day_id": day_id}
    await uow.jobs.schedule(DAY_LIST, times.day_list(day), payload, day_list_key(day_id))
    await uow.jobs.schedule(MORNING, times.morning(day), payload, morning_key(day_id))


async def plan_days(uow: UnitOfWork, rules: Rules, now: datetime) -> int:
    """Day lists and morning summaries of the coming reception days, and the digests of
    today and the next working day; keyed, so planning again adds nothing. Returns how
    many jobs it added."""
    times = reminder_times(rules)
    today = local_date(now)
    wanted: dict[str, tuple[str, datetime, dict[str, Any]]] = {}
    for day in await uow.schedule.days(None, today, today + timedelta(days=PLAN_DAYS_AHEAD)):
        assert day.id is not None
        payload = {"day_id": day.id}
        wanted[day_list_key(day.id)] = (DAY_LIST, times.day_list(day.day), payload)
        wanted[morning_key(day.id)] = (MORNING, times.morning(day.day), payload)
    next_working = rules.calendar.add_working_days(today, 1)
    for digest_day in times.digest_days(today, next_working):
        wanted[digest_key(digest_day)] = (
            DIGEST,
            times.digest(digest_day),
            {"day": digest_day.isoformat()},
        )
    missing = set(wanted) - await _jobs(uow).existing_keys(list(wanted))
    for key in sorted(missing):
        kind, due, payload = wanted[key]
        await uow.jobs.schedule(kind, due, payload, key)
    return len(missing)


# -- what the citizen answers in the chat ------------------------------------------------


async def pick_new_slot(
    uow: UnitOfWork, rules: Rules, citizen_id: int, request_id: int, slot_id: int
) -> BookingRequest:
    """R12: one tap on an offered slot books the rescheduled request into it."""
    from reception.services.requests import book_request  # it calls back into this module

    request = await uow.requests.get(request_id)
    if request.citizen_id != citizen_id:
        raise NotFound()
    if request.status is not Status.RESCHEDULED:
        raise IllegalTransition("error-slot-offer-closed")
    return await book_request(uow, rules, request_id, slot_id, Actor.citizen(citizen_id))


class Feedback(Protocol):
    async def record_score(self, request_id: int, score: int, at: datetime) -> None: ...
    async def add_comment(self, request_id: int, comment: str) -> bool: ...


async def record_satisfaction(
    uow: UnitOfWork,
    feedback: Feedback,
    rules: Rules,
    citizen_id: int,
    request_id: int,
    score: int,
) -> BookingRequest:
    """R29: a score from 1 to 5 for a reception that took place; a second tap changes it."""
    request = await uow.requests.get(request_id)
    if request.citizen_id != citizen_id:
        raise NotFound()
    if score not in SATISFACTION_SCORES:
        raise ValidationFailed("error-satisfaction-score")
    if request.status not in (Status.ATTENDED, Status.CLOSED):
        raise IllegalTransition("error-satisfaction-not-attended")
    now = rules.clock.now()
    await feedback.record_score(request_id, score, now)
    await uow.audit.record(
        Actor.citizen(citizen_id),
        "request.satisfaction",
        now,
        "request",
        str(request_id),
        details={"score": str(score)},
    )
    return request


async def add_satisfaction_comment(
    uow: UnitOfWork,
    feedback: Feedback,
    rules: Rules,
    citizen_id: int,
    request_id: int,
    comment: str,
) -> bool:
    """R29: the optional comment after the score."""
    request = await uow.requests.get(request_id)
    if request.citizen_id != citizen_id:
        raise NotFound()
    text = " ".join(comment.split())[:MAX_COMMENT_LENGTH]
    if not text:
        raise ValidationFailed("error-satisfaction-comment-empty")
    return await feedback.add_comment(request_id, text)
