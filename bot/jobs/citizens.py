"""Jobs that write to citizens, each in the citizen's language, on the channel they last
wrote from (through the outbox): the booking's details with an .ics file, the reminders
1 working day and N hours before, new slots after a cancellation (R12), the return of a
request not fixed in time (R17) and the satisfaction question (R29)."""

from __future__ import annotations

from typing import Any

from bot.flow.events import Button, Reply
from bot.flow.followups import new_slot_button, score_button
from bot.ics import CalendarEvent, write_event
from bot.jobs.context import JobRun, Outcome, Services, to_citizen
from bot.jobs.texts import local_time, what_to_bring, where
from locales import weekday
from reception import reminder_rules as rr
from reception.actors import Actor
from reception.clock import local_date
from reception.notifications import NoticeKind
from reception.requests import BookingRequest, ReceptionFormat, Status
from reception.schedule import Official, ReceptionDay, Slot
from reception.services.reminders import SATISFACTION_SCORES, reminder_times
from reception.services.requests import apply_transition
from reception.services.schedules import OFFERED_SLOTS

SLOTS_PER_ROW = 2


async def _booked(run: JobRun) -> tuple[BookingRequest, Slot, ReceptionDay, Official] | None:
    """The request, still booked into the job's slot, with its slot, day and official."""
    request = await run.uow.requests.get(run.id_of("request_id"))
    if request.status is not Status.BOOKED or request.slot_id != run.id_of("slot_id"):
        return None
    slot = await run.uow.schedule.get_slot(request.slot_id)
    day = await run.uow.schedule.get_day(slot.reception_day_id)
    official = await run.uow.schedule.get_official(request.official_id)
    return request, slot, day, official


def _reception_args(
    request: BookingRequest, slot: Slot, day: ReceptionDay, official: Official, lang: str
) -> dict[str, Any]:
    """The Fluent arguments of a notice about a booked reception."""
    return {
        "number": request.number or "",
        "official": official.name(lang),
        "when": slot.starts_at,
        "place": day.place(lang),
    }


async def _notify(
    run: JobRun,
    request: BookingRequest,
    lang: str,
    text: str,
    buttons: tuple[tuple[Button, ...], ...] = (),
    *,
    kind: NoticeKind,
    message_id: str,
    args: dict[str, Any],
    document_path: str | None = None,
    document_name: str | None = None,
    record: dict[str, Any] | None = None,
) -> Outcome:
    """The notice `kind` to the request's citizen, written in `lang` (`message_id` and `args`
    stay on the outbox row, R38); the outcome records the channel and `record`."""
    reply = Reply(
        text, buttons, document_path=document_path, document_name=document_name, kind=str(kind)
    )
    item = await to_citizen(
        run,
        request.citizen_id,
        request.id,
        reply.written_in(lang),
        kind=str(kind),
        message_id=message_id,
        args=args,
    )
    return Outcome.done(channel=item.channel, **(record or {}))


async def booking_confirmed(services: Services, run: JobRun) -> Outcome:
    """What to bring (R7), the place or video link (R10), and the .ics file."""
    found = await _booked(run)
    if found is None:
        return Outcome.dropped(rr.NOT_BOOKED)
    request, slot, day, official = found
    if run.now >= slot.starts_at:
        return Outcome.dropped(rr.RECEPTION_OVER)
    t, lang = services.translator, (await run.uow.citizens.get(request.citizen_id)).language
    args = _reception_args(request, slot, day, official, lang)
    bring = what_to_bring(t, lang, request)
    video = day.video_link if request.reception_format is ReceptionFormat.VIDEO else None
    text = t(
        lang, "reminder-booked-details", where=where(t, lang, request, day), bring=bring, **args
    )
    event = CalendarEvent(
        uid=f"request-{request.id}-slot-{slot.id}@reception",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        summary=t(lang, "reminder-calendar-summary", official=official.name(lang)),
        location=video or day.place(lang),
        description=t(
            lang, "reminder-calendar-description", number=request.number or "", bring=bring
        ),
        stamp=run.now,
        url=video,
        alarm_minutes=60 * run.rules.profile.reminders.citizen_hours_before,
    )
    path = write_event(services.data_dir, f"request-{request.id}-slot-{slot.id}.ics", event)
    return await _notify(
        run,
        request,
        lang,
        f"{text}\n\n{t(lang, 'reminder-calendar-attached')}",
        kind=NoticeKind.BOOKED,
        message_id="reminder-booked-details",
        args=args,
        document_path=path,
        document_name=f"reception-{local_date(slot.starts_at).isoformat()}.ics",
        record={"calendar": path},
    )


async def reminder(services: Services, run: JobRun) -> Outcome:
    """1 working day before, and N hours before (profile times, Asia/Almaty)."""
    found = await _booked(run)
    if found is None:
        return Outcome.dropped(rr.NOT_BOOKED)
    request, slot, day, official = found
    times = reminder_times(run.rules)
    dropped = rr.citizen_reminder_drop_reason(run.job.kind, run.now, slot.starts_at, times)
    if dropped is not None:
        return Outcome.dropped(dropped)
    t, lang = services.translator, (await run.uow.citizens.get(request.citizen_id)).language
    args = _reception_args(request, slot, day, official, lang)
    message_id = "reminder-day-before" if run.job.kind == rr.DAY_BEFORE else "reminder-hours-before"
    text = t(
        lang,
        message_id,
        weekday=weekday(local_date(slot.starts_at), lang),
        time=local_time(slot.starts_at),
        hours=run.rules.profile.reminders.citizen_hours_before,
        where=where(t, lang, request, day),
        bring=what_to_bring(t, lang, request),
        **args,
    )
    return await _notify(
        run, request, lang, text, kind=NoticeKind.REMINDER, message_id=message_id, args=args
    )


async def slot_offer(services: Services, run: JobRun) -> Outcome:
    """R12: the official's next free slots as buttons; one tap books (bot/flow/followups)."""
    request = await run.uow.requests.get(run.id_of("request_id"))
    if request.status is not Status.RESCHEDULED:
        return Outcome.dropped(rr.NOT_RESCHEDULED)
    assert request.id is not None
    official = await run.uow.schedule.get_official(request.official_id)
    free = await run.uow.schedule.free_slots(request.official_id, run.now, OFFERED_SLOTS)
    t, lang = services.translator, (await run.uow.citizens.get(request.citizen_id)).language
    args = {"number": request.number or "", "official": official.name(lang)}
    if not free:
        text, rows = t(lang, "reminder-slot-offer-none", **args), ()
    else:
        labels = [
            Button(
                new_slot_button(request.id, slot.id or 0),
                t(
                    lang,
                    "booking-slot-label",
                    when=slot.starts_at,
                    weekday=weekday(local_date(slot.starts_at), lang),
                ),
            )
            for slot in free
        ]
        rows = tuple(
            tuple(labels[i : i + SLOTS_PER_ROW]) for i in range(0, len(labels), SLOTS_PER_ROW)
        )
        text = t(lang, "reminder-slot-offer", **args)
    return await _notify(
        run,
        request,
        lang,
        text,
        rows,
        kind=NoticeKind.RESCHEDULED,
        message_id="reminder-slot-offer",
        args=args,
        record={"offered": [s.id for s in free]},
    )


async def fix_return(services: Services, run: JobRun) -> Outcome:
    """R17: not fixed within the period: returned; the transition's notice tells the citizen."""
    request = await run.uow.requests.get(run.id_of("request_id"))
    if request.status is not Status.NEEDS_FIX:
        return Outcome.dropped(rr.NOT_AWAITING_FIX)
    if request.fix_due is None or request.fix_due.isoformat() != run.payload.get("fix_due"):
        return Outcome.dropped(rr.FIX_PERIOD_CHANGED)
    assert request.id is not None
    await apply_transition(run.uow, run.rules, request.id, "return_unfixed", Actor.system())
    return Outcome.done(returned=True)


async def satisfaction(services: Services, run: JobRun) -> Outcome:
    """R29: after a reception that took place, a score 1-5 (then an optional comment)."""
    request = await run.uow.requests.get(run.id_of("request_id"))
    if request.status not in (Status.ATTENDED, Status.CLOSED):
        return Outcome.dropped(rr.NOT_ATTENDED)
    assert request.id is not None
    t, lang = services.translator, (await run.uow.citizens.get(request.citizen_id)).language
    args = {"number": request.number or ""}
    scores = tuple(Button(score_button(request.id, n), str(n)) for n in SATISFACTION_SCORES)
    return await _notify(
        run,
        request,
        lang,
        t(lang, "reminder-satisfaction-ask", **args),
        (scores,),
        kind=NoticeKind.SATISFACTION,
        message_id="reminder-satisfaction-ask",
        args=args,
    )
