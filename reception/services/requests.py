"""Use cases over booking requests: register, book, move through the procedure, withdraw."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reception.actors import Actor
from reception.clock import local_date
from reception.errors import ConsentRequired, NotFound, SlotTaken, SlotUnavailable
from reception.iin import validate_bin, validate_iin
from reception.notifications import Notification
from reception.ports import UnitOfWork
from reception.requests import SLOT_HOLDING_STATUSES, BookingRequest, Representation
from reception.services.context import Rules
from reception.services.reminders import schedule_for_notices


async def _emit(uow: UnitOfWork, rules: Rules, notices: Sequence[Notification]) -> None:
    if notices:
        await uow.outbox.add_notices(notices, rules.clock.now())
        await schedule_for_notices(uow, rules, list(notices))  # reminders, lists (issue 5)


async def _check_slot_free(uow: UnitOfWork, rules: Rules, official_id: int, slot_id: int) -> None:
    slot = await uow.schedule.get_slot(slot_id)
    day = await uow.schedule.get_day(slot.reception_day_id)
    if day.official_id != official_id or day.cancelled_at is not None:
        raise SlotUnavailable()
    if slot.starts_at <= rules.clock.now():
        raise SlotUnavailable()
    holders = await uow.requests.for_slot_ids([slot_id])
    if any(r.status in SLOT_HOLDING_STATUSES for r in holders):
        raise SlotTaken()


async def register_request(
    uow: UnitOfWork, rules: Rules, draft: BookingRequest, actor: Actor
) -> tuple[BookingRequest, list[Notification]]:
    """R20/R21 registration; R36 consent first; R37 IIN; the slot, if chosen, is held.

    Two citizens racing for one slot: the check below answers most; the partial unique index
    answers the rest with SlotTaken from the repository.
    """
    citizen = await uow.citizens.get(draft.citizen_id)
    if draft.channel in _REMOTE_CHANNELS and not citizen.has_consent:
        raise ConsentRequired()
    draft.applicant_iin = validate_iin(draft.applicant_iin)
    if draft.representation is Representation.PERSON and draft.principal_id_number:
        draft.principal_id_number = validate_iin(draft.principal_id_number)
    elif draft.representation is Representation.ORGANISATION and draft.principal_id_number:
        draft.principal_id_number = validate_bin(draft.principal_id_number)
    if draft.slot_id is not None:
        await _check_slot_free(uow, rules, draft.official_id, draft.slot_id)
    now = rules.clock.now()
    number = await uow.requests.next_number(local_date(now).year)
    notices = draft.register(number, actor, now, rules.deadlines)
    stored = await uow.requests.add(draft)
    notices = [_with_request_id(n, stored.id) for n in notices]
    await _emit(uow, rules, notices)
    await uow.audit.record(actor, "request.register", now, "request", str(stored.id))
    return stored, notices


def _with_request_id(notice: Notification, request_id: int | None) -> Notification:
    return Notification(notice.kind, notice.citizen_id, request_id, notice.message_id, notice.args)


async def book_request(
    uow: UnitOfWork, rules: Rules, request_id: int, slot_id: int, actor: Actor, lang: str = "ru"
) -> BookingRequest:
    """Staff confirm a request into a slot (or move it to another one)."""
    request = await uow.requests.get(request_id, for_update=True)
    if request.slot_id != slot_id:
        await _check_slot_free(uow, rules, request.official_id, slot_id)
    slot = await uow.schedule.get_slot(slot_id)
    day = await uow.schedule.get_day(slot.reception_day_id)
    place = day.video_link if day.video_link and request.reception_format == "video" else None
    notices = request.book(
        slot_id,
        slot.starts_at,
        place or day.place(request.reception_language),
        actor,
        rules.clock.now(),
    )
    await uow.requests.save(request)
    await _emit(uow, rules, notices)
    await uow.audit.record(
        actor,
        "request.book",
        rules.clock.now(),
        "request",
        str(request_id),
        details={"slot": slot_id},
    )
    return request


# The transitions staff run from the request card, by name, with the keyword arguments each
# domain method takes beyond actor and time. The deadlines are passed where the rule needs them.
_NEEDS_DEADLINES = {"request_fix", "extend", "draft_refusal"}
_ALLOWED_ACTIONS = {
    "leave_without_consideration",
    "request_fix",
    "fix_received",
    "return_unfixed",
    "forward",
    "start_review",
    "extend",
    "draft_refusal",
    "refuse",
    "uphold_objection",
    "reschedule",
    "close",
    "withdraw",
}


async def apply_transition(
    uow: UnitOfWork,
    rules: Rules,
    request_id: int,
    action: str,
    actor: Actor,
    **kwargs: Any,
) -> BookingRequest:
    """One named transition of the state machine, saved with its notices and audit record."""
    if action not in _ALLOWED_ACTIONS:
        raise NotFound()
    request = await uow.requests.get(request_id, for_update=True)
    method: Callable[..., list[Notification]] = getattr(request, action)
    now = rules.clock.now()
    if action in _NEEDS_DEADLINES:
        kwargs["deadlines"] = rules.deadlines
    notices = method(actor=actor, at=now, **kwargs)
    await uow.requests.save(request)
    await _emit(uow, rules, notices)
    await uow.audit.record(
        actor,
        f"request.{action}",
        now,
        "request",
        str(request_id),
        details={k: str(v) for k, v in kwargs.items() if k != "deadlines"},
    )
    return request


async def mark_reception_outcome(
    uow: UnitOfWork, rules: Rules, request_id: int, attended: bool, actor: Actor
) -> BookingRequest:
    """Attended or no-show, on or after the reception day."""
    request = await uow.requests.get(request_id, for_update=True)
    if request.slot_id is None:
        raise SlotUnavailable()
    slot = await uow.schedule.get_slot(request.slot_id)
    day = await uow.schedule.get_day(slot.reception_day_id)
    now = rules.clock.now()
    if attended:
        notices = request.attend(actor, now, day.day)
    else:
        notices = request.mark_no_show(actor, now, day.day)
    await uow.requests.save(request)
    await _emit(uow, rules, notices)
    action = "request.attend" if attended else "request.no_show"
    await uow.audit.record(actor, action, now, "request", str(request_id))
    return request


async def withdraw_by_citizen(
    uow: UnitOfWork, rules: Rules, citizen_id: int, request_id: int
) -> BookingRequest:
    """R40: the applicant withdraws their own request at any time before the reception."""
    request = await uow.requests.get(request_id, for_update=True)
    if request.citizen_id != citizen_id:
        raise NotFound()
    actor = Actor.citizen(citizen_id)
    now = rules.clock.now()
    notices = request.withdraw(actor, now)
    await uow.requests.save(request)
    await _emit(uow, rules, notices)
    await uow.audit.record(actor, "request.withdraw", now, "request", str(request_id))
    return request


_REMOTE_CHANNELS = {"telegram", "whatsapp", "web"}
