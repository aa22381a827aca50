"""Every route declares its roles; every role gets exactly what its declaration admits; an id
changed in the address never shows what the role may not see (issue 4, access and safety)."""

from __future__ import annotations

import asyncio
import re
import types
from typing import Any

from aiohttp import web

from app.keys import SETTINGS
from console.rbac import PUBLIC, declared_roles
from console.web import CONSOLE_APP
from reception.citizens import Document, DocumentKind, Role
from tests.e2e.console_support import *  # noqa: F403
from tests.e2e.console_support import make_console

ALL = {"operator", "reception", "official", "admin"}
CASEWORK = {"reception", "admin"}
ADMIN = {"admin"}
# The policy of the console core's routes, spelled out (the other parts' routes are held to
# their own declarations by test_every_role_gets_exactly_what_each_route_declares).
EXPECTED: dict[str, set[str]] = {
    "login": {PUBLIC},
    "login-submit": {PUBLIC},
    "home": ALL,
    "logout": ALL,
    "language": ALL,
    "requests": ALL,
    "request-card": ALL,
    "document": {"reception", "official", "admin"},
    "request-action": CASEWORK,
    "schedules": ALL,
    "schedule-day": ALL,
    "schedule-day-add": CASEWORK,
    "schedule-day-cancel": CASEWORK,
    "official-link-code": CASEWORK,
    "official-new": ADMIN,
    "official-edit": ADMIN,
    "official-create": ADMIN,
    "official-update": ADMIN,
    "topics": ADMIN,
    "topic-save": ADMIN,
    "users": ADMIN,
    "user-create": ADMIN,
    "user-change": ADMIN,
    "audit": ADMIN,
}
# Streams answer once their headers are out; the matrix reads only the status.
STREAM_TIMEOUT = 5


def console_routes(console) -> list[web.AbstractRoute]:
    app = console.client.app[CONSOLE_APP]
    return [
        route
        for route in app.router.routes()
        if route.method != "HEAD" and not isinstance(route.resource, web.StaticResource)
    ]


async def test_every_console_route_declares_the_roles_it_admits(console) -> None:
    undeclared = [
        f"{route.method} {route.resource.canonical}"
        for route in console_routes(console)
        if declared_roles(route.handler) is None
    ]

    assert undeclared == []


async def test_the_core_routes_admit_exactly_the_roles_of_the_policy(console) -> None:
    declared = {
        route.name: set(declared_roles(route.handler) or ())
        for route in console_routes(console)
        if route.name in EXPECTED
    }

    assert declared == EXPECTED


async def test_a_route_that_declares_nothing_is_refused_to_everyone(
    aiohttp_client, console_database_url, tmp_path, monkeypatch
) -> None:
    from console import app as console_app

    async def forgotten(request: web.Request) -> web.Response:
        return web.Response(text="secret")

    extra = types.SimpleNamespace(routes=[web.get("/forgotten", forgotten)])
    real_modules = console_app.view_modules
    monkeypatch.setattr(console_app, "view_modules", lambda: [*real_modules(), extra])
    # The fixture is built after the patch, so its console carries the forgotten route.
    fixture_console = await make_console(
        aiohttp_client, console_database_url, tmp_path, monkeypatch
    )
    await fixture_console.login("admin")

    response = await fixture_console.client.get("/console/forgotten")

    assert response.status == 403
    assert "secret" not in await response.text()


def concrete_path(route: web.AbstractRoute, ids: dict[str, Any]) -> str:
    return re.sub(
        r"\{(\w+)(?::[^}]*)?\}", lambda m: str(ids.get(m.group(1), 1)), route.resource.canonical
    )


async def status_of(console, method: str, path: str, csrf: str) -> int:
    async with asyncio.timeout(STREAM_TIMEOUT):
        if method == "GET":
            response = await console.client.get(path, allow_redirects=False)
        else:
            response = await console.client.post(
                path, data={"csrf_token": csrf}, allow_redirects=False
            )
        response.release()
        return response.status


async def matrix_ids(console) -> dict[str, Any]:
    day, _slots = await console.seed_day()
    booking = await console.seed_request()
    document = await add_document(console, booking)
    target = await console.add_user("target", Role.OPERATOR)
    return {
        "request_id": booking.id,
        "document_id": document.id,
        "day_id": day.id,
        "official_id": console.officials[0].id,
        "user_id": target.id,
        "change": "role",
        "action": "start_review",
    }


async def add_document(console, booking, name: str = "dov.pdf") -> Document:
    data_dir = console.client.app[SETTINGS].data_dir
    folder = data_dir / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(b"%PDF-1.4 fictional power of attorney")
    async with console.uow_factory() as uow:
        document = await uow.documents.add(
            Document(
                citizen_id=booking.citizen_id,
                kind=DocumentKind.POWER_OF_ATTORNEY,
                file_name=name,
                mime_type="application/pdf",
                size=36,
                sha256="0" * 64,
                path=f"documents/{name}",
                request_id=booking.id,
                uploaded_at=console.clock.now(),
            )
        )
        await uow.commit()
    return document


async def test_every_role_gets_exactly_what_each_route_declares(console) -> None:
    ids = await matrix_ids(console)
    routes = sorted(console_routes(console), key=lambda r: r.name == "logout")  # logout last
    failures = []
    for role in ("operator", "reception", "official", "admin"):
        csrf = await console.login(role)
        for route in routes:
            declared = declared_roles(route.handler) or frozenset()
            if PUBLIC in declared:
                continue
            status = await status_of(console, route.method, concrete_path(route, ids), csrf)
            admitted = role in declared
            if admitted and (status in (401, 403) or status >= 500):
                failures.append(f"{role} refused or failed {route.method} {route.name}: {status}")
            if not admitted and status != 403:
                failures.append(f"{role} not refused {route.method} {route.name}: {status}")

    assert failures == []


async def test_anonymous_visitors_reach_only_the_login_page(console) -> None:
    ids = await matrix_ids(console)
    for route in console_routes(console):
        if PUBLIC in (declared_roles(route.handler) or ()):
            continue
        status = await status_of(console, route.method, concrete_path(route, ids), "")
        assert status in (303, 401), (route.method, route.name, status)


# -- changing an id in the address ---------------------------------------------------------


async def test_an_official_sees_their_own_request_and_not_another_officials(console) -> None:
    mine = await console.seed_request(1)
    theirs = await console.seed_request(2, official=console.officials[1])
    await console.login("official")

    own = await console.client.get(f"/console/requests/{mine.id}")
    other = await console.client.get(f"/console/requests/{theirs.id}")

    assert own.status == 200
    assert other.status == 404
    assert theirs.applicant_name not in await other.text()


async def test_an_officials_list_holds_only_their_own_even_when_asked_for_another(
    console,
) -> None:
    mine = await console.seed_request(1)
    theirs = await console.seed_request(2, official=console.officials[1])
    await console.login("official")

    page = await console.client.get(
        f"/console/requests?status=all&official={console.officials[1].id}"
    )
    text = await page.text()

    assert mine.number in text
    assert theirs.number not in text


async def test_an_official_cannot_open_another_officials_day_or_document(console) -> None:
    other_day, _ = await console.seed_day(console.officials[1])
    theirs = await console.seed_request(2, official=console.officials[1])
    document = await add_document(console, theirs)
    await console.login("official")

    day = await console.client.get(f"/console/schedules/days/{other_day.id}")
    doc = await console.client.get(f"/console/requests/{theirs.id}/documents/{document.id}")

    assert day.status == 404
    assert doc.status == 404
    assert await console.audit_actions("document", document.id) == []


async def test_a_document_is_not_served_through_another_requests_address(console) -> None:
    first = await console.seed_request(1)
    second = await console.seed_request(2)
    document = await add_document(console, second)
    await console.login("reception")

    response = await console.client.get(f"/console/requests/{first.id}/documents/{document.id}")

    assert response.status == 404


async def test_an_operator_may_not_open_documents_nor_act_on_requests(console) -> None:
    booking = await console.seed_request()
    document = await add_document(console, booking)
    csrf = await console.login("operator")

    doc = await console.client.get(f"/console/requests/{booking.id}/documents/{document.id}")
    act = await console.post(f"/console/requests/{booking.id}/actions/start_review", {}, csrf)
    card = await console.client.get(f"/console/requests/{booking.id}")

    assert doc.status == 403 and act.status == 403
    assert "dov.pdf" not in await card.text()  # the card lists no documents to an operator
