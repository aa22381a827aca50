"""What the request card shows and which actions it offers, from the state machine's rules.

`AVAILABLE` lists the actions each status admits; tests/unit/test_request_card_actions.py
checks it against `BookingRequest` itself, so the card never offers what the domain refuses.
Actions whose time has not come (R17 return, R24 refusal, attendance before the day) are
offered disabled, with the date they open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reception.citizens import Citizen, Document
from reception.clock import local_date
from reception.errors import NotFound
from reception.ports import MessageRecord, OutboxItem, UnitOfWork
from reception.requests import BookingRequest, Status
from reception.schedule import Official, ReceptionDay, Slot, Topic
from reception.services.context import Rules
from reception.services.invitations import Invitation, InvitationRepository
from reception.services.request_list import ANSWER_PENDING, colour_of, working_days_left

_REVIEWABLE = (Status.REGISTERED, Status.UNDER_REVIEW, Status.EXTENDED)
_BOOKABLE = (*_REVIEWABLE, Status.BOOKED, Status.RESCHEDULED)
_LIVE = (*_BOOKABLE, Status.NEEDS_FIX, Status.REFUSAL_DRAFT)

AVAILABLE: dict[str, tuple[Status, ...]] = {
    "book": _BOOKABLE,
    "start_review": (Status.REGISTERED, Status.EXTENDED),
    "request_fix": _REVIEWABLE,  # R17
    "fix_received": (Status.NEEDS_FIX,),
    "return_unfixed": (Status.NEEDS_FIX,),  # R17, after the period
    "forward": _REVIEWABLE,  # R19
    "extend": _REVIEWABLE,  # R23
    "invite": _LIVE,  # R13
    "leave_without_consideration": _REVIEWABLE,  # R16
    "draft_refusal": _REVIEWABLE,  # R24
    "refuse": (Status.REFUSAL_DRAFT,),  # R24, after the hearing window
    "uphold_objection": (Status.REFUSAL_DRAFT,),
    "attend": (Status.BOOKED,),
    "no_show": (Status.BOOKED,),
    "close": (Status.ATTENDED,),  # R26
    "withdraw": _LIVE,  # R40, on the applicant's statement by phone or paper
}
# Actions that only read (officials): none. Every action changes the request.


@dataclass(slots=True)
class Action:
    name: str
    enabled: bool = True
    opens_on: date | None = None  # when a disabled action becomes possible


@dataclass(slots=True)
class ExtensionLimits:
    """R23: how far each kind of extension may go."""

    letter: date | None
    decision: date


@dataclass(slots=True)
class RequestCard:
    request: BookingRequest
    citizen: Citizen
    official: Official
    topic: Topic | None
    documents: list[Document]
    slot: Slot | None
    day: ReceptionDay | None
    free_slots: list[Slot]
    invitations: list[Invitation]
    notices: list[OutboxItem]
    messages: list[MessageRecord]
    actions: dict[str, Action] = field(default_factory=dict)
    extension_limits: ExtensionLimits | None = None
    days_left: int | None = None
    colour: str = "none"
    staff_names: dict[int, str] = field(default_factory=dict)


def offered_actions(
    request: BookingRequest, rules: Rules, today: date, day: ReceptionDay | None
) -> dict[str, Action]:
    actions: dict[str, Action] = {}
    for name, statuses in AVAILABLE.items():
        if request.status not in statuses:
            continue
        action = Action(name)
        if name == "refuse" and request.refusal_earliest and today < request.refusal_earliest:
            action = Action(name, False, request.refusal_earliest)  # R24
        elif name == "return_unfixed" and request.fix_due and today <= request.fix_due:
            action = Action(name, False, rules.calendar.add_working_days(request.fix_due, 1))
        elif name in ("attend", "no_show") and day is not None and today < day.day:
            action = Action(name, False, day.day)
        elif name == "extend" and request.registration_date is not None:
            limit = rules.deadlines.extension_decision_limit(request.registration_date)
            if limit <= (request.extended_until or request.answer_due or limit):
                continue  # R23: no further extension is possible
        actions[name] = action
    return actions


def extension_limits(request: BookingRequest, rules: Rules) -> ExtensionLimits | None:
    if request.registration_date is None:
        return None
    letter = None
    if rules.deadlines.has_extension_letter:
        letter = rules.deadlines.extension_letter_limit(request.registration_date)
    decision = rules.deadlines.extension_decision_limit(request.registration_date)
    return ExtensionLimits(letter, decision)


async def load_card(
    uow: Any,
    invitations: InvitationRepository,
    rules: Rules,
    request_id: int,
    scope: int | None,
    *,
    with_documents: bool,
    with_slots: bool,
) -> RequestCard:
    """Everything the card shows; `scope` limits an official to their own requests (a request
    of another official is NotFound, exactly like a missing one)."""
    request = await uow.requests.get(request_id)
    if scope is not None and request.official_id != scope:
        raise NotFound()
    citizen = await uow.citizens.get(request.citizen_id)
    official = await uow.schedule.get_official(request.official_id)
    topic = await uow.schedule.get_topic(request.topic_id) if request.topic_id else None
    slot = day = None
    if request.slot_id is not None:
        slot = await uow.schedule.get_slot(request.slot_id)
        day = await uow.schedule.get_day(slot.reception_day_id)
    documents = await _documents(uow, request) if with_documents else []
    today = local_date(rules.clock.now())
    actions = offered_actions(request, rules, today, day)
    free: list[Slot] = []
    if with_slots and "book" in actions:
        free = await uow.schedule.free_slots(request.official_id, rules.clock.now(), 40)
    card = RequestCard(
        request=request,
        citizen=citizen,
        official=official,
        topic=topic,
        documents=documents,
        slot=slot,
        day=day,
        free_slots=free,
        invitations=await invitations.for_requests([request_id]),
        notices=await uow.outbox.for_request(request_id),
        messages=await uow.messages.for_citizen(request.citizen_id, 30),
        actions=actions,
        extension_limits=extension_limits(request, rules),
    )
    if request.status in ANSWER_PENDING and request.answer_due is not None:
        due = max(request.answer_due, request.extended_until or request.answer_due)
        card.days_left = working_days_left(rules.calendar, today, due)
        card.colour = colour_of(card.days_left)
    card.staff_names = {u.id: u.full_name for u in await uow.staff.all() if u.id is not None}
    return card


async def _documents(uow: UnitOfWork, request: BookingRequest) -> list[Document]:
    """The request's documents, and the power of attorney or priority proof it points to."""
    assert request.id is not None
    documents = {d.id: d for d in await uow.documents.for_request(request.id)}
    for document_id in (request.poa_document_id, request.priority_document_id):
        if document_id is not None and document_id not in documents:
            documents[document_id] = await uow.documents.get(document_id)
    return list(documents.values())


async def load_document(
    uow: UnitOfWork, request_id: int, document_id: int, scope: int | None
) -> Document:
    """A document of this request (R7, R9 proofs), for an allowed viewer; NotFound otherwise,
    also when the id belongs to another request (no guessing ids across requests)."""
    request = await uow.requests.get(request_id)
    if scope is not None and request.official_id != scope:
        raise NotFound()
    document = await uow.documents.get(document_id)
    linked = document.request_id == request_id or document_id in (
        request.poa_document_id,
        request.priority_document_id,
    )
    if not linked or document.citizen_id != request.citizen_id:
        raise NotFound()
    return document
