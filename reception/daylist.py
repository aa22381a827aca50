"""The day list (R9, R22, R25) and cancelling a reception day (R12)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from reception.actors import Actor
from reception.clock import local_date
from reception.deadlines import Deadlines
from reception.errors import ValidationFailed
from reception.notifications import Notification
from reception.profile import Profile
from reception.requests import FINAL_STATUSES, BookingRequest, Status
from reception.schedule import ReceptionDay

# Statuses `BookingRequest.reschedule` accepts; other live requests only lose their slot.
_RESCHEDULABLE = frozenset({Status.BOOKED, Status.REGISTERED, Status.UNDER_REVIEW, Status.EXTENDED})


def is_priority(request: BookingRequest, profile: Profile) -> bool:
    """R9: received out of turn, if the category is on this profile's list (the 2020 list,
    for one, has no labour veterans)."""
    category = request.priority_category
    return category is not None and profile.priority_category(category) is not None


def day_list_order(requests: Iterable[BookingRequest], profile: Profile) -> list[BookingRequest]:
    """R9 categories out of turn first, then the queue: registration time (R22), then id.

    The R9 categories are equal among themselves: the regulation ranks none above another.
    """

    def key(request: BookingRequest) -> tuple[bool, bool, float, bool, int]:
        registered = request.registered_at
        return (
            not is_priority(request, profile),
            registered is None,
            registered.timestamp() if registered is not None else 0.0,
            request.id is None,
            request.id or 0,
        )

    return sorted(requests, key=key)


@dataclass(slots=True)
class DayCancellation:
    day: ReceptionDay
    rescheduled: list[BookingRequest] = field(default_factory=list)  # offered new slots
    released: list[BookingRequest] = field(default_factory=list)  # e.g. needs_fix: slot freed
    notices: list[Notification] = field(default_factory=list)
    notice_latest: date | None = None  # R12: 2 working days before the day
    in_time: bool = True  # False: cancelled later than R12 asks (still allowed, e.g. illness)


def cancel_day(
    day: ReceptionDay,
    requests: Iterable[BookingRequest],
    actor: Actor,
    at: datetime,
    reason: str,
    deadlines: Deadlines,
) -> DayCancellation:
    """R12: the official cannot receive. The day is marked cancelled; each live request
    holding one of its slots is rescheduled (the applicant is offered new slots).

    `requests` are those holding the day's slots (`RequestRepository.for_slot_ids`). A notice
    later than 2 working days before the day is allowed but flagged (`in_time=False`).
    """
    if not reason.strip():
        raise ValidationFailed("error-cancel-reason-empty")
    if day.cancelled_at is not None:
        raise ValidationFailed("error-day-already-cancelled", day=day.day)
    today = local_date(at)
    if today > day.day:
        raise ValidationFailed("error-day-past", day=day.day)
    latest = deadlines.cancellation_notice_latest(day.day)
    result = DayCancellation(day, notice_latest=latest, in_time=today <= latest)
    for request in requests:
        if request.official_id != day.official_id:
            raise ValueError(f"request {request.id} is not for this day's official")
        if request.status in _RESCHEDULABLE:
            result.notices += request.reschedule(reason, actor, at)
            result.rescheduled.append(request)
        elif request.status not in FINAL_STATUSES and request.slot_id is not None:
            request.slot_id = None
            result.released.append(request)
    day.cancelled_at = at
    day.cancel_reason = reason
    return result
