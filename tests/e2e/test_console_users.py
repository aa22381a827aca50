"""Administrators manage users and read the audit log (R39)."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.e2e.console_support import *  # noqa: F403
from tests.e2e.console_support import PASSWORD


async def test_admin_creates_a_user_who_can_then_sign_in(console) -> None:
    csrf = await console.login("admin")

    response = await console.post(
        "/console/users",
        {
            "username": "Dana.K",
            "full_name": "Дана Серікқызы",
            "role": "reception",
            "password": "a long enough password",
            "language": "kk",
        },
        csrf,
    )

    assert response.status == 303
    assert await console.scalar("select role from staff_users where username = 'dana.k'") == (
        "reception"
    )
    await console.login("dana.k", "a long enough password")
    assert "Жеке қабылдауға өтінімдер" in await (await console.client.get("/console/")).text()


async def test_a_short_password_or_an_official_without_official_is_refused(console) -> None:
    csrf = await console.login("admin")

    short = await console.post(
        "/console/users",
        {
            "username": "x1",
            "full_name": "X",
            "role": "reception",
            "password": "short",
        },
        csrf,
    )
    no_official = await console.post(
        "/console/users",
        {
            "username": "x2",
            "full_name": "X",
            "role": "official",
            "password": "long enough pass",
        },
        csrf,
    )

    assert short.status == no_official.status == 422
    assert "не короче 10 символов" in await short.text()
    assert "выберите должностное лицо" in await no_official.text()
    assert await console.scalar("select count(*) from staff_users") == 4


async def test_a_new_role_ends_the_users_sessions(console) -> None:
    await console.login("operator")
    cookie = console.client.session.cookie_jar.filter_cookies(console.client.make_url("/console/"))[
        "console_session"
    ].value
    csrf = await console.login("admin")

    response = await console.post(
        f"/console/users/{console.users['operator'].id}/role", {"role": "reception"}, csrf
    )

    console.client.session.cookie_jar.update_cookies(
        {"console_session": cookie}, console.client.make_url("/console/")
    )
    replay = await console.client.get("/console/requests", allow_redirects=False)

    assert response.status == 303
    assert replay.status == 303  # the operator's session is gone: sign in again
    assert (
        await console.scalar(
            "select role from staff_users where id = :id", id=console.users["operator"].id
        )
        == "reception"
    )
    assert "staff.change_role" in await console.audit_actions(
        "staff_user", console.users["operator"].id
    )


async def test_a_deactivated_user_is_signed_out_at_once_and_cannot_sign_in(console) -> None:
    csrf = await console.login("admin")

    response = await console.post(
        f"/console/users/{console.users['reception'].id}/active", {"active": "0"}, csrf
    )
    await console.client.post("/console/logout", data={"csrf_token": csrf})
    await console.client.get("/console/login")
    token = console.client.session.cookie_jar.filter_cookies(
        console.client.make_url("/console/login")
    )["console_login_csrf"].value
    login = await console.client.post(
        "/console/login",
        data={
            "username": "reception",
            "password": PASSWORD,
            "csrf_token": token,
        },
        allow_redirects=False,
    )

    assert response.status == 303
    assert login.status == 401


async def test_an_admin_cannot_deactivate_or_demote_themselves(console) -> None:
    csrf = await console.login("admin")
    me = console.users["admin"].id

    deactivate = await console.post(f"/console/users/{me}/active", {"active": "0"}, csrf)
    demote = await console.post(f"/console/users/{me}/role", {"role": "operator"}, csrf)

    assert deactivate.status == demote.status == 422
    assert await console.scalar("select active from staff_users where id = :id", id=me) in (1, True)


async def test_a_reset_password_works_and_the_old_one_does_not(console) -> None:
    csrf = await console.login("admin")

    await console.post(
        f"/console/users/{console.users['official'].id}/password",
        {"password": "brand new password"},
        csrf,
    )

    await console.login("official", "brand new password")
    assert "auth.login" in await console.audit_actions("staff_user", "official")


async def test_the_audit_log_shows_who_did_what_when_and_from_where(console) -> None:
    booking = await console.seed_request(1)
    csrf = await console.login("reception")
    await console.post(f"/console/requests/{booking.id}/actions/start_review", {}, csrf)
    await console.login("admin")

    page = await console.client.get("/console/audit")
    text = await page.text()

    assert page.status == 200
    assert "request.start_review" in text and "Reception Test (reception)" in text
    assert "127.0.0.1" in text
    assert "auth.login" in text and "request.register" in text


async def test_the_audit_log_filters_by_person_action_and_object(console) -> None:
    booking = await console.seed_request(1)
    csrf = await console.login("reception")
    await console.post(f"/console/requests/{booking.id}/actions/start_review", {}, csrf)
    await console.login("admin")
    reception = console.users["reception"].id

    by_person = await (await console.client.get(f"/console/audit?actor={reception}")).text()
    by_group = await (await console.client.get("/console/audit?action=request.")).text()
    by_object = await (
        await console.client.get(f"/console/audit?object_type=request&object_id={booking.id}")
    ).text()

    actions = lambda text: re.findall(r"<code>([\w.]+)</code>", text)  # noqa: E731
    assert set(actions(by_person)) == {"auth.login", "request.start_review"}
    assert set(actions(by_group)) == {"request.register", "request.start_review"}
    assert actions(by_object) == ["request.start_review", "request.register"]


async def test_the_audit_log_pages_back_in_time(console) -> None:
    async with console.uow_factory() as uow:
        from reception.actors import Actor

        for n in range(105):
            await uow.audit.record(
                Actor.system(), f"test.event{n}", console.clock.now() - timedelta(minutes=n)
            )
        await uow.commit()
    await console.login("admin")

    first = await (await console.client.get("/console/audit?action=test.")).text()
    older = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = await (await console.client.get(older)).text()

    assert len(re.findall(r"<code>test\.", first)) == 100
    assert len(re.findall(r"<code>test\.", second)) == 5
