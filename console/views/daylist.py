"""The day list of an official's reception (R22, R25): out of turn first (R9), then the queue;
full name, question and invited persons; printable (static/print.css)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from aiohttp import web

from console.rbac import CASEWORK, official_scope, roles
from console.web import current_user, now, open_uow, render, rules
from reception.citizens import Role
from reception.clock import local_date
from reception.daylist import day_list_order, is_priority
from reception.requests import BookingRequest, Status
from reception.schedule import Official, ReceptionDay, Slot
from storage.repositories.invitations import SqlInvitationRepository

if TYPE_CHECKING:
    from storage.uow import SqlUnitOfWork

routes = web.RouteTableDef()

UPCOMING_DAYS = 90  # how far ahead the next receptions are looked up
UPCOMING_SHOWN = 6
# Who is on the list: booked into the day, and after the reception those who came or not.
ON_DAY_LIST = frozenset({Status.BOOKED, Status.ATTENDED, Status.NO_SHOW, Status.CLOSED})


@dataclass(frozen=True, slots=True)
class DayListRow:
    position: int
    request: BookingRequest
    slot: Slot | None
    priority: bool
    invited: str = ""  # R13, R25: other bodies invited to take part


@dataclass(frozen=True, slots=True)
class DayList:
    day: ReceptionDay
    rows: list[DayListRow]
    due_to_official: date  # R25: the list reaches the official 1 working day before


def parse_day(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        raise web.HTTPBadRequest() from None


def parse_id(value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise web.HTTPBadRequest()
    return int(value)


@routes.get("/daylist", name="daylist")
@roles(CASEWORK, Role.OFFICIAL)
async def day_list_page(request: web.Request) -> web.StreamResponse:
    user = current_user(request)
    scope = official_scope(user)
    today = local_date(now(request))
    chosen = parse_day(request.query.get("date"), today) if request.query.get("date") else None
    official_id = scope if scope is not None else parse_id(request.query.get("official_id"))
    async with open_uow(request, readonly=True) as uow:
        officials = await uow.schedule.officials()
        if scope is not None:
            officials = [o for o in officials if o.id == scope]
        if official_id is None and officials:
            official_id = officials[0].id
        official = next((o for o in officials if o.id == official_id), None)
        upcoming = [] if official is None else await _upcoming(uow, official, today)
        # Without a date: the official's next reception (the list staff prepare, R25).
        day = chosen or (upcoming[0] if upcoming else today)
        lists = [] if official is None else await day_lists(uow, request, official, day)
    return render(
        request,
        "daylist/day.html",
        {
            "officials": officials,
            "official": official,
            "day": day,
            "lists": lists,
            "today": today,
            "upcoming": upcoming,
        },
    )


async def _upcoming(uow: SqlUnitOfWork, official: Official, today: date) -> list[date]:
    """The official's next reception days (not cancelled), soonest first."""
    days = await uow.schedule.days(official.id, today, today + timedelta(days=UPCOMING_DAYS))
    return sorted({d.day for d in days if d.cancelled_at is None})[:UPCOMING_SHOWN]


async def day_lists(
    uow: SqlUnitOfWork, request: web.Request, official: Official, day: date
) -> list[DayList]:
    """Each reception day the official has on `day` (usually one), with its ordered list."""
    context = rules(request)
    lists = []
    found = await uow.schedule.days(official.id, day, day)
    for reception_day in found:
        slots = {s.id: s for s in await uow.schedule.slots_of_day(reception_day.id)}
        booked = await uow.requests.for_slot_ids(list(slots))
        ordered = day_list_order([r for r in booked if r.status in ON_DAY_LIST], context.profile)
        invited = await _invited(uow, [r.id for r in ordered if r.id is not None])
        rows = [
            DayListRow(
                n, r, slots.get(r.slot_id), is_priority(r, context.profile), invited.get(r.id, "")
            )
            for n, r in enumerate(ordered, start=1)
        ]
        due = context.deadlines.day_list_due(reception_day.day)
        lists.append(DayList(reception_day, rows, due))
    return lists


async def _invited(uow: SqlUnitOfWork, request_ids: list[int]) -> dict[int | None, str]:
    """R13, R25: the bodies invited to each request's reception, less those who declined."""
    invitations = await SqlInvitationRepository(uow.connection).for_requests(request_ids)
    bodies: dict[int | None, list[str]] = {}
    for invitation in invitations:
        if invitation.declined_at is None:
            bodies.setdefault(invitation.request_id, []).append(invitation.body)
    return {request_id: "; ".join(names) for request_id, names in bodies.items()}
