"""Jobs that write to officials (R25): the day list 1 working day before, the morning
summary, and an update when a booking is added or cancelled after the list went out.

An official with no linked Telegram: the list goes to the linked reception staff instead,
and with nobody linked it is kept as an undeliverable outbox row; each case is recorded on
the job (payload "outcome") and in the audit log. The list sent (its request ids) is kept on
the day-list job, so an update says only what changed since.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.flow.events import Reply
from bot.jobs.context import JobRun, Outcome, Services, to_recipient, undeliverable
from bot.jobs.texts import day_list_text, morning_text, update_text
from reception import reminder_rules as rr
from reception.actors import Actor
from reception.clock import ALMATY
from reception.services.officials import DayList, day_list, day_list_recipients
from reception.services.reminders import reminder_times
from storage.repositories.invitations import SqlInvitationRepository

DAY_LIST_KIND, UPDATE_KIND, MORNING_KIND = "day-list", "day-list-update", "morning"


async def _listing(run: JobRun) -> DayList:
    invitations = SqlInvitationRepository(run.uow.connection)
    return await day_list(run.uow, invitations, run.rules, run.id_of("day_id"))


def _drop_reason(run: JobRun, listing: DayList) -> str | None:
    day = listing.day
    ends = datetime.combine(day.day, day.ends, tzinfo=ALMATY)
    morning = reminder_times(run.rules).morning(day.day)
    cancelled = day.cancelled_at is not None
    return rr.official_drop_reason(run.job.kind, run.now, ends, morning, cancelled)


async def _deliver(
    services: Services, run: JobRun, listing: DayList, kind: str, render: Any
) -> dict[str, Any]:
    """To the official, or to the reception staff in their stead (R25); the record says so."""
    official = listing.official
    recipients, redirected = await day_list_recipients(run.uow, official)
    for recipient in recipients:
        text = render(services.translator, recipient.language, redirected)
        await to_recipient(run, recipient, Reply(text, kind=kind), kind)
    if not recipients:
        text = render(services.translator, official.language, redirected)
        await undeliverable(run, Reply(text, kind=kind), kind)
    delivered_to = (
        "official" if not redirected else ("reception-staff" if recipients else "undeliverable")
    )
    if redirected:
        await run.uow.audit.record(
            Actor.system(),
            f"official.{kind}.{delivered_to}",
            run.now,
            "reception_day",
            str(listing.day.id),
            details={
                "official": str(official.id),
                "staff": ",".join(str(r.staff_user_id) for r in recipients),
            },
        )
    return {
        "delivered_to": delivered_to,
        "staff": [r.staff_user_id for r in recipients if r.staff_user_id is not None],
    }


async def day_list_job(services: Services, run: JobRun) -> Outcome:
    listing = await _listing(run)
    dropped = _drop_reason(run, listing)
    if dropped is not None:
        return Outcome.dropped(dropped)
    profile = run.rules.profile

    def render(t: Any, lang: str, redirected: bool) -> str:
        return day_list_text(t, lang, listing, profile, redirected)

    record = await _deliver(services, run, listing, DAY_LIST_KIND, render)
    return Outcome.done(**record, requests=listing.request_ids)


async def day_list_update_job(services: Services, run: JobRun) -> Outcome:
    """Only after the list went out; what changed since the last list or update sent."""
    listing = await _listing(run)
    dropped = _drop_reason(run, listing)
    if dropped is not None:
        return Outcome.dropped(dropped)
    assert listing.day.id is not None
    # Locked: two updates of one day take turns, so each change is told once.
    sent_job = await run.uow.jobs.by_key(rr.day_list_key(listing.day.id), for_update=True)
    if sent_job is None or sent_job.state != "done":
        return Outcome.done(changed=False)  # the list itself has not gone out: it will say all
    outcome = dict(sent_job.payload.get("outcome") or {})
    sent = set(outcome.get("requests") or [])
    added = [entry for entry in listing.entries if entry.request_id not in sent]
    removed_ids = sorted(sent - set(listing.request_ids))
    if not added and not removed_ids:
        return Outcome.done(changed=False)
    removed = [(await run.uow.requests.get(i)).applicant_name for i in removed_ids]
    profile = run.rules.profile

    def render(t: Any, lang: str, redirected: bool) -> str:
        return update_text(t, lang, listing, added, removed, profile, redirected)

    record = await _deliver(services, run, listing, UPDATE_KIND, render)
    outcome["requests"] = listing.request_ids
    await run.uow.jobs.set_payload(sent_job.id, {**sent_job.payload, "outcome": outcome})
    return Outcome.done(**record, added=[e.request_id for e in added], removed=removed_ids)


async def morning_job(services: Services, run: JobRun) -> Outcome:
    """The morning of the day: who comes and when, to a linked official (the staff standing
    in already have the list). If the list itself never went out (the process was down),
    the whole list goes now instead, to whoever would have had it."""
    listing = await _listing(run)
    dropped = _drop_reason(run, listing)
    if dropped is not None:
        return Outcome.dropped(dropped)
    assert listing.day.id is not None
    sent_job = await run.uow.jobs.by_key(rr.day_list_key(listing.day.id))
    profile = run.rules.profile
    if sent_job is None or sent_job.state != "done":

        def render(t: Any, lang: str, redirected: bool) -> str:
            return day_list_text(t, lang, listing, profile, redirected)

        record = await _deliver(services, run, listing, DAY_LIST_KIND, render)
        return Outcome.done(**record, requests=listing.request_ids, instead_of_day_list=True)
    recipients, redirected = await day_list_recipients(run.uow, listing.official)
    if redirected:
        return Outcome.dropped(rr.OFFICIAL_NOT_LINKED)
    for recipient in recipients:
        text = morning_text(services.translator, recipient.language, listing, profile)
        await to_recipient(run, recipient, Reply(text, kind=MORNING_KIND), MORNING_KIND)
    return Outcome.done(requests=listing.request_ids)
