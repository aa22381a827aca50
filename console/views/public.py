"""The public reception schedule at /schedule (R6), in Kazakh and Russian (?lang=kk|ru), in the
form of file 002's appendix: body, full name, position, date and time, location, contact
phone and e-mail. It shows no personal data of any applicant (R15): only the officials'
published schedule, never who booked."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from console.rbac import PUBLIC, roles
from console.security import apply_security_headers
from console.web import LANG, LANGUAGES, language, now, open_uow, render, rules
from reception.clock import local_date

PERIOD = timedelta(days=92)  # about a quarter ahead
CACHE_SECONDS = 300


@roles(PUBLIC)
async def public_schedule(request: web.Request) -> web.StreamResponse:
    chosen = request.query.get("lang")
    request[LANG] = chosen if chosen in LANGUAGES else language(request)
    today = local_date(now(request))
    async with open_uow(request, readonly=True) as uow:
        days = await uow.schedule.days(None, today, today + PERIOD, include_cancelled=True)
        officials = {o.id: o for o in await uow.schedule.officials(active_only=False)}
    rows = [(day, officials[day.official_id]) for day in days if day.official_id in officials]
    rows = [(day, official) for day, official in rows if official.active]
    response = render(
        request,
        "public_schedule.html",
        {
            "rows": rows,
            "body": rules(request).profile.body,
            "today": today,
        },
    )
    response.headers["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response.headers["Vary"] = "Accept-Language, Cookie"
    apply_security_headers(request, response)
    return response


def mount(app: web.Application) -> None:
    """Adds /schedule to the main application (outside the console: no login)."""
    app.router.add_get("/schedule", public_schedule, name="public-schedule")
