"""Schedules: reception days and slots (R5), cancelling a day (R12), Telegram link codes."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from aiohttp import web

from console.rbac import ADMINS, CASEWORK, READERS, official_scope, roles
from console.views.forms import field, form_date, form_int, form_time
from console.web import actor, console_url, current_user, now, open_uow, redirect, render, rules
from reception.clock import local_date
from reception.errors import DomainError, ValidationFailed
from reception.requests import ReceptionFormat
from reception.services import schedules as cases
from reception.services.schedule_pages import day_view, schedule_overview
from storage.repositories.link_codes import SqlLinkCodeRepository

routes = web.RouteTableDef()
DEFAULT_PERIOD_DAYS = 60
MAX_PERIOD_DAYS = 366


def _period(request: web.Request) -> tuple[date, date]:
    today = local_date(now(request))
    try:
        start = date.fromisoformat(request.query.get("from", ""))
    except ValueError:
        start = today
    try:
        end = date.fromisoformat(request.query.get("to", ""))
    except ValueError:
        end = start + timedelta(days=DEFAULT_PERIOD_DAYS)
    return start, min(max(end, start), start + timedelta(days=MAX_PERIOD_DAYS))


async def overview_context(
    request: web.Request, form_error: DomainError | None = None
) -> dict[str, Any]:
    user = current_user(request)
    scope = official_scope(user)
    start, end = _period(request)
    chosen = scope if scope is not None else form_int(request.query, "official")
    async with open_uow(request, readonly=True) as uow:
        days = await schedule_overview(uow, rules(request), start, end, chosen)
        officials = await uow.schedule.officials(active_only=False)
    if scope is not None:
        officials = [o for o in officials if o.id == scope]
    return {
        "days": days,
        "officials": officials,
        "start": start,
        "end": end,
        "chosen": chosen,
        "scoped": scope is not None,
        "error": form_error,
        "can_edit": user.role in CASEWORK,
        "is_admin": user.role in ADMINS,
        "formats": list(ReceptionFormat),
        "form": {},
    }


@routes.get("/schedules", name="schedules")
@roles(READERS)
async def schedules(request: web.Request) -> web.Response:
    return render(request, "schedules.html", await overview_context(request))


@routes.post("/schedules/days", name="schedule-day-add")
@roles(CASEWORK)
async def add_day(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    try:
        day_form = cases.DayForm(
            official_id=form_int(form, "official_id") or 0,
            day=form_date(form, "day"),
            starts=form_time(form, "starts", time(10, 0)),
            ends=form_time(form, "ends", time(12, 0)),
            place_kk=field(form, "place_kk"),
            place_ru=field(form, "place_ru"),
            format=ReceptionFormat(field(form, "format") or ReceptionFormat.IN_PERSON),
            slot_minutes=form_int(form, "slot_minutes") or 20,
            video_link=field(form, "video_link"),
        )
        async with open_uow(request) as uow:
            day = await cases.add_reception_day(uow, rules(request), actor(request), day_form)
            await uow.commit()
    except ValueError:
        return await _overview_error(request, ValidationFailed("error-validation"), form)
    except DomainError as error:
        return await _overview_error(request, error, form)
    return redirect(
        console_url(
            request, "schedule-day", day_id=day.id, query={"done": "console-done-day-added"}
        )
    )


async def _overview_error(request: web.Request, error: DomainError, form: Any) -> web.Response:
    context = await overview_context(request, error)
    context["form"] = {key: form.get(key, "") for key in form}
    return render(request, "schedules.html", context, status=422)


@routes.get(r"/schedules/days/{day_id:\d+}", name="schedule-day")
@roles(READERS)
async def schedule_day(request: web.Request) -> web.Response:
    return render(request, "schedule_day.html", await _day_context(request))


async def _day_context(request: web.Request, error: DomainError | None = None) -> dict[str, Any]:
    user = current_user(request)
    async with open_uow(request, readonly=True) as uow:
        view = await day_view(
            uow, rules(request), int(request.match_info["day_id"]), official_scope(user)
        )
    return {"view": view, "can_edit": user.role in CASEWORK, "error": error}


@routes.post(r"/schedules/days/{day_id:\d+}/cancel", name="schedule-day-cancel")
@roles(CASEWORK)
async def cancel(request: web.Request) -> web.StreamResponse:
    """R12: every booked applicant is told and offered new slots, in one transaction."""
    day_id = int(request.match_info["day_id"])
    form = await request.post()
    try:
        async with open_uow(request) as uow:
            await cases.cancel_reception_day(
                uow, rules(request), actor(request), day_id, field(form, "reason")
            )
            await uow.commit()
    except DomainError as error:
        return render(request, "schedule_day.html", await _day_context(request, error), status=422)
    return redirect(
        console_url(
            request, "schedule-day", day_id=day_id, query={"done": "console-done-day-cancelled"}
        )
    )


@routes.post(r"/schedules/officials/{official_id:\d+}/link-code", name="official-link-code")
@roles(CASEWORK)
async def link_code(request: web.Request) -> web.Response:
    """A one-time code for the official to send to the Telegram bot; shown once, hashed."""
    official_id = int(request.match_info["official_id"])
    async with open_uow(request) as uow:
        code, expires_at = await cases.issue_link_code(
            uow,
            SqlLinkCodeRepository(uow.connection),
            rules(request).clock,
            actor(request),
            official_id,
        )
        official = await uow.schedule.get_official(official_id)
        await uow.commit()
    return render(
        request, "link_code.html", {"code": code, "expires_at": expires_at, "official": official}
    )
