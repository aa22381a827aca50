"""The audit log for administrators (R39): who did what to which object, when, from where."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from aiohttp import web

from console.rbac import ADMINS, roles
from console.views.forms import field, form_int
from console.web import open_uow, render
from reception.clock import ALMATY
from storage.repositories.audit_queries import AuditFilter, SqlAuditQueries

routes = web.RouteTableDef()
PAGE = 100
# Action groups offered in the filter; any exact action can be typed too.
ACTION_GROUPS = (
    "auth.",
    "request.",
    "document.",
    "staff.",
    "day.",
    "official.",
    "topic.",
    "chat.",
    "citizen.",
    "protocol.",
    "instruction.",
    "outbox.",
)


def _day_start(text: str, *, next_day: bool = False) -> datetime | None:
    try:
        day = datetime.fromisoformat(text).date() if text else None
    except ValueError:
        return None
    if day is None:
        return None
    moment = datetime.combine(day, time(0), tzinfo=ALMATY)
    return moment + timedelta(days=1) if next_day else moment


def audit_filter(query: web.Request) -> AuditFilter:
    params = query.query
    return AuditFilter(
        actor_id=form_int(params, "actor"),
        action=field(params, "action")[:64] or None,
        object_type=field(params, "object_type")[:32] or None,
        object_id=field(params, "object_id")[:64] or None,
        ip=field(params, "ip")[:45] or None,
        since=_day_start(field(params, "from")),
        until=_day_start(field(params, "to"), next_day=True),
    )


@routes.get("/audit", name="audit")
@roles(ADMINS)
async def audit_log(request: web.Request) -> web.Response:
    flt = audit_filter(request)
    before = form_int(request.query, "before")
    async with open_uow(request, readonly=True) as uow:
        entries = await SqlAuditQueries(uow.connection).search(
            flt, before_id=before, limit=PAGE + 1
        )
        users = await uow.staff.all()
    more = len(entries) > PAGE
    entries = entries[:PAGE]
    filters = {k: v for k, v in request.query.items() if k != "before" and v}
    return render(
        request,
        "audit.html",
        {
            "entries": entries,
            "names": {u.id: f"{u.full_name} ({u.username})" for u in users},
            "users": users,
            "filters": filters,
            "groups": ACTION_GROUPS,
            "next_before": entries[-1].id if more and entries else None,
        },
    )
