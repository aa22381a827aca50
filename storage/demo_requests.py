"""Thirty demo requests, each taken through the domain's own transitions to the status it
shows, so numbers, due dates and history are what real use would produce."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from reception.actors import Actor
from reception.citizens import Citizen
from reception.clock import ALMATY, local_date
from reception.deadlines import Deadlines
from reception.ports import UnitOfWork
from reception.profile import Profile
from reception.requests import (
    BookingRequest,
    Channel,
    ExtensionKind,
    ReceptionFormat,
    Representation,
)
from reception.schedule import ReceptionDay, Slot, Topic
from storage import demo_data

# The life each request has lived so far, in the order they were registered.
PLANS: tuple[str, ...] = (
    ("attended", "no_show", "closed")
    + ("registered",) * 7
    + ("under_review",) * 4
    + ("booked",) * 7
    + ("needs_fix",) * 2
    + ("extended", "refusal_draft", "forwarded", "left", "withdrawn", "withdrawn", "rescheduled")
)
PAST_PLANS = frozenset({"attended", "no_show", "closed"})
CHANNELS = (Channel.TELEGRAM, Channel.WHATSAPP, Channel.WEB, Channel.PHONE, Channel.IN_PERSON)


@dataclass
class DemoContext:
    uow: UnitOfWork
    deadlines: Deadlines
    profile: Profile
    now: datetime
    staff: Actor
    official_ids: dict[str, int]
    citizens: list[Citizen]
    past_day: ReceptionDay


async def add_demo_requests(ctx: DemoContext) -> None:
    topics = [t for t in await ctx.uow.schedule.topics() if t.competence == "local"]
    past_slots = await ctx.uow.schedule.slots_of_day(ctx.past_day.id or 0)
    for n, plan in enumerate(PLANS):
        if plan in PAST_PLANS:
            topic = next(t for t in topics if t.official_id == ctx.past_day.official_id)
            received = datetime.combine(ctx.past_day.day - timedelta(days=10), time(10, n), ALMATY)
        else:
            topic = topics[n % len(topics)]
            received = ctx.now - timedelta(hours=5 * (len(PLANS) - n) + 3)
        request = _new_request(ctx, n, topic, received)
        number = await ctx.uow.requests.next_number(local_date(received).year)
        request.register(number, Actor.citizen(request.citizen_id), received, ctx.deadlines)
        await _live(ctx, request, plan, received + timedelta(hours=2), past_slots[n : n + 1])
        await ctx.uow.requests.add(request)


def _new_request(ctx: DemoContext, n: int, topic: Topic, received: datetime) -> BookingRequest:
    citizen = ctx.citizens[n]
    assert citizen.id is not None and citizen.iin and citizen.full_name
    questions = demo_data.QUESTIONS_KK if citizen.language == "kk" else demo_data.QUESTIONS_RU
    categories = ctx.profile.priority_categories
    request = BookingRequest(
        citizen_id=citizen.id,
        official_id=topic.official_id or ctx.official_ids["akim"],
        channel=CHANNELS[n % len(CHANNELS)],
        question=questions[n % len(questions)],
        applicant_name=citizen.full_name,
        applicant_iin=citizen.iin,
        applicant_phone=citizen.phone,
        topic_id=topic.id,
        reception_language=citizen.language,
        created_at=received,
    )
    if n in (4, 15) and categories:  # R9: received out of turn
        request.priority_category = categories[n % len(categories)].id
    if n == 6:  # R7: on behalf of a relative
        helper = ctx.citizens[-1]
        request.representation = Representation.PERSON
        request.principal_name, request.principal_id_number = helper.full_name, helper.iin
    if n == 9 or ctx.profile.restrictive_mode:  # R10
        request.reception_format = ReceptionFormat.VIDEO
    return request


async def _live(
    ctx: DemoContext, request: BookingRequest, plan: str, at: datetime, past_slot: list[Slot]
) -> None:
    staff, deadlines = ctx.staff, ctx.deadlines
    if plan in PAST_PLANS:
        slot = past_slot[0]
        request.book(slot.id or 0, slot.starts_at, demo_data.PLACE_RU, staff, at)
        if plan == "no_show":
            request.mark_no_show(staff, slot.ends_at + timedelta(hours=1), ctx.past_day.day)
            return
        request.attend(staff, slot.starts_at + timedelta(minutes=15), ctx.past_day.day)
        if plan == "closed":
            request.close(_FINAL_ANSWER, staff, ctx.now - timedelta(hours=1))
    elif plan in ("under_review", "booked", "rescheduled"):
        request.start_review(staff, at)
        if plan != "under_review":
            await _book_next_free(ctx, request, at + timedelta(minutes=10))
        if plan == "rescheduled":  # R12
            request.reschedule(
                "Әкім іссапарда / аким в командировке", staff, at + timedelta(hours=1)
            )
    elif plan == "needs_fix":  # R17
        request.request_fix(["Сенімхаттың көшірмесін жіберіңіз"], staff, at, deadlines)
    elif plan == "extended":  # R23
        _extend(ctx, request, at)
    elif plan == "refusal_draft":  # R24
        request.draft_refusal(_REFUSAL, staff, at, deadlines)
    elif plan == "forwarded":  # R19
        request.forward("Облыстық білім басқармасы / Управление образования области", staff, at)
    elif plan == "left":  # R16
        request.leave_without_consideration(staff, at)
    elif plan == "withdrawn":  # R40
        request.withdraw(Actor.citizen(request.citizen_id), at, "мәселе шешілді")


async def _book_next_free(ctx: DemoContext, request: BookingRequest, at: datetime) -> None:
    after = ctx.now + timedelta(days=1)
    [slot] = await ctx.uow.schedule.free_slots(request.official_id, after, 1)
    request.book(slot.id or 0, slot.starts_at, demo_data.PLACE_RU, ctx.staff, at)


def _extend(ctx: DemoContext, request: BookingRequest, at: datetime) -> None:
    deadlines = ctx.deadlines
    assert request.registration_date is not None and request.answer_due is not None
    kind, until = (
        ExtensionKind.DECISION,
        deadlines.extension_decision_limit(request.registration_date),
    )
    if deadlines.has_extension_letter:
        letter_until = deadlines.extension_letter_limit(request.registration_date)
        if letter_until > request.answer_due:
            kind, until = ExtensionKind.LETTER, letter_until
    request.extend(kind, until, "Жер учаскесіне барып тексеру қажет", ctx.staff, at, deadlines)


_FINAL_ANSWER = (
    "Өтінішіңіз қаралды: жер учаскесі кезек бойынша 2026 жылдың екінші тоқсанында беріледі."
)
_REFUSAL = (
    "Мәселе бойынша заңды күшіне енген сот шешімі бар (R18.3); қарсылығыңызды үш жұмыс күні "
    "ішінде жібере аласыз."
)
