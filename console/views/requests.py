"""The requests list (filters, search, due-date order, working days left, keyset pages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from console.rbac import READERS, official_scope, roles
from console.web import current_user, open_uow, render, rules
from reception.requests import ACTIVE_STATUSES, Channel, Status
from reception.services.request_list import Cursor, ListQuery, list_requests
from storage.repositories.request_list import SqlRequestListing

routes = web.RouteTableDef()

ALL = "all"
MAX_DUE_WITHIN = 60


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def parse_query(params: Mapping[str, str]) -> ListQuery:
    """The list's filters from the address bar; anything unreadable is simply ignored."""
    status = params.get("status", "")
    if status == ALL:
        statuses: tuple[Status, ...] = ()
    elif status in Status.__members__.values():
        statuses = (Status(status),)
    else:
        statuses = tuple(sorted(ACTIVE_STATUSES))
    due_within = _int(params.get("due"))
    if due_within is not None:
        due_within = min(due_within, MAX_DUE_WITHIN) if due_within >= 0 else None
    channel = params.get("channel", "")
    return ListQuery(
        statuses=statuses,
        official_id=_int(params.get("official")),
        topic_id=_int(params.get("topic")),
        priority_only=params.get("priority") == "1",
        channel=channel if channel in Channel.__members__.values() else None,
        due_within=due_within,
        overdue=params.get("overdue") == "1",
        text=params.get("q", "")[:100],
        after=Cursor.decode(params.get("after")),
        before=Cursor.decode(params.get("before")),
    )


def filter_values(params: Mapping[str, str]) -> dict[str, str]:
    """The filters as they were given, to refill the form and build the page links."""
    keys = ("status", "official", "topic", "priority", "channel", "due", "overdue", "q")
    return {key: params[key] for key in keys if params.get(key)}


@routes.get("/requests", name="requests")
@roles(READERS)
async def requests_list(request: web.Request) -> web.Response:
    user = current_user(request)
    query = parse_query(request.query)
    async with open_uow(request, readonly=True) as uow:
        page = await list_requests(
            SqlRequestListing(uow.connection), rules(request), query, official_scope(user)
        )
        officials = await uow.schedule.officials(active_only=False)
        topics = await uow.schedule.topics(active_only=False)
    context: dict[str, Any] = {
        "page": page,
        "filters": filter_values(request.query),
        "officials": {o.id: o for o in officials},
        "topics": {t.id: t for t in topics},
        "statuses": list(Status),
        "channels": list(Channel),
        "scoped": official_scope(user) is not None,
        "priority_names": {p.id: p for p in rules(request).profile.priority_categories},
    }
    return render(request, "requests.html", context)
