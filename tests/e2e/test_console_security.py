"""CSRF on every state-changing request, and the security headers on every response."""

from __future__ import annotations

import pytest

from reception.requests import Status
from tests.e2e.console_support import *  # noqa: F403


async def test_an_action_without_the_csrf_token_is_refused_and_changes_nothing(console) -> None:
    _, slots = await console.seed_day()
    booking = await console.seed_request()
    await console.login("reception")

    response = await console.client.post(
        f"/console/requests/{booking.id}/actions/book",
        data={"slot_id": str(slots[0].id)},
        allow_redirects=False,
    )

    assert response.status == 403
    assert "форма устарела" in await response.text()
    assert (await console.request(booking.id)).status is Status.REGISTERED
    assert await console.outbox_kinds(booking.id) == ["registered"]


async def test_an_action_with_another_sessions_token_is_refused(console) -> None:
    booking = await console.seed_request()
    stale = await console.login("reception")
    await console.login("reception")  # a new session, a new token

    response = await console.post(f"/console/requests/{booking.id}/actions/start_review", {}, stale)

    assert response.status == 403
    assert (await console.request(booking.id)).status is Status.REGISTERED


async def test_fetch_may_send_the_token_in_a_header(console) -> None:
    booking = await console.seed_request()
    csrf = await console.login("reception")

    response = await console.client.post(
        f"/console/requests/{booking.id}/actions/start_review",
        headers={"X-CSRF-Token": csrf},
        allow_redirects=False,
    )

    assert response.status == 303
    assert (await console.request(booking.id)).status is Status.UNDER_REVIEW


async def test_logout_without_the_token_is_refused_and_the_session_lives_on(console) -> None:
    await console.login("reception")

    response = await console.client.post("/console/logout", allow_redirects=False)

    assert response.status == 403
    assert await console.scalar("select count(*) from staff_sessions") == 1


async def test_a_login_form_without_its_token_is_refused(console) -> None:
    response = await console.client.post(
        "/console/login",
        data={"username": "admin", "password": "correct horse battery"},
        allow_redirects=False,
    )

    assert response.status == 403
    assert await console.scalar("select count(*) from staff_sessions") == 0


@pytest.mark.parametrize(
    "path",
    [
        "/console/login",
        "/console/requests",
        "/console/no-such-page",
        "/console/static/console.css",
        "/schedule",
    ],
)
async def test_every_response_carries_the_security_headers(console, path) -> None:
    await console.login("admin")

    response = await console.client.get(path)

    assert response.status == (404 if "no-such" in path else 200)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


async def test_staff_pages_are_never_cached(console) -> None:
    await console.login("admin")

    response = await console.client.get("/console/requests")

    assert response.headers["Cache-Control"] == "no-store"


async def test_pages_have_no_inline_script_or_style(console) -> None:
    booking = await console.seed_request()
    await console.login("admin")

    for path in (
        "/console/requests",
        f"/console/requests/{booking.id}",
        "/console/schedules",
        "/console/users",
        "/console/audit",
        "/schedule",
    ):
        html = await (await console.client.get(path)).text()
        assert "<script>" not in html and "onclick=" not in html and "style=" not in html, path


async def test_an_unknown_page_is_a_localized_404_not_a_traceback(console) -> None:
    await console.login("reception")

    missing_request = await console.client.get("/console/requests/999999")
    missing_page = await console.client.get("/console/no-such-page")

    assert missing_request.status == missing_page.status == 404
    assert "Не найдено." in await missing_request.text()
    assert "Страница или запись не найдена" in await missing_page.text()
    assert "Traceback" not in await missing_page.text()
